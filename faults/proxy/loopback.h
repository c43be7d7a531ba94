// Blocking loopback sockets with timeouts, for the proxy's tests and
// benchmark: an echo server (or a sink), and a client. Every call is bounded
// in time; nothing here leaves 127.0.0.1.
//
//   EchoServer upstream;                       // listens on 127.0.0.1:port
//   LoopbackClient client(upstream.port());
//   client.send("ping");
//   std::string back = client.receive(4, std::chrono::milliseconds(500));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ordeal::proxy {

using std::chrono::milliseconds;

// Echoes every byte back (or swallows them as a sink), one thread per
// connection, at most 16 connections. Records the size of each read.
class EchoServer {
 public:
  explicit EchoServer(bool sink = false);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  uint64_t bytes_received() const { return bytes_received_.load(); }
  std::vector<size_t> read_sizes() const;

 private:
  void accept_loop();
  void serve(int fd);

  bool sink_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> bytes_received_{0};
  mutable std::mutex mutex_;
  std::vector<size_t> read_sizes_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

class LoopbackClient {
 public:
  explicit LoopbackClient(uint16_t port);
  ~LoopbackClient();
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False when the connection broke or took nothing for 10 s.
  bool send(std::string_view bytes);
  // Up to `bytes` bytes, waiting at most `timeout`; fewer if time runs out
  // or the stream ends.
  std::string receive(size_t bytes, milliseconds timeout);
  // The errno that ended the last receive (ECONNRESET after a reset), or 0.
  int last_error() const { return last_error_; }
  // True when the last receive saw the end of the stream (FIN or RST).
  bool ended() const { return ended_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int last_error_ = 0;
  bool ended_ = false;
};

}  // namespace ordeal::proxy
