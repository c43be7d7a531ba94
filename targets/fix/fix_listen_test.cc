// The gateway's FIX acceptor listens on its host only, never on every
// interface: a reference exchange started for a test must not be reachable
// from the network. Reads the kernel's socket table; the wildcard case
// shows that the check tells the two apart.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "targets/exchange/live_network.h"
#include "targets/fix/fix_engine.h"
#include "targets/fix/reference_fix_gateway.h"

namespace ordeal::fix {
namespace {

// The local address (hex, as /proc/net/tcp writes it) of the socket
// listening on `port`, or "" if none.
std::string listening_address(int port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    const auto colon = local.find(':');
    if (colon == std::string::npos || state != "0A") continue;  // 0A: LISTEN
    if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) return local.substr(0, colon);
  }
  return {};
}

constexpr const char* kAnyHex = "00000000";
constexpr const char* kLoopbackHex = "0100007F";

TEST(FixListenAddress, TheGatewayListensOnLoopbackOnly) {
  const int port = exchange::free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  EXPECT_EQ(listening_address(port), kLoopbackHex);
}

TEST(FixListenAddress, AWildcardHostListensOnEveryInterface) {
  const int port = exchange::free_loopback_port();
  FixEngine engine({.acceptor = true,
                    .host = "0.0.0.0",
                    .port = port,
                    .sessions = {{"FIX.4.4", "EXCHANGE", "ORDEAL"}}},
                   {});
  ASSERT_EQ(engine.start(), "");
  EXPECT_EQ(listening_address(port), kAnyHex);
  engine.stop();
}

TEST(FixListenAddress, AHostThatIsNotAnAddressIsRefused) {
  FixEngine engine({.acceptor = true,
                    .host = "localhost",
                    .port = 9878,
                    .sessions = {{"FIX.4.4", "EXCHANGE", "ORDEAL"}}},
                   {});
  EXPECT_EQ(engine.start(), "FIX acceptor: 'localhost' is not an IP address");
}

}  // namespace
}  // namespace ordeal::fix
