// The socket layer under ordeal's QuickFIX sessions: Boost.Asio on one
// thread of its own, in place of QuickFIX's SocketAcceptor/SocketInitiator.
// Each connection is the session's Responder: what the session sends is
// appended to the connection's buffer from any thread, and the socket's
// thread writes everything waiting in one write, so a burst of reports
// leaves in one system call instead of a select and a send each. Received
// bytes are cut into messages (fix_frame.h) and handed to Session::next on
// the socket thread, where QuickFIX calls the application.
//
// An acceptor listens on `host` only (a reference exchange started for a
// test must not be reachable from the network) and binds each connection
// to the session its Logon names; an initiator connects each session, and again every
// `reconnect_s` after it drops. Every second each connected session gets
// Session::next() for heartbeats, test requests and logon timeouts.
//
// Only fix_engine.cc includes this header (QuickFIX sessions are C++14).
//
//   FixSockets sockets({.acceptor = true, .port = 9878}, {session_44, session_42});
//   std::string error = sockets.start();
//   sockets.stop();  // every session sees a disconnect
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace FIX {
class Session;
}

namespace ordeal {
class ThreadFailure;
namespace fix {

struct FixSocketsConfig {
  bool acceptor = false;
  std::string host = "127.0.0.1";  // initiator: where to connect; acceptor: where to listen
  int port = 0;                    // acceptor: where to listen; initiator: where to connect
  int reconnect_s = 1;
  int connect_timeout_s = 5;
  int logon_wait_s = 10;  // acceptor: a connection that names no session by then is closed
  // Where an exception out of the socket thread's handlers goes (the loop
  // runs on); nullptr: nowhere, the loop still runs on.
  ThreadFailure* failure = nullptr;
};

class FixSockets {
 public:
  // A connection's unsent bytes; past this the peer is not reading and
  // the connection is dropped (the session resends after a reconnect).
  static constexpr size_t kOutBytesMax = 64 << 20;
  // Acceptor: connections at once, with or without a session.
  static constexpr size_t kConnectionsMax = 64;

  FixSockets(FixSocketsConfig config, std::vector<FIX::Session*> sessions);
  ~FixSockets();
  FixSockets(const FixSockets&) = delete;
  FixSockets& operator=(const FixSockets&) = delete;

  // Listens or starts connecting, on a new thread. Returns an error or empty.
  std::string start();
  // Closes every connection (each session sees a disconnect) and joins the
  // thread. The sessions may be destroyed afterwards.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fix
}  // namespace ordeal
