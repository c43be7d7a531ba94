// One direction of a proxied connection: see pump.h.
#include "faults/proxy/pump.h"

#include <algorithm>

#include "faults/proxy/connection.h"
#include "faults/proxy/link.h"

namespace ordeal::proxy {
namespace {

constexpr size_t kReadBytes = 128 * 1024;
// Bounds on what a direction holds back (delayed, paced, half-open); past
// them the reader stops reading and the sender feels TCP back-pressure.
constexpr size_t kQueueBytesMax = 8 * 1024 * 1024;
constexpr size_t kQueueItemsMax = 16 * 1024;
// Waits are cut into slices this long so a missed wake-up costs little.
constexpr auto kRecheck = std::chrono::milliseconds(50);
// A paced write moves at most this share of a second's bytes at once.
constexpr int64_t kPaceSlicesPerSecond = 50;

using Clock = asio::steady_timer::clock_type;

}  // namespace

Pump::Pump(Connection& connection, tcp::socket& from, tcp::socket& to, Direction direction)
    : connection_(connection),
      from_(from),
      to_(to),
      direction_(direction),
      buffer_(kReadBytes),
      read_wake_(from.get_executor()),
      write_wake_(from.get_executor()),
      pace_timer_(from.get_executor()) {}

void Pump::wake() {
  read_wake_.cancel();
  write_wake_.cancel();
}

void Pump::stop() {
  stopped_ = true;
  read_wake_.cancel();
  write_wake_.cancel();
  pace_timer_.cancel();
}

uint64_t& Pump::delivered() {
  ProxyCounters& counters = connection_.link().counters();
  return direction_ == Direction::upstream ? counters.bytes_upstream : counters.bytes_downstream;
}

bool Pump::queue_full() const {
  return queued_bytes_ >= kQueueBytesMax || queue_.size() >= kQueueItemsMax;
}

// Splicing needs both sockets non-blocking (Asio's own reads and writes
// work either way).
bool Pump::start_splicing() {
  error_code ec;
  from_.native_non_blocking(true, ec);
  if (!ec) to_.native_non_blocking(true, ec);
  return !ec;
}

bool Pump::straight() const {
  return !connection_.link().table().shapes(direction_) && queue_.empty() &&
         framer_.held_bytes() == 0 && !connection_.held(direction_);
}

awaitable<void> Pump::read_loop() {
  const bool can_splice = start_splicing();
  while (!stopped_) {
    if (connection_.held(direction_) || queue_full()) {
      co_await sleep_until(read_wake_, Clock::now() + kRecheck);
      continue;
    }
    const bool more =
        can_splice && straight() ? co_await splice_through() : co_await copy_through();
    if (!more) break;
  }
  pieces_.clear();
  framer_.flush(pieces_);
  for (FixPiece& piece : pieces_) queue({.bytes = std::move(piece.bytes)});
  reader_done_ = true;
  write_wake_.cancel();
}

// One straight read through a pipe borrowed for it, delivered before it
// returns: between calls no bytes wait in a pipe, so the copying path can
// take over at any read. False when the stream is over.
awaitable<bool> Pump::splice_through() {
  SplicePipePool& pipes = connection_.link().pipes();
  std::unique_ptr<SplicePipe> pipe = pipes.take();
  if (!pipe) co_return co_await copy_through();  // no pipe to be had now
  const SpliceStep in = pipe->fill(from_.native_handle());
  if (in.status == SpliceStep::Status::moved) {
    const bool more = co_await drain_pipe(*pipe);
    pipes.give_back(std::move(pipe));
    co_return more;
  }
  pipes.give_back(std::move(pipe));
  if (in.status == SpliceStep::Status::end_of_stream) co_return false;
  if (in.status == SpliceStep::Status::failed) {
    connection_.close();  // reset or error: the other side learns by the close
    co_return false;
  }
  // Asio's readiness wait does not look before it waits, so it comes only
  // after the socket has said it is empty. Readable, the loop decides again
  // how to read: a fault may have come meanwhile.
  error_code ec;
  co_await from_.async_wait(tcp::socket::wait_read, into(ec));
  if (ec && !stopped_) connection_.close();
  co_return !ec && !stopped_;
}

awaitable<bool> Pump::drain_pipe(SplicePipe& pipe) {
  write_started_ = Clock::now();
  while (pipe.held_bytes() > 0 && !stopped_) {
    const SpliceStep out = pipe.drain(to_.native_handle());
    if (out.status == SpliceStep::Status::moved) {
      delivered() += out.bytes;
      connection_.link().counters().bytes_spliced += out.bytes;
      continue;
    }
    if (out.status == SpliceStep::Status::failed) break;
    error_code ec;  // the peer's window is full: the watchdog bounds this wait
    co_await to_.async_wait(tcp::socket::wait_write, into(ec));
    if (ec) break;
  }
  write_started_.reset();
  if (pipe.held_bytes() == 0 && !stopped_) co_return true;
  connection_.close();
  co_return false;
}

// One read through the proxy's memory: straight through when no fault acts
// on the direction, else cut into segments for the faults and the writer.
awaitable<bool> Pump::copy_through() {
  error_code ec;
  const size_t bytes = co_await from_.async_read_some(asio::buffer(buffer_), into(ec));
  if (stopped_) co_return false;
  if (ec == asio::error::eof) co_return false;  // the writer finishes what is queued
  if (ec) {
    connection_.close();  // reset or error: the other side learns by the close
    co_return false;
  }
  if (straight()) co_return co_await write_through(bytes);
  queue_segments(std::string_view(buffer_.data(), bytes));
  write_wake_.cancel();
  co_return true;
}

awaitable<bool> Pump::write_through(size_t bytes) {
  return write_bytes(std::string_view(buffer_.data(), bytes));
}

// Cuts what was read into segments, lets the faults plan each one, and
// queues those that are not dropped.
void Pump::queue_segments(std::string_view data) {
  FaultTable& table = connection_.link().table();
  pieces_.clear();
  if (table.frames_fix(direction_)) {
    framer_.feed(data, pieces_);
  } else {
    framer_.flush(pieces_);  // framing just stopped: release what it held
    pieces_.push_back({.bytes = std::string(data)});
  }
  for (FixPiece& piece : pieces_) {
    Segment segment{.bytes = std::move(piece.bytes),
                    .fix_type = std::move(piece.type),
                    .is_fix_message = piece.is_message};
    table.apply(direction_, segment);
    if (segment.drop) {
      connection_.link().counters().bytes_dropped += segment.bytes.size();
      continue;
    }
    queue(std::move(segment));
  }
}

void Pump::queue(Segment segment) {
  if (segment.bytes.empty()) return;
  // Delivery stays in stream order: a segment never overtakes the one before.
  const auto due = Clock::now() + std::chrono::microseconds(segment.delay_us);
  last_deliver_at_ = std::max(last_deliver_at_, due);
  queued_bytes_ += segment.bytes.size();
  queue_.push_back({.segment = std::move(segment), .deliver_at = last_deliver_at_});
}

awaitable<void> Pump::write_loop() {
  while (!stopped_) {
    if (queue_.empty()) {
      if (reader_done_) break;
      co_await sleep_until(write_wake_, Clock::now() + kRecheck);
      continue;
    }
    Item& item = queue_.front();
    const auto now = Clock::now();
    if (connection_.held(direction_) || now < item.deliver_at) {
      co_await sleep_until(write_wake_, std::min(item.deliver_at, now + kRecheck));
      continue;
    }
    if (!co_await write_item(item)) co_return;
    queued_bytes_ -= item.segment.bytes.size();
    queue_.pop_front();
    read_wake_.cancel();
  }
  if (stopped_) co_return;
  error_code ec;
  to_.shutdown(tcp::socket::shutdown_send, ec);  // pass the end of stream on
  connection_.pump_finished();
}

// Writes one segment as planned: in slices and at a paced rate if asked.
awaitable<bool> Pump::write_item(Item& item) {
  const Segment& segment = item.segment;
  const std::string_view bytes = segment.bytes;
  uint64_t slice_state = segment.slice_seed;
  size_t at = 0;
  while (at < bytes.size() && !stopped_) {
    size_t length = bytes.size() - at;
    if (segment.slice_bytes > 0)
      length = std::min<size_t>(length, next_slice_bytes(slice_state, segment.slice_bytes));
    if (segment.rate_bytes_per_s > 0) {
      const auto pace_bytes = std::max<int64_t>(segment.rate_bytes_per_s / kPaceSlicesPerSecond, 1);
      length = std::min<size_t>(length, pace_bytes);
      if (Clock::now() < pace_next_) co_await sleep_until(pace_timer_, pace_next_);
    }
    if (!co_await write_bytes(bytes.substr(at, length))) co_return false;
    at += length;
    if (segment.rate_bytes_per_s > 0) {
      const auto cost = std::chrono::microseconds(static_cast<int64_t>(length) * 1'000'000 /
                                                  segment.rate_bytes_per_s);
      pace_next_ = std::max(pace_next_, Clock::now()) + cost;
    }
    if (segment.slice_bytes > 0 && at < bytes.size() && segment.slice_delay_us > 0)
      co_await sleep_until(pace_timer_,
                           Clock::now() + std::chrono::microseconds(segment.slice_delay_us));
  }
  co_return !stopped_;
}

awaitable<bool> Pump::write_bytes(std::string_view bytes) {
  error_code ec;
  write_started_ = Clock::now();
  co_await asio::async_write(to_, asio::buffer(bytes.data(), bytes.size()), into(ec));
  write_started_.reset();
  if (ec || stopped_) {
    connection_.close();
    co_return false;
  }
  delivered() += bytes.size();
  co_return true;
}

}  // namespace ordeal::proxy
