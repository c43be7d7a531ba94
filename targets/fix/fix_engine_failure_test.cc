// An exception out of a FIX handler (a bug in ordeal's client or gateway,
// or in a user's) is the engine's failure, named, and the process lives on:
// on QuickFIX's thread it would otherwise drop the connection, and the
// message would come again after the reconnect to throw again. Loopback
// only; every wait is bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "framework/base/thread_failure.h"
#include "targets/exchange/live_network.h"
#include "targets/fix/fix_engine.h"
#include "targets/fix/wait_until.h"
#include "targets/live_target.h"

namespace ordeal::fix {
namespace {

FixMessage news(const std::string& headline) {
  FixMessage m{"B", {}};
  m.set(148, headline);  // Headline
  return m;
}

TEST(FixEngineFailure, AHandlerThatThrowsIsTheEnginesNamedFailureAndTheSessionLivesOn) {
  const int port = exchange::free_loopback_port();
  FixEngine gateway(
      FixEngineConfig{.acceptor = true, .port = port, .sessions = {{"FIX.4.4", "GW", "CL"}}},
      FixHandlers{.on_message = [](const std::string&, const FixMessage&) { return true; },
                  .on_session = nullptr});
  std::atomic<int> handled{0};
  FixEngine client(FixEngineConfig{.port = port, .sessions = {{"FIX.4.4", "CL", "GW"}}},
                   FixHandlers{.on_message =
                                   [&](const std::string&, const FixMessage& m) {
                                     ++handled;
                                     if (m.get(148) == "bad")
                                       throw std::runtime_error("no such order");
                                     return true;
                                   },
                               .on_session = nullptr});
  ASSERT_EQ(gateway.start(), "");
  ASSERT_EQ(client.start(), "");
  ASSERT_TRUE(wait_until([&] { return gateway.logged_on("") && client.logged_on(""); }));
  EXPECT_FALSE(client.failed());
  EXPECT_EQ(client.failure(), "");

  ASSERT_GT(gateway.send("", news("bad")), 0);
  ASSERT_GT(gateway.send("", news("good")), 0);
  ASSERT_TRUE(wait_until([&] { return handled >= 2; }));
  EXPECT_TRUE(client.failed());
  EXPECT_EQ(client.failure(),
            "the FIX session FIX.4.4:CL->GW's handler of a message of type B threw: no such order");
  // Handled once each: the connection stayed up, nothing was asked again.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(handled, 2);
  EXPECT_TRUE(client.logged_on(""));
  EXPECT_EQ(client.session_counters().resend_requests_sent, 0);
  EXPECT_FALSE(gateway.failed());
}

// A live target whose own thread failed: its error is that failure, so the
// case stops and ordeal exits 3 with it, named first beside any error of the
// target's own (which may be its consequence).
class ThreadOfItsOwn final : public LiveTarget {
 public:
  ThreadOfItsOwn() : LiveTarget(1) {}
  void fail(const std::string& what) { failure.note(what); }
  void set_error(const std::string& e) { error_ = e; }

  void submit(exchange::ClientRequest&&) override {}
  const exchange::MetadataState& initial_metadata() const override { return metadata; }
  const exchange::Instrument* current_record(std::string_view) override { return nullptr; }
  void update_metadata(const exchange::Instrument&, uint64_t) override {}
  void arm(const std::string&, const faults::ArmSpec&, int64_t) override {}
  void disarm(const std::string&) override {}
  void rolling_upgrade(int64_t, int64_t, int64_t) override {}
  void live_fault(const FaultSpec&, bool) override {}

 private:
  bool threads_failed() const override { return failure.failed(); }
  std::string threads_failure() const override { return failure.what(); }
  ThreadFailure failure;
  exchange::MetadataState metadata;
};

TEST(FixEngineFailure, ALiveTargetsThreadFailureIsItsError) {
  ThreadOfItsOwn target;
  EXPECT_FALSE(target.failed());
  target.fail("the FIX socket thread threw: x");
  EXPECT_TRUE(target.failed());
  EXPECT_EQ(target.error(), "the FIX socket thread threw: x");
  target.set_error("interrupted");
  EXPECT_EQ(target.error(), "the FIX socket thread threw: x; also: interrupted");
}

}  // namespace
}  // namespace ordeal::fix
