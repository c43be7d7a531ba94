// The TCP fault proxy, in process: named proxies (a listening address in front
// of an upstream), faults added and removed by API, counters, and optionally
// the HTTP/JSON control API. One I/O thread serves every proxy; this header
// keeps Boost out (the implementation lives behind a pointer).
//
//   FaultProxy hub(/*seed=*/42);
//   auto gw = hub.add_proxy({.name = "gateway", .upstream = "127.0.0.1:9001"});
//   // clients connect to gw.value.listen_address instead of the gateway
//   hub.add_fault("gateway", {.kind = FaultKind::latency, .latency_ms = 50});
//   hub.heal_all();   // or let the faults' leases run out
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "faults/proxy/proxy_fault.h"

namespace ordeal::proxy {

enum class ErrorKind : uint8_t { none, bad_input, not_found, conflict, unavailable };

struct Error {
  ErrorKind kind = ErrorKind::none;
  std::string message;
};

template <typename T>
struct Result {
  T value{};
  Error error;
  explicit operator bool() const { return error.kind == ErrorKind::none; }
};

struct Done {};

struct ProxyOptions {
  std::string name;                    // unique; letters, digits, '-', '_', '.'
  std::string listen = "127.0.0.1:0";  // host:port; port 0 picks a free one
  std::string upstream;                // host:port, resolved when the proxy is added
  uint64_t seed = 0;                   // 0: the FaultProxy's seed
  int64_t connect_timeout_ms = 2000;
  int64_t write_timeout_ms = 10'000;  // a peer that takes no bytes this long is cut off
  int64_t connections_max = 1024;     // more are refused (closed at once) and counted
};

struct ProxyCounters {
  uint64_t connections_accepted = 0;
  uint64_t connections_open = 0;
  uint64_t connections_refused = 0;  // over connections_max, or upstream unreachable
  uint64_t connections_reset = 0;    // by a reset fault
  uint64_t bytes_upstream = 0;       // delivered to the upstream
  uint64_t bytes_downstream = 0;     // delivered to clients
  uint64_t bytes_dropped = 0;        // swallowed by blackhole or drop
  uint64_t bytes_spliced = 0;        // of those delivered, moved by splice(2) (no fault active)
  uint64_t faults_fired = 0;
};

struct FaultState {
  ProxyFault fault;
  uint64_t decisions = 0;
  uint64_t fired = 0;
  int64_t lease_left_ms = 0;  // 0 with fault.lease_ms == 0: no lease
};

struct ProxyState {
  ProxyOptions options;
  std::string listen_address;  // as bound, e.g. "127.0.0.1:40123"
  ProxyCounters counters;
  std::vector<FaultState> faults;
};

class FaultProxy {
 public:
  explicit FaultProxy(uint64_t seed = 0);
  ~FaultProxy();  // closes every proxy and connection, stops the thread
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  Result<ProxyState> add_proxy(const ProxyOptions& options);
  Result<Done> remove_proxy(std::string_view name);
  Result<ProxyState> proxy(std::string_view name) const;
  Result<std::vector<ProxyState>> proxies() const;

  // An unnamed fault is named after its kind.
  Result<FaultState> add_fault(std::string_view proxy, const ProxyFault& fault);
  Result<Done> remove_fault(std::string_view proxy, std::string_view fault);
  // Removes every fault of every proxy: all links heal.
  Result<Done> heal_all();

  // Serves the HTTP/JSON control API on `address` (host:port, port 0 picks
  // one); returns the bound address.
  Result<std::string> start_control_api(const std::string& address);

  uint64_t seed() const { return seed_; }
  // The first exception out of a handler on the I/O thread, in words; empty
  // while there was none. The proxies serve on, but a connection or fault
  // may have been left half done: a run stops on it.
  std::string failure() const;
  bool failed() const;

  class Impl;

 private:
  uint64_t seed_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordeal::proxy
