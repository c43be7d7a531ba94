#include "targets/exchange/sim_network.h"

#include <algorithm>
#include <functional>
#include <memory>

namespace ordeal::exchange {

enum class EventKind : uint8_t { message, timer, restart, action };

// What happens when an event comes due; its time and seq are in its key.
struct SimNetwork::Event {
  EventKind kind = EventKind::message;
  NodeId from = 0;
  NodeId to = 0;
  uint32_t epoch = 0;  // the destination's incarnation when scheduled
  uint64_t timer_id = 0;
  Message message;
  std::function<void()> action;
};

// 64 bytes (56 without the alignment): every message, heartbeat and timer
// looks up its node's slot, and an index scaled by a power of two is one
// shift where 56 took three instructions, and the bound check a division.
struct alignas(64) SimNetwork::Slot {
  std::string name;
  std::unique_ptr<NodeEnv> env;
  Node* node = nullptr;
  bool up = true;
  uint32_t epoch = 0;
};

// Per-node Env: forwards to the network with the node's identity.
class SimNetwork::NodeEnv final : public Env {
 public:
  NodeEnv(SimNetwork& net, NodeId self, Rng rng) : net_(net), self_(self), rng_(rng) {}
  int64_t now_us() const override { return net_.now_us_; }
  void set_timer(int64_t delay_us, uint64_t timer_id) override {
    ORDEAL_ASSERT(delay_us >= 0);
    Event& event = net_.push(net_.now_us_ + delay_us, EventKind::timer, self_);
    event.from = self_;
    event.epoch = net_.slots_[self_].epoch;
    event.timer_id = timer_id;
  }
  Moment moment() const override { return {net_.now_us_, net_.now_seq_}; }
  Rng& rng() override { return rng_; }
  void crash_self(int64_t down_us) override { net_.crash(self_, down_us); }

 private:
  // The message is written into its event's place in the pool, after the
  // event is queued: nothing runs in between.
  Message* outbox(NodeId to, int64_t extra_delay_us, bool ordered) override {
    if (!deliverable(to)) return nullptr;
    return &enqueue(to, net_.link_delay(self_, to, extra_delay_us, ordered));
  }

  // Each receiver takes the heartbeat now if it can; otherwise it is sent as
  // any message is. The arrival is drawn and its place in the order taken
  // either way, so that nothing else changes when a heartbeat is absorbed.
  // A dead process sends nothing, and taking a heartbeat crashes no one, so
  // the sender is looked at once.
  bool hand_over(std::span<const NodeId> to, const MetaHeartbeat& heartbeat) override {
    if (!net_.config_.absorb_heartbeats) return false;
    if (!net_.slots_[self_].up) return true;
    for (NodeId receiver : to) hand_over_one(receiver, heartbeat);
    return true;
  }

  [[gnu::always_inline]] void hand_over_one(NodeId to, const MetaHeartbeat& heartbeat) {
    ORDEAL_ASSERT(to < net_.slots_.size(), "send to unknown node {}", to);
    const Slot& receiver = net_.slots_[to];
    if (!receiver.up) return;  // nobody listens at a dead process
    const int64_t delay = net_.link_delay(self_, to, 0, true);
    if (receiver.node != nullptr &&
        receiver.node->absorb(self_, heartbeat, {net_.now_us_ + delay, net_.seq_})) {
      ++net_.seq_;
      return;
    }
    enqueue(to, delay) = heartbeat;
  }

  bool deliverable(NodeId to) const {
    ORDEAL_ASSERT(to < net_.slots_.size(), "send to unknown node {}", to);
    // A dead process sends nothing, and nobody listens at a dead one.
    return net_.slots_[self_].up && net_.slots_[to].up;
  }

  Message& enqueue(NodeId to, int64_t delay_us) {
    Event& event = net_.push(net_.now_us_ + delay_us, EventKind::message, to);
    event.from = self_;
    event.epoch = net_.slots_[to].epoch;
    return event.message;
  }

