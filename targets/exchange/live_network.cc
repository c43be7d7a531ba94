#include "targets/exchange/live_network.h"

// Asio's coroutine headers use std::exchange without including <utility>.
#include <utility>
// clang-format off
#include <boost/asio.hpp>
// clang-format on

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <optional>

#include "framework/base/assert.h"
#include "targets/exchange/wire.h"

namespace ordeal::exchange {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr NodeId kUnknownPeer = 0xffff;

// Binds and listens; an error message or empty.
std::string open_acceptor(tcp::acceptor& acceptor, const LiveAddress& address) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (ec) return fmt::format("bad address {}", address.host);
  const tcp::endpoint endpoint(ip, address.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return "";
  return fmt::format("cannot listen on {}:{}: {}", address.host, address.port, ec.message());
}
}  // namespace

class LiveNetwork::Impl {
 public:
  struct Local;
  struct Link;

  explicit Impl(uint64_t seed) : rng(seed), t0(Clock::now()) {}

  int64_t now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  }
  Clock::time_point time_point(int64_t time_us) const {
    return t0 + std::chrono::microseconds(time_us);
  }

  void at(int64_t time_us, std::function<void()> action) {
    auto timer = std::make_shared<asio::steady_timer>(io, time_point(time_us));
    timer->async_wait([timer, action = std::move(action)](const boost::system::error_code& ec) {
      if (!ec) action();
    });
  }

  void send(Local& from, NodeId to, Message message, int64_t extra_delay_us, bool ordered);
  void set_timer(Local& local, int64_t delay_us, uint64_t timer_id);
  void crash(NodeId id, int64_t down_us);
  std::string listen(Local& local);

  void send_locally(Local& from, Local& dest, Message message, int64_t extra_delay_us,
                    bool ordered);
  void release_held(Local& from, Local& dest);
  void deliver_locally(Local* dest, NodeId from, Message message);
  void drain_local_deliveries();
  std::shared_ptr<Link> route(Local& from, NodeId to);
  void enqueue(const std::shared_ptr<Link>& link, std::string frame, int64_t ready_us,
               bool ordered);
  void pump(const std::shared_ptr<Link>& link);
  void connect(const std::shared_ptr<Link>& link);
  void read_header(const std::shared_ptr<Link>& link);
  void read_body(const std::shared_ptr<Link>& link, uint32_t length);
  void on_frame(const std::shared_ptr<Link>& link);
  void close(const std::shared_ptr<Link>& link);
  void accept(Local& local);

  struct Control;
  std::string serve_control(const LiveAddress& address, ControlHandler handler);
  void control_accept(const std::shared_ptr<Control>& control);

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  Rng rng;
  Clock::time_point t0;
  std::map<NodeId, LiveAddress> addresses;
  std::map<NodeId, std::unique_ptr<Local>> locals;
  LiveCounters counters;
  std::atomic<bool> stopped = false;
  // Undelayed messages between nodes of this process, in the order sent.
  // One posted handler delivers a whole burst (a request and the messages
  // it causes), where a timer or a post per message would cost a system
  // call each to wake the reactor.
  struct LocalDelivery {
    Local* dest;
    NodeId from;
    Message message;
  };
  std::deque<LocalDelivery> local_deliveries;
  bool local_drain_posted = false;
};

// One node hosted in this process, and its Env.
struct LiveNetwork::Impl::Local final : Env {
  Local(Impl& network, NodeId node_id)
      : Env(/*sends_when_written=*/true),
        net(network),
        id(node_id),
        stream(network.rng.fork(node_id)) {}

  int64_t now_us() const override { return net.now_us(); }
  // The message waits in `outgoing` just until Env has written it.
  Message* outbox(NodeId to, int64_t extra_delay_us, bool ordered) override {
    outgoing.to = to;
    outgoing.extra_delay_us = extra_delay_us;
    outgoing.ordered = ordered;
    return &outgoing.message;
  }
  void outbox_written() override {
    net.send(*this, outgoing.to, std::move(outgoing.message), outgoing.extra_delay_us,
             outgoing.ordered);
  }
  void set_timer(int64_t delay_us, uint64_t timer_id) override {
    net.set_timer(*this, delay_us, timer_id);
  }
  Rng& rng() override { return stream; }
  void crash_self(int64_t down_us) override {
    // Not from inside the node's own handler: its links are in use there.
    asio::post(net.io, [this, down_us] { net.crash(id, down_us); });
  }

