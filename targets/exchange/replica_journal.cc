#include "targets/exchange/replica_journal.h"

#include <fmt/format.h>

#include "targets/exchange/wire.h"

namespace ordeal::exchange {
namespace {

constexpr char kSchemaTag = 'V';
constexpr char kSnapshotTag = 'S';
constexpr char kCommitTag = 'C';

std::string tagged(char tag, const Message& message) {
  std::string frame = wire::encode(0, message);
  frame[wire::kLengthBytes - 1] = tag;  // the last length byte becomes the tag
  return frame.substr(wire::kLengthBytes - 1);
}

std::string snapshot_record(const MetadataState& state) {
  return tagged(kSnapshotTag, MetaSnapshot{.state = state, .checksum = checksum(state)});
}

std::string schema_record(uint8_t schema) {
  return std::string{kSchemaTag, static_cast<char>(schema)};
}

}  // namespace

std::string ReplicaJournal::apply(const std::string& record, MetadataState& state,
                                  uint8_t& schema) const {
  if (record.size() == 2 && record[0] == kSchemaTag) {
    schema = static_cast<uint8_t>(record[1]);
    return schema == kSchemaV1 || schema == kSchemaV2 ? "" : "an unknown schema";
  }
  const wire::Decoded d = wire::decode(std::string_view(record).substr(1));
  if (!d.error.empty()) return d.error;
  if (const auto* snapshot = std::get_if<MetaSnapshot>(&d.message);
      snapshot && record[0] == kSnapshotTag) {
    if (checksum(snapshot->state) != snapshot->checksum) return "a snapshot whose checksum fails";
    state = snapshot->state;
    return "";
  }
  const auto* commit = std::get_if<MetaPublish>(&d.message);
  if (commit == nullptr || record[0] != kCommitTag) return "an unknown record";
  if (commit->version != state.version + 1) {
    return fmt::format("commit of version {} after version {}: a gap", commit->version,
                       state.version);
  }
  state.version = commit->version;
  state.put(commit->record);
  return "";
}

Recovery ReplicaJournal::open(const std::string& path, const JournalLimits& limits,
                              MetadataState& state, uint8_t& schema) {
  limits_ = limits;
  LogContents contents = log_.open(path, limits.log);
  Recovery recovery{.note = std::move(contents.note), .error = std::move(contents.error)};
  if (!recovery.error.empty()) return recovery;
  MetadataState restored = state;
  uint8_t restored_schema = schema;
  for (const std::string& record : contents.records) {
    ++recovery.records;
    if (std::string e = apply(record, restored, restored_schema); !e.empty()) {
      recovery.error = fmt::format("{}: record {}: {}", path, recovery.records, e);
      return recovery;
    }
  }
  state = std::move(restored);
  schema = schema_ = restored_schema;
  return recovery;
}

std::string ReplicaJournal::append(std::string record, const MetadataState& state) {
  if (log_.bytes() > limits_.compact_bytes) {
    return log_.rewrite({schema_record(schema_), snapshot_record(state)});
  }
  return log_.append(record);
}

std::string ReplicaJournal::commit(const Instrument& record, MetaVersion version,
                                   const MetadataState& state_after) {
  return append(tagged(kCommitTag, MetaPublish{.version = version,
                                               .record = record,
                                               .checksum = checksum(record, version)}),
                state_after);
}

std::string ReplicaJournal::schema(uint8_t schema, const MetadataState& state) {
  schema_ = schema;
  return append(schema_record(schema), state);
}

}  // namespace ordeal::exchange
