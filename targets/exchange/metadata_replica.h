// A replica of the metadata service: versioned instrument records and the
// routing table (each record names its shard).
//
// The leader (the first replica) takes updates, gives each the next version
// and publishes it to the followers and its subscribers; followers follow the
// leader through a MetaSubscriber and republish to their own subscribers.
// Every replica sends heartbeats with its version and serves snapshots for
// resyncs. A rolling upgrade restarts replicas one at a time with schema 2;
// an upgraded leader migrates its records, as new versions, and a leader
// rolled back to schema 1 migrates them back the same way: a replica holds,
// commits and serves only records of the schema it runs. A live replica
// keeps its log and schema in a journal (replica_journal.h); in the
// simulator its memory stands for its disk.
#pragma once

#include <memory>
#include <vector>

#include "targets/exchange/meta_subscriber.h"
#include "targets/exchange/replica_journal.h"

namespace ordeal::exchange {

struct ReplicaConfig {
  std::vector<NodeId> replicas;  // replicas[0] leads
  int64_t heartbeat_us = 50'000;
  // How a follower follows the leader; moved into the replica's subscriber.
  SubscriberConfig follower;
};

class MetadataReplica final : public Node {
 public:
  MetadataReplica(Env& env, NodeId self, ReplicaConfig config, const DefectSet& defects,
                  MetadataState initial);

  // Makes this replica what MetadataReplica(env, id(), config, defects,
  // initial) is, with the config and defects it was built with, keeping
  // the memory of its containers: the simulator renews its replicas for
  // every case instead of building them anew. `env` must be the one it has.
  void renew(Env& env, const MetadataState& initial);

  void on_message(NodeId from, const Message& message) override;
  void on_timer(uint64_t timer_id) override;
  void on_start() override;
  void on_crash() override;
  // A follower's heartbeats are its follower's; the leader follows no one.
  bool absorb(NodeId from, const MetaHeartbeat& heartbeat, Moment at) override {
    return !leader() && follower_.absorb(from, heartbeat, at);
  }

  // Live nodes: keeps the log and schema in the journal at `path`, first
  // restoring them from what is there. Call before the node starts.
  Recovery attach_journal(const std::string& path, const JournalLimits& limits);

  // The schema this replica runs with after its next restart.
  void upgrade_on_restart(uint8_t schema);
  uint8_t schema() const { return schema_; }
  uint64_t follower_resyncs() const { return follower_.resyncs(); }
  bool leader() const { return self_ == config_.replicas.front(); }
  const MetadataState& state() const { return leader() ? state_ : follower_.state(); }

 private:
  void on_update(NodeId from, const MetaUpdateRequest& request);
  void on_subscribe(NodeId from);
  void on_heartbeat_tick();
  void commit(const Instrument& record);
  void publish(const Instrument& record, MetaVersion version);
  void send_publish(NodeId to, const MetaPublish& publish);
  Instrument as_served(const Instrument& record) const;
  const MetaSnapshot& snapshot_of(const MetadataState& state);

  // Whether the replica keeps this record as it is at its schema.
  Instrument held(const Instrument& record) const;
  // Whether it keeps every record as it came, of either schema.
  bool keeps_any_schema() const;

  // renew() puts every member below back as the constructor leaves it (but
  // the cache of the last snapshot served): a member added here needs a
  // line there.
  ReplicaConfig config_;
  const DefectSet& defects_;
  MetadataState state_;           // the leader's durable log, applied
  MetadataState previous_state_;  // one version back: what a stale read serves
  MetaSubscriber follower_;
  std::vector<NodeId> subscribers_;
  uint8_t schema_ = kSchemaV1;
  uint8_t next_schema_ = kSchemaV1;
  std::unique_ptr<ReplicaJournal> journal_;
  // The last snapshot served, and the schema and schema rule it was made
  // with: subscribers mostly resync from the same copy, and comparing it
  // costs less than converting and checksumming it again.
  MetaSnapshot served_;
  int served_schema_ = -1;  // none served yet
  bool served_any_schema_ = false;
};

}  // namespace ordeal::exchange
