#include "targets/exchange/metadata_replica.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "targets/exchange/fault_points.h"

namespace ordeal::exchange {
namespace {
constexpr uint64_t kHeartbeatTimer = 1;
constexpr size_t kSubscribersReserved = 8;

// Damages one field of an update in flight, keeping its checksum, the way a
// bad write or a mistaken configuration push would.
void corrupt(MetaPublish& publish, const faults::Hit& hit) {
  Instrument& r = publish.record;
  switch (static_cast<points::CorruptField>(hit.param)) {  // drawn by the point when armed with 0
    case points::CorruptField::tick_size:
      r.tick_size = r.tick_size * 10 + 1;
      break;
    case points::CorruptField::lot_size:
      r.lot_size = r.lot_size * 7 + 3;
      break;
    case points::CorruptField::shard:
      r.shard = static_cast<ShardId>(r.shard + 1);
      break;
    case points::CorruptField::status:
      r.status = r.status == TradingStatus::open ? TradingStatus::halted : TradingStatus::open;
      break;
    case points::CorruptField::version:
      publish.version += 1000;
      break;
    case points::CorruptField::price_band:
      r.min_price = r.max_price / 2;
      break;
  }
}

// A follower serves its copy before the last change on a stale read. The
// subscriber keeps the config.
SubscriberConfig keeping_previous(SubscriberConfig config) {
  config.keeps_previous = true;
  return config;
}
}  // namespace

MetadataReplica::MetadataReplica(Env& env, NodeId self, ReplicaConfig config,
                                 const DefectSet& defects, MetadataState initial)
    : Node(env, self),
      config_(std::move(config)),
      defects_(defects),
      state_(std::move(initial)),
      previous_state_(state_),
      follower_(env, keeping_previous(std::move(config_.follower)), defects) {
  ORDEAL_ASSERT(!config_.replicas.empty());
  // Its followers, the shards and the gateway at most, in a layout's usual
  // size: one allocation instead of one per doubling as they subscribe.
  subscribers_.reserve(kSubscribersReserved);
  follower_.set_on_change([this](const Instrument* record) {
    if (record != nullptr) publish(*record, follower_.version());
  });
}

// Member by member, in the order they are declared, each as the
// constructor leaves it; assignments and clear() keep the memory.
void MetadataReplica::renew(Env& env, const MetadataState& initial) {
  ORDEAL_ASSERT(&env == &env_, "replica {} renewed with another env", self_);
  state_ = initial;
  previous_state_ = state_;
  follower_.renew();
  subscribers_.clear();
  schema_ = kSchemaV1;
  next_schema_ = kSchemaV1;
  journal_.reset();
  // served_ and what it was made with stay: a cache of snapshot_of(), whose
  // inputs it compares before serving it, so it serves what a new replica
  // would make. A case often serves first what the case before served
  // last (235 of 1,117 conversions on the fixed workload).
}

Recovery MetadataReplica::attach_journal(const std::string& path, const JournalLimits& limits) {
  auto journal = std::make_unique<ReplicaJournal>();
  uint8_t schema = next_schema_;
  Recovery r = journal->open(path, limits, state_, schema);
  if (!r.error.empty()) return r;
  previous_state_ = state_;
  next_schema_ = schema;
  journal_ = std::move(journal);
  return r;
}

void MetadataReplica::upgrade_on_restart(uint8_t schema) {
  next_schema_ = schema;
  if (!journal_) return;
  if (std::string e = journal_->schema(schema, state_); !e.empty()) {
    fmt::print(stderr, "metadata replica: journal write failed, stopping: {}\n", e);
    std::_Exit(75);
  }
}

void MetadataReplica::on_start() {
  schema_ = next_schema_;
  env_.set_timer(config_.heartbeat_us, kHeartbeatTimer);
  if (!leader()) {
    follower_.start();
    return;
  }
  // An upgraded (or rolled-back) leader migrates every record of the other
  // schema: each migration is an update. A commit replaces the record in
  // its place (same symbol), so walking the list by index sees each record
  // once, as it was before its migration.
  for (size_t i = 0; i < state_.instruments.size(); ++i) {
    if (const Instrument kept = held(state_.instruments[i]); kept != state_.instruments[i]) {
      commit(kept);
    }
  }
}

// One copy, converted in place.
Instrument MetadataReplica::held(const Instrument& record) const {
  Instrument kept = record;
  if (!keeps_any_schema()) to_schema(kept, schema_);
  return kept;
}

bool MetadataReplica::keeps_any_schema() const {
  // the defect: the old version keeps what the upgrade migrated
  return schema_ == kSchemaV1 && defects_.has(Defect::rollback_keeps_migrated);
}

void MetadataReplica::on_crash() {
  subscribers_.clear();                   // connections die with the process
  if (!leader()) follower_.lose_state();  // followers keep nothing; the leader has its log
}

void MetadataReplica::on_message(NodeId from, const Message& message) {
  if (const auto* update = std::get_if<MetaUpdateRequest>(&message)) {
    on_update(from, *update);
  } else if (std::holds_alternative<MetaSubscribe>(message)) {
    on_subscribe(from);
  } else if (!leader()) {
    follower_.on_message(from, message);
  }
}

void MetadataReplica::on_timer(uint64_t timer_id) {
  if (timer_id == kHeartbeatTimer) {
    on_heartbeat_tick();
    return;
  }
  if (!leader()) follower_.on_timer(timer_id);
}

void MetadataReplica::on_update(NodeId from, const MetaUpdateRequest& request) {
  MetaUpdateResult result{.request_id = request.request_id};
  if (!leader()) {
    result.reason = "not the leader";
  } else if (!well_formed(request.record)) {
    result.reason = "malformed instrument record";
  } else {
    result.record = held(request.record);
    commit(result.record);
    result.ok = true;
  }
  result.version = state().version;
  result.schema = schema_;
  env_.send(from, std::move(result));
}

// A replica that cannot keep its log must not acknowledge: it stops, as a
// database stops on a failed fsync, and the restart recovers what was kept.
void MetadataReplica::commit(const Instrument& record) {
  if (journal_) {
    MetadataState after = state_;
    after.version += 1;
    after.put(record);
    if (std::string e = journal_->commit(record, after.version, after); !e.empty()) {
      fmt::print(stderr, "metadata replica: journal write failed, stopping: {}\n", e);
      std::_Exit(75);
    }
  }
  previous_state_ = state_;
  state_.version += 1;
  state_.put(record);
  publish(record, state_.version);
}

void MetadataReplica::on_subscribe(NodeId from) {
  if (std::find(subscribers_.begin(), subscribers_.end(), from) == subscribers_.end()) {
    subscribers_.push_back(from);
  }
  const bool stale = points::meta_replica_stale_read.check(from).fired;
  if (!leader() && !follower_.fresh()) return;  // nothing it can vouch for yet
  const MetadataState& previous = leader() ? previous_state_ : follower_.previous_state();
  env_.send(from, snapshot_of(stale ? previous : state()));
}

void MetadataReplica::on_heartbeat_tick() {
  if (const auto hit = points::meta_replica_restart.check()) {
    env_.crash_self(hit.param * 1000);  // the point's default when armed with 0
    return;
  }
  // A follower cut off from the leader stops vouching for its copy: its
  // subscribers then fail over to a replica that can. A follower often has
  // no subscribers (they follow the leader until a failover): then there is
  // nothing to send, and no need to ask whether it could.
  if (!subscribers_.empty() && (leader() || follower_.fresh())) {
    const MetaVersion version = state().version;
    env_.send_heartbeats(subscribers_, MetaHeartbeat{version});
  }
  env_.set_timer(config_.heartbeat_us, kHeartbeatTimer);
}

// A follower without subscribers (the usual case) makes nothing to send.
void MetadataReplica::publish(const Instrument& record, MetaVersion version) {
  if (subscribers_.empty()) return;
  const Instrument served = as_served(record);
  const MetaPublish publish{
      .version = version, .record = served, .checksum = checksum(served, version)};
  for (NodeId subscriber : subscribers_) send_publish(subscriber, publish);
}

// Every metadata update to every subscriber passes these fault points.
void MetadataReplica::send_publish(NodeId to, const MetaPublish& publish) {
  if (points::meta_update_drop.check(to)) return;
  MetaPublish copy = publish;
  if (const auto hit = points::meta_update_corrupt.check(to)) corrupt(copy, hit);
  if (const auto hit = points::meta_update_reorder.check(to)) {
    env_.send_unordered(to, std::move(copy), hit.param * 1000);
    return;
  }
  int64_t delay_us = 0;
  if (const auto hit = points::meta_update_delay.check(to)) delay_us = hit.param * 1000;
  env_.send(to, std::move(copy), delay_us);
}

// A replica serves records of its own schema, whatever it received.
Instrument MetadataReplica::as_served(const Instrument& record) const { return held(record); }

// Each record is converted where it lies in the copy. The conversion changes
// nothing in a record already converted, so a state equal to the last
// snapshot's would give that snapshot again: it is served as it is.
const MetaSnapshot& MetadataReplica::snapshot_of(const MetadataState& state) {
  const bool any_schema = keeps_any_schema();
  if (served_schema_ == schema_ && served_any_schema_ == any_schema && served_.state == state) {
    return served_;
  }
  served_schema_ = schema_;
  served_any_schema_ = any_schema;
  served_.state = state;
  if (!any_schema) {
    for (Instrument& record : served_.state.instruments) to_schema(record, schema_);
  }
  served_.checksum = checksum(served_.state);
  return served_;
}

}  // namespace ordeal::exchange
