// Keeps a node's copy of the metadata in step with the metadata service.
//
// Used by every node that needs metadata (gateways, engine shards, follower
// replicas). It applies published updates strictly in version order, detects
// gaps (a dropped or reordered update), corruption (checksum) and a silent
// replica (heartbeat timeout), and resyncs from a snapshot, failing over to
// the next replica when needed. While it knows its copy is stale it reports
// `synced() == false`, and its owner fails closed; the same once no replica
// has confirmed the copy for a lease (`fresh() == false`).
//
// Its checks (silent replica, unanswered subscribe) sit on a grid of
// check_interval_us from start(), but the timer is set only for the first
// grid tick at which a check can act, not for every tick: an idle node then
// costs its heartbeats and nothing else. Since the conditions only become
// due as time passes or when it subscribes, a check runs at exactly the
// ticks where checking every interval would have acted.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "targets/exchange/defects.h"
#include "targets/exchange/transport.h"

namespace ordeal::exchange {

struct SubscriberConfig {
  std::vector<NodeId> replicas;  // failover order; the first is the home replica
  int64_t heartbeat_timeout_us = 250'000;
  int64_t resync_retry_us = 60'000;
  int64_t check_interval_us = 25'000;
  // A copy is fresh while its replica was heard from within the lease: a
  // node cut off from every replica cannot know what changed, so after the
  // lease its owner fails closed (and a follower stops vouching for itself).
  int64_t lease_us = 400'000;
  // Whether the copy before the last change is kept, for previous_state():
  // a replica serves it on a stale read. No other owner looks at it, and
  // keeping it costs a copy of the whole state per update. Replicas set it.
  bool keeps_previous = false;
};

class MetaSubscriber {
 public:
  // Timer ids from kTimerBase on belong to the subscriber.
  static constexpr uint64_t kTimerBase = uint64_t{1} << 62;
  // Called after the copy changed: `record` is the updated instrument, or
  // null when a whole snapshot replaced the copy.
  using OnChange = std::function<void(const Instrument* record)>;

  MetaSubscriber(Env& env, SubscriberConfig config, const DefectSet& defects);

  // Makes this subscriber what a new one built with the same env, config
  // and defects is (its owner's on_change stays), keeping the memory of
  // its copies: the simulator renews its replicas for every case.
  void renew();
  void start();       // subscribe; on node start
  void lose_state();  // the process died: the in-memory copy is gone
  bool on_message(NodeId from, const Message& message);  // true if it was for us
  bool on_timer(uint64_t timer_id);
  // Takes a heartbeat due to arrive `at` now, for Node::absorb, when it
  // brings no news: its version is one the copy has already, and versions
  // only grow while the process lives. Such a heartbeat only says when the
  // replica was last heard from; it is applied in its turn, before anything
  // that looks at that (here, on the owner's behalf or in fresh()).
  // Inline: every heartbeat handed over comes here, and most arrive after
  // every one already held (those of one link come in order).
  bool absorb(NodeId from, const MetaHeartbeat& heartbeat, Moment at) {
    if (heartbeat.version > state_.version) return false;
    if (absorbed_end_ == kAbsorbedMax ||
        (absorbed_end_ != 0 && at < absorbed_[absorbed_end_ - 1].at)) [[unlikely]] {
      return absorb_out_of_order(from, at);
    }
    absorbed_[absorbed_end_++] = Absorbed{at, from};
    return true;
  }
  void set_on_change(OnChange on_change) { on_change_ = std::move(on_change); }

  bool synced() const { return synced_; }
  // One look at the clock, and one at the earliest heartbeat held when one is.
  bool fresh() const {
    if (!synced_) return false;
    const Moment now = env_.moment();
    return now.time_us - vouched_now_us(now) <= config_.lease_us;
  }
  const MetadataState& state() const { return state_; }
  // The copy before the last change: what a stale read of it would return.
  const MetadataState& previous_state() const {
    ORDEAL_ASSERT(config_.keeps_previous,
                  "a subscriber not keeping its previous copy asked for it");
    return previous_;
  }
  MetaVersion version() const { return state_.version; }
  NodeId replica() const { return config_.replicas[current_]; }
  uint64_t resyncs() const { return resyncs_; }

 private:
  void subscribe();
  void need_resync();
  void on_publish(const MetaPublish& publish);
  void on_snapshot(const MetaSnapshot& snapshot);
  void on_heartbeat(const MetaHeartbeat& heartbeat);
  void check();
  // absorb() when the heartbeat goes before one held, or the array's end
  // is reached: the bound is on those held, so the array is packed first.
  bool absorb_out_of_order(NodeId from, Moment at);
  // Applies the absorbed heartbeats whose arrival has come, in order.
  void catch_up() {
    if (absorbed_end_ != 0) catch_up(env_.moment());
  }
  bool arrived(Moment now) const {
    return absorbed_end_ != 0 && absorbed_[absorbed_begin_].at < now;
  }
  void catch_up(Moment now);
  // vouched_us_ as it is once the heartbeats that have arrived by `now` are
  // applied; with nothing arrived, without a loop or a call.
  int64_t vouched_now_us(Moment now) const {
    return arrived(now) ? vouched_arrived_us(now) : vouched_us_;
  }
  int64_t vouched_arrived_us(Moment now) const;
  void drop_held() {
    absorbed_begin_ = 0;
    absorbed_end_ = 0;
  }
  // Sets the timer for the first grid tick at which check() can act, unless
  // one is set for that tick or earlier.
  void arm_check();

  Env& env_;
  SubscriberConfig config_;
  const DefectSet& defects_;
  OnChange on_change_;
  MetadataState state_;
  MetadataState previous_;
  size_t current_ = 0;
  bool synced_ = false;
  bool awaiting_snapshot_ = false;
  int64_t last_heard_us_ = 0;  // for failover; reset when failing over
  int64_t vouched_us_ = 0;     // when a replica last confirmed the copy is current
  int64_t subscribed_at_us_ = 0;
  int64_t check_origin_us_ = 0;  // the grid of checks starts here
  int64_t check_at_us_ = -1;     // when the live check timer fires; -1: none
  uint64_t check_timer_id_ = kTimerBase;
  uint64_t resyncs_ = 0;
  bool gave_up_ = false;  // defect resync-gives-up: a failed resync is not retried
  // Absorbed heartbeats not yet applied, in order of arrival. Each link
  // delivers in order and a replica sends one per interval, so a handful at
  // most are on their way; past the bound they come as messages. They sit
  // in the subscriber itself, which every node has for its whole life: no
  // allocation per node or per restart. Those held are [begin, end): one
  // applied only moves the begin, and both go back to 0 once none is held,
  // so an empty array is end == 0.
  struct Absorbed {
    Moment at;
    NodeId from = 0;
  };
  static constexpr size_t kAbsorbedMax = 16;
  std::array<Absorbed, kAbsorbedMax> absorbed_{};
  size_t absorbed_begin_ = 0;
  size_t absorbed_end_ = 0;

  // Of the heartbeats held from `next` on that have arrived by `now`, the
  // last from the replica followed (null if none); `next` ends after them.
  // Inline: catch_up() and fresh() scan with it on every message and request.
  const Absorbed* last_arrived_from_replica(Moment now, size_t& next) const {
    const NodeId home = replica();
    const Absorbed* heard = nullptr;
    for (; next != absorbed_end_ && absorbed_[next].at < now; ++next) {
      if (absorbed_[next].from == home) heard = &absorbed_[next];
    }
    return heard;
  }
};

}  // namespace ordeal::exchange