  Impl& net;
  const NodeId id;
  Rng stream;
  struct Outgoing {
    NodeId to = 0;
    int64_t extra_delay_us = 0;
    bool ordered = true;
    Message message;
  } outgoing;
  Node* node = nullptr;
  uint64_t epoch = 0;  // a crash ends everything of the previous life
  bool up = true;
  std::optional<tcp::acceptor> acceptor;
  std::map<NodeId, std::shared_ptr<Link>> dialed;  // to nodes with an address
  std::map<NodeId, std::weak_ptr<Link>> accepted;  // back to nodes without one
  std::vector<std::weak_ptr<Link>> inbound;        // to close on a crash
  int64_t reconnect_at_us = 0;
  // Ordered messages to a node of this process that wait behind a delayed
  // one, per destination: the in-process counterpart of a link's queue.
  struct Held {
    explicit Held(asio::io_context& io) : timer(io) {}
    std::deque<std::pair<int64_t, Message>> queue;  // (ready_us, message)
    asio::steady_timer timer;
    // Returns how many messages were lost.
    size_t drop() {
      const size_t count = queue.size();
      queue.clear();
      timer.cancel();
      return count;
    }
  };
  std::map<NodeId, std::unique_ptr<Held>> held;
};

// One TCP connection of a local node: dialed to a peer's address, or
// accepted from a peer (whose id the first frame tells).
struct LiveNetwork::Impl::Link : std::enable_shared_from_this<Link> {
  Link(Local& local, NodeId peer, tcp::socket connection)
      : owner(local), remote(peer), socket(std::move(connection)), timer(local.net.io) {}

  Local& owner;
  NodeId remote;
  tcp::socket socket;
  asio::steady_timer timer;
  bool dialed = false, connected = false, connecting = false, writing = false, closed = false;
  struct Waiting {
    int64_t ready_us;
    std::string frame;
  };
  std::deque<Waiting> queue;
  int64_t hold_until_us = 0;  // FIFO: a delayed frame holds back the ones after it
  std::array<char, wire::kLengthBytes> header{};
  std::string body;
};

void LiveNetwork::Impl::send(Local& from, NodeId to, Message message, int64_t extra_delay_us,
                             bool ordered) {
  if (!from.up) return;
  if (auto it = locals.find(to); it != locals.end()) {
    return send_locally(from, *it->second, std::move(message), extra_delay_us, ordered);
  }
  std::shared_ptr<Link> link = route(from, to);
  if (!link) {
    ++counters.frames_dropped;
    return;
  }
  enqueue(link, wire::encode(from.id, message), now_us() + extra_delay_us, ordered);
}

void LiveNetwork::Impl::send_locally(Local& from, Local& dest, Message message,
                                     int64_t extra_delay_us, bool ordered) {
  if (!ordered) {
    if (extra_delay_us <= 0) return deliver_locally(&dest, from.id, std::move(message));
    at(now_us() + extra_delay_us,
       [this, d = &dest, id = from.id, m = std::move(message)] { deliver_locally(d, id, m); });
    return;
  }
  std::unique_ptr<Local::Held>& held = from.held[dest.id];
  // The common case: nothing delayed ahead of it on this pair.
  if (extra_delay_us <= 0 && (!held || held->queue.empty())) {
    return deliver_locally(&dest, from.id, std::move(message));
  }
  if (!held) held = std::make_unique<Local::Held>(io);
  if (held->queue.size() >= kLinkFramesMax) {
    ++counters.frames_dropped;
    return;
  }
  // Released from the front only, so a later message never overtakes it.
  held->queue.emplace_back(now_us() + std::max<int64_t>(extra_delay_us, 0), std::move(message));
  release_held(from, dest);
}

