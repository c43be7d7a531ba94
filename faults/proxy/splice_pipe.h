// A kernel pipe that carries one direction's bytes from socket to socket
// without copying them into the proxy (Linux splice(2)): the buffer of the
// straight-through path. Where splice is missing, or no pipe can be had
// (out of descriptors), open() says so and the pump copies instead.
//
//   SplicePipe pipe;
//   if (pipe.open(kSplicePipeBytes)) {
//     SpliceStep in = pipe.fill(from_fd);    // socket -> pipe, never blocks
//     SpliceStep out = pipe.drain(to_fd);    // pipe -> socket, never blocks
//   }
//
// Both sockets must be non-blocking; the caller waits for readiness.
//
// A pipe is two file descriptors, so connections do not keep one each: a
// SplicePipePool lends an empty pipe for one read and its delivery, and
// keeps a few idle ones for the next.
//
//   std::unique_ptr<SplicePipe> pipe = pool.take();  // null: copy instead
//   ...
//   pool.give_back(std::move(pipe));
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace ordeal::proxy {

struct SpliceStep {
  enum class Status { moved, would_block, end_of_stream, failed };
  Status status = Status::moved;
  size_t bytes = 0;      // moved by this step
  int error_number = 0;  // with failed
};

class SplicePipe {
 public:
  SplicePipe() = default;
  ~SplicePipe();
  SplicePipe(const SplicePipe&) = delete;
  SplicePipe& operator=(const SplicePipe&) = delete;

  // Opens the pipe and asks for `capacity_bytes` of room (at most 1 GiB);
  // refused, it takes the largest power-of-two share of that the kernel
  // grants, at worst what the pipe was created with (64 KiB unless the
  // user's pipe memory is spent). False when splicing is not possible here.
  bool open(size_t capacity_bytes);
  bool is_open() const { return read_fd_ >= 0; }
  // Moves what `from_fd` has, at most the pipe's free room, into the pipe.
  SpliceStep fill(int from_fd);
  // Moves as much of what the pipe holds into `to_fd` as it takes now.
  SpliceStep drain(int to_fd);
  // Bytes read from the source and not yet written to the destination.
  size_t held_bytes() const { return held_bytes_; }
  // What the kernel granted: the most one fill can move.
  size_t capacity_bytes() const { return capacity_bytes_; }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
  size_t capacity_bytes_ = 0;
  size_t held_bytes_ = 0;
};

class SplicePipePool {
 public:
  SplicePipePool(size_t capacity_bytes, size_t idle_max)
      : capacity_bytes_(capacity_bytes), idle_max_(idle_max) {}

  // An empty open pipe, or null when none can be opened (copy instead).
  std::unique_ptr<SplicePipe> take();
  // Keeps an empty pipe for the next taker (up to idle_max); one that still
  // holds bytes (its connection broke mid-delivery) is closed.
  void give_back(std::unique_ptr<SplicePipe> pipe);
  size_t idle() const { return idle_.size(); }

 private:
  size_t capacity_bytes_;
  size_t idle_max_;
  std::vector<std::unique_ptr<SplicePipe>> idle_;
};

}  // namespace ordeal::proxy
