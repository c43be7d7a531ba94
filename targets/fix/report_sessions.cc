#include "targets/fix/report_sessions.h"

#include <fmt/format.h>

#include <cstdlib>

#include "targets/fix/journal_fields.h"

namespace ordeal::fix {
namespace {

// An entry: client, session (journal_fields.h).
std::string encode(exchange::ClientId client, const std::string& session) {
  return fmt::format("{}{}{}{}", client, kFieldEnd, session, kEntryEnd);
}

}  // namespace

const std::string& ReportSessions::of(exchange::ClientId client) const {
  static const std::string kFirst;
  auto it = sessions_.find(client);
  return it == sessions_.end() ? kFirst : it->second;
}

void ReportSessions::heard(exchange::ClientId client, const std::string& session) {
  std::string& known = sessions_[client];
  if (known == session) return;
  known = session;
  if (!journal_) return;
  const std::string e = journal_->append(encode(client, session), [this] { return snapshot(); });
  if (!e.empty()) {
    fmt::print(stderr, "FIX port: journal write failed, stopping: {}\n", e);
    std::_Exit(75);
  }
}

std::string ReportSessions::snapshot() const {
  std::string out;
  for (const auto& [client, session] : sessions_) out += encode(client, session);
  return out;
}

bool ReportSessions::replay(std::string_view record) {
  while (!record.empty()) {
    exchange::ClientId client = 0;
    if (!take_client(record, client)) return false;
    const std::optional<std::string_view> session = take(record, kEntryEnd);
    if (!session) return false;
    sessions_[client] = std::string(*session);
  }
  return true;
}

exchange::Recovery ReportSessions::attach_journal(const std::string& path,
                                                  const exchange::JournalLimits& limits) {
  return exchange::open_journal(journal_, "FIX report session", path, limits,
                                [this](std::string_view record) { return replay(record); });
}

}  // namespace ordeal::fix
