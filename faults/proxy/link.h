// One named proxy: a listener in front of an upstream, its connections, its
// active faults and their leases, and its counters. Everything runs on the
// FaultProxy's I/O thread; nothing here locks.
//
//   auto link = std::make_shared<Link>(io, options, seed);
//   if (std::string error = link->start(); !error.empty()) ...
//   link->add_fault(fault);  ...  link->close();
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "faults/proxy/asio.h"
#include "faults/proxy/fault_proxy.h"
#include "faults/proxy/fault_table.h"
#include "faults/proxy/splice_pipe.h"

namespace ordeal::proxy {

class Connection;

class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(asio::io_context& io, ProxyOptions options, uint64_t seed);
  ~Link();

  // Resolves the upstream, binds and starts accepting; an error message otherwise.
  std::string start();
  // Stops accepting, closes every connection, drops every fault and lease.
  void close();

  Result<FaultState> add_fault(const ProxyFault& fault);
  bool remove_fault(std::string_view name);
  void heal();
  ProxyState state() const;

  // For connections.
  FaultTable& table() { return table_; }
  ProxyCounters& counters() { return counters_; }
  const ProxyOptions& options() const { return options_; }
  const std::vector<tcp::endpoint>& upstream_endpoints() const { return upstream_; }
  SplicePipePool& pipes() { return pipes_; }
  void forget(uint64_t connection_id);

 private:
  awaitable<void> accept_loop();
  void admit(tcp::socket socket);
  void arm_lease(const ActiveFault& fault);
  void expire(uint64_t fault_id);
  void wake_all();
  FaultState state_of(const ActiveFault& fault) const;

  asio::io_context& io_;
  ProxyOptions options_;
  tcp::acceptor acceptor_;
  std::vector<tcp::endpoint> upstream_;
  std::string listen_address_;
  FaultTable table_;
  ProxyCounters counters_;
  std::map<uint64_t, std::shared_ptr<Connection>> connections_;
  // Pipes for the straight path, lent per read: 1 MiB each if the kernel
  // grants it (its default is 64 KiB), a few kept idle for the next read.
  SplicePipePool pipes_{1024 * 1024, 8};
  std::map<uint64_t, std::unique_ptr<asio::steady_timer>> leases_;
  uint64_t next_connection_id_ = 1;
  bool closed_ = false;
};

}  // namespace ordeal::proxy
