#include "targets/exchange/shard_journal.h"

namespace ordeal::exchange {

Recovery ShardJournal::open(const std::string& path, const JournalLimits& limits,
                            const std::function<void(const ShardEntry&)>& replay) {
  return journal_.open(path, limits, [&](std::string_view bytes) {
    ShardEntry entry;
    if (!decode_shard_entry(bytes, entry)) return false;
    replay(entry);
    return true;
  });
}

std::string ShardJournal::append(const ShardEntry& entry,
                                 const std::function<ShardEntry()>& snapshot) {
  return journal_.append(encode_shard_entry(entry), [&] { return encode_shard_entry(snapshot()); });
}

}  // namespace ordeal::exchange
