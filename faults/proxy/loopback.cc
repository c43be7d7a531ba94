// Blocking loopback sockets for tests and benchmarks: see loopback.h.
#include "faults/proxy/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "framework/base/assert.h"

namespace ordeal::proxy {
namespace {

constexpr int kPollMs = 20;
// A send that makes no progress this long gives up (a stuck peer).
constexpr timeval kSendTimeout{.tv_sec = 10, .tv_usec = 0};
constexpr size_t kConnectionsMax = 16;

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

sockaddr* as_sockaddr(sockaddr_in& address) { return reinterpret_cast<sockaddr*>(&address); }

void set_no_delay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Waits up to kPollMs for `fd` to become readable.
bool readable(int fd, int timeout_ms = kPollMs) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  return poll(&p, 1, timeout_ms) > 0;
}

}  // namespace

EchoServer::EchoServer(bool sink) : sink_(sink) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  ORDEAL_ASSERT(listen_fd_ >= 0);
  sockaddr_in address = loopback(0);
  ORDEAL_ASSERT(bind(listen_fd_, as_sockaddr(address), sizeof address) == 0);
  ORDEAL_ASSERT(listen(listen_fd_, 64) == 0);
  socklen_t length = sizeof address;
  getsockname(listen_fd_, as_sockaddr(address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

EchoServer::~EchoServer() {
  stop_ = true;
  acceptor_.join();
  for (std::thread& thread : threads_) thread.join();
  close(listen_fd_);
}

std::vector<size_t> EchoServer::read_sizes() const {
  std::lock_guard lock(mutex_);
  return read_sizes_;
}

void EchoServer::accept_loop() {
  while (!stop_) {
    if (!readable(listen_fd_)) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    if (threads_.size() >= kConnectionsMax) {
      close(fd);
      continue;
    }
    set_no_delay(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void EchoServer::serve(int fd) {
  std::vector<char> buffer(256 * 1024);
  while (!stop_) {
    if (!readable(fd)) continue;
    const ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
    if (got <= 0) break;
    bytes_received_ += static_cast<uint64_t>(got);
    if (!sink_) {
      std::lock_guard lock(mutex_);
      if (read_sizes_.size() < 100'000) read_sizes_.push_back(static_cast<size_t>(got));
    }
    if (sink_) continue;
    ssize_t sent = 0;
    while (sent < got && !stop_) {
      const ssize_t n =
          send(fd, buffer.data() + sent, static_cast<size_t>(got - sent), MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += n;
    }
  }
  close(fd);
}

LoopbackClient::LoopbackClient(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(port);
  if (connect(fd_, as_sockaddr(address), sizeof address) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  set_no_delay(fd_);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &kSendTimeout, sizeof kSendTimeout);
}

LoopbackClient::~LoopbackClient() {
  if (fd_ >= 0) close(fd_);
}

bool LoopbackClient::send(std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string LoopbackClient::receive(size_t bytes, milliseconds timeout) {
  std::string out;
  last_error_ = 0;
  ended_ = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // No bigger than asked for: a round trip of 64 bytes should not pay for
  // clearing 64 KiB (the benchmark's latency figures go through here).
  std::vector<char> buffer(std::min<size_t>(bytes, 64 * 1024));
  while (out.size() < bytes && std::chrono::steady_clock::now() < deadline) {
    if (!readable(fd_, 5)) continue;
    const ssize_t got = recv(fd_, buffer.data(), std::min(buffer.size(), bytes - out.size()), 0);
    if (got <= 0) {
      last_error_ = got < 0 ? errno : 0;
      ended_ = true;
      break;
    }
    out.append(buffer.data(), static_cast<size_t>(got));
  }
  return out;
}

}  // namespace ordeal::proxy
