// Which FIX session the port sends each client's unsolicited reports to:
// the session of the client's last request. A fill or an unsolicited cancel
// answers no request, so the port looks the client up here. With a journal
// the directory outlives a restart of the gateway's process, so that a
// FIX.4.2 client's fills still reach its FIX.4.2 session (kept there until
// it logs on again) rather than the first session, before it sends anew.
//
//   ReportSessions sessions;
//   sessions.attach_journal(dir + "/fix-sessions.log", {});
//   sessions.heard(client, session);  // on each request; journaled on a change
//   engine.send_or_keep(sessions.of(client), report);
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "targets/exchange/entry_journal.h"
#include "targets/exchange/types.h"

namespace ordeal::fix {

class ReportSessions {
 public:
  // Restores the directory from the journal at `path` and keeps every
  // change there. Call before any request arrives.
  exchange::Recovery attach_journal(const std::string& path, const exchange::JournalLimits& limits);

  // The session of the client's last request; empty (the engine's first
  // session) for a client never heard from.
  const std::string& of(exchange::ClientId client) const;
  // The client's request came on `session`. A change is journaled before
  // it returns; a failed write stops the process, as for the order chains.
  void heard(exchange::ClientId client, const std::string& session);
  size_t size() const { return sessions_.size(); }

 private:
  std::string snapshot() const;
  bool replay(std::string_view record);

  std::unordered_map<exchange::ClientId, std::string> sessions_;
  std::unique_ptr<exchange::EntryJournal> journal_;
};

}  // namespace ordeal::fix
