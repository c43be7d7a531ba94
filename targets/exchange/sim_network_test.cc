#include "targets/exchange/sim_network.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>

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

// Writes what reaches it into one log shared by all nodes and actions.
class Recorder final : public Node {
 public:
  Recorder(Env& env, NodeId self, std::vector<std::string>& log) : Node(env, self), log_(log) {}
  void on_message(NodeId, const Message& message) override {
    log_.push_back(fmt::format("msg{}", std::get<MetaHeartbeat>(message).version));
  }
  void on_timer(uint64_t timer_id) override { log_.push_back(fmt::format("timer{}", timer_id)); }
  Env& env() { return env_; }

 private:
  std::vector<std::string>& log_;
};

// Messages on a link, timers of one delay, actions and unordered messages
// wait in different places; at equal times they still run in the order they
// were scheduled.
TEST(SimNetwork, EqualTimesRunInOrderOfScheduling) {
  SimNetwork net(9, {.latency_min_us = 100, .latency_max_us = 100});
  std::vector<std::string> log;
  const NodeId a_id = net.reserve("a"), b_id = net.reserve("b");
  Recorder a(net.env(a_id), a_id, log), b(net.env(b_id), b_id, log);
  net.attach(a_id, a);
  net.attach(b_id, b);
  net.start();
  std::vector<std::string> expected;
  for (int round = 0; round < 3; ++round) {
    const int64_t at_us = net.now_us() + 100;
    b.env().set_timer(100, round);
    a.env().send(b_id, MetaHeartbeat{static_cast<MetaVersion>(round)});
    net.at(at_us, [&log, round] { log.push_back(fmt::format("action{}", round)); });
    a.env().send_unordered(b_id, MetaHeartbeat{static_cast<MetaVersion>(10 + round)}, 0);
    b.env().set_timer(100, 10 + round);
    for (auto name : {"timer{}", "msg{}", "action{}", "msg1{}", "timer1{}"}) {
      expected.push_back(fmt::format(fmt::runtime(name), round));
    }
    net.run_until(at_us - 1);
    EXPECT_EQ(log.size(), expected.size() - 5);
    net.run_until(at_us);
    EXPECT_EQ(log, expected);
  }
}

