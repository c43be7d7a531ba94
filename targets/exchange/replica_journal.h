// A metadata replica's durable state: the leader's committed log (every
// version it gave out) and, on every replica, the schema it runs with, so
// that a replica killed with SIGKILL starts again where it was, with the
// version of the software it had been upgraded (or rolled back) to.
//
//   ReplicaJournal journal;
//   Recovery r = journal.open(dir + "/meta.log", limits, state, schema);
//   journal.commit(record, version, state_after);   // before the update is answered
//   journal.schema(2, state);                       // before the restart that takes it
//
// Records: 'V' + the schema byte; 'S' + a wire-encoded MetaSnapshot (the
// whole state, what a compaction leaves); 'C' + a wire-encoded MetaPublish
// (one commit). Commits must follow each other's versions without a gap:
// a gap means a lost record, which open() refuses to paper over. Only live
// nodes have a journal: in the simulator a crash keeps the node's memory.
#pragma once

#include <cstdint>
#include <string>

#include "targets/exchange/instrument.h"
#include "targets/exchange/shard_journal.h"

namespace ordeal::exchange {

class ReplicaJournal {
 public:
  // Reads the journal into `state` (left as given when the journal holds no
  // state) and `schema`.
  Recovery open(const std::string& path, const JournalLimits& limits, MetadataState& state,
                uint8_t& schema);
  // One commit, durably; `state_after` (the state with it) replaces the log
  // when it has grown past compact_bytes. An error message or empty.
  std::string commit(const Instrument& record, MetaVersion version,
                     const MetadataState& state_after);
  std::string schema(uint8_t schema, const MetadataState& state);

 private:
  std::string append(std::string record, const MetadataState& state);
  std::string apply(const std::string& record, MetadataState& state, uint8_t& schema) const;

  RecordLog log_;
  JournalLimits limits_;
  uint8_t schema_ = kSchemaV1;
};

}  // namespace ordeal::exchange
