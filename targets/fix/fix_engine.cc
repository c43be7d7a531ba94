// The QuickFIX side of FixEngine. Compiled as C++14: QuickFIX 1.15's headers
// carry dynamic exception specifications, which later standards reject, and
// the overrides below must repeat them.
#include "targets/fix/fix_engine.h"

#include <quickfix/Application.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionFactory.h>
#include <quickfix/SessionSettings.h>

#include <atomic>

#include "framework/base/thread_failure.h"
#include "targets/fix/fix_durable_store.h"
#include "targets/fix/fix_sockets.h"
#include "targets/fix/fix_store.h"

namespace ordeal {
namespace fix {
namespace {

FixMessage to_plain(const FIX::Message& message) {
  FixMessage plain;
  plain.type = message.getHeader().getField(FIX::FIELD::MsgType);
  plain.fields.reserve(20);
  for (FIX::FieldMap::const_iterator it = message.begin(); it != message.end(); ++it) {
    plain.set(it->getTag(), it->getString());
  }
  return plain;
}

FIX::Message to_quickfix(const FixMessage& plain) {
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, plain.type);
  for (const auto& field : plain.fields) message.setField(field.first, field.second);
  return message;
}

const char* yes_no(bool value) { return value ? "Y" : "N"; }

}  // namespace

struct FixEngine::Impl : public FIX::Application {
  FixEngineConfig config;
  FixHandlers handlers;
  std::unique_ptr<FIX::SessionSettings> settings;
  std::unique_ptr<FIX::MessageStoreFactory> stores;
  std::unique_ptr<FIX::SessionFactory> factory;
  std::vector<FIX::SessionID> ids;
  std::vector<FIX::Session*> live;  // one per id, while started
  // Whether each session is logged on, as onLogon/onLogout said: other
  // threads read this, not the session's own flags, which QuickFIX's thread
  // writes without a lock.
  std::unique_ptr<std::atomic<bool>[]> up;
  std::unique_ptr<FixSockets> sockets;
  bool started = false;
  std::atomic<int> resend_requests_sent{0};
  std::atomic<int> resend_requests_received{0};
  std::atomic<int> sequence_resets_received{0};
  // The first exception out of a handler or the socket thread's loop.
  ThreadFailure failure;

  // The index of the session `key` names (empty: the first), or -1.
  int index(const std::string& key) const {
    for (size_t i = 0; i < live.size(); ++i) {
      if (key.empty() || ids[i].toString() == key) return static_cast<int>(i);
    }
    return -1;
  }
  int index(const FIX::SessionID& id) const {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == id) return static_cast<int>(i);
    }
    return -1;
  }
  FIX::Session* session(const std::string& key) const {
    const int i = index(key);
    return i < 0 ? nullptr : live[static_cast<size_t>(i)];
  }
  void note_logon(const FIX::SessionID& id, bool logged_on) {
    const int i = index(id);
    if (i >= 0) up[static_cast<size_t>(i)] = logged_on;
    if (!handlers.on_session) return;
    try {
      handlers.on_session(id.toString(), logged_on);
    } catch (...) {
      failure.note("the FIX session " + id.toString() + "'s handler of a logon or logout " +
                   what_was_thrown());
    }
  }
  // Hands a received message to the application. An exception out of the
  // handler is the engine's failure, not QuickFIX's business: QuickFIX would
  // take it for a protocol error (or let it out of Session::next, which
  // drops the connection, and the message comes again after the reconnect
  // to throw again). The message counts as handled; the failure stops a run.
  bool hand_over(const FIX::Message& message, const FIX::SessionID& id) {
    if (!handlers.on_message) return false;
    std::string type;
    try {
      const FixMessage plain = to_plain(message);  // copies: memory may run out here too
      type = plain.type;
      return handlers.on_message(id.toString(), plain);
    } catch (...) {
      failure.note("the FIX session " + id.toString() + "'s handler of a message of type " +
                   (type.empty() ? "unknown" : type) + " " + what_was_thrown());
      return true;
    }
  }
  void build_settings();
  void create_sessions();
  void destroy_sessions();

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override { note_logon(id, true); }
  void onLogout(const FIX::SessionID& id) override { note_logon(id, false); }
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override {
    const std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "2") ++resend_requests_sent;
    if (type != "A") return;
    if (!config.username.empty()) message.setField(553, config.username);
    if (!config.password.empty()) message.setField(554, config.password);
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& message,
                 const FIX::SessionID& id) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                 FIX::IncorrectTagValue,
                                                 FIX::RejectLogon) override {
    const std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "2") ++resend_requests_received;
    if (type == "4") ++sequence_resets_received;
    if (type == "3") hand_over(message, id);
  }
  void fromApp(const FIX::Message& message,
               const FIX::SessionID& id) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                               FIX::IncorrectTagValue,
                                               FIX::UnsupportedMessageType) override {
    if (!hand_over(message, id)) throw FIX::UnsupportedMessageType();
  }
};

