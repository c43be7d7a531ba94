// The transport and clock that every node of the reference exchange runs on.
//
// A node sees the world only through Env: the time, sending a message, timers,
// its own random stream, and a request to crash. The simulator implements it
// with virtual time on one thread (sim_network.h); live mode implements it with
// sockets and the real clock. Node code never knows which.
#pragma once

#include <cstdint>

#include "framework/base/rng.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

class Env {
 public:
  virtual ~Env() = default;
  virtual int64_t now_us() const = 0;
  // Links are FIFO, like TCP: a message never overtakes an earlier one on the
  // same link. `extra_delay_us` holds this message (and so those after it) back.
  virtual void send(NodeId to, Message message, int64_t extra_delay_us = 0) = 0;
  // Delivered outside the link's order: it may overtake or be overtaken.
  virtual void send_unordered(NodeId to, Message message, int64_t extra_delay_us) = 0;
  // Calls the node's on_timer(timer_id) after delay_us; timers die with a crash.
  virtual void set_timer(int64_t delay_us, uint64_t timer_id) = 0;
  virtual Rng& rng() = 0;
  // The node's process dies now and starts again after down_us.
  virtual void crash_self(int64_t down_us) = 0;
};

class Node {
 public:
  Node(Env& env, NodeId self) : env_(env), self_(self) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual void on_message(NodeId from, const Message& message) = 0;
  virtual void on_timer(uint64_t timer_id) = 0;
  // At boot and after every restart.
  virtual void on_start() {}
  // The process died: drop what a real process would lose.
  virtual void on_crash() {}

  NodeId id() const { return self_; }

 protected:
  Env& env_;
  const NodeId self_;
};

}  // namespace ordeal::exchange
