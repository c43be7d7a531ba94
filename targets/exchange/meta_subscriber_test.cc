// Heartbeats absorbed by a metadata subscriber (Node::absorb): taken only
// when they bring no news, counted from their arrival on, in their turn.
#include "targets/exchange/meta_subscriber.h"

#include <gtest/gtest.h>

namespace ordeal::exchange {
namespace {

constexpr NodeId kHome = 1, kOther = 2;
constexpr int64_t kLeaseUs = 400'000;  // SubscriberConfig's default

// An Env whose moment the test sets; what is sent is dropped.
class MomentEnv final : public Env {
 public:
  int64_t now_us() const override { return now_.time_us; }
  Moment moment() const override { return now_; }
  void set_timer(int64_t /*delay_us*/, uint64_t /*timer_id*/) override {}
  Rng& rng() override { return rng_; }
  void crash_self(int64_t /*down_us*/) override { ADD_FAILURE() << "crashed itself"; }
  Message* outbox(NodeId /*to*/, int64_t /*extra_delay_us*/, bool /*ordered*/) override {
    return &sent_;
  }

  Moment now_{1'000, 0};

 private:
  Message sent_;
  Rng rng_{3};
};

class AbsorbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subscriber.start();
    MetadataState state;
    state.version = 4;
    subscriber.on_message(kHome, MetaSnapshot{state, checksum(state)});
    ASSERT_TRUE(subscriber.fresh());  // vouched at 1,000 us
  }
  bool fresh_at(int64_t time_us, uint64_t seq = 0) {
    env.now_ = {time_us, seq};
    return subscriber.fresh();
  }

