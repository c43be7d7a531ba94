// The live transport and clock: the nodes of this process over TCP
// (Boost.Asio, one thread), in real time. In a cluster each exchange-node
// process hosts one node; ordeal hosts its client and admin ports, which
// only dial out and hear their answers on the same connections.
//
//   LiveNetwork net(seed);
//   net.set_address(layout.gateway(), {"127.0.0.1", 7002});
//   net.attach(layout.client(1), port);     // no address: dials out only
//   net.start();
//   net.run_for(100'000);                    // serve for 100 ms of real time
//
// Links behave like the simulator's: FIFO per pair of nodes, a message sent
// while the peer is unreachable is lost (counted), and the node's code
// retries as it would over any network. Everything runs on the thread that
// calls run_*; post() is the one thread-safe entry.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "targets/exchange/transport.h"

namespace ordeal::exchange {

struct LiveAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};

struct LiveCounters {
  uint64_t frames_sent = 0;
  uint64_t frames_received = 0;
  uint64_t frames_dropped = 0;  // no route, queue full, or the link broke
  uint64_t bad_frames = 0;      // undecodable: the connection was closed
};

class LiveNetwork {
 public:
  // Frames waiting on one link; beyond this a link drops, like a full buffer.
  static constexpr size_t kLinkFramesMax = 100'000;
  static constexpr int64_t kReconnectUs = 50'000;

  explicit LiveNetwork(uint64_t seed);
  ~LiveNetwork();
  LiveNetwork(const LiveNetwork&) = delete;
  LiveNetwork& operator=(const LiveNetwork&) = delete;

  // Where a node listens (local or remote). Nodes without one can only dial.
  void set_address(NodeId id, LiveAddress address);
  Env& env(NodeId id);
  void attach(NodeId id, Node& node);
  // Listens for the attached nodes that have addresses and starts them.
  // Returns an error message (e.g. the port is taken) or empty.
  std::string start();

  int64_t now_us() const;
  // Serves until the time, or until stop() or a signal handler's stop.
  void run_until(int64_t until_us);
  void run_for(int64_t duration_us) { run_until(now_us() + duration_us); }
  // Serves until stop() (from a callback or post()).
  void run();
  void stop();
  bool stopped() const;

  // Runs `action` on the network's thread; safe from any thread.
  void post(std::function<void()> action);
  // Runs `action` on the network's thread at `time_us` (this clock).
  void at(int64_t time_us, std::function<void()> action);
  // The local node dies now (its links and timers with it) and starts again
  // after down_us, keeping what its on_crash() keeps.
  void crash(NodeId id, int64_t down_us);

  const LiveCounters& counters() const;

  // A line-based control endpoint on this network's thread: each line in
  // (at most kControlLineMax bytes) gets the handler's answer and a newline.
  // Returns an error message or empty.
  static constexpr size_t kControlLineMax = 4096;
  using ControlHandler = std::function<std::string(const std::string& line)>;
  std::string serve_control(const LiveAddress& address, ControlHandler handler);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A port that was free a moment ago on 127.0.0.1 (the kernel's choice).
uint16_t free_loopback_port();

}  // namespace ordeal::exchange
