// Compiled as C++14 with QuickFIX (see fix_engine.cc). Threading: every
// socket operation and every Session::next call happens on the one thread
// that runs `io`; the application's threads only reach a connection through
// Connection::send and Connection::disconnect (the Responder), which take
// the connection's mutex and post to `io`. Locks are taken in one order:
// a session's own lock, then a connection's.
#include "targets/fix/fix_sockets.h"

#include <quickfix/Exceptions.h>
#include <quickfix/Responder.h>
#include <quickfix/Session.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>  // before Asio (GCC 12)

#include "framework/base/thread_failure.h"
#include "targets/fix/fix_frame.h"

namespace ordeal {
namespace fix {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

namespace {
constexpr size_t kReadBytes = 64 << 10;
// Room for the longest message the framer accepts and one more read.
constexpr size_t kInBytesMax = kFixBodyBytesMax + 2 * kReadBytes;
constexpr auto kTick = std::chrono::milliseconds(250);
}  // namespace

struct FixSockets::Impl {
  struct Connection;
  // One configured session and its connection, if any.
  struct Slot {
    FIX::Session* session = nullptr;
    std::shared_ptr<Connection> current;  // connected (initiator) or bound by a Logon (acceptor)
    std::shared_ptr<Connection> dialing;  // initiator: a connect in progress
    Clock::time_point next_attempt{};
    Clock::time_point dial_deadline{};
  };

  Impl(FixSocketsConfig c, const std::vector<FIX::Session*>& sessions) : config(std::move(c)) {
    slots.resize(sessions.size());
    for (size_t i = 0; i < sessions.size(); ++i) slots[i].session = sessions[i];
  }

  std::string listen();
  void accept();
  void dial(Slot& slot);
  void on_dialed(Slot& slot, const std::shared_ptr<Connection>& c);
  void read(const std::shared_ptr<Connection>& c);
  bool deliver(const std::shared_ptr<Connection>& c);
  bool on_fix_message(const std::shared_ptr<Connection>& c, const std::string& message,
                      const FIX::UtcTimeStamp& now);
  bool bind(const std::shared_ptr<Connection>& c, const std::string& message);
  void flush(const std::shared_ptr<Connection>& c);
  void close(std::shared_ptr<Connection> c);  // by value: callers pass slot members
  void on_tick();
  void shut_down();

  FixSocketsConfig config;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer tick{io};
  asio::steady_timer accept_retry{io};
  std::vector<Slot> slots;                           // fixed after construction
  std::vector<std::shared_ptr<Connection>> unbound;  // acceptor: no Logon yet
  std::thread thread;
  bool stopping = false;
};

struct FixSockets::Impl::Connection : FIX::Responder, std::enable_shared_from_this<Connection> {
  Connection(Impl& o, tcp::socket s)
      : owner(o), socket(std::move(s)), in(new char[kInBytesMax]), opened(Clock::now()) {}

  // Called by the session, under its lock, on any thread.
  bool send(const std::string& message) override {
    std::lock_guard<std::mutex> lock(mutex);
    if (closing) return false;
    if (out.size() + message.size() > kOutBytesMax) {
      closing = true;  // the peer stopped reading
      post_close();
      return false;
    }
    out += message;
    if (!flush_posted && !write_in_flight) {
      flush_posted = true;
      auto self = shared_from_this();
      asio::post(owner.io, [self] { self->owner.flush(self); });
    }
    return true;
  }
  void disconnect() override {
    std::lock_guard<std::mutex> lock(mutex);
    detached = true;
    if (closing) return;
    closing = true;
    post_close();
  }
  void post_close() {
    auto self = shared_from_this();
    asio::post(owner.io, [self] { self->owner.close(self); });
  }
  bool is_closing() {
    std::lock_guard<std::mutex> lock(mutex);
    return closing;
  }

  Impl& owner;
  tcp::socket socket;
  std::unique_ptr<char[]> in;  // received, not yet cut into messages: in[0, in_bytes)
  size_t in_bytes = 0;
  std::string writing;  // the write in flight
  Clock::time_point opened;
  Slot* slot = nullptr;
  bool closed = false;  // the socket thread's view; the rest is under `mutex`

