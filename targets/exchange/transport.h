// The transport and clock that every node of the reference exchange runs on.
//
// A node sees the world only through Env: the time, sending a message, timers,
// its own random stream, and a request to crash. The simulator implements it
// with virtual time on one thread (sim_network.h); live mode implements it with
// sockets and the real clock. Node code never knows which.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>

#include "framework/base/rng.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

// A point in the order events happen: a time, and among the events of that
// time, the order they were scheduled in.
struct Moment {
  int64_t time_us = 0;
  uint64_t seq = 0;
  friend auto operator<=>(const Moment&, const Moment&) = default;
};

class Env {
 public:
  Env() = default;
  // A transport whose outbox holds a message only until it sends it says
  // so here: outbox_written() is then called after each message is written.
  explicit Env(bool sends_when_written) : sends_when_written_(sends_when_written) {}
  virtual ~Env() = default;
  virtual int64_t now_us() const = 0;
  // Now, as a Moment: the event running, or after every event due by now.
  virtual Moment moment() const { return {now_us(), std::numeric_limits<uint64_t>::max()}; }
  // Links are FIFO, like TCP: a message never overtakes an earlier one on the
  // same link. `extra_delay_us` holds this message (and so those after it) back.
  // Takes the message kind itself (a MetaHeartbeat, ...) or a Message: it is
  // written once, straight into the place the transport keeps it.
  template <typename M>
  void send(NodeId to, M&& message, int64_t extra_delay_us = 0) {
    post(to, std::forward<M>(message), extra_delay_us, true);
  }
  // Delivered outside the link's order: it may overtake or be overtaken.
  template <typename M>
  void send_unordered(NodeId to, M&& message, int64_t extra_delay_us) {
    post(to, std::forward<M>(message), extra_delay_us, false);
  }
  // The same heartbeat to each of `to`, in that order: what send() to each
  // in turn does, in one call for a replica's whole tick.
  void send_heartbeats(std::span<const NodeId> to, const MetaHeartbeat& heartbeat) {
    if (hand_over(to, heartbeat)) return;
    for (NodeId receiver : to) send(receiver, heartbeat);
  }
  // Builds a message of kind M where the transport keeps it: `fill` sets
  // the fields of a fresh M in that place, so no message is built first and
  // then moved there (its strings copied twice). Nothing is built when the
  // message would be lost anyway.
  template <typename M, typename Fill>
  void send_built(NodeId to, int64_t extra_delay_us, Fill&& fill) {
    Message* place = outbox(to, extra_delay_us, true);
    if (place == nullptr) return;
    place->template emplace<M>(Built<M, Fill>{fill});
    if (sends_when_written_) outbox_written();
  }
  // Calls the node's on_timer(timer_id) after delay_us; timers die with a crash.
  virtual void set_timer(int64_t delay_us, uint64_t timer_id) = 0;
  virtual Rng& rng() = 0;
  // The node's process dies now and starts again after down_us.
  virtual void crash_self(int64_t down_us) = 0;

 protected:
  // Where a message to `to` is to be written, or nullptr when it is lost
  // anyway (a dead sender or receiver), so that it is not even written.
  virtual Message* outbox(NodeId to, int64_t extra_delay_us, bool ordered) = 0;
  // The message is in the outbox: a transport that did not send it there
  // and then sends it now. Called only when it said so when it was made
  // (sends_when_written): the simulator's messages are where they go when
  // written, and a virtual call that does nothing cost every send.
  virtual void outbox_written() {}
  // A transport that can give a heartbeat to its receivers at once, to be
  // applied when its arrival has come (Node::absorb), sends it to each of
  // `to` here, in order, and returns true; those a receiver takes are then
  // not sent as messages. All of them in one call, since a replica's tick
  // sends to every subscriber at once: one call and one look at the sender.
  virtual bool hand_over(std::span<const NodeId> /*to*/, const MetaHeartbeat& /*heartbeat*/) {
    return false;
  }

 private:
  const bool sends_when_written_ = false;

  // What send_built() makes its message from: converted to an M, it is a
  // default-initialised M that `fill` has set. The compiler builds that M
  // in the message's place (the move from the conversion is elided), and
  // default initialisation gives every field its member initialiser, as
  // emplace<M>() did, without first zeroing the whole message (a ~180-byte
  // store per message sent) as value initialisation does.
  template <typename M, typename Fill>
  struct Built {
    Fill& fill;
    operator M() const {
      M message;
      fill(message);
      return message;
    }
  };

  template <typename M>
  void post(NodeId to, M&& message, int64_t extra_delay_us, bool ordered) {
    if constexpr (std::is_same_v<std::remove_cvref_t<M>, MetaHeartbeat>) {
      if (extra_delay_us == 0 && ordered && hand_over({&to, 1}, message)) return;
    }
    Message* place = outbox(to, extra_delay_us, ordered);
    if (place == nullptr) return;
    using Kind = std::remove_cvref_t<M>;
    if constexpr (std::is_lvalue_reference_v<M> && !std::is_same_v<Kind, Message>) {
      // Copied straight into its place: a Message assigned a message it
      // must copy first copies it into a Message of its own, then moves that.
      place->template emplace<Kind>(message);
    } else {
      *place = std::forward<M>(message);
    }
    if (sends_when_written_) outbox_written();
  }
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
  // A heartbeat due to arrive `at`, offered when it is sent. A node that
  // takes it (returns true) promises that handling it at `at` would change
  // nothing but its own state, and applies it before anything that happens
  // after `at` can see that state; it then never comes as a message. The
  // simulator offers heartbeats so that the idle traffic of the metadata
  // service costs no events.
  virtual bool absorb(NodeId /*from*/, const MetaHeartbeat& /*heartbeat*/, Moment /*at*/) {
    return false;
  }

  NodeId id() const { return self_; }

 protected:
  Env& env_;
  const NodeId self_;
};

}  // namespace ordeal::exchange