void FixEngine::Impl::build_settings() {
  FIX::Dictionary defaults;
  defaults.setString(FIX::CONNECTION_TYPE, config.acceptor ? "acceptor" : "initiator");
  defaults.setString(FIX::START_TIME, "00:00:00");
  defaults.setString(FIX::END_TIME, "00:00:00");
  defaults.setString(FIX::USE_DATA_DICTIONARY, "N");
  defaults.setString(FIX::CHECK_LATENCY, "N");
  defaults.setString(FIX::PERSIST_MESSAGES, "Y");
  defaults.setString(FIX::RESET_ON_LOGON, yes_no(config.reset_on_logon));
  defaults.setString(FIX::RESET_ON_LOGOUT, "N");
  defaults.setString(FIX::RESET_ON_DISCONNECT, "N");
  defaults.setInt(FIX::HEARTBTINT, config.heartbeat_s);
  defaults.setInt(FIX::RECONNECT_INTERVAL, config.reconnect_s);
  settings.reset(new FIX::SessionSettings());
  settings->set(defaults);
  for (const FixSessionSpec& spec : config.sessions) {
    const FIX::SessionID id(spec.begin_string, spec.sender, spec.target);
    settings->set(id, FIX::Dictionary());
    ids.push_back(id);
  }
}

FixEngine::FixEngine(FixEngineConfig config, FixHandlers handlers) : impl_(new Impl()) {
  impl_->config = std::move(config);
  impl_->handlers = std::move(handlers);
}

FixEngine::~FixEngine() { stop(); }

// QuickFIX's sessions over ordeal's socket layer (fix_sockets.h) rather
// than QuickFIX's own SocketAcceptor/SocketInitiator, which write each
// message with a select and a send of its own.
void FixEngine::Impl::create_sessions() {
  // With a store folder (the gateway's state dir), sequence numbers and
  // the last messages sent survive a kill -9, so clients can log on again
  // after it.
  if (!config.store_dir.empty()) {
    stores.reset(new DurableStoreFactory(config.store_dir, config.resend_messages_max));
  } else {
    stores.reset(
        new RecentStoreFactory(config.resend_messages_max, config.keep_store && !config.acceptor));
  }
  factory.reset(new FIX::SessionFactory(*this, *stores, nullptr));
  up.reset(new std::atomic<bool>[ids.size()]);
  for (size_t i = 0; i < ids.size(); ++i) up[i] = false;
  for (const FIX::SessionID& id : ids) live.push_back(factory->create(id, settings->get(id)));
  FixSocketsConfig sockets_config;
  sockets_config.acceptor = config.acceptor;
  sockets_config.host = config.host;
  sockets_config.port = config.port;
  sockets_config.reconnect_s = config.reconnect_s;
  sockets_config.failure = &failure;
  sockets.reset(new FixSockets(sockets_config, live));
}

void FixEngine::Impl::destroy_sessions() {
  if (sockets) sockets->stop();  // no session is used past this
  sockets.reset();
  for (FIX::Session* s : live) factory->destroy(s);
  live.clear();
  factory.reset();
  stores.reset();
}

std::string FixEngine::start() {
  Impl& impl = *impl_;
  if (impl.started) return "";
  if (impl.config.sessions.empty()) return "no FIX session configured";
  std::string error;
  try {
    impl.ids.clear();
    impl.build_settings();
    impl.create_sessions();
    error = impl.sockets->start();
  } catch (const std::exception& e) {
    error = std::string("FIX engine: ") + e.what();
  }
  if (!error.empty()) {
    impl.destroy_sessions();
    return error;
  }
  impl.started = true;
  return "";
}

// Forced: no logout handshake to wait for; the counterparty sees a disconnect.
void FixEngine::stop() {
  Impl& impl = *impl_;
  if (!impl.started) return;
  impl.started = false;
  impl.destroy_sessions();
}

namespace {

// Sends through the session, which stores every message it numbers, logged
// on or not; the MsgSeqNum it took, 0 when it took none.
int send_through(FIX::Session& session, const FixMessage& message, bool& written) {
  FIX::Message out = to_quickfix(message);
  written = session.send(out);
  FIX::MsgSeqNum seq;
  out.getHeader().getFieldIfSet(seq);
  return seq.getValue();
}

}  // namespace

std::string FixEngine::failure() const { return impl_->failure.what(); }
bool FixEngine::failed() const { return impl_->failure.failed(); }

int FixEngine::send(const std::string& session, const FixMessage& message) {
  if (!logged_on(session)) return 0;
  FIX::Session* s = impl_->session(session);
  bool written = false;
  const int seq = send_through(*s, message, written);
  return written && seq > 0 ? seq : -1;
}

int FixEngine::send_or_keep(const std::string& session, const FixMessage& message) {
  FIX::Session* s = impl_->started ? impl_->session(session) : nullptr;
  if (s == nullptr) return -1;
  bool written = false;
  const int seq = send_through(*s, message, written);
  return seq > 0 ? seq : -1;
}

bool FixEngine::logged_on(const std::string& session) const {
  const int i = impl_->started ? impl_->index(session) : -1;
  return i >= 0 && impl_->up[static_cast<size_t>(i)];
}

void FixEngine::disconnect(const std::string& session) {
  FIX::Session* s = impl_->started ? impl_->session(session) : nullptr;
  if (s != nullptr) s->disconnect();
}

FixSessionCounters FixEngine::session_counters() const {
  FixSessionCounters c;
  c.resend_requests_sent = impl_->resend_requests_sent.load();
  c.resend_requests_received = impl_->resend_requests_received.load();
  c.sequence_resets_received = impl_->sequence_resets_received.load();
  return c;
}

std::vector<std::string> FixEngine::sessions() const {
  std::vector<std::string> keys;
  for (const FixSessionSpec& spec : impl_->config.sessions) {
    keys.push_back(FIX::SessionID(spec.begin_string, spec.sender, spec.target).toString());
  }
  return keys;
}

}  // namespace fix
}  // namespace ordeal
