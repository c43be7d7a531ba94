#include "targets/exchange/shard_journal.h"

#include <fmt/format.h>

namespace ordeal::exchange {

Recovery ShardJournal::open(const std::string& path, const JournalLimits& limits,
                            const std::function<void(const ShardEntry&)>& replay) {
  limits_ = limits;
  LogContents contents = log_.open(path, limits.log);
  Recovery recovery{.note = std::move(contents.note), .error = std::move(contents.error)};
  if (!recovery.error.empty()) return recovery;
  ShardEntry entry;
  for (const std::string& record : contents.records) {
    // The checksum held, so bytes that do not decode were written by another
    // version of the format: nothing to guess from.
    if (!decode_shard_entry(record, entry)) {
      recovery.error =
          fmt::format("{}: record {} is not a shard journal entry", path, recovery.records + 1);
      return recovery;
    }
    replay(entry);
    ++recovery.records;
  }
  return recovery;
}

std::string ShardJournal::append(const ShardEntry& entry,
                                 const std::function<ShardEntry()>& snapshot) {
  if (log_.bytes() > limits_.compact_bytes) {
    return log_.rewrite({encode_shard_entry(snapshot())});
  }
  return log_.append(encode_shard_entry(entry));
}

bool ShardJournal::nearly_full() const {
  return log_.bytes() + limits_.compact_bytes > limits_.log.file_bytes_max;
}

}  // namespace ordeal::exchange
