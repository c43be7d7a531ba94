// The splice pipe between two real loopback TCP connections: bytes move in
// order, an empty or finished source says so, and a peer that has gone is an
// error value rather than a SIGPIPE that would end the test program.
#include "faults/proxy/splice_pipe.h"

#include <gtest/gtest.h>

#if defined(__linux__)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace ordeal::proxy {
namespace {

using Status = SpliceStep::Status;

// A connected pair of loopback TCP sockets; `near` is non-blocking, as the
// proxy's are.
struct TcpPair {
  int near = -1;
  int far = -1;

  TcpPair() {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    auto* any = reinterpret_cast<sockaddr*>(&address);
    if (bind(listener, any, length) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, any, &length) != 0) {
      close(listener);
      return;
    }
    far = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(far, any, length) == 0) near = accept(listener, nullptr, nullptr);
    close(listener);
    if (near >= 0) fcntl(near, F_SETFL, fcntl(near, F_GETFL) | O_NONBLOCK);
  }
  ~TcpPair() {
    if (near >= 0) close(near);
    if (far >= 0) close(far);
  }
  TcpPair(const TcpPair&) = delete;
  TcpPair& operator=(const TcpPair&) = delete;
};

// Reads `bytes` bytes from `fd`, waiting at most a second in all.
std::string read_from(int fd, size_t bytes) {
  std::string out;
  char buffer[4096];
  for (int i = 0; i < 100 && out.size() < bytes; ++i) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 10) <= 0) continue;
    const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

// Fills the pipe from `source` once data has arrived (at most a second).
SpliceStep fill_when_ready(SplicePipe& pipe, int source) {
  pollfd p{.fd = source, .events = POLLIN, .revents = 0};
  poll(&p, 1, 1000);
  return pipe.fill(source);
}

TEST(SplicePipe, MovesBytesFromSocketToSocketInOrder) {
  TcpPair from, to;
  ASSERT_GE(from.near, 0);
  ASSERT_GE(to.near, 0);
  SplicePipe pipe;
  ASSERT_TRUE(pipe.open(256 * 1024));
  const std::string sent = "8=FIX.4.4\x01" + std::string(10'000, 'x') + "end";
  ASSERT_EQ(send(from.far, sent.data(), sent.size(), 0), static_cast<ssize_t>(sent.size()));
  size_t moved = 0;
  for (int i = 0; i < 100 && moved < sent.size(); ++i) {
    const SpliceStep in = fill_when_ready(pipe, from.near);
    ASSERT_NE(in.status, Status::failed) << in.error_number;
    while (pipe.held_bytes() > 0) {
      const SpliceStep out = pipe.drain(to.near);
      ASSERT_EQ(out.status, Status::moved) << out.error_number;
      moved += out.bytes;
    }
  }
  EXPECT_EQ(read_from(to.far, sent.size()), sent);
}

TEST(SplicePipe, AnEmptySourceWouldBlockAndAFinishedOneEnds) {
  TcpPair from;
  ASSERT_GE(from.near, 0);
  SplicePipe pipe;
  ASSERT_TRUE(pipe.open(64 * 1024));
  EXPECT_EQ(pipe.fill(from.near).status, Status::would_block);
  shutdown(from.far, SHUT_WR);
  EXPECT_EQ(fill_when_ready(pipe, from.near).status, Status::end_of_stream);
  EXPECT_EQ(pipe.held_bytes(), 0u);
}

TEST(SplicePipe, AClosedDestinationIsAnErrorNotASignal) {
  TcpPair from, to;
  ASSERT_GE(from.near, 0);
  ASSERT_GE(to.near, 0);
  SplicePipe pipe;
  ASSERT_TRUE(pipe.open(64 * 1024));
  ASSERT_EQ(send(from.far, "bytes", 5, 0), 5);
  ASSERT_EQ(fill_when_ready(pipe, from.near).status, Status::moved);
  shutdown(to.near, SHUT_WR);  // writing after this raises SIGPIPE with send() sans MSG_NOSIGNAL
  const SpliceStep out = pipe.drain(to.near);
  EXPECT_EQ(out.status, Status::failed);
  EXPECT_EQ(out.error_number, EPIPE);
  EXPECT_EQ(pipe.held_bytes(), 5u);  // nothing was taken
}

// Asked for more than fs.pipe-max-size, a user without CAP_SYS_RESOURCE is
// refused; the pipe then takes the largest size it may have rather than
// staying at the default 64 KiB (which costs the proxy twice the CPU).
TEST(SplicePipe, ABigRequestGetsAtLeastTheSystemsMaximum) {
  size_t max_bytes = 0;
  std::ifstream("/proc/sys/fs/pipe-max-size") >> max_bytes;
  if (max_bytes <= 64 * 1024 || max_bytes > 64 * 1024 * 1024) GTEST_SKIP() << max_bytes;
  SplicePipe pipe;
  ASSERT_TRUE(pipe.open(4 * max_bytes));
  EXPECT_GE(pipe.capacity_bytes(), max_bytes);
  EXPECT_LE(pipe.capacity_bytes(), 4 * max_bytes);
}

TEST(SplicePipePool, LendsEmptyPipesAndKeepsAFewIdle) {
  SplicePipePool pool(64 * 1024, 1);
  std::unique_ptr<SplicePipe> first = pool.take();
  std::unique_ptr<SplicePipe> second = pool.take();
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->is_open());
  SplicePipe* kept = first.get();
  pool.give_back(std::move(first));
  pool.give_back(std::move(second));  // over idle_max: closed
  EXPECT_EQ(pool.idle(), 1u);
  EXPECT_EQ(pool.take().get(), kept);
  EXPECT_EQ(pool.idle(), 0u);
}

TEST(SplicePipePool, APipeStillHoldingBytesIsNotLentAgain) {
  TcpPair from;
  ASSERT_GE(from.near, 0);
  SplicePipePool pool(64 * 1024, 4);
  std::unique_ptr<SplicePipe> pipe = pool.take();
  ASSERT_TRUE(pipe);
  ASSERT_EQ(send(from.far, "left", 4, 0), 4);
  ASSERT_EQ(fill_when_ready(*pipe, from.near).status, Status::moved);
  pool.give_back(std::move(pipe));
  EXPECT_EQ(pool.idle(), 0u);
}

}  // namespace
}  // namespace ordeal::proxy

#endif  // __linux__
