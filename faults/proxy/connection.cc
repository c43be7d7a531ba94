// One proxied connection: see connection.h.
#include "faults/proxy/connection.h"

#include <algorithm>

#include "faults/proxy/link.h"

namespace ordeal::proxy {
namespace {

constexpr auto kWatchdogPeriod = std::chrono::milliseconds(250);

void set_no_delay(tcp::socket& socket) {
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);  // a proxy must not add Nagle's delay
}

}  // namespace

Connection::Connection(std::shared_ptr<Link> link, tcp::socket client, uint64_t id)
    : link_(std::move(link)),
      client_(std::move(client)),
      server_(client_.get_executor()),
      id_(id),
      watchdog_timer_(client_.get_executor()) {}

Connection::~Connection() = default;

void Connection::start() {
  asio::co_spawn(
      client_.get_executor(), [self = shared_from_this()] { return self->run(); }, asio::detached);
}

awaitable<void> Connection::run() {
  if (!co_await connect_upstream()) {
    ++link_->counters().connections_refused;
    close();
    co_return;
  }
  set_no_delay(client_);
  set_no_delay(server_);
  upstream_ = std::make_unique<Pump>(*this, client_, server_, Direction::upstream);
  downstream_ = std::make_unique<Pump>(*this, server_, client_, Direction::downstream);
  const auto executor = client_.get_executor();
  auto self = shared_from_this();
  for (Pump* pump : {upstream_.get(), downstream_.get()}) {
    asio::co_spawn(
        executor, [self, pump] { return pump->read_loop(); }, asio::detached);
    asio::co_spawn(
        executor, [self, pump] { return pump->write_loop(); }, asio::detached);
  }
  co_await watchdog();
}

awaitable<bool> Connection::connect_upstream() {
  asio::steady_timer deadline(client_.get_executor());
  deadline.expires_after(std::chrono::milliseconds(link_->options().connect_timeout_ms));
  deadline.async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->server_.close();  // the connect below ends with an error
  });
  error_code ec;
  const auto& endpoints = link_->upstream_endpoints();
  co_await asio::async_connect(server_, endpoints.begin(), endpoints.end(), into(ec));
  deadline.cancel();
  co_return !ec && !closed_ && server_.is_open();
}

// Cuts off a connection whose peer has taken no bytes for write_timeout_ms,
// so a stuck peer cannot hold the proxy's memory and timers forever.
awaitable<void> Connection::watchdog() {
  const auto limit = std::chrono::milliseconds(link_->options().write_timeout_ms);
  while (!closed_) {
    co_await sleep_until(watchdog_timer_, asio::steady_timer::clock_type::now() + kWatchdogPeriod);
    const auto now = asio::steady_timer::clock_type::now();
    for (Pump* pump : {upstream_.get(), downstream_.get()}) {
      const auto started = pump->write_started();
      if (started && now - *started > limit) close();
    }
  }
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  client_.close(ec);
  server_.close(ec);
  for (Pump* pump : {upstream_.get(), downstream_.get()}) {
    if (pump) pump->stop();
  }
  watchdog_timer_.cancel();
  for (auto& timer : reset_timers_) timer->cancel();
  link_->forget(id_);
}

void Connection::reset() {
  if (closed_) return;
  error_code ec;
  for (tcp::socket* socket : {&client_, &server_}) {
    if (socket->is_open()) socket->set_option(asio::socket_base::linger(true, 0), ec);
  }
  ++link_->counters().connections_reset;
  close();
}

void Connection::choose(const ActiveFault& fault) {
  if (closed_) return;
  // Forget faults that are gone, so the list stays as short as the table.
  std::erase_if(chosen_, [&](uint64_t id) { return link_->table().find_id(id) == nullptr; });
  chosen_.push_back(fault.id);
  if (fault.spec.kind == FaultKind::reset) {
    asio::co_spawn(
        client_.get_executor(),
        [self = shared_from_this(), id = fault.id, after_ms = fault.spec.reset_after_ms] {
          return self->reset_later(id, after_ms);
        },
        asio::detached);
  }
  wake();
}

awaitable<void> Connection::reset_later(uint64_t fault_id, int64_t after_ms) {
  std::erase_if(reset_timers_, [](const auto& timer) {
    return timer->expiry() < asio::steady_timer::clock_type::now();
  });
  asio::steady_timer* timer =
      reset_timers_.emplace_back(std::make_unique<asio::steady_timer>(client_.get_executor()))
          .get();
  error_code ec;
  timer->expires_after(std::chrono::milliseconds(after_ms));
  co_await timer->async_wait(into(ec));
  // Healed before its time (removed, lease over), the reset does not happen.
  if (!ec && !closed_ && link_->table().find_id(fault_id) != nullptr) reset();
}

bool Connection::held(Direction direction) const {
  for (uint64_t id : chosen_) {
    const ActiveFault* fault = link_->table().find_id(id);
    if (fault && fault->spec.kind == FaultKind::half_open &&
        covers(fault->spec.direction, direction))
      return true;
  }
  return false;
}

void Connection::wake() {
  for (Pump* pump : {upstream_.get(), downstream_.get()}) {
    if (pump) pump->wake();
  }
}

void Connection::pump_finished() {
  if (++pumps_finished_ == 2) close();
}

}  // namespace ordeal::proxy