  MomentEnv env;
  DefectSet defects;
  MetaSubscriber subscriber{env, SubscriberConfig{.replicas = {kHome, kOther}}, defects};
};

TEST_F(AbsorbTest, TakesOnlyHeartbeatsWithoutNews) {
  EXPECT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {2'000, 0}));
  EXPECT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{3}, {3'000, 0}));
  EXPECT_FALSE(subscriber.absorb(kHome, MetaHeartbeat{5}, {4'000, 0}))
      << "a newer version means a lost update: the heartbeat must come as a message";
}

// Without the heartbeat the copy would go stale after 401,000 us.
TEST_F(AbsorbTest, AHeartbeatCountsFromItsArrivalOnNotBefore) {
  ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {450'000, 7}));
  env.now_ = {350'000, 0};
  subscriber.on_timer(MetaSubscriber::kTimerBase);  // applies what has arrived: nothing
  EXPECT_TRUE(fresh_at(401'000));
  EXPECT_FALSE(fresh_at(401'001));
  EXPECT_FALSE(fresh_at(450'000, 7)) << "the event that is the heartbeat's own turn comes after it";
  EXPECT_TRUE(fresh_at(450'000, 8));
  EXPECT_TRUE(fresh_at(450'000 + kLeaseUs, 0));
  EXPECT_FALSE(fresh_at(450'001 + kLeaseUs, 0));
}

TEST_F(AbsorbTest, HeartbeatsArrivingOutOfSendingOrderCountInArrivalOrder) {
  ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {300'000, 2}));
  ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {200'000, 9}));
  env.now_ = {350'000, 0};
  subscriber.on_timer(MetaSubscriber::kTimerBase);  // applies both, in order
  EXPECT_TRUE(fresh_at(300'000 + kLeaseUs));
  EXPECT_FALSE(fresh_at(300'001 + kLeaseUs));
}

TEST_F(AbsorbTest, AHeartbeatFromAReplicaItDoesNotFollowIsIgnored) {
  ASSERT_TRUE(subscriber.absorb(kOther, MetaHeartbeat{4}, {300'000, 0}));
  EXPECT_FALSE(fresh_at(401'001));
}

// A subscriber holds at most 16 heartbeats (sent every 50 ms, a handful at
// most are on their way); the places of those applied are taken again.
TEST_F(AbsorbTest, HoldsUpToItsBoundAndTakesMoreOnceSomeHaveArrived) {
  for (int64_t i = 0; i < 16; ++i) {
    ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {100'000 + i * 10'000, 0})) << i;
  }
  EXPECT_FALSE(subscriber.absorb(kHome, MetaHeartbeat{4}, {400'000, 0}))
      << "past the bound a heartbeat must come as a message";
  env.now_ = {165'000, 0};
  subscriber.on_timer(MetaSubscriber::kTimerBase);  // applies 100,000 to 160,000: 7 of them
  for (int64_t i = 0; i < 7; ++i) {
    ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {320'000 - i * 10'000, 0})) << i;
  }
  EXPECT_FALSE(subscriber.absorb(kHome, MetaHeartbeat{4}, {400'000, 0}));
  EXPECT_TRUE(fresh_at(320'000 + kLeaseUs, 1)) << "the last one, absorbed first, counts last";
  EXPECT_FALSE(fresh_at(320'001 + kLeaseUs, 1));
}

// Heartbeats on their way to a process that dies are lost with it.
TEST_F(AbsorbTest, ARestartDropsWhatWasAbsorbed) {
  ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{4}, {300'000, 0}));
  env.now_ = {2'000, 0};
  subscriber.lose_state();
  subscriber.start();
  MetadataState state;
  state.version = 4;
  env.now_ = {3'000, 0};
  subscriber.on_message(kHome, MetaSnapshot{state, checksum(state)});
  EXPECT_TRUE(fresh_at(403'000));
  EXPECT_FALSE(fresh_at(403'001)) << "the heartbeat to the dead process still counted";
}

// A restart empties the copy in place (keeping its memory for the next
// snapshot): nothing of the old copy shows through the new one.
TEST(MetaSubscriberRestart, ForgetsTheCopyAndThePreviousOne) {
  MomentEnv env;
  DefectSet defects;
  MetaSubscriber subscriber{env, SubscriberConfig{.replicas = {kHome}, .keeps_previous = true},
                            defects};
  MetadataState before{.version = 5};
  before.put(Instrument{.symbol = "BTC-USDT", .tick_size = 10});
  before.put(Instrument{.symbol = "ETH-USDT", .tick_size = 5});
  subscriber.start();
  subscriber.on_message(kHome, MetaSnapshot{before, checksum(before)});
  ASSERT_EQ(subscriber.state(), before);
  subscriber.lose_state();
  EXPECT_EQ(subscriber.state(), MetadataState{});
  EXPECT_EQ(subscriber.previous_state(), MetadataState{});
  EXPECT_FALSE(subscriber.synced());
  MetadataState after{.version = 2};
  after.put(Instrument{.symbol = "SOL-USDT", .tick_size = 1});
  subscriber.start();
  subscriber.on_message(kHome, MetaSnapshot{after, checksum(after)});
  EXPECT_EQ(subscriber.state(), after);
  EXPECT_EQ(subscriber.previous_state(), MetadataState{});
}

// Only a subscriber that keeps its previous copy (a replica's) has one to
// give; the copy itself changes the same way with or without it.
TEST(MetaSubscriberPrevious, KeptOnlyWhenAsked) {
  MomentEnv env;
  DefectSet defects;
  MetaSubscriber keeping{env, SubscriberConfig{.replicas = {kHome}, .keeps_previous = true},
                         defects};
  MetaSubscriber plain{env, SubscriberConfig{.replicas = {kHome}}, defects};
  MetadataState before{.version = 5};
  before.put(Instrument{.symbol = "BTC-USDT", .tick_size = 10});
  const Instrument update{.symbol = "BTC-USDT", .tick_size = 20};
  const MetaPublish publish{.version = 6, .record = update, .checksum = checksum(update, 6)};
  for (MetaSubscriber* subscriber : {&keeping, &plain}) {
    subscriber->start();
    subscriber->on_message(kHome, MetaSnapshot{before, checksum(before)});
    subscriber->on_message(kHome, publish);
  }
  MetadataState after = before;
  after.version = 6;
  after.put(update);
  EXPECT_EQ(keeping.state(), after);
  EXPECT_EQ(plain.state(), after);
  EXPECT_EQ(keeping.previous_state(), before);
  EXPECT_DEATH((void)plain.previous_state(), "not keeping its previous copy");
}

// Renewed (the simulator's next case), a subscriber is as a new one: no
// copy, not synced, no resync counted; its owner's callback stays.
TEST(MetaSubscriberRenew, IsAsNewAndKeepsItsOwnersCallback) {
  MomentEnv env;
  DefectSet defects;
  MetaSubscriber subscriber{
      env, SubscriberConfig{.replicas = {kHome, kOther}, .keeps_previous = true}, defects};
  int changes = 0;
  subscriber.set_on_change([&changes](const Instrument*) { ++changes; });
  MetadataState before{.version = 5};
  before.put(Instrument{.symbol = "BTC-USDT", .tick_size = 10});
  subscriber.start();
  subscriber.on_message(kHome, MetaSnapshot{before, checksum(before)});
  ASSERT_TRUE(subscriber.absorb(kHome, MetaHeartbeat{5}, {5'000, 1}));
  ASSERT_TRUE(subscriber.synced());
  ASSERT_EQ(changes, 1);
  subscriber.renew();
  EXPECT_EQ(subscriber.state(), MetadataState{});
  EXPECT_EQ(subscriber.previous_state(), MetadataState{});
  EXPECT_FALSE(subscriber.synced());
  EXPECT_EQ(subscriber.resyncs(), 0u);
  EXPECT_EQ(subscriber.replica(), kHome);
  EXPECT_EQ(subscriber.version(), 0u);
  MetadataState after{.version = 2};
  after.put(Instrument{.symbol = "SOL-USDT", .tick_size = 1});
  subscriber.start();
  subscriber.on_message(kHome, MetaSnapshot{after, checksum(after)});
  EXPECT_EQ(subscriber.state(), after);
  EXPECT_EQ(subscriber.previous_state(), MetadataState{});
  EXPECT_EQ(changes, 2);
}

}  // namespace
}  // namespace ordeal::exchange
