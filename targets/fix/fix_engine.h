// ordeal's handle on the QuickFIX engine: a FIX acceptor (the reference
// gateway's FIX port) or initiator (ordeal as a FIX client), with sessions
// built in code, the most recent messages kept in memory, no data
// dictionary and no log files, over ordeal's own sockets (fix_sockets.h).
// The engine runs a thread of its own; the handlers are called on it.
//
// QuickFIX's headers are C++14 only, so they stay inside fix_engine.cc and
// this header is valid C++14 and C++20.
//
//   FixEngine engine(config, {.on_message = ..., .on_session = ...});
//   std::string error = engine.start();
//   int seq = engine.send("", message);  // > 0: sent with that MsgSeqNum
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "targets/fix/fix_message.h"

namespace ordeal {
namespace fix {

struct FixSessionSpec {
  std::string begin_string = "FIX.4.4";
  std::string sender;  // our SenderCompID
  std::string target;  // the counterparty's
};

struct FixEngineConfig {
  bool acceptor = false;
  std::string host = "127.0.0.1";  // initiator: where to connect; acceptor: where to listen
  int port = 0;
  std::vector<FixSessionSpec> sessions;
  std::string username;  // initiator: Logon Username (553), if any
  std::string password;  // initiator: Logon Password (554), if any; never logged
  int heartbeat_s = 30;
  int reconnect_s = 1;
  bool reset_on_logon = false;  // both sides start from sequence number 1 at every logon
  // Initiator: the session's sequence numbers and sent messages outlive this
  // engine (for the rest of the process), so that the next engine with the
  // same session continues where this one stopped.
  bool keep_store = false;
  // Sent messages kept per session for resends; a ResendRequest for older
  // ones is answered with a gap fill (fix_store.h).
  size_t resend_messages_max = 100000;
  // Non-empty: the sessions' sequence numbers and the last
  // resend_messages_max messages sent live in files in this folder
  // (fix_durable_store.h), so that a process killed and started again
  // continues its sessions (the gateway's state dir).
  std::string store_dir;
};

// Called on QuickFIX's thread; an exception out of a handler is the
// engine's failure (FixEngine::failure). `session` names the session (several on an
// acceptor). on_message gets application messages and session-level Rejects
// (MsgType "3"); it returns false for a message type the application does not
// support, which QuickFIX answers with a BusinessMessageReject.
struct FixHandlers {
  std::function<bool(const std::string& session, const FixMessage& message)> on_message;
  std::function<void(const std::string& session, bool logged_on)> on_session;
};

// Session-level traffic so far, for reports: how the session recovered.
struct FixSessionCounters {
  int resend_requests_sent = 0;      // a gap in the counterparty's sequence numbers
  int resend_requests_received = 0;  // the counterparty saw a gap in ours
  int sequence_resets_received = 0;  // SequenceReset (gap fill or reset)
};

class FixEngine {
 public:
  FixEngine(FixEngineConfig config, FixHandlers handlers);
  ~FixEngine();
  FixEngine(const FixEngine&) = delete;
  FixEngine& operator=(const FixEngine&) = delete;

  // Starts QuickFIX's thread. Returns an error message or empty.
  std::string start();
  void stop();

  // Sends on `session` (empty: the first). Returns the MsgSeqNum it went out
  // with; 0 when the session is not logged on (nothing was sent); -1 when
  // the engine stored it but could not write it (it may be resent after a
  // reconnect).
  int send(const std::string& session, const FixMessage& message);
  // The same, but a session that is logged out keeps the message: it takes
  // the next MsgSeqNum and goes out again when the counterparty logs on and
  // asks for the gap (ResendRequest), as a gateway does with reports for a
  // client that is away. Returns that MsgSeqNum; -1 when nothing was kept.
  int send_or_keep(const std::string& session, const FixMessage& message);
  bool logged_on(const std::string& session) const;
  // Drops the connection of `session` (tests: a disconnect mid-run).
  void disconnect(const std::string& session);
  FixSessionCounters session_counters() const;
  // The first exception out of a handler or out of the engine's thread,
  // in words naming where ("the FIX session FIX.4.4:CL->GW's handler of a
  // message of type 8 threw: ..."); empty while there was none. The engine
  // runs on after one (the message counts as handled), but its owner must
  // not trust what it reported since: a run stops on it.
  std::string failure() const;
  bool failed() const;
  // The key of each configured session, as the handlers name them.
  std::vector<std::string> sessions() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fix
}  // namespace ordeal