// A crash makes the events already queued for the node (many on one link and
// of one timer delay) come to nothing, and what follows the restart arrives.
TEST(SimNetwork, CrashVoidsQueuedLaneEvents) {
  Pair pair(8);
  for (MetaVersion v = 0; v < 100; ++v) pair.a->send(pair.b_id, v, 5'000);
  for (uint64_t id = 0; id < 20; ++id) pair.b->timer(2'000, id);
  pair.net.run_until(1'000);
  pair.net.crash(pair.b_id, 10'000);
  pair.net.run_until(50'000);
  EXPECT_TRUE(pair.net.up(pair.b_id));
  EXPECT_TRUE(pair.b->arrivals.empty());
  EXPECT_TRUE(pair.b->timers.empty());
  for (MetaVersion v = 100; v < 110; ++v) pair.a->send(pair.b_id, v);
  pair.b->timer(2'000, 99);
  pair.net.run_until(100'000);
  std::vector<MetaVersion> expected(10);
  std::iota(expected.begin(), expected.end(), 100);
  EXPECT_EQ(values(*pair.b), expected);
  EXPECT_EQ(pair.b->timers, (std::vector<uint64_t>{99}));
}

// A node reserved after traffic began (as a test probe is) still gets FIFO
// links, both ways. The sends are spread over time, so that without the
// link's order a later message with a shorter delay would overtake.
TEST(SimNetwork, NodeReservedLaterHasFifoLinks) {
  Pair pair(4);
  for (MetaVersion v = 0; v < 20; ++v) pair.a->send(pair.b_id, v);
  pair.net.run_until(500);
  const NodeId c_id = pair.net.reserve("c");
  Probe c(pair.net.env(c_id), c_id);
  pair.net.attach(c_id, c);
  for (MetaVersion v = 20; v < 120; ++v) {
    pair.a->send(c_id, v);
    c.send(pair.b_id, v);
    pair.net.run_until(pair.net.now_us() + 7);
  }
  pair.net.run_until(1'000'000);
  std::vector<MetaVersion> from_a, from_c, expected_a(20), expected_c(100);
  for (const auto& arrival : pair.b->arrivals) {
    (arrival.from == c_id ? from_c : from_a).push_back(arrival.value);
  }
  std::iota(expected_a.begin(), expected_a.end(), 0);
  std::iota(expected_c.begin(), expected_c.end(), 20);
  EXPECT_EQ(from_a, expected_a);
  EXPECT_EQ(from_c, expected_c);
  EXPECT_EQ(values(c), expected_c);
}

// Logs each heartbeat and timer with the moment it is handled; when asked,
// absorbs the heartbeats of even version, logging the moment of arrival
// the network gives them.
class Absorber final : public Node {
 public:
  struct Handled {
    uint64_t what;
    Moment at;
    bool operator==(const Handled&) const = default;
  };
  Absorber(Env& env, NodeId self, bool absorbs) : Node(env, self), absorbs_(absorbs) {}
  void on_message(NodeId, const Message& message) override {
    handled.push_back({std::get<MetaHeartbeat>(message).version, env_.moment()});
  }
  void on_timer(uint64_t timer_id) override {
    handled.push_back({1'000 + timer_id, env_.moment()});
  }
  bool absorb(NodeId, const MetaHeartbeat& heartbeat, Moment at) override {
    if (!absorbs_ || heartbeat.version % 2 != 0) return false;
    handled.push_back({heartbeat.version, at});
    return true;
  }
  Env& env() { return env_; }
  std::vector<Handled> handled;

 private:
  bool absorbs_;
};

// An absorbed heartbeat takes the place in the order of events that it
// would have had as a message, and leaves every other event's place as it
// was: its arrival is drawn and its turn reserved all the same.
TEST(SimNetwork, AnAbsorbedHeartbeatKeepsItsPlaceAndEveryOther) {
  auto run = [](bool absorbs) {
    SimNetwork net(11, {.latency_min_us = 10, .latency_max_us = 60});
    const NodeId a_id = net.reserve("a"), b_id = net.reserve("b");
    Probe a(net.env(a_id), a_id);
    Absorber b(net.env(b_id), b_id, absorbs);
    net.attach(a_id, a);
    net.attach(b_id, b);
    net.start();
    for (MetaVersion v = 0; v < 200; ++v) {
      // A delayed message holds back the heartbeats behind it on the link.
      a.send(b_id, v, v % 50 == 1 ? 500 : 0);
      b.env().set_timer(static_cast<int64_t>(v % 7) * 10, v);
      net.run_until(net.now_us() + static_cast<int64_t>(v % 4) * 20);
    }
    net.run_until(1'000'000);
    std::sort(b.handled.begin(), b.handled.end(),
              [](const auto& x, const auto& y) { return x.at < y.at; });
    return std::pair(b.handled, net.events_run());
  };
  const auto [delivered, events_delivered] = run(false);
  const auto [absorbed, events_absorbed] = run(true);
  ASSERT_EQ(delivered.size(), 400u);
  EXPECT_EQ(absorbed, delivered);
  EXPECT_EQ(events_delivered - events_absorbed, 100u) << "the even heartbeats cost no event";
}

// A replica's tick sends its heartbeat to every subscriber in one call:
// each arrives, is absorbed or lost exactly as when sent one by one as
// messages (the network not absorbing any), and every other event keeps
// its place.
TEST(SimNetwork, HeartbeatsToSeveralGoAsToEachInTurn) {
  auto run = [](bool together, bool absorb_heartbeats) {
    SimNetwork net(
        5, {.latency_min_us = 10, .latency_max_us = 60, .absorb_heartbeats = absorb_heartbeats});
    const NodeId a_id = net.reserve("a");
    Probe a(net.env(a_id), a_id);
    net.attach(a_id, a);
    std::vector<std::unique_ptr<Absorber>> receivers;
    std::vector<NodeId> to;
    for (bool absorbs : {true, false, true}) {
      const NodeId id = net.reserve(fmt::format("r{}", to.size()));
      receivers.push_back(std::make_unique<Absorber>(net.env(id), id, absorbs));
      net.attach(id, *receivers.back());
      to.push_back(id);
    }
    net.start();
    for (MetaVersion v = 0; v < 100; ++v) {
      if (v == 30) net.crash(to[2], 200);  // nobody listens at a dead one
      if (v == 60) net.crash(a_id, 100);   // a dead one sends nothing
      if (together) {
        net.env(a_id).send_heartbeats(to, MetaHeartbeat{v});
      } else {
        for (NodeId receiver : to) net.env(a_id).send(receiver, MetaHeartbeat{v});
      }
      receivers[0]->env().set_timer(static_cast<int64_t>(v % 5) * 10, v);
      net.run_until(net.now_us() + static_cast<int64_t>(v % 3) * 20);
    }
    net.run_until(1'000'000);
    std::vector<std::vector<Absorber::Handled>> handled;
    for (const auto& receiver : receivers) {
      handled.push_back(receiver->handled);
      std::sort(handled.back().begin(), handled.back().end(),
                [](const auto& x, const auto& y) { return x.at < y.at; });
    }
    return handled;
  };
  const auto as_messages = run(false, false);
  EXPECT_EQ(run(true, true), as_messages);
  EXPECT_EQ(run(true, false), as_messages);
  EXPECT_EQ(run(false, true), as_messages);
  EXPECT_LT(as_messages[1].size(), 100u) << "some were sent while the sender was down";
  EXPECT_LT(as_messages[2].size(), as_messages[1].size()) << "some came while it was down";
}

TEST(SimNetwork, EventBoundStopsRun) {
  Pair pair(1);
  for (MetaVersion v = 0; v < 10; ++v) pair.a->send(pair.b_id, v);
  EXPECT_FALSE(pair.net.run_until(1'000'000, 4));
  EXPECT_EQ(pair.b->arrivals.size(), 4u);
}

// A network reset to other latencies draws them as a new one would: the
// span of the draw goes with the configuration.
TEST(SimNetwork, ResetTakesTheNewLatencies) {
  const SimNetworkConfig narrow{.latency_min_us = 5, .latency_max_us = 20};
  auto arrivals = [](SimNetwork& net) {
    const NodeId a_id = net.reserve("a");
    const NodeId b_id = net.reserve("b");
    Probe a(net.env(a_id), a_id);
    Probe b(net.env(b_id), b_id);
    net.attach(a_id, a);
    net.attach(b_id, b);
    net.start();
    // Sent at different times, so each draws its own latency.
    for (MetaVersion v = 0; v < 30; ++v) {
      a.send_unordered(b_id, v, 0);
      net.run_until(static_cast<int64_t>(v + 1) * 2'000);
    }
    std::vector<int64_t> at;
    for (const auto& arrival : b.arrivals) at.push_back(arrival.at_us);
    return at;
  };
  SimNetwork fresh(7, narrow);
  const std::vector<int64_t> expected = arrivals(fresh);
  SimNetwork reused(7, {.latency_min_us = 10, .latency_max_us = 1000});
  ASSERT_NE(arrivals(reused), expected);
  reused.reset(7, narrow);
  EXPECT_EQ(arrivals(reused), expected);
}

// A node renewed in place across a reset keeps its Env reference, so each
// id reserved again gets the Env it had, and a node's sends still come
// from its own id.
TEST(SimNetwork, ResetGivesEachIdTheEnvItHad) {
  SimNetwork net(7, {});
  std::vector<const Env*> before;
  for (const char* name : {"a", "b", "c"}) before.push_back(&net.env(net.reserve(name)));
  net.reset(8, {});
  std::vector<const Env*> after;
  for (const char* name : {"a", "b", "c"}) after.push_back(&net.env(net.reserve(name)));
  EXPECT_EQ(after, before);
  Probe a(net.env(0), 0), c(net.env(2), 2);
  net.attach(0, a);
  net.attach(2, c);
  net.start();
  a.send(2, 1);
  net.run_until(10'000);
  ASSERT_EQ(c.arrivals.size(), 1u);
  EXPECT_EQ(c.arrivals[0].from, 0);
}

}  // namespace
}  // namespace ordeal::exchange
