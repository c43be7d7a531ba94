// A journal of encoded entries over a RecordLog: what the engine shards' and
// the gateway's journals share. It replays each record through a decoder
// that says whether the bytes were a whole entry, appends one record per
// change, and replaces the file by one snapshot once it has grown past
// compact_bytes.
//
//   EntryJournal journal("gateway journal");
//   Recovery r = journal.open(path, limits, [&](std::string_view bytes) { return decode(bytes); });
//   journal.append(encode(entry), [&] { return encode(snapshot()); });
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "targets/exchange/record_log.h"

namespace ordeal::exchange {

struct JournalLimits {
  RecordLogLimits log;
  uint64_t compact_bytes = 1ull << 20;  // past this the journal becomes one snapshot
};

struct Recovery {
  std::string note;   // what was recovered deliberately (a torn tail cut off)
  std::string error;  // the state on disk cannot be trusted: do not start
  size_t records = 0;
};

class EntryJournal {
 public:
  // `kind` names the entries in errors ("record 3 is not a <kind> entry").
  explicit EntryJournal(std::string kind) : kind_(std::move(kind)) {}

  // Reads the journal, handing each record to `replay`, which returns false
  // when the bytes are not a whole entry: the checksum held, so they were
  // written by another version of the format, and nothing can be guessed.
  Recovery open(const std::string& path, const JournalLimits& limits,
                const std::function<bool(std::string_view)>& replay);
  // Writes one record durably; past compact_bytes, `snapshot()` replaces the
  // whole journal. An error message or empty.
  std::string append(const std::string& record, const std::function<std::string()>& snapshot);
  // True when a snapshot would no longer leave room to grow: the owner then
  // refuses new work instead of failing to keep it.
  bool nearly_full() const;

 private:
  std::string kind_;
  RecordLog log_;
  JournalLimits limits_;
};

// Opens a journal of `kind` entries at `path`, replaying it, and hands it to
// `into` only if it could be trusted: what a component's attach_journal
// does before it writes anything.
Recovery open_journal(std::unique_ptr<EntryJournal>& into, std::string kind,
                      const std::string& path, const JournalLimits& limits,
                      const std::function<bool(std::string_view)>& replay);

}  // namespace ordeal::exchange