  std::mutex mutex;
  std::string out;  // waiting for the next write
  bool flush_posted = false;
  bool write_in_flight = false;
  bool closing = false;   // takes no more messages
  bool detached = false;  // the session has let go of this connection
};

std::string FixSockets::Impl::listen() {
  ErrorCode ec;
  const asio::ip::address address = asio::ip::make_address(config.host, ec);
  if (ec) return "FIX acceptor: '" + config.host + "' is not an IP address";
  const tcp::endpoint endpoint(address, static_cast<uint16_t>(config.port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return "FIX acceptor on " + config.host + " port " + std::to_string(config.port) + ": " +
           ec.message();
  }
  accept();
  return "";
}

void FixSockets::Impl::accept() {
  acceptor.async_accept([this](const ErrorCode& ec, tcp::socket socket) {
    if (stopping || ec == asio::error::operation_aborted) return;
    if (ec) {  // e.g. out of descriptors: try again shortly rather than spin
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](const ErrorCode& e) {
        if (!e && !stopping) accept();
      });
      return;
    }
    size_t connections = unbound.size();
    for (const Slot& slot : slots) connections += slot.current ? 1 : 0;
    if (connections < kConnectionsMax) {
      ErrorCode ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      unbound.push_back(std::make_shared<Connection>(*this, std::move(socket)));
      read(unbound.back());
    }
    accept();
  });
}

void FixSockets::Impl::dial(Slot& slot) {
  ErrorCode ec;
  tcp::resolver resolver(io);
  const tcp::resolver::results_type endpoints =
      resolver.resolve(config.host, std::to_string(config.port), ec);
  const Clock::time_point now = Clock::now();
  if (ec) {
    slot.next_attempt = now + std::chrono::seconds(config.reconnect_s);
    return;
  }
  auto c = std::make_shared<Connection>(*this, tcp::socket(io));
  slot.dialing = c;
  slot.dial_deadline = now + std::chrono::seconds(config.connect_timeout_s);
  asio::async_connect(
      c->socket, endpoints, [this, c, &slot](const ErrorCode& e, const tcp::endpoint&) {
        if (slot.dialing == c) slot.dialing.reset();
        if (e || stopping) {
          slot.next_attempt = Clock::now() + std::chrono::seconds(config.reconnect_s);
          return;
        }
        on_dialed(slot, c);
      });
}

// The session writes its Logon as soon as it has a responder and a tick.
void FixSockets::Impl::on_dialed(Slot& slot, const std::shared_ptr<Connection>& c) {
  ErrorCode ignored;
  c->socket.set_option(tcp::no_delay(true), ignored);
  c->slot = &slot;
  slot.current = c;
  slot.session->setResponder(c.get());
  read(c);
  try {
    slot.session->next(FIX::UtcTimeStamp());
  } catch (const std::exception&) {
    close(c);
  }
}

void FixSockets::Impl::read(const std::shared_ptr<Connection>& c) {
  const size_t room = std::min(kReadBytes, kInBytesMax - c->in_bytes);
  if (room == 0) return close(c);  // cannot happen: the framer caps a message's length
  c->socket.async_read_some(asio::buffer(c->in.get() + c->in_bytes, room),
                            [this, c](const ErrorCode& ec, size_t bytes) {
                              if (ec || c->closed) return close(c);
                              c->in_bytes += bytes;
                              if (!deliver(c)) return close(c);
                              read(c);
                            });
}

// Hands every complete message received to the session, in order; drops
// bytes that cannot start a message (the session then sees a gap).
bool FixSockets::Impl::deliver(const std::shared_ptr<Connection>& c) {
  const FIX::UtcTimeStamp now;  // one clock reading for what one read brought
  size_t at = 0;
  bool ok = true;
  while (ok && at < c->in_bytes) {  // every turn consumes at least a byte or stops
    const FixFrame frame = find_fix_frame(c->in.get() + at, c->in_bytes - at);
    if (frame.status == FixFrame::incomplete) break;
    if (frame.status == FixFrame::complete) {
      const std::string message(c->in.get() + at, frame.length);
      ok = on_fix_message(c, message, now) && !c->is_closing();
    }
    at += frame.length;
  }
  std::memmove(c->in.get(), c->in.get() + at, c->in_bytes - at);
  c->in_bytes -= at;
  return ok;
}

bool FixSockets::Impl::on_fix_message(const std::shared_ptr<Connection>& c,
                                      const std::string& message, const FIX::UtcTimeStamp& now) {
  try {
    if (c->slot == nullptr && !bind(c, message)) return false;
    c->slot->session->next(message, now);
  } catch (const FIX::InvalidMessage&) {
    // A garbled message: QuickFIX has rejected or ignored it; keep a live
    // session, drop a connection that never logged on.
    return c->slot != nullptr && c->slot->session->isLoggedOn();
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

// Acceptor: the first message names the session (normally its Logon); one
// connection per session at a time.
bool FixSockets::Impl::bind(const std::shared_ptr<Connection>& c, const std::string& message) {
  if (!config.acceptor) return false;
  FIX::Session* session = FIX::Session::lookupSession(message, true);
  auto slot = std::find_if(slots.begin(), slots.end(),
                           [session](const Slot& s) { return s.session == session; });
  if (session == nullptr || slot == slots.end()) return false;
  if (FIX::Session::registerSession(session->getSessionID()) == nullptr) return false;
  session->setResponder(c.get());
  c->slot = &*slot;
  slot->current = c;
  unbound.erase(std::remove(unbound.begin(), unbound.end(), c), unbound.end());
  return true;
}

// Writes everything the session has queued, in one write.
void FixSockets::Impl::flush(const std::shared_ptr<Connection>& c) {
  {
    std::lock_guard<std::mutex> lock(c->mutex);
    c->flush_posted = false;
    if (c->write_in_flight || c->out.empty() || c->closed) return;
    c->writing.swap(c->out);
    c->write_in_flight = true;
  }
  asio::async_write(c->socket, asio::buffer(c->writing), [this, c](const ErrorCode& ec, size_t) {
    c->writing.clear();
    {
      std::lock_guard<std::mutex> lock(c->mutex);
      c->write_in_flight = false;
    }
    if (ec) return close(c);
    flush(c);
  });
}

void FixSockets::Impl::close(std::shared_ptr<Connection> c) {
  if (c->closed) return;
  c->closed = true;
  bool detached = false;
  std::string unsent;
  {
    std::lock_guard<std::mutex> lock(c->mutex);
    c->closing = true;
    detached = c->detached;
    c->detached = true;
    if (!c->write_in_flight) unsent.swap(c->out);
  }
  ErrorCode ignored;
  // Best effort for what the session queued last (a Logout before it let go).
  if (!unsent.empty()) {
    c->socket.non_blocking(true, ignored);
    c->socket.write_some(asio::buffer(unsent), ignored);
  }
  c->socket.shutdown(tcp::socket::shutdown_both, ignored);
  c->socket.close(ignored);
  unbound.erase(std::remove(unbound.begin(), unbound.end(), c), unbound.end());
  Slot* slot = c->slot;
  if (slot == nullptr) return;
  try {
    if (!detached) slot->session->disconnect();  // the session logs out and stops sending here
  } catch (const std::exception&) {
  }
  if (slot->current == c) slot->current.reset();
  if (config.acceptor) FIX::Session::unregisterSession(slot->session->getSessionID());
  slot->next_attempt = Clock::now() + std::chrono::seconds(config.reconnect_s);
}

void FixSockets::Impl::on_tick() {
  if (stopping) return;
  const Clock::time_point now = Clock::now();
  for (Slot& slot : slots) {
    if (slot.current) {
      try {
        slot.session->next(FIX::UtcTimeStamp());  // heartbeats, test requests, timeouts
      } catch (const std::exception&) {
        close(slot.current);
      }
    } else if (config.acceptor) {
      continue;
    } else if (slot.dialing && now > slot.dial_deadline) {
      ErrorCode ignored;
      slot.dialing->socket.close(ignored);  // its handler schedules the next attempt
    } else if (!slot.dialing && now >= slot.next_attempt && slot.session->isEnabled()) {
      dial(slot);
    }
  }
  const auto logon_wait = std::chrono::seconds(config.logon_wait_s);
  std::vector<std::shared_ptr<Connection>> silent;
  for (const auto& c : unbound) {
    if (now - c->opened > logon_wait) silent.push_back(c);
  }
  for (const auto& c : silent) close(c);
  tick.expires_after(kTick);
  tick.async_wait([this](const ErrorCode& ec) {
    if (!ec) on_tick();
  });
}

void FixSockets::Impl::shut_down() {
  stopping = true;
  ErrorCode ignored;
  acceptor.close(ignored);
  tick.cancel();
  accept_retry.cancel();
  std::vector<std::shared_ptr<Connection>> open = unbound;
  for (Slot& slot : slots) {
    if (slot.current) open.push_back(slot.current);
    if (slot.dialing) slot.dialing->socket.close(ignored);
  }
  for (const auto& c : open) close(c);
  io.stop();  // what is still queued is dropped with the io_context
}

FixSockets::FixSockets(FixSocketsConfig config, std::vector<FIX::Session*> sessions)
    : impl_(new Impl(std::move(config), sessions)) {}

FixSockets::~FixSockets() { stop(); }

std::string FixSockets::start() {
  Impl& impl = *impl_;
  if (impl.thread.joinable()) return "";
  if (impl.config.acceptor) {
    std::string error = impl.listen();
    if (!error.empty()) return error;
  }
  asio::post(impl.io, [&impl] { impl.on_tick(); });
  impl.thread = std::thread([&impl] {
    run_guarded_loop([&impl] { impl.io.run(); },
                     [&impl](const std::string& what) {
                       if (impl.config.failure != nullptr)
                         impl.config.failure->note("the FIX socket thread " + what);
                     });
  });
  return "";
}

void FixSockets::stop() {
  Impl& impl = *impl_;
  if (!impl.thread.joinable()) return;
  asio::post(impl.io, [&impl] { impl.shut_down(); });
  impl.thread.join();
}

}  // namespace fix
}  // namespace ordeal
