// One named proxy: see link.h.
#include "faults/proxy/link.h"

#include <fmt/format.h>

#include "faults/proxy/connection.h"
#include "faults/proxy/host_port.h"

namespace ordeal::proxy {
namespace {

using Clock = asio::steady_timer::clock_type;

// Resolves host:port to endpoints; an error naming the field otherwise.
std::string resolve(asio::io_context& io, std::string_view field, const std::string& text,
                    std::vector<tcp::endpoint>& out) {
  std::string error;
  const auto address = parse_host_port(text, error);
  if (!address) return fmt::format("field '{}': {}", field, error);
  tcp::resolver resolver(io);
  error_code ec;
  const auto results = resolver.resolve(address->host, std::to_string(address->port), ec);
  if (ec) return fmt::format("field '{}': cannot resolve '{}': {}", field, text, ec.message());
  for (const auto& entry : results) out.push_back(entry.endpoint());
  if (out.empty()) return fmt::format("field '{}': '{}' resolves to nothing", field, text);
  return {};
}

}  // namespace

Link::Link(asio::io_context& io, ProxyOptions options, uint64_t seed)
    : io_(io), options_(std::move(options)), acceptor_(io), table_(seed) {
  options_.seed = seed;  // the seed in force, whether given or inherited
}

Link::~Link() = default;

std::string Link::start() {
  if (auto error = resolve(io_, "upstream", options_.upstream, upstream_); !error.empty())
    return error;
  std::vector<tcp::endpoint> listen;
  if (auto error = resolve(io_, "listen", options_.listen, listen); !error.empty()) return error;
  const error_code ec = listen_on(acceptor_, listen.front());
  if (ec)
    return fmt::format("field 'listen': cannot listen on '{}': {}", options_.listen, ec.message());
  listen_address_ = host_port_of(acceptor_.local_endpoint());
  asio::co_spawn(
      io_, [self = shared_from_this()] { return self->accept_loop(); }, asio::detached);
  return {};
}

awaitable<void> Link::accept_loop() {
  asio::steady_timer backoff(io_);
  while (!closed_) {
    std::optional<tcp::socket> socket = co_await accept_next(acceptor_, backoff);
    if (closed_) break;
    if (socket) admit(std::move(*socket));
  }
}

void Link::admit(tcp::socket socket) {
  ++counters_.connections_accepted;
  if (connections_.size() >= static_cast<size_t>(options_.connections_max)) {
    ++counters_.connections_refused;
    return;  // the socket closes as it goes out of scope
  }
  const uint64_t id = next_connection_id_++;
  auto connection = std::make_shared<Connection>(shared_from_this(), std::move(socket), id);
  connections_.emplace(id, connection);
  ++counters_.connections_open;
  for (const auto& fault : table_.faults()) {
    if (connection_scoped(fault->spec.kind) && fault->decide()) {
      table_.count_fire();
      connection->choose(*fault);
    }
  }
  connection->start();
}

void Link::forget(uint64_t connection_id) {
  if (connections_.erase(connection_id) > 0) --counters_.connections_open;
}

void Link::close() {
  closed_ = true;
  error_code ec;
  acceptor_.close(ec);
  heal();
  const auto connections = connections_;  // closing one removes it from the map
  for (const auto& [id, connection] : connections) connection->close();
  connections_.clear();
}

Result<FaultState> Link::add_fault(const ProxyFault& fault) {
  if (closed_) return {.error = {ErrorKind::not_found, "the proxy is closed"}};
  ActiveFault* added = nullptr;
  if (std::string error = table_.add(fault, Clock::now(), &added); !error.empty()) {
    const bool duplicate = error.find("already active") != std::string::npos;
    return {.error = {duplicate ? ErrorKind::conflict : ErrorKind::bad_input, error}};
  }
  if (added->expires_at) arm_lease(*added);
  if (connection_scoped(added->spec.kind)) {
    for (const auto& [id, connection] : connections_) {
      if (added->decide()) {
        table_.count_fire();
        connection->choose(*added);
      }
    }
  }
  wake_all();
  return {.value = state_of(*added)};
}

bool Link::remove_fault(std::string_view name) {
  for (const auto& fault : table_.faults()) {
    if (fault->spec.name != name) continue;
    leases_.erase(fault->id);  // destroying the timer cancels its wait
    table_.remove_id(fault->id);
    wake_all();
    return true;
  }
  return false;
}

void Link::heal() {
  leases_.clear();
  table_.clear();
  wake_all();
}

void Link::arm_lease(const ActiveFault& fault) {
  auto timer = std::make_unique<asio::steady_timer>(io_, *fault.expires_at);
  timer->async_wait([weak = weak_from_this(), id = fault.id](error_code ec) {
    if (ec) return;
    if (auto link = weak.lock()) link->expire(id);
  });
  leases_[fault.id] = std::move(timer);
}

void Link::expire(uint64_t fault_id) {
  leases_.erase(fault_id);
  if (table_.remove_id(fault_id)) wake_all();
}

void Link::wake_all() {
  for (const auto& [id, connection] : connections_) connection->wake();
}

FaultState Link::state_of(const ActiveFault& fault) const {
  FaultState state{.fault = fault.spec, .decisions = fault.decisions, .fired = fault.fired};
  if (fault.expires_at) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*fault.expires_at - Clock::now());
    state.lease_left_ms = std::max<int64_t>(left.count(), 1);
  }
  return state;
}

ProxyState Link::state() const {
  ProxyState state{.options = options_, .listen_address = listen_address_, .counters = counters_};
  state.counters.faults_fired = table_.fired_total();
  for (const auto& fault : table_.faults()) state.faults.push_back(state_of(*fault));
  return state;
}

}  // namespace ordeal::proxy
