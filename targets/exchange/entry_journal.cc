#include "targets/exchange/entry_journal.h"

#include <fmt/format.h>

namespace ordeal::exchange {

Recovery EntryJournal::open(const std::string& path, const JournalLimits& limits,
                            const std::function<bool(std::string_view)>& replay) {
  limits_ = limits;
  LogContents contents = log_.open(path, limits.log);
  Recovery recovery{.note = std::move(contents.note), .error = std::move(contents.error)};
  if (!recovery.error.empty()) return recovery;
  for (const std::string& record : contents.records) {
    if (!replay(record)) {
      recovery.error =
          fmt::format("{}: record {} is not a {} entry", path, recovery.records + 1, kind_);
      return recovery;
    }
    ++recovery.records;
  }
  return recovery;
}

std::string EntryJournal::append(const std::string& record,
                                 const std::function<std::string()>& snapshot) {
  if (log_.bytes() > limits_.compact_bytes) return log_.rewrite({snapshot()});
  return log_.append(record);
}

bool EntryJournal::nearly_full() const {
  return log_.bytes() + limits_.compact_bytes > limits_.log.file_bytes_max;
}

Recovery open_journal(std::unique_ptr<EntryJournal>& into, std::string kind,
                      const std::string& path, const JournalLimits& limits,
                      const std::function<bool(std::string_view)>& replay) {
  auto journal = std::make_unique<EntryJournal>(std::move(kind));
  Recovery r = journal->open(path, limits, replay);
  if (r.error.empty()) into = std::move(journal);
  return r;
}

}  // namespace ordeal::exchange
