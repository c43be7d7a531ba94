// One proxied connection: the client's socket, the upstream socket, a pump
// for each direction, and what connection-scoped faults (half_open, reset)
// chose it. Closing it ends both pumps and every timer it started.
//
//   auto connection = std::make_shared<Connection>(link, std::move(client_socket), id);
//   connection->start();   // connects upstream (with a timeout), then pumps
#pragma once

#include <memory>
#include <vector>

#include "faults/proxy/asio.h"
#include "faults/proxy/fault_table.h"
#include "faults/proxy/pump.h"

namespace ordeal::proxy {

class Link;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Link> link, tcp::socket client, uint64_t id);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  void close();
  // Closes both sockets with an RST (SO_LINGER 0) rather than a FIN.
  void reset();
  // A connection-scoped fault fired for this connection.
  void choose(const ActiveFault& fault);
  // True while a half_open fault that chose this connection holds `direction`.
  bool held(Direction direction) const;
  void wake();
  void pump_finished();

  Link& link() { return *link_; }
  uint64_t id() const { return id_; }

 private:
  awaitable<void> run();
  awaitable<bool> connect_upstream();
  awaitable<void> watchdog();
  awaitable<void> reset_later(uint64_t fault_id, int64_t after_ms);

  std::shared_ptr<Link> link_;
  tcp::socket client_;
  tcp::socket server_;
  uint64_t id_;
  std::unique_ptr<Pump> upstream_;
  std::unique_ptr<Pump> downstream_;
  std::vector<uint64_t> chosen_;  // ids of connection-scoped faults that fired here
  asio::steady_timer watchdog_timer_;
  std::vector<std::unique_ptr<asio::steady_timer>> reset_timers_;
  int pumps_finished_ = 0;
  bool closed_ = false;
};

}  // namespace ordeal::proxy
