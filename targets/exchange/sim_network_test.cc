#include "targets/exchange/sim_network.h"

#include <gtest/gtest.h>

#include <numeric>

namespace ordeal::exchange {
namespace {

// Records what reaches it, with the virtual time of arrival.
class Probe final : public Node {
 public:
  using Node::Node;
  void on_message(NodeId from, const Message& message) override {
    arrivals.push_back({from, std::get<MetaHeartbeat>(message).version, env_.now_us()});
  }
  void on_timer(uint64_t timer_id) override { timers.push_back(timer_id); }
  void on_start() override { ++starts; }
  void on_crash() override { ++crashes; }
  void send(NodeId to, MetaVersion v, int64_t extra = 0) { env_.send(to, MetaHeartbeat{v}, extra); }
  void send_unordered(NodeId to, MetaVersion v, int64_t extra) {
    env_.send_unordered(to, MetaHeartbeat{v}, extra);
  }
  void timer(int64_t delay, uint64_t id) { env_.set_timer(delay, id); }

  struct Arrival {
    NodeId from;
    MetaVersion value;
    int64_t at_us;
  };
  std::vector<Arrival> arrivals;
  std::vector<uint64_t> timers;
  int starts = 0, crashes = 0;
};

struct Pair {
  explicit Pair(uint64_t seed) : net(seed, {.latency_min_us = 10, .latency_max_us = 1000}) {
    a_id = net.reserve("a");
    b_id = net.reserve("b");
    a = std::make_unique<Probe>(net.env(a_id), a_id);
    b = std::make_unique<Probe>(net.env(b_id), b_id);
    net.attach(a_id, *a);
    net.attach(b_id, *b);
    net.start();
  }
  SimNetwork net;
  NodeId a_id, b_id;
  std::unique_ptr<Probe> a, b;
};

std::vector<MetaVersion> values(const Probe& p) {
  std::vector<MetaVersion> out;
  for (const auto& arrival : p.arrivals) out.push_back(arrival.value);
  return out;
}

TEST(SimNetwork, LinksAreFifo) {
  Pair pair(3);
  for (MetaVersion v = 0; v < 200; ++v) pair.a->send(pair.b_id, v);
  pair.net.run_until(1'000'000);
  std::vector<MetaVersion> expected(200);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(values(*pair.b), expected);
}

TEST(SimNetwork, UnorderedSendsCanOvertake) {
  Pair pair(3);
  pair.a->send_unordered(pair.b_id, 1, 5000);
  pair.a->send(pair.b_id, 2);
  pair.net.run_until(1'000'000);
  EXPECT_EQ(values(*pair.b), (std::vector<MetaVersion>{2, 1}));
}

TEST(SimNetwork, SameSeedSameTimings) {
  auto timings = [](uint64_t seed) {
    Pair pair(seed);
    for (MetaVersion v = 0; v < 50; ++v) pair.a->send_unordered(pair.b_id, v, 0);
    pair.net.run_until(1'000'000);
    std::vector<int64_t> at;
    for (const auto& arrival : pair.b->arrivals) at.push_back(arrival.at_us);
    return std::make_pair(values(*pair.b), at);
  };
  EXPECT_EQ(timings(11), timings(11));
  EXPECT_NE(timings(11), timings(12));
}

TEST(SimNetwork, CrashLosesMessagesAndTimersThenRestarts) {
  Pair pair(5);
  pair.b->timer(10'000, 7);
  pair.a->send(pair.b_id, 1, 5'000);
  pair.net.run_until(1'000);
  pair.net.crash(pair.b_id, 50'000);
  EXPECT_FALSE(pair.net.up(pair.b_id));
  pair.a->send(pair.b_id, 2);  // sent while b is down: refused
  pair.net.run_until(200'000);
  EXPECT_TRUE(pair.net.up(pair.b_id));
  EXPECT_TRUE(pair.b->arrivals.empty());
  EXPECT_TRUE(pair.b->timers.empty());
  EXPECT_EQ(pair.b->crashes, 1);
  EXPECT_EQ(pair.b->starts, 2);
  pair.a->send(pair.b_id, 3);
  pair.net.run_until(400'000);
  EXPECT_EQ(values(*pair.b), (std::vector<MetaVersion>{3}));
}

TEST(SimNetwork, EventBoundStopsRun) {
  Pair pair(1);
  for (MetaVersion v = 0; v < 10; ++v) pair.a->send(pair.b_id, v);
  EXPECT_FALSE(pair.net.run_until(1'000'000, 4));
  EXPECT_EQ(pair.b->arrivals.size(), 4u);
}

}  // namespace
}  // namespace ordeal::exchange
