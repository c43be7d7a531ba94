// What the TCP fault proxy costs on loopback: the round-trip latency it adds
// (p50, p99) against a direct connection, and its throughput in bytes/s
// with the CPU time every thread of the process spent per GB moved (client,
// sink and proxy: on a shared machine a steadier figure than bytes/s).
// Figures, not a test; docs/performance.md has the results.
//
//   build/default/bin/proxy_bench [ROUND_TRIPS] [THROUGHPUT_MIB]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "faults/proxy/fault_proxy.h"
#include "faults/proxy/loopback.h"

namespace {

using namespace ordeal::proxy;
using Clock = std::chrono::steady_clock;

struct Percentiles {
  double p50_us = 0;
  double p99_us = 0;
};

Percentiles round_trips(uint16_t port, int count) {
  LoopbackClient client(port);
  const std::string message(64, 'm');
  std::vector<double> samples_us;
  samples_us.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count + count / 10; ++i) {  // the first tenth warms up
    const auto start = Clock::now();
    client.send(message);
    if (client.receive(message.size(), milliseconds(1000)).size() != message.size()) break;
    const std::chrono::duration<double, std::micro> took = Clock::now() - start;
    if (i >= count / 10) samples_us.push_back(took.count());
  }
  if (samples_us.empty()) return {};
  std::sort(samples_us.begin(), samples_us.end());
  return {samples_us[samples_us.size() / 2], samples_us[samples_us.size() * 99 / 100]};
}

struct Throughput {
  double bytes_per_s = 0;
  double cpu_s_per_gb = 0;
};

double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// From a client to a sink, `total_bytes` in 256 KiB writes.
Throughput throughput(uint16_t port, const EchoServer& sink, uint64_t total_bytes) {
  LoopbackClient client(port);
  const std::string block(256 * 1024, 't');
  const uint64_t before = sink.bytes_received();
  const double cpu_before_s = process_cpu_s();
  const auto start = Clock::now();
  for (uint64_t sent = 0; sent < total_bytes; sent += block.size()) {
    if (!client.send(block)) return {};
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (sink.bytes_received() - before < total_bytes && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  const std::chrono::duration<double> took = Clock::now() - start;
  const auto moved = static_cast<double>(sink.bytes_received() - before);
  return {.bytes_per_s = moved / took.count(),
          .cpu_s_per_gb = (process_cpu_s() - cpu_before_s) / (moved / 1e9)};
}

uint16_t port_of(const std::string& address) {
  return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::stoi(argv[1]) : 20'000;
  const uint64_t total_bytes = (argc > 2 ? std::stoull(argv[2]) : 2048) * 1024 * 1024;
  EchoServer echo;
  EchoServer sink(/*sink=*/true);
  FaultProxy hub(1);
  const auto echo_proxy = hub.add_proxy({.name = "echo", .upstream = echo.address()});
  const auto sink_proxy = hub.add_proxy({.name = "sink", .upstream = sink.address()});
  if (!echo_proxy || !sink_proxy) {
    fmt::print(stderr, "proxy_bench: cannot start the proxies\n");
    return 3;
  }
  const uint16_t echo_port = port_of(echo_proxy.value.listen_address);
  const uint16_t sink_port = port_of(sink_proxy.value.listen_address);

  const Percentiles direct = round_trips(echo.port(), count);
  const Percentiles proxied = round_trips(echo_port, count);
  // A fault that selects every byte but changes nothing: the queued path.
  hub.add_fault("echo", {.name = "zero", .kind = FaultKind::latency, .lease_ms = 0});
  const Percentiles faulted = round_trips(echo_port, count);
  fmt::print("round trip of 64 bytes, {} samples (us)     p50      p99\n", count);
  fmt::print("  direct                               {:8.1f} {:8.1f}\n", direct.p50_us,
             direct.p99_us);
  fmt::print("  through the proxy, no fault          {:8.1f} {:8.1f}\n", proxied.p50_us,
             proxied.p99_us);
  fmt::print("  through the proxy, 0 ms latency fault {:7.1f} {:8.1f}\n", faulted.p50_us,
             faulted.p99_us);
  fmt::print("  added by the proxy (no fault)        {:8.1f} {:8.1f}\n",
             proxied.p50_us - direct.p50_us, proxied.p99_us - direct.p99_us);
  fmt::print("  added by the proxy (queued path)     {:8.1f} {:8.1f}\n",
             faulted.p50_us - direct.p50_us, faulted.p99_us - direct.p99_us);

  const Throughput direct_flow = throughput(sink.port(), sink, total_bytes);
  const Throughput proxied_flow = throughput(sink_port, sink, total_bytes);
  hub.add_fault("sink", {.name = "zero", .kind = FaultKind::latency, .lease_ms = 0});
  const Throughput faulted_flow = throughput(sink_port, sink, total_bytes);
  fmt::print("throughput, {} MiB in 256 KiB writes     GB/s  CPU s/GB\n", total_bytes >> 20);
  auto print_flow = [](std::string_view what, const Throughput& flow) {
    fmt::print("  {:<37}{:6.2f} {:9.2f}\n", what, flow.bytes_per_s / 1e9, flow.cpu_s_per_gb);
  };
  print_flow("direct", direct_flow);
  print_flow("through the proxy, no fault", proxied_flow);
  print_flow("through the proxy, 0 ms latency fault", faulted_flow);
  return 0;
}
