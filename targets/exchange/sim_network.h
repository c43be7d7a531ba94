// The simulated transport and clock: every node of an exchange on one thread,
// in virtual time, with message delays drawn from one seed.
//
// Events (message deliveries, timers, restarts) run in order of virtual time,
// ties broken by the order they were scheduled, so a seed decides everything.
// A heartbeat its receiver absorbs when it is sent (Node::absorb) costs no
// event but keeps its place in that order: most of the metadata service's
// idle traffic.
//
//   SimNetwork net(seed, {.latency_min_us = 50, .latency_max_us = 400});
//   NodeId gw = net.reserve("gateway");
//   Gateway gateway(net.env(gw), gw, ...);
//   net.attach(gw, gateway);
//   net.start();
//   net.run_until(1'000'000);
#pragma once

#include <cstdint>
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
  // Offer heartbeats to their receivers when they are sent (Node::absorb),
  // so that those taken cost no event; the order of everything is the same
  // either way. Off: every heartbeat is an event, as before (to compare).
  bool absorb_heartbeats = true;
};

class SimNetwork {
 public:
  static constexpr size_t kNodesMax = 64;

  SimNetwork(uint64_t seed, SimNetworkConfig config);
  ~SimNetwork();
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  // Back to the state of SimNetwork(seed, config), no node reserved, but
  // keeping the memory of the event pool, the queue and the node
  // environments, so that a run of many cases builds them once
  // (the end of sim_network.cc). Pending events are dropped unrun. Each id
  // reserved again gets the Env object it had (new in all but its address),
  // so that a node renewed in place keeps a valid one.
  void reset(uint64_t seed, SimNetworkConfig config);

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
  // The node whose event runs now; kNoNode between events and in actions.
  static constexpr NodeId kNoNode = UINT16_MAX;
  NodeId running() const { return running_; }
  const std::string& name(NodeId id) const;

  // Schedules a callback from outside the nodes (a test, the nemesis).
  void at(int64_t time_us, std::function<void()> action);

 private:
  class NodeEnv;
  struct Event;
  static constexpr size_t kEventsMax = 50'000'000;
  static constexpr size_t kPoolReserved = 64;
  static constexpr size_t kSlotsReserved = 16;
  struct Slot;

  // Inline in its callers (a timer set, a message sent, a heartbeat not
  // absorbed, a restart, an action): it runs for every event, and the call
  // cost a tenth of its work.
  [[gnu::always_inline]] inline Event& push(int64_t time_us, EventKind kind, NodeId to);
  [[gnu::noinline]] void grow_pool();
  // Inline in run_until(), its one caller: it runs once per event.
  [[gnu::always_inline]] inline void deliver(Event& event);
  // Inline in its two callers (a send and a heartbeat handed over): it runs
  // for every message, and the call cost a tenth of its work.
  [[gnu::always_inline]] inline int64_t link_delay(NodeId from, NodeId to, int64_t extra_delay_us,
                                                   bool ordered);
  std::unique_ptr<NodeEnv> reuse_env(NodeId id, Rng rng);
  // How many latencies there are to draw from; checks the config.
  static uint64_t latency_span(const SimNetworkConfig& config);
  // Gives the links between `id` and the nodes reserved before it (both
  // ways, and its link to itself) their salts.
  void salt_links(NodeId id);

  uint64_t seed_;
  Rng rng_;  // forks the nodes' own streams
  SimNetworkConfig config_;
  uint64_t latency_span_;  // latency_max_us - latency_min_us + 1
  // mix64(now_us_), kept for the messages sent at the same time.
  int64_t now_mixed_at_us_ = -1;
  uint64_t now_mixed_ = 0;
  int64_t now_us_ = 0;
  // The seq of the event running; outside events, after every one due by
  // now (Env::moment).
  static constexpr uint64_t kBetweenEvents = UINT64_MAX;
  uint64_t now_seq_ = kBetweenEvents;
  uint64_t seq_ = 0;
  uint64_t events_run_ = 0;
  NodeId running_ = kNoNode;
  // Events wait in a pool, each in a place of its own that never moves (an
  // event is delivered in place while others are pushed); the queue orders
  // small keys into it by (time, seq), so queue moves never touch the
  // (large) messages. Only a few dozen are pending at once, so the pool stays
  // small and its places are reused.
  EventQueue queue_{kEventsMax};
  std::vector<std::unique_ptr<Event>> pool_;
  std::vector<uint32_t> free_slots_;
  std::vector<Slot> slots_;
  // Per link: when its last ordered message arrives, and the salt its
  // latencies are drawn with (mixed from the seed and the two ends once per
  // case, so that a draw is one mix). A row of kNodesMax per node reserved
  // (row: the sender), added as nodes are reserved (rows from before a
  // reset() stay, zeroed, and are salted again by reserve()).
  struct Link {
    int64_t last_delivery_us = 0;
    uint64_t salt = 0;
  };
  std::vector<Link> links_;
  // Environments of the nodes before the last reset(), for reserve() to
  // reuse; every member above is restored by reset().
  std::vector<std::unique_ptr<NodeEnv>> spare_envs_;
};

}  // namespace ordeal::exchange