void LiveNetwork::Impl::release_held(Local& from, Local& dest) {
  Local::Held& held = *from.held.at(dest.id);
  while (!held.queue.empty() && held.queue.front().first <= now_us()) {
    deliver_locally(&dest, from.id, std::move(held.queue.front().second));
    held.queue.pop_front();
  }
  if (held.queue.empty()) return;
  // Setting the expiry cancels the previous wait: one wait per pair.
  held.timer.expires_at(time_point(held.queue.front().first));
  held.timer.async_wait([this, &from, &dest](const boost::system::error_code& ec) {
    if (!ec) release_held(from, dest);
  });
}

void LiveNetwork::Impl::deliver_locally(Local* dest, NodeId from, Message message) {
  if (local_deliveries.size() >= kLinkFramesMax) {
    ++counters.frames_dropped;
    return;
  }
  local_deliveries.push_back({dest, from, std::move(message)});
  if (local_drain_posted) return;
  local_drain_posted = true;
  asio::post(io, [this] { drain_local_deliveries(); });
}

void LiveNetwork::Impl::drain_local_deliveries() {
  local_drain_posted = false;
  // At most a link's worth per turn, so sockets and timers get served too.
  for (size_t i = 0; i < kLinkFramesMax && !local_deliveries.empty(); ++i) {
    LocalDelivery delivery = std::move(local_deliveries.front());
    local_deliveries.pop_front();
    if (delivery.dest->up) delivery.dest->node->on_message(delivery.from, delivery.message);
  }
  if (!local_deliveries.empty() && !local_drain_posted) {
    local_drain_posted = true;
    asio::post(io, [this] { drain_local_deliveries(); });
  }
}

std::shared_ptr<LiveNetwork::Impl::Link> LiveNetwork::Impl::route(Local& from, NodeId to) {
  if (!addresses.contains(to)) {
    auto it = from.accepted.find(to);
    return it == from.accepted.end() ? nullptr : it->second.lock();
  }
  auto it = from.dialed.find(to);
  if (it != from.dialed.end() && !it->second->closed) return it->second;
  // A crash closes every dialed link, so the map holds no empty entries.
  if (now_us() < from.reconnect_at_us) return nullptr;  // the peer was just unreachable
  auto link = std::make_shared<Link>(from, to, tcp::socket(io));
  link->dialed = true;
  from.dialed[to] = link;
  return link;
}

void LiveNetwork::Impl::enqueue(const std::shared_ptr<Link>& link, std::string frame,
                                int64_t ready_us, bool ordered) {
  if (link->queue.size() >= kLinkFramesMax) {
    ++counters.frames_dropped;
    return;
  }
  if (!ordered && ready_us > now_us()) {
    // Joins the link when its delay is over: it may overtake or be overtaken.
    at(ready_us, [this, link, f = std::move(frame)]() mutable {
      if (!link->closed) enqueue(link, std::move(f), 0, false);
    });
    return;
  }
  if (ordered) {
    ready_us = std::max(ready_us, link->hold_until_us);
    link->hold_until_us = ready_us;
  }
  link->queue.push_back({ready_us, std::move(frame)});
  pump(link);
}

void LiveNetwork::Impl::pump(const std::shared_ptr<Link>& link) {
  if (link->closed || link->writing || link->queue.empty()) return;
  if (!link->connected) {
    if (link->dialed && !link->connecting) connect(link);
    return;
  }
  if (link->queue.front().ready_us > now_us()) {
    link->timer.expires_at(time_point(link->queue.front().ready_us));
    link->timer.async_wait([this, link](const boost::system::error_code& ec) {
      if (!ec) pump(link);
    });
    return;
  }
  link->writing = true;
  asio::async_write(link->socket, asio::buffer(link->queue.front().frame),
                    [this, link](const boost::system::error_code& ec, size_t) {
                      link->writing = false;
                      // Closed meanwhile (a bad frame read on the same link):
                      // close() emptied the queue and counted this frame as
                      // dropped; its completion may still report success.
                      if (ec || link->closed) return close(link);
                      link->queue.pop_front();
                      ++counters.frames_sent;
                      pump(link);
                    });
}