  SimNetwork& net_;
  NodeId self_;
  Rng rng_;
};

SimNetwork::SimNetwork(uint64_t seed, SimNetworkConfig config)
    : seed_(seed), rng_(seed), config_(config), latency_span_(latency_span(config)) {
  // A network lives for one short case: taking the usual room at once saves
  // growing these step by step every time.
  pool_.reserve(kPoolReserved);
  free_slots_.reserve(kPoolReserved);
  slots_.reserve(kSlotsReserved);
  links_.reserve(kSlotsReserved * kNodesMax);
}

SimNetwork::~SimNetwork() = default;

NodeId SimNetwork::reserve(std::string name) {
  ORDEAL_ASSERT(slots_.size() < kNodesMax, "more than {} nodes", kNodesMax);
  const auto id = static_cast<NodeId>(slots_.size());
  Slot& slot = slots_.emplace_back();  // made in place: no Slot moved in
  slot.name = std::move(name);
  slot.env = reuse_env(id, rng_.fork(id));
  // After reset() the rows are there already, zeroed.
  if (links_.size() < slots_.size() * kNodesMax) links_.resize(slots_.size() * kNodesMax);
  salt_links(id);
  return id;
}

void SimNetwork::salt_links(NodeId id) {
  auto salt = [this](NodeId from, NodeId to) {
    links_[from * kNodesMax + to].salt = mix64(seed_ ^ mix64(uint64_t{from} << 16 | to));
  };
  for (NodeId other = 0; other < id; ++other) {
    salt(id, other);
    salt(other, id);
  }
  salt(id, id);
}

Env& SimNetwork::env(NodeId id) { return *slots_.at(id).env; }

void SimNetwork::attach(NodeId id, Node& node) {
  ORDEAL_ASSERT(slots_.at(id).node == nullptr);
  slots_[id].node = &node;
}

void SimNetwork::start() {
  for (Slot& slot : slots_) {
    if (slot.node != nullptr) slot.node->on_start();
  }
}

// Returns the event's place in the pool for the caller to fill in. A
// reused place keeps its old message until then: assigning a message over
// one of the same kind reuses its strings' buffers.
SimNetwork::Event& SimNetwork::push(int64_t time_us, EventKind kind, NodeId to) {
  if (free_slots_.empty()) [[unlikely]]
    grow_pool();
  const uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  Event& event = *pool_[slot];
  event.kind = kind;
  event.to = to;
  queue_.push({.time_us = time_us, .seq = seq_++, .slot = slot});
  return event;
}

// Out of line: a few dozen places serve a whole run, so push() rarely
// comes here, and its own path keeps to fewer registers.
void SimNetwork::grow_pool() {
  free_slots_.push_back(static_cast<uint32_t>(pool_.size()));
  pool_.push_back(std::make_unique<Event>());
}

int64_t SimNetwork::link_delay(NodeId from, NodeId to, int64_t extra_delay_us, bool ordered) {
  // The latency depends on the link and the send time only, not on how many
  // messages went before: removing one operation while shrinking leaves the
  // timing of unrelated traffic as it was. Messages often leave together (a
  // heartbeat to every subscriber), so the mix of the time is kept. The
  // link's salt and the time are each mixed already, so one more mix of the
  // two makes the draw: a chain of three cost a third of a message's send.
  if (now_mixed_at_us_ != now_us_) {
    now_mixed_at_us_ = now_us_;
    now_mixed_ = mix64(static_cast<uint64_t>(now_us_));
  }
  Link& link = links_[from * kNodesMax + to];
  const uint64_t draw = mix64(link.salt ^ now_mixed_);
  const auto offset = static_cast<int64_t>(scaled(draw, latency_span_));
  int64_t arrival =
      now_us_ + config_.latency_min_us + offset + std::max<int64_t>(0, extra_delay_us);
  if (ordered) {
    arrival = std::max(arrival, link.last_delivery_us);
    link.last_delivery_us = arrival;
  }
  return arrival - now_us_;
}

bool SimNetwork::run_until(int64_t until_us, uint64_t events_max) {
  for (uint64_t n = 0; n < events_max; ++n) {
    EventQueue::Key key;
    if (!queue_.pop_due(until_us, key)) {
      now_us_ = std::max(now_us_, until_us);
      now_seq_ = kBetweenEvents;
      return true;
    }
    // Delivered in place: events pushed meanwhile do not move it, and its
    // place is reused only after delivery.
    now_us_ = key.time_us;
    now_seq_ = key.seq;
    ++events_run_;
    Event& event = *pool_[key.slot];
    running_ = event.kind == EventKind::action ? kNoNode : event.to;
    deliver(event);
    running_ = kNoNode;
    free_slots_.push_back(key.slot);
  }
  now_seq_ = kBetweenEvents;
  return false;
}

void SimNetwork::deliver(Event& event) {
  if (event.kind == EventKind::action) {
    // Called where it is: an event never moves and its place is reused only
    // after delivery. Dropped after, so that what it captured goes now.
    event.action();
    event.action = nullptr;
    return;
  }
  Slot& slot = slots_[event.to];
  if (event.kind == EventKind::restart) {
    if (slot.up || event.epoch != slot.epoch) return;
    slot.up = true;
    if (slot.node != nullptr) slot.node->on_start();
    return;
  }
  // Messages to a dead process, or sent to an earlier incarnation, are lost.
  if (!slot.up || event.epoch != slot.epoch || slot.node == nullptr) return;
  if (event.kind == EventKind::timer) {
    slot.node->on_timer(event.timer_id);
  } else {
    slot.node->on_message(event.from, event.message);
  }
}

void SimNetwork::crash(NodeId id, int64_t down_us) {
  Slot& slot = slots_.at(id);
  if (!slot.up) return;
  slot.up = false;
  ++slot.epoch;
  if (slot.node != nullptr) slot.node->on_crash();
  const int64_t at_us = now_us_ + std::max<int64_t>(down_us, 0);
  push(at_us, EventKind::restart, id).epoch = slot.epoch;
}

bool SimNetwork::up(NodeId id) const { return slots_.at(id).up; }
const std::string& SimNetwork::name(NodeId id) const { return slots_.at(id).name; }

void SimNetwork::at(int64_t time_us, std::function<void()> action) {
  const int64_t at_us = std::max(time_us, now_us_);
  // A place's action is empty (dropped at every delivery and reset()), so
  // a swap moves the new one in, with no temporary as a move assignment has.
  push(at_us, EventKind::action, 0).action.swap(action);
}

// What reset() keeps: nothing of a case's timing or randomness, only memory.
void SimNetwork::reset(uint64_t seed, SimNetworkConfig config) {
  latency_span_ = latency_span(config);
  // Pending actions may hold pointers into the case that is ending.
  while (!queue_.empty()) pool_[queue_.pop().slot]->action = nullptr;
  // Places are handed out from 0 up again, as a fresh pool's would be.
  free_slots_.clear();
  for (size_t slot = pool_.size(); slot > 0; --slot) {
    free_slots_.push_back(static_cast<uint32_t>(slot - 1));
  }
  // Only links between the nodes there were can have been written.
  for (size_t from = 0; from < slots_.size(); ++from) {
    std::fill_n(&links_[from * kNodesMax], slots_.size(), Link{});
  }
  // Kept in reverse, so that reserve() gives each id the env it had.
  for (auto slot = slots_.rbegin(); slot != slots_.rend(); ++slot) {
    spare_envs_.push_back(std::move(slot->env));
  }
  slots_.clear();
  seed_ = seed;
  rng_ = Rng(seed);
  config_ = config;
  now_us_ = 0;
  now_seq_ = kBetweenEvents;
  seq_ = 0;
  events_run_ = 0;
}

uint64_t SimNetwork::latency_span(const SimNetworkConfig& config) {
  ORDEAL_ASSERT(config.latency_min_us >= 0 && config.latency_min_us <= config.latency_max_us);
  return static_cast<uint64_t>(config.latency_max_us - config.latency_min_us) + 1;
}

// A node environment as new, in the memory of one from before reset().
std::unique_ptr<SimNetwork::NodeEnv> SimNetwork::reuse_env(NodeId id, Rng rng) {
  if (spare_envs_.empty()) return std::make_unique<NodeEnv>(*this, id, rng);
  NodeEnv* place = spare_envs_.back().release();
  spare_envs_.pop_back();
  std::destroy_at(place);
  return std::unique_ptr<NodeEnv>(std::construct_at(place, *this, id, rng));
}

}  // namespace ordeal::exchange
