// The gateway's request timeouts on the live transport, with real timers:
// requests to a shard that never answers end `unknown`, none before its
// 400 ms deadline, also after the gateway restarted.
#include <gtest/gtest.h>

#include <map>

#include "targets/exchange/gateway.h"
#include "targets/exchange/live_network.h"

namespace ordeal::exchange {
namespace {

constexpr NodeId kGateway = 0, kShard = 1, kReplica = 2, kClient = 3;
constexpr int64_t kTimeoutUs = 400'000;  // GatewayConfig's default
constexpr int64_t kSlackUs = 2'000'000;  // a loaded machine's timers run late

// An engine shard that takes requests and never answers.
class SilentShard final : public Node {
 public:
  using Node::Node;
  void on_message(NodeId, const Message& m) override {
    requests += std::holds_alternative<ShardRequest>(m);
  }
  void on_timer(uint64_t) override {}
  int requests = 0;
};

// Sends mass-cancels (they need no metadata) and notes when answers come.
class TimedClient final : public Node {
 public:
  using Node::Node;
  struct Answer {
    uint64_t request_id;
    Verdict verdict;
    int64_t latency_us;
  };
  void on_message(NodeId, const Message& m) override {
    const auto* r = std::get_if<ClientResponse>(&m);
    if (r == nullptr) return;
    answers.push_back({r->request_id, r->verdict, env_.now_us() - sent_us_.at(r->request_id)});
  }
  void on_timer(uint64_t) override {}
  void send(uint64_t request_id) {
    sent_us_[request_id] = env_.now_us();
    env_.send(
        kGateway,
        ClientRequest{.kind = RequestKind::mass_cancel, .client = 1, .request_id = request_id});
  }
  std::vector<Answer> answers;

 private:
  std::map<uint64_t, int64_t> sent_us_;
};

struct LiveGateway {
  LiveGateway()
      : net(5),
        gateway(net.env(kGateway), kGateway,
                GatewayConfig{.shards = {kShard}, .meta = {.replicas = {kReplica}}}, defects),
        shard(net.env(kShard), kShard),
        client(net.env(kClient), kClient) {
    net.attach(kGateway, gateway);
    net.attach(kShard, shard);
    net.attach(kClient, client);
    EXPECT_EQ(net.start(), "");
  }
  // Serves until `count` answers came, at most the slack past a timeout.
  void wait_for(size_t count) {
    const int64_t deadline_us = net.now_us() + kTimeoutUs + kSlackUs;
    while (client.answers.size() < count && net.now_us() < deadline_us) net.run_for(5'000);
  }

  DefectSet defects;
  LiveNetwork net;
  Gateway gateway;
  SilentShard shard;
  TimedClient client;
};

TEST(GatewayLive, EachUnansweredRequestEndsUnknownNoSoonerThanItsDeadline) {
  LiveGateway live;
  for (uint64_t id = 1; id <= 3; ++id) {
    live.client.send(id);
    live.net.run_for(50'000);
  }
  live.wait_for(3);
  EXPECT_EQ(live.shard.requests, 3);
  ASSERT_EQ(live.client.answers.size(), 3u);
  for (uint64_t i = 0; i < 3; ++i) {
    const auto& a = live.client.answers[i];
    EXPECT_EQ(a.request_id, i + 1);
    EXPECT_EQ(a.verdict, Verdict::unknown);
    EXPECT_GE(a.latency_us, kTimeoutUs);
    EXPECT_LT(a.latency_us, kTimeoutUs + kSlackUs);
  }
}

TEST(GatewayLive, ARestartedGatewayTimesOutItsNewRequests) {
  LiveGateway live;
  live.client.send(1);
  live.net.run_for(50'000);
  live.net.crash(kGateway, 20'000);  // request 1 dies with the process
  live.net.run_for(100'000);
  live.client.send(2);
  live.wait_for(1);
  live.net.run_for(100'000);  // nothing more comes
  ASSERT_EQ(live.client.answers.size(), 1u);
  EXPECT_EQ(live.client.answers[0].request_id, 2u);
  EXPECT_EQ(live.client.answers[0].verdict, Verdict::unknown);
  EXPECT_GE(live.client.answers[0].latency_us, kTimeoutUs);
}

}  // namespace
}  // namespace ordeal::exchange
