// The gateway driven by hand. Its request timeouts: one timer serves every
// pending request, and each still ends `unknown` exactly at its deadline,
// also after a restart and when its answer comes just before or at it. Its
// side of the shards' report numbers: a number skipped is asked for again.
#include <gtest/gtest.h>

#include <algorithm>

#include "targets/exchange/gateway.h"

namespace ordeal::exchange {
namespace {

constexpr NodeId kGateway = 0, kShard = 1, kReplica = 2, kClient = 3;
constexpr int64_t kTimeoutUs = 400'000;  // GatewayConfig's default

// An Env whose clock and timers the test moves; it keeps what is sent.
class ScriptedEnv final : public Env {
 public:
  struct Sent {
    NodeId to;
    int64_t at_us;
    Message message;
  };
  struct Timer {
    int64_t at_us;
    uint64_t seq;
    uint64_t id;
  };

  int64_t now_us() const override { return now_us_; }
  Message* outbox(NodeId to, int64_t extra_delay_us, bool /*ordered*/) override {
    return &sent.emplace_back(Sent{to, now_us_ + extra_delay_us, {}}).message;
  }
  void set_timer(int64_t delay_us, uint64_t timer_id) override {
    ASSERT_GE(delay_us, 0);
    timers.push_back({now_us_ + delay_us, next_seq_++, timer_id});
  }
  Rng& rng() override { return rng_; }
  void crash_self(int64_t /*down_us*/) override { ADD_FAILURE() << "the gateway crashed itself"; }

  // Moves the clock without running timers: what happens next comes first
  // among the events of that time.
  void advance(int64_t time_us) { now_us_ = std::max(now_us_, time_us); }
  // Runs the timers due up to `until_us`, in time order, then stops there.
  void run_until(Node& node, int64_t until_us) {
    for (int fired = 0; fired < 10'000; ++fired) {
      auto first = std::min_element(timers.begin(), timers.end(), [](auto& a, auto& b) {
        return a.at_us != b.at_us ? a.at_us < b.at_us : a.seq < b.seq;
      });
      if (first == timers.end() || first->at_us > until_us) break;
      const Timer timer = *first;
      timers.erase(first);
      now_us_ = timer.at_us;
      node.on_timer(timer.id);
    }
    advance(until_us);
  }
  // The process dies and starts again: its timers die with it.
  void restart(Node& node) {
    timers.clear();
    node.on_crash();
    node.on_start();
  }
  // The gateway's own timers waiting now (not its metadata subscriber's).
  size_t request_timers() const {
    return std::count_if(timers.begin(), timers.end(),
                         [](const Timer& t) { return t.id < MetaSubscriber::kTimerBase; });
  }

  std::vector<Sent> sent;
  std::vector<Timer> timers;

 private:
  int64_t now_us_ = 1'000;
  uint64_t next_seq_ = 0;
  Rng rng_{7};
};

struct Answer {
  uint64_t request_id;
  Verdict verdict;
  int64_t at_us;
};

class GatewayTimeoutTest : public ::testing::Test {
 protected:
  void SetUp() override { gateway.on_start(); }

  // A mass-cancel needs no metadata, so it reaches the shard at once.
  // Returns the gateway's id for it, as the shard sees it.
  uint64_t request(uint64_t request_id) { return forwarded(request_id).gateway_request_id; }
  // The request as the shard receives it.
  ShardRequest forwarded(uint64_t request_id) {
    gateway.on_message(
        kClient,
        ClientRequest{.kind = RequestKind::mass_cancel, .client = 1, .request_id = request_id});
    for (auto it = env.sent.rbegin(); it != env.sent.rend(); ++it) {
      if (const auto* r = std::get_if<ShardRequest>(&it->message)) return *r;
    }
    ADD_FAILURE() << "request " << request_id << " was not forwarded";
    return {};
  }
  // The shard reports a fill of an order the gateway does not know, with
  // the shard's number for the report.
  void shard_reports(uint64_t report_seq) {
    gateway.on_message(kShard, Fill{.client = 1, .clordid = "x", .report_seq = report_seq});
  }
  void shard_answers(uint64_t gateway_request_id) {
    gateway.on_message(kShard, ShardResponse{.gateway_request_id = gateway_request_id, .ok = true});
  }
  std::vector<Answer> answers() const {
    std::vector<Answer> out;
    for (const auto& s : env.sent) {
      if (const auto* r = std::get_if<ClientResponse>(&s.message))
        out.push_back({r->request_id, r->verdict, s.at_us});
    }
    return out;
  }

  ScriptedEnv env;
  DefectSet defects;
  Gateway gateway{env, kGateway,
                  GatewayConfig{.shards = {kShard}, .meta = {.replicas = {kReplica}}}, defects};
};

TEST_F(GatewayTimeoutTest, ExpiresExactlyAtTheDeadline) {
  const int64_t deadline_us = env.now_us() + kTimeoutUs;
  request(1);
  env.run_until(gateway, deadline_us - 1);
  EXPECT_TRUE(answers().empty());
  env.run_until(gateway, deadline_us);
  const auto got = answers();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].verdict, Verdict::unknown);
  EXPECT_EQ(got[0].at_us, deadline_us);
}

