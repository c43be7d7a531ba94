// A FIX acceptor with a store folder (the reference gateway's state dir)
// across a restart: the sessions' sequence numbers carry on, so the client
// logs on again without a reset, and the folder keeps only the last
// messages however many were sent. Loopback only; every wait is bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "framework/base/test_dir.h"
#include "targets/exchange/live_network.h"
#include "targets/fix/fix_engine.h"
#include "targets/fix/wait_until.h"

namespace ordeal::fix {
namespace {

uintmax_t folder_bytes(const std::filesystem::path& dir) {
  uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

FixMessage news(int i) {
  FixMessage m{"B", {}};
  m.set(148, "headline " + std::to_string(i));  // Headline
  return m;
}

TEST(FixEngineStore, SequenceNumbersOutliveARestartAndTheFolderStaysSmall) {
  TestDir dir("fix-engine-store");
  const int port = exchange::free_loopback_port();
  const FixEngineConfig gateway_config{.acceptor = true,
                                       .port = port,
                                       .sessions = {{"FIX.4.4", "GW", "CL"}},
                                       .heartbeat_s = 5,
                                       .resend_messages_max = 5,
                                       .store_dir = (dir.path / "fix").string()};
  const FixHandlers quiet{.on_message = [](const std::string&, const FixMessage&) { return true; },
                          .on_session = nullptr};
  std::atomic<int> received{0};
  FixEngine client(
      FixEngineConfig{.port = port, .sessions = {{"FIX.4.4", "CL", "GW"}}, .heartbeat_s = 5},
      FixHandlers{.on_message =
                      [&](const std::string&, const FixMessage& m) {
                        received += m.type == "B";
                        return true;
                      },
                  .on_session = nullptr});
  auto gateway = std::make_unique<FixEngine>(gateway_config, quiet);
  ASSERT_EQ(gateway->start(), "");
  ASSERT_EQ(client.start(), "");
  ASSERT_TRUE(wait_until([&] { return gateway->logged_on("") && client.logged_on(""); }));
  constexpr int kSent = 300;
  for (int i = 0; i < kSent; ++i) ASSERT_GT(gateway->send("", news(i)), 0);
  ASSERT_TRUE(wait_until([&] { return received == kSent; }));
  // 5 messages kept, at most 10 on disk, of about 100 bytes each; every
  // message of the run would be about 30 KB.
  EXPECT_LT(folder_bytes(dir.path / "fix"), 3000u);

  gateway = std::make_unique<FixEngine>(gateway_config, quiet);  // the old one stops first
  ASSERT_EQ(gateway->start(), "");
  // A gateway that had lost its numbers would send its Logon with 1, too
  // low for the client, which would log out rather than log on.
  ASSERT_TRUE(wait_until([&] { return gateway->logged_on("") && client.logged_on(""); }));
  ASSERT_GT(gateway->send("", news(kSent)), kSent);
  ASSERT_TRUE(wait_until([&] { return received == kSent + 1; }));
  EXPECT_EQ(client.session_counters().sequence_resets_received, 0);
  EXPECT_EQ(client.session_counters().resend_requests_sent, 0);
}

}  // namespace
}  // namespace ordeal::fix
