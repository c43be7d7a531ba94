#include "targets/exchange/control_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace ordeal::exchange {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// Waits until fd is ready for `events`; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd p{.fd = fd, .events = events};
  for (;;) {
    const int n = poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

ControlReply failure(const LiveAddress& address, std::string_view what) {
  return {.ok = false, .text = fmt::format("{}:{}: {}", address.host, address.port, what)};
}

}  // namespace

ControlReply control_call(const LiveAddress& address, std::string_view line, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  sockaddr_in sa{.sin_family = AF_INET, .sin_port = htons(address.port)};
  if (inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr) != 1) {
    return failure(address, "not an IPv4 address");
  }
  Fd s{socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) return failure(address, std::strerror(errno));
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 && errno != EINPROGRESS) {
    return failure(address, std::strerror(errno));
  }
  int error = 0;
  socklen_t len = sizeof error;
  if (!wait_for(s.fd, POLLOUT, deadline)) return failure(address, "connect timed out");
  getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) return failure(address, std::strerror(error));
  const std::string out = std::string(line) + "\n";
  for (size_t sent = 0; sent < out.size();) {
    if (!wait_for(s.fd, POLLOUT, deadline)) return failure(address, "send timed out");
    const ssize_t n = send(s.fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) return failure(address, std::strerror(errno));
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::string in;
  while (in.find('\n') == std::string::npos) {
    if (in.size() > LiveNetwork::kControlLineMax) return failure(address, "answer too long");
    if (!wait_for(s.fd, POLLIN, deadline)) return failure(address, "no answer in time");
    char buffer[512];
    const ssize_t n = recv(s.fd, buffer, sizeof buffer, 0);
    if (n == 0) return failure(address, "closed without an answer");
    if (n < 0 && errno != EAGAIN) return failure(address, std::strerror(errno));
    if (n > 0) in.append(buffer, static_cast<size_t>(n));
  }
  in.resize(in.find('\n'));
  return {.ok = true, .text = in};
}

}  // namespace ordeal::exchange