// One timer waits at a time, however many requests are pending; each
// request still expires at its own deadline (the timer is set again).
TEST_F(GatewayTimeoutTest, OneTimerServesManyRequestsEachAtItsDeadline) {
  const std::vector<int64_t> gaps_us = {0, 1, 99'999, 250'000, 150'000, 0, 7};
  std::vector<int64_t> deadlines_us;
  for (size_t i = 0; i < gaps_us.size(); ++i) {
    env.run_until(gateway, env.now_us() + gaps_us[i]);
    deadlines_us.push_back(env.now_us() + kTimeoutUs);
    request(i + 1);
    EXPECT_LE(env.request_timers(), 1u);
  }
  env.run_until(gateway, deadlines_us.back() + kTimeoutUs);
  const auto got = answers();
  ASSERT_EQ(got.size(), gaps_us.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].request_id, i + 1);
    EXPECT_EQ(got[i].verdict, Verdict::unknown);
    EXPECT_EQ(got[i].at_us, deadlines_us[i]) << "request " << i + 1;
  }
  EXPECT_EQ(env.request_timers(), 0u);  // nothing pending, nothing set
}

// The timer was set for the first request; answered, it leaves the
// timer to fire with nothing due, and the second still expires on time.
TEST_F(GatewayTimeoutTest, AnAnswerJustBeforeTheDeadlineCountsAndTheNextStillExpires) {
  const int64_t first_deadline_us = env.now_us() + kTimeoutUs;
  const uint64_t first = request(1);
  env.run_until(gateway, env.now_us() + 10'000);
  const int64_t second_deadline_us = env.now_us() + kTimeoutUs;
  request(2);
  env.run_until(gateway, first_deadline_us - 1);
  shard_answers(first);
  env.run_until(gateway, second_deadline_us);
  const auto got = answers();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].request_id, 1u);
  EXPECT_EQ(got[0].verdict, Verdict::ack);
  EXPECT_EQ(got[0].at_us, first_deadline_us - 1);
  EXPECT_EQ(got[1].request_id, 2u);
  EXPECT_EQ(got[1].verdict, Verdict::unknown);
  EXPECT_EQ(got[1].at_us, second_deadline_us);
}

// An answer that arrives at the deadline, before the timer's turn, is too
// late: the deadline comes first, as when each request had its own timer.
TEST_F(GatewayTimeoutTest, AnAnswerAtTheDeadlineIsTooLate) {
  const int64_t deadline_us = env.now_us() + kTimeoutUs;
  const uint64_t id = request(1);
  env.advance(deadline_us);
  shard_answers(id);
  env.run_until(gateway, deadline_us + kTimeoutUs);
  const auto got = answers();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].verdict, Verdict::unknown);
  EXPECT_EQ(got[0].at_us, deadline_us);
}

// A heartbeat's arrival is also a moment when requests due expire, so the
// gateway takes one early (Node::absorb) only if no request can be due by
// its arrival: neither one pending nor one sent from now on.
TEST_F(GatewayTimeoutTest, AbsorbsAHeartbeatOnlyIfNoRequestCanBeDueByItsArrival) {
  const auto at = [](int64_t time_us) { return Moment{time_us, 0}; };
  EXPECT_TRUE(gateway.absorb(kReplica, MetaHeartbeat{0}, at(env.now_us() + 1'000)));
  EXPECT_FALSE(gateway.absorb(kReplica, MetaHeartbeat{0}, at(env.now_us() + kTimeoutUs)));
  EXPECT_FALSE(gateway.absorb(kReplica, MetaHeartbeat{1}, at(env.now_us() + 1'000)))
      << "a newer version is news: it must come as a message";
  const int64_t deadline_us = env.now_us() + kTimeoutUs;
  request(1);
  env.run_until(gateway, deadline_us - 1'000);
  EXPECT_TRUE(gateway.absorb(kReplica, MetaHeartbeat{0}, at(deadline_us - 1)));
  EXPECT_FALSE(gateway.absorb(kReplica, MetaHeartbeat{0}, at(deadline_us)));
}

// Requests in flight die with the process (their clients' sessions drop);
// the restarted gateway sets its timer again for its new requests.
TEST_F(GatewayTimeoutTest, ARestartedGatewayTimesOutItsNewRequests) {
  request(1);
  env.run_until(gateway, env.now_us() + 100'000);
  env.restart(gateway);
  const int64_t deadline_us = env.now_us() + kTimeoutUs;
  request(2);
  env.run_until(gateway, deadline_us + kTimeoutUs);
  const auto got = answers();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].request_id, 2u);
  EXPECT_EQ(got[0].verdict, Verdict::unknown);
  EXPECT_EQ(got[0].at_us, deadline_us);
}

// The shard numbers its reports to each gateway; the gateway tells it on
// every request the last it saw in a row, and when one is missing asks,
// once, for what the shard still holds (ReportLog's side is tested in
// report_log_test.cc). The simulator never loses a message between running
// nodes, so no case reaches this path: it is driven here by hand.
TEST_F(GatewayTimeoutTest, AsksTheShardAgainForAReportNumberItMissed) {
  EXPECT_EQ(forwarded(1).reports_seen, kReportsUnknown);
  shard_reports(1);
  shard_reports(2);
  ShardRequest r = forwarded(2);
  EXPECT_EQ(r.reports_seen, 2u);
  EXPECT_FALSE(r.resend_reports);

  shard_reports(4);  // 3 went missing
  r = forwarded(3);
  EXPECT_EQ(r.reports_seen, 2u) << "4 is not counted as seen while 3 is missing";
  EXPECT_TRUE(r.resend_reports);
  EXPECT_FALSE(forwarded(4).resend_reports) << "asked once, not on every request";

  shard_reports(3);  // sent again, then 4 again
  shard_reports(4);
  r = forwarded(5);
  EXPECT_EQ(r.reports_seen, 4u);
  EXPECT_FALSE(r.resend_reports);

  shard_reports(1);  // a new life of the shard numbers from 1 again
  r = forwarded(6);
  EXPECT_EQ(r.reports_seen, 1u);
  EXPECT_FALSE(r.resend_reports);
}

}  // namespace
}  // namespace ordeal::exchange