void LiveNetwork::Impl::connect(const std::shared_ptr<Link>& link) {
  const LiveAddress& address = addresses.at(link->remote);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (ec) return close(link);
  link->connecting = true;
  link->socket.async_connect(tcp::endpoint(ip, address.port),
                             [this, link](const boost::system::error_code& error) {
                               link->connecting = false;
                               if (error) {
                                 link->owner.reconnect_at_us = now_us() + kReconnectUs;
                                 return close(link);
                               }
                               link->connected = true;
                               link->socket.set_option(tcp::no_delay(true));
                               read_header(link);
                               pump(link);
                             });
}

void LiveNetwork::Impl::read_header(const std::shared_ptr<Link>& link) {
  asio::async_read(link->socket, asio::buffer(link->header),
                   [this, link](const boost::system::error_code& ec, size_t) {
                     if (ec) return close(link);
                     const uint32_t length = wire::body_length(link->header.data());
                     if (length > wire::kFrameBytesMax) {
                       ++counters.bad_frames;
                       return close(link);
                     }
                     read_body(link, length);
                   });
}

void LiveNetwork::Impl::read_body(const std::shared_ptr<Link>& link, uint32_t length) {
  link->body.resize(length);
  asio::async_read(link->socket, asio::buffer(link->body),
                   [this, link](const boost::system::error_code& ec, size_t) {
                     if (ec) return close(link);
                     on_frame(link);
                   });
}

void LiveNetwork::Impl::on_frame(const std::shared_ptr<Link>& link) {
  wire::Decoded d = wire::decode(link->body);
  if (!d.error.empty()) {
    ++counters.bad_frames;
    return close(link);
  }
  ++counters.frames_received;
  Local& owner = link->owner;
  if (!link->dialed && !addresses.contains(d.from)) {
    link->remote = d.from;
    owner.accepted[d.from] = link;  // answers to a dial-only node go back this way
  }
  if (owner.up) owner.node->on_message(d.from, d.message);
  if (!link->closed) read_header(link);
}

void LiveNetwork::Impl::close(const std::shared_ptr<Link>& link) {
  if (link->closed) return;
  link->closed = true;
  counters.frames_dropped += link->queue.size();
  link->queue.clear();
  boost::system::error_code ignored;
  link->timer.cancel();
  link->socket.close(ignored);
}

void LiveNetwork::Impl::set_timer(Local& local, int64_t delay_us, uint64_t timer_id) {
  auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::microseconds(delay_us));
  timer->async_wait(
      [timer, &local, epoch = local.epoch, timer_id](const boost::system::error_code& ec) {
        if (!ec && local.up && local.epoch == epoch) local.node->on_timer(timer_id);
      });
}

std::string LiveNetwork::Impl::listen(Local& local) {
  auto it = addresses.find(local.id);
  if (it == addresses.end()) return "";
  std::string error = open_acceptor(local.acceptor.emplace(io), it->second);
  if (error.empty()) accept(local);
  return error;
}

void LiveNetwork::Impl::accept(Local& local) {
  local.acceptor->async_accept(
      [this, &local, epoch = local.epoch](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec || local.epoch != epoch || !local.acceptor) return;
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto link = std::make_shared<Link>(local, kUnknownPeer, std::move(socket));
        link->connected = true;
        local.inbound.push_back(link);
        read_header(link);
        accept(local);
      });
}

void LiveNetwork::Impl::crash(NodeId id, int64_t down_us) {
  Local& local = *locals.at(id);
  if (!local.up) return;
  local.up = false;
  ++local.epoch;
  if (local.acceptor) local.acceptor.reset();
  for (auto& [peer, link] : local.dialed) close(link);
  for (auto& weak : local.inbound) {
    if (auto link = weak.lock()) close(link);
  }
  local.dialed.clear();
  local.accepted.clear();
  local.inbound.clear();
  // Like the frames of a closed link: what it had not yet sent is lost.
  // A pair that never held a message back has an empty entry (send_locally).
  for (auto& [peer, held] : local.held) {
    if (held) counters.frames_dropped += held->drop();
  }
  for (auto& [other_id, other] : locals) {
    auto it = other->held.find(id);
    if (it != other->held.end() && it->second) counters.frames_dropped += it->second->drop();
  }
  local.node->on_crash();
  at(now_us() + down_us, [this, &local] {
    const std::string error = listen(local);
    ORDEAL_ASSERT(error.empty(), "{} restarting: {}", local.id, error);
    local.up = true;
    local.node->on_start();
  });
}

