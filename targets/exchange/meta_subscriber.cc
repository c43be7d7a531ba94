#include "targets/exchange/meta_subscriber.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <utility>

#include "targets/exchange/fault_points.h"

namespace ordeal::exchange {

MetaSubscriber::MetaSubscriber(Env& env, SubscriberConfig config, const DefectSet& defects)
    : env_(env), config_(std::move(config)), defects_(defects) {
  ORDEAL_ASSERT(!config_.replicas.empty());
}

// Built anew, so that every member is as a new subscriber has it, members
// added later too; only the copies' memory and what it was built with are
// carried over.
void MetaSubscriber::renew() {
  Env& env = env_;
  const DefectSet& defects = defects_;
  SubscriberConfig config = std::move(config_);
  OnChange on_change = std::move(on_change_);
  MetadataState state = std::move(state_);
  MetadataState previous = std::move(previous_);
  std::destroy_at(this);
  std::construct_at(this, env, std::move(config), defects);
  on_change_ = std::move(on_change);
  state.clear();
  previous.clear();
  state_ = std::move(state);
  previous_ = std::move(previous);
}

void MetaSubscriber::start() {
  drop_held();  // heartbeats to the process before: lost with it
  gave_up_ = false;
  last_heard_us_ = env_.now_us();
  check_origin_us_ = env_.now_us();
  check_at_us_ = -1;  // timers died with the process, if it ran before
  subscribe();
}

void MetaSubscriber::lose_state() {
  drop_held();
  state_.clear();  // in place: the next snapshot is copied into the same memory
  previous_.clear();
  synced_ = false;
  awaiting_snapshot_ = false;
}

void MetaSubscriber::subscribe() {
  awaiting_snapshot_ = true;
  subscribed_at_us_ = env_.now_us();
  env_.send(replica(), MetaSubscribe{});
  arm_check();
}

// Our copy is known to be stale: stop serving from it until a snapshot comes.
void MetaSubscriber::need_resync() {
  synced_ = false;
  ++resyncs_;
  subscribe();
}

bool MetaSubscriber::on_message(NodeId from, const Message& message) {
  catch_up();
  // Heartbeats first: they are most of what a subscriber receives.
  if (const auto* heartbeat = std::get_if<MetaHeartbeat>(&message)) {
    if (from == replica()) on_heartbeat(*heartbeat);
    return true;
  }
  if (const auto* publish = std::get_if<MetaPublish>(&message)) {
    if (from == replica()) on_publish(*publish);
    return true;
  }
  if (const auto* snapshot = std::get_if<MetaSnapshot>(&message)) {
    if (from == replica() && awaiting_snapshot_) on_snapshot(*snapshot);
    return true;
  }
  return false;
}

void MetaSubscriber::on_publish(const MetaPublish& publish) {
  last_heard_us_ = env_.now_us();
  if (awaiting_snapshot_ && !synced_) return;  // the snapshot will include it
  const bool intact = checksum(publish.record, publish.version) == publish.checksum;
  if (!intact && !defects_.has(Defect::unverified_metadata)) {
    if (defects_.has(Defect::stale_tick_after_corrupt)) {
      state_.version = std::max(state_.version, publish.version);  // the defect: claims it
      return;
    }
    need_resync();
    return;
  }
  if (publish.version <= state_.version) {
    if (publish.version == state_.version || !defects_.has(Defect::reorder_applies_older)) return;
    // the defect: a late, older record overwrites the newer one; the version
    // number stays, so nothing ever notices
  } else if (publish.version != state_.version + 1) {
    need_resync();  // a gap: an update was dropped or overtaken
    return;
  }
  if (config_.keeps_previous) previous_ = state_;  // only when the copy really changes
  state_.version = std::max(state_.version, publish.version);
  state_.put(publish.record);
  if (on_change_) on_change_(&publish.record);
}

void MetaSubscriber::on_snapshot(const MetaSnapshot& snapshot) {
  last_heard_us_ = env_.now_us();
  if (points::meta_subscriber_resync_fail.check()) {
    gave_up_ = defects_.has(Defect::resync_gives_up);  // the defect: never retried
    return;                                            // retried by check()
  }
  if (checksum(snapshot.state) != snapshot.checksum) return;
  if (snapshot.state.version < state_.version) return;  // a stale read: retried
  awaiting_snapshot_ = false;
  // The copy becomes the previous one by a swap, and the snapshot is copied
  // into the buffer that held the previous: one copy instead of two.
  if (config_.keeps_previous) std::swap(previous_, state_);
  state_ = snapshot.state;
  synced_ = true;
  vouched_us_ = env_.now_us();
  if (on_change_) on_change_(nullptr);
}

void MetaSubscriber::on_heartbeat(const MetaHeartbeat& heartbeat) {
  const int64_t now_us = env_.now_us();
  last_heard_us_ = now_us;
  // Links are FIFO, so an update sent before this heartbeat has arrived: a
  // newer version here means an update was lost or overtaken.
  if (heartbeat.version > state_.version) {
    if (!awaiting_snapshot_) need_resync();
    return;
  }
  vouched_us_ = now_us;
}

bool MetaSubscriber::on_timer(uint64_t timer_id) {
  if (timer_id < kTimerBase) return false;
  catch_up();
  if (timer_id != check_timer_id_) return true;  // superseded by an earlier one
  check_at_us_ = -1;
  check();
  arm_check();
  return true;
}

// Heartbeats from different replicas may arrive in another order than sent.
bool MetaSubscriber::absorb_out_of_order(NodeId from, Moment at) {
  if (absorbed_end_ - absorbed_begin_ >= kAbsorbedMax) return false;
  if (absorbed_begin_ != 0) {
    std::move(absorbed_.begin() + absorbed_begin_, absorbed_.begin() + absorbed_end_,
              absorbed_.begin());
    absorbed_end_ -= absorbed_begin_;
    absorbed_begin_ = 0;
  }
  const auto begin = absorbed_.begin();
  const auto end = begin + absorbed_end_;
  auto place = end;
  while (place != begin && at < std::prev(place)->at) --place;
  std::move_backward(place, end, end + 1);
  *place = Absorbed{at, from};
  ++absorbed_end_;
  return true;
}

// What on_heartbeat does with a heartbeat that brings no news: of those
// arrived, the last from the replica followed counts. The replica is the
// one at their arrival: a failover changes it only in on_timer, which
// catches up first.
void MetaSubscriber::catch_up(Moment now) {
  size_t next = absorbed_begin_;
  const Absorbed* heard = last_arrived_from_replica(now, next);
  if (heard != nullptr) {
    last_heard_us_ = heard->at.time_us;
    vouched_us_ = heard->at.time_us;
  }
  absorbed_begin_ = next;
  if (next == absorbed_end_) drop_held();
}

int64_t MetaSubscriber::vouched_arrived_us(Moment now) const {
  size_t next = absorbed_begin_;
  const Absorbed* heard = last_arrived_from_replica(now, next);
  return heard != nullptr ? heard->at.time_us : vouched_us_;
}

void MetaSubscriber::arm_check() {
  // check() acts once now - last_heard_us_ > heartbeat_timeout_us, or while
  // awaiting a snapshot once now - subscribed_at_us_ > resync_retry_us.
  int64_t due_us = last_heard_us_ + config_.heartbeat_timeout_us + 1;
  if (awaiting_snapshot_) {
    due_us = std::min(due_us, subscribed_at_us_ + config_.resync_retry_us + 1);
  }
  const int64_t now_us = env_.now_us();
  due_us = std::max(due_us, now_us + 1);
  const int64_t interval_us = config_.check_interval_us;
  const int64_t ticks = (due_us - check_origin_us_ + interval_us - 1) / interval_us;
  const int64_t tick_us = check_origin_us_ + ticks * interval_us;
  if (check_at_us_ >= 0 && check_at_us_ <= tick_us) return;
  check_at_us_ = tick_us;
  env_.set_timer(tick_us - now_us, ++check_timer_id_);
}

void MetaSubscriber::check() {
  const int64_t now = env_.now_us();
  if (now - last_heard_us_ > config_.heartbeat_timeout_us) {
    // The replica is silent: fail over to the next one. Our copy stays
    // consistent (if older), so we keep serving it while we resubscribe.
    current_ = (current_ + 1) % config_.replicas.size();
    last_heard_us_ = now;
    subscribe();
    return;
  }
  if (awaiting_snapshot_ && now - subscribed_at_us_ > config_.resync_retry_us && !gave_up_) {
    subscribe();
  }
}

}  // namespace ordeal::exchange
