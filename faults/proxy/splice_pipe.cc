// A kernel pipe between two sockets: see splice_pipe.h.
#include "faults/proxy/splice_pipe.h"

#include <algorithm>
#include <cerrno>

#if defined(__linux__)
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#endif

#include "framework/base/assert.h"

namespace ordeal::proxy {

#if defined(__linux__)
namespace {

constexpr size_t kDefaultPipeBytes = 64 * 1024;
constexpr size_t kPipeBytesMax = size_t{1} << 30;  // F_SETPIPE_SZ takes an int

SpliceStep step_of(ssize_t result) {
  if (result > 0)
    return {.status = SpliceStep::Status::moved, .bytes = static_cast<size_t>(result)};
  if (result == 0) return {.status = SpliceStep::Status::end_of_stream};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return {.status = SpliceStep::Status::would_block};
  return {.status = SpliceStep::Status::failed, .error_number = errno};
}

// splice(2) into a socket has no MSG_NOSIGNAL: a peer that has gone raises
// SIGPIPE on the calling thread, which would end the whole program. The
// thread that drains keeps SIGPIPE blocked, and a broken pipe's signal is
// taken off the pending set: the caller sees EPIPE, as with send().
void block_sigpipe_on_this_thread() {
  thread_local bool blocked = false;
  if (blocked) return;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  blocked = true;
}

void discard_pending_sigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  const timespec no_wait{};
  while (sigtimedwait(&set, nullptr, &no_wait) == SIGPIPE) {
  }
}

}  // namespace

SplicePipe::~SplicePipe() {
  if (read_fd_ >= 0) close(read_fd_);
  if (write_fd_ >= 0) close(write_fd_);
}

bool SplicePipe::open(size_t capacity_bytes) {
  ORDEAL_ASSERT(!is_open());
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return false;  // out of descriptors: copy
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  // The kernel may refuse a big pipe (over fs.pipe-max-size for a user
  // without CAP_SYS_RESOURCE, or past the user's pipe memory): then half as
  // big, and so on down to the 64 KiB a pipe starts with. Each size kept is
  // worth it: on loopback the proxy's thread spends about twice the CPU per
  // GB through a 64 KiB pipe as through a 1 MiB one.
  for (size_t ask = std::min(capacity_bytes, kPipeBytesMax); ask > kDefaultPipeBytes; ask /= 2) {
    if (fcntl(write_fd_, F_SETPIPE_SZ, static_cast<int>(ask)) >= 0) break;
  }
  const int granted = fcntl(write_fd_, F_GETPIPE_SZ);
  capacity_bytes_ = granted > 0 ? static_cast<size_t>(granted) : 4096;
  return true;
}

SpliceStep SplicePipe::fill(int from_fd) {
  ORDEAL_ASSERT(is_open());
  ORDEAL_ASSERT(held_bytes_ < capacity_bytes_, "fill needs room in the pipe");
  const ssize_t result = splice(from_fd, nullptr, write_fd_, nullptr, capacity_bytes_ - held_bytes_,
                                SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
  const SpliceStep step = step_of(result);
  held_bytes_ += step.bytes;
  return step;
}

SpliceStep SplicePipe::drain(int to_fd) {
  ORDEAL_ASSERT(is_open());
  ORDEAL_ASSERT(held_bytes_ > 0, "drain needs bytes in the pipe");
  block_sigpipe_on_this_thread();
  const ssize_t result =
      splice(read_fd_, nullptr, to_fd, nullptr, held_bytes_, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
  SpliceStep step = step_of(result);
  if (step.status == SpliceStep::Status::failed && step.error_number == EPIPE)
    discard_pending_sigpipe();
  // The pipe was not empty, so 0 would mean the socket took nothing: wait.
  if (step.status == SpliceStep::Status::end_of_stream)
    step.status = SpliceStep::Status::would_block;
  held_bytes_ -= step.bytes;
  return step;
}

#else  // no splice(2): the pump always copies

SplicePipe::~SplicePipe() = default;
bool SplicePipe::open(size_t) { return false; }
SpliceStep SplicePipe::fill(int) { return {.status = SpliceStep::Status::failed}; }
SpliceStep SplicePipe::drain(int) { return {.status = SpliceStep::Status::failed}; }

#endif

std::unique_ptr<SplicePipe> SplicePipePool::take() {
  if (!idle_.empty()) {
    std::unique_ptr<SplicePipe> pipe = std::move(idle_.back());
    idle_.pop_back();
    return pipe;
  }
  auto pipe = std::make_unique<SplicePipe>();
  if (!pipe->open(capacity_bytes_)) return nullptr;
  return pipe;
}

void SplicePipePool::give_back(std::unique_ptr<SplicePipe> pipe) {
  if (!pipe || pipe->held_bytes() > 0 || idle_.size() >= idle_max_) return;  // closes it
  idle_.push_back(std::move(pipe));
}

}  // namespace ordeal::proxy
