// The FIX acceptor stays on the address it is confined to: QuickFIX alone
// listens on every interface, which these tests show first so that the
// check below can tell the two apart. Reads the kernel's socket table.
#include "targets/fix/listen_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "targets/exchange/live_network.h"
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

TEST(ListenAddress, QuickFixAloneListensOnEveryInterface) {
  ASSERT_EQ(confine_listen_address(0, ""), "");
  const int port = exchange::free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  EXPECT_EQ(listening_address(port), kAnyHex);
}

TEST(ListenAddress, ConfinedFixPortListensOnLoopbackOnly) {
  const int port = exchange::free_loopback_port();
  ASSERT_EQ(confine_listen_address(static_cast<uint16_t>(port), "127.0.0.1"), "");
  {
    ReferenceGateway gateway(port);
    ASSERT_EQ(gateway.error, "");
    EXPECT_EQ(listening_address(port), kLoopbackHex);
  }
  ASSERT_EQ(confine_listen_address(0, ""), "");
}

TEST(ListenAddress, OtherPortsAndAddressesPassThrough) {
  const int confined = exchange::free_loopback_port();
  ASSERT_EQ(confine_listen_address(static_cast<uint16_t>(confined), "127.0.0.1"), "");
  const int other = exchange::free_loopback_port();
  ASSERT_NE(other, confined);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in any{};
  any.sin_family = AF_INET;
  any.sin_port = htons(static_cast<uint16_t>(other));
  any.sin_addr.s_addr = htonl(INADDR_ANY);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&any), sizeof any), 0);
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len), 0);
  EXPECT_EQ(bound.sin_addr.s_addr, htonl(INADDR_ANY));
  ::close(fd);
  ASSERT_EQ(confine_listen_address(0, ""), "");
}

TEST(ListenAddress, RefusesAHostItCannotBind) {
  EXPECT_NE(confine_listen_address(9878, "::1"), "");
  EXPECT_NE(confine_listen_address(9878, "localhost"), "");
}

}  // namespace
}  // namespace ordeal::fix
