// The simulated transport and clock: every node of an exchange on one thread,
// in virtual time, with message delays drawn from one seed.
//
// Events (message deliveries, timers, restarts) run in order of virtual time,
// ties broken by the order they were scheduled, so a seed decides everything.
//
//   SimNetwork net(seed, {.latency_min_us = 50, .latency_max_us = 400});
//   NodeId gw = net.reserve("gateway");
//   Gateway gateway(net.env(gw), gw, ...);
//   net.attach(gw, gateway);
//   net.start();
//   net.run_until(1'000'000);
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "targets/exchange/event_queue.h"
#include "targets/exchange/transport.h"

namespace ordeal::exchange {

enum class EventKind : uint8_t;

struct SimNetworkConfig {
  int64_t latency_min_us = 50;
  int64_t latency_max_us = 400;
};

class SimNetwork {
 public:
  static constexpr size_t kNodesMax = 64;

  SimNetwork(uint64_t seed, SimNetworkConfig config);
  ~SimNetwork();
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  NodeId reserve(std::string name);
  Env& env(NodeId id);
  void attach(NodeId id, Node& node);
  void start();  // calls on_start of every attached node

  int64_t now_us() const { return now_us_; }
  // Runs events up to and including `until_us`, at most `events_max` of them.
  // Returns false when the bound stopped it first.
  bool run_until(int64_t until_us, uint64_t events_max = 50'000'000);
  uint64_t events_run() const { return events_run_; }

  void crash(NodeId id, int64_t down_us);
  bool up(NodeId id) const;
  const std::string& name(NodeId id) const;

  // Schedules a callback from outside the nodes (a test, the nemesis).
  void at(int64_t time_us, std::function<void()> action);

 private:
  class NodeEnv;
  struct Event;
  static constexpr size_t kEventsMax = 50'000'000;
  struct Slot;

  Event& push(int64_t time_us, EventKind kind, NodeId to, uint32_t lane);
  uint32_t link_lane(NodeId from, NodeId to);
  uint32_t delay_lane(int64_t delay_us);
  void deliver(Event& event);
  int64_t link_delay(NodeId from, NodeId to, int64_t extra_delay_us, bool ordered);

  uint64_t seed_;
  Rng rng_;  // forks the nodes' own streams
  SimNetworkConfig config_;
  int64_t now_us_ = 0;
  uint64_t seq_ = 0;
  uint64_t events_run_ = 0;
  // Events wait in a pool; the queue orders small keys into it by (time,
  // seq), so queue moves never touch the (large) messages. The queue's lanes
  // are the ordered links (arrivals never go down on one) and the constant
  // delays of timers and actions (now + delay never goes down).
  EventQueue queue_{kEventsMax};
  std::deque<Event> pool_;
  std::vector<uint32_t> free_slots_;
  std::vector<Slot> slots_;
  std::array<uint16_t, kNodesMax * kNodesMax> link_lanes_{};
  // A few delays own a lane each, found by a hash of the delay; a delay whose
  // place is taken by another with events pending goes to the heap alone.
  struct DelayLane {
    int64_t delay_us = -1;
    uint32_t lane = EventQueue::kNoLane;
  };
  static constexpr size_t kDelayLanes = 64;
  std::array<DelayLane, kDelayLanes> delay_lanes_{};
  std::array<int64_t, kNodesMax * kNodesMax> link_last_delivery_us_{};
};

}  // namespace ordeal::exchange