struct LiveNetwork::Impl::Control {
  Control(asio::io_context& io, ControlHandler h)
      : acceptor(io), handler(std::make_shared<ControlHandler>(std::move(h))) {}
  tcp::acceptor acceptor;
  std::shared_ptr<const ControlHandler> handler;
};

namespace {

// Answers lines on one control connection until it closes.
struct ControlSession : std::enable_shared_from_this<ControlSession> {
  ControlSession(tcp::socket s, std::shared_ptr<const LiveNetwork::ControlHandler> h)
      : socket(std::move(s)), handler(std::move(h)) {}
  void read() {
    asio::async_read_until(socket, asio::dynamic_buffer(in, LiveNetwork::kControlLineMax), '\n',
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       size_t n) { self->on_line(ec, n); });
  }
  void on_line(const boost::system::error_code& ec, size_t n) {
    if (ec) return;  // closed, or a line over the limit: hang up
    std::string line = in.substr(0, n - 1);
    in.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out = (*handler)(line) + "\n";
    asio::async_write(socket, asio::buffer(out),
                      [self = shared_from_this()](const boost::system::error_code& error, size_t) {
                        if (!error) self->read();
                      });
  }
  tcp::socket socket;
  std::shared_ptr<const LiveNetwork::ControlHandler> handler;
  std::string in, out;
};
}  // namespace

std::string LiveNetwork::Impl::serve_control(const LiveAddress& address, ControlHandler handler) {
  auto control = std::make_shared<Control>(io, std::move(handler));
  std::string error = open_acceptor(control->acceptor, address);
  if (error.empty()) control_accept(control);
  return error;
}

void LiveNetwork::Impl::control_accept(const std::shared_ptr<Control>& control) {
  control->acceptor.async_accept(
      [this, control](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec) return;
        std::make_shared<ControlSession>(std::move(socket), control->handler)->read();
        control_accept(control);
      });
}

std::string LiveNetwork::serve_control(const LiveAddress& address, ControlHandler handler) {
  return impl_->serve_control(address, std::move(handler));
}

LiveNetwork::LiveNetwork(uint64_t seed) : impl_(std::make_unique<Impl>(seed)) {}
LiveNetwork::~LiveNetwork() = default;

void LiveNetwork::set_address(NodeId id, LiveAddress address) {
  impl_->addresses[id] = std::move(address);
}

Env& LiveNetwork::env(NodeId id) {
  auto& local = impl_->locals[id];
  if (!local) local = std::make_unique<Impl::Local>(*impl_, id);
  return *local;
}

void LiveNetwork::attach(NodeId id, Node& node) {
  env(id);
  impl_->locals.at(id)->node = &node;
}

std::string LiveNetwork::start() {
  for (auto& [id, local] : impl_->locals) {
    ORDEAL_ASSERT(local->node != nullptr, "node {} has an env but was never attached", id);
    if (std::string error = impl_->listen(*local); !error.empty()) return error;
  }
  for (auto& [id, local] : impl_->locals) local->node->on_start();
  return "";
}

int64_t LiveNetwork::now_us() const { return impl_->now_us(); }

void LiveNetwork::run_until(int64_t until_us) {
  if (impl_->stopped) return;
  impl_->io.restart();
  impl_->io.run_until(impl_->time_point(until_us));
}

void LiveNetwork::run() {
  if (impl_->stopped) return;
  impl_->io.restart();
  impl_->io.run();
}

void LiveNetwork::stop() {
  impl_->stopped = true;
  impl_->io.stop();
}

bool LiveNetwork::stopped() const { return impl_->stopped; }

void LiveNetwork::post(std::function<void()> action) { asio::post(impl_->io, std::move(action)); }

void LiveNetwork::at(int64_t time_us, std::function<void()> action) {
  impl_->at(time_us, std::move(action));
}

void LiveNetwork::crash(NodeId id, int64_t down_us) { impl_->crash(id, down_us); }

const LiveCounters& LiveNetwork::counters() const { return impl_->counters; }

uint16_t free_loopback_port() {
  asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return probe.local_endpoint().port();
}

}  // namespace ordeal::exchange
