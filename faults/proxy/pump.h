// One direction of a proxied connection: reads from one socket, runs the
// link's faults over what it read, and writes the result to the other socket.
//
// The reader cuts the bytes into segments (whole FIX messages when a fault
// filters on types) and queues them with their plan (delay, slices, rate);
// the writer delivers the queue in order. With no fault on the direction the
// reader writes straight through, which is the fast path: on Linux the bytes
// then go socket -> pipe -> socket inside the kernel (splice), never through
// the proxy's memory. Whether a read is straight is decided on the I/O thread
// just before it, so a fault added mid-connection takes every byte read
// after it, and one removed hands the stream back once its queue is empty.
//
//   Pump up(connection, client_socket, server_socket, Direction::upstream);
//   co_spawn(ex, up.read_loop(), detached);  co_spawn(ex, up.write_loop(), detached);
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "faults/proxy/asio.h"
#include "faults/proxy/fix_framer.h"
#include "faults/proxy/proxy_fault.h"
#include "faults/proxy/splice_pipe.h"
#include "faults/proxy/toxic.h"

namespace ordeal::proxy {

class Connection;

class Pump {
 public:
  Pump(Connection& connection, tcp::socket& from, tcp::socket& to, Direction direction);

  awaitable<void> read_loop();
  awaitable<void> write_loop();

  void wake();  // the faults changed: look again
  void stop();  // the connection closes: every wait ends
  // When the write in progress started, if one is; the watchdog's input.
  std::optional<asio::steady_timer::time_point> write_started() const { return write_started_; }

 private:
  struct Item {
    Segment segment;
    asio::steady_timer::time_point deliver_at;
  };

  bool start_splicing();
  bool straight() const;
  awaitable<bool> splice_through();
  awaitable<bool> drain_pipe(SplicePipe& pipe);
  awaitable<bool> copy_through();
  awaitable<bool> write_through(size_t bytes);
  void queue_segments(std::string_view data);
  void queue(Segment segment);
  awaitable<bool> write_item(Item& item);
  awaitable<bool> write_bytes(std::string_view bytes);
  bool queue_full() const;
  uint64_t& delivered();

  Connection& connection_;
  tcp::socket& from_;
  tcp::socket& to_;
  Direction direction_;
  std::vector<char> buffer_;
  FixFramer framer_;
  std::vector<FixPiece> pieces_;
  std::deque<Item> queue_;
  size_t queued_bytes_ = 0;
  asio::steady_timer::time_point last_deliver_at_{};
  asio::steady_timer::time_point pace_next_{};
  asio::steady_timer read_wake_;
  asio::steady_timer write_wake_;
  asio::steady_timer pace_timer_;
  std::optional<asio::steady_timer::time_point> write_started_;
  bool reader_done_ = false;
  bool stopped_ = false;
};

}  // namespace ordeal::proxy
