// Where the gateway sends what no request asked for (fills, unsolicited
// updates): to the node its client was last heard from, for a client id
// it keeps by index and for one it keeps in its map alike; to nobody once
// a restart has dropped the connections and it knows no order to go by.
#include <gtest/gtest.h>

#include <vector>

#include "targets/exchange/gateway.h"

namespace ordeal::exchange {
namespace {

constexpr NodeId kGateway = 0, kShard = 1, kReplica = 2;
constexpr NodeId kFirstPort = 10, kSecondPort = 11;
constexpr ClientId kSmallId = 7, kLargeId = 70'000;  // below and above the indexed range

// Keeps what the gateway sends; time stands still, timers never fire.
class KeepingEnv final : public Env {
 public:
  struct Sent {
    NodeId to;
    Message message;
  };
  int64_t now_us() const override { return 1'000; }
  Message* outbox(NodeId to, int64_t /*extra_delay_us*/, bool /*ordered*/) override {
    return &sent.emplace_back(Sent{to, {}}).message;
  }
  void set_timer(int64_t /*delay_us*/, uint64_t /*timer_id*/) override {}
  Rng& rng() override { return rng_; }
  void crash_self(int64_t /*down_us*/) override { ADD_FAILURE() << "the gateway crashed itself"; }

  std::vector<Sent> sent;

 private:
  Rng rng_{7};
};

class GatewayClientsTest : public ::testing::Test {
 protected:
  void SetUp() override { gateway.on_start(); }

  // A mass-cancel needs no metadata: the gateway hears its client at once.
  void heard(ClientId client, NodeId port) {
    gateway.on_message(port, ClientRequest{.kind = RequestKind::mass_cancel, .client = client});
  }
  // Where the gateway sends an update about an order it does not know.
  std::vector<NodeId> update_goes_to(ClientId client) {
    env.sent.clear();
    gateway.on_message(kShard, OrderUpdate{.order = {.order_id = 99, .client = client}});
    std::vector<NodeId> to;
    for (const auto& s : env.sent) {
      if (std::holds_alternative<OrderUpdate>(s.message)) to.push_back(s.to);
    }
    return to;
  }

  KeepingEnv env;
  DefectSet defects;
  Gateway gateway{env, kGateway,
                  GatewayConfig{.shards = {kShard}, .meta = {.replicas = {kReplica}}}, defects};
};

TEST_F(GatewayClientsTest, UpdatesGoWhereEachClientWasLastHeardFrom) {
  heard(kSmallId, kFirstPort);
  heard(kLargeId, kFirstPort);
  EXPECT_EQ(update_goes_to(kSmallId), std::vector<NodeId>{kFirstPort});
  EXPECT_EQ(update_goes_to(kLargeId), std::vector<NodeId>{kFirstPort});
  heard(kSmallId, kSecondPort);
  heard(kLargeId, kSecondPort);
  EXPECT_EQ(update_goes_to(kSmallId), std::vector<NodeId>{kSecondPort});
  EXPECT_EQ(update_goes_to(kLargeId), std::vector<NodeId>{kSecondPort});
}

TEST_F(GatewayClientsTest, AClientNeverHeardFromGetsNothing) {
  heard(kSmallId, kFirstPort);
  EXPECT_TRUE(update_goes_to(kSmallId + 1).empty());
  EXPECT_TRUE(update_goes_to(kLargeId).empty());
}

TEST_F(GatewayClientsTest, ARestartForgetsWhereClientsWereHeard) {
  heard(kSmallId, kFirstPort);
  heard(kLargeId, kFirstPort);
  gateway.on_crash();
  gateway.on_start();
  EXPECT_TRUE(update_goes_to(kSmallId).empty());
  EXPECT_TRUE(update_goes_to(kLargeId).empty());
}

}  // namespace
}  // namespace ordeal::exchange
