// What the TCP fault proxy costs on loopback: the round-trip latency it adds
// (p50, p99) against a direct connection, and its throughput in bytes/s
// against a direct connection's, with the CPU time spent per GB moved: by
// every thread of the process (client, sink and proxy) and by the proxy's
// own I/O thread alone. Figures, not a test; docs/performance.md has the
// results.
//
//   build/default/bin/proxy_bench [ROUND_TRIPS] [THROUGHPUT_MIB] [REPEATS]
//
// Each repetition measures direct, through the proxy and through the proxy
// with a 0 ms fault back to back, on fresh servers and proxies, so a change
// in the machine's load hits all three alike; the summary gives medians and
// the median of each repetition's proxy/direct ratio.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faults/proxy/fault_proxy.h"
#include "faults/proxy/loopback.h"

namespace {

using namespace ordeal::proxy;
using Clock = std::chrono::steady_clock;

constexpr int kRepeatsMax = 20;

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

double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The proxy's I/O thread names itself "ordeal-proxy"; its CPU time comes
// from the scheduler's per-thread account (nanoseconds). 0 where there is
// no /proc.
double proxy_thread_cpu_s() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    if (name != "ordeal-proxy") continue;
    double on_cpu_ns = 0;
    std::ifstream(task.path() / "schedstat") >> on_cpu_ns;
    return on_cpu_ns / 1e9;
  }
  return 0;
}

struct Throughput {
  double bytes_per_s = 0;
  double cpu_s_per_gb = 0;        // every thread of the process
  double proxy_cpu_s_per_gb = 0;  // the proxy's I/O thread alone
};

// From a client to a sink, `total_bytes` in 256 KiB writes.
Throughput throughput(uint16_t port, const EchoServer& sink, uint64_t total_bytes) {
  LoopbackClient client(port);
  const std::string block(256 * 1024, 't');
  const uint64_t before = sink.bytes_received();
  const double cpu_before_s = process_cpu_s();
  const double proxy_before_s = proxy_thread_cpu_s();
  const auto start = Clock::now();
  for (uint64_t sent = 0; sent < total_bytes; sent += block.size()) {
    if (!client.send(block)) return {};
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (sink.bytes_received() - before < total_bytes && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  const std::chrono::duration<double> took = Clock::now() - start;
  const double moved_gb = static_cast<double>(sink.bytes_received() - before) / 1e9;
  return {.bytes_per_s = moved_gb * 1e9 / took.count(),
          .cpu_s_per_gb = (process_cpu_s() - cpu_before_s) / moved_gb,
          .proxy_cpu_s_per_gb = (proxy_thread_cpu_s() - proxy_before_s) / moved_gb};
}

uint16_t port_of(const std::string& address) {
  return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

// What one repetition measured: [0] direct, [1] through the proxy, [2] with
// a 0 ms latency fault (every byte through the fault table and the queue).
struct Repetition {
  Percentiles latency[3];
  Throughput flow[3];
};

// A fault that selects every byte but changes nothing: the queued path.
const ProxyFault kZeroFault{.name = "zero", .kind = FaultKind::latency, .lease_ms = 0};

std::optional<Repetition> repeat_once(FaultProxy& hub, int index, int count, uint64_t bytes) {
  EchoServer echo;
  EchoServer sink(/*sink=*/true);
  const std::string echo_name = fmt::format("echo-{}", index);
  const std::string sink_name = fmt::format("sink-{}", index);
  const auto echo_proxy = hub.add_proxy({.name = echo_name, .upstream = echo.address()});
  const auto sink_proxy = hub.add_proxy({.name = sink_name, .upstream = sink.address()});
  if (!echo_proxy || !sink_proxy) return std::nullopt;
  const uint16_t echo_port = port_of(echo_proxy.value.listen_address);
  const uint16_t sink_port = port_of(sink_proxy.value.listen_address);
  Repetition r;
  if (count > 0) {
    r.latency[0] = round_trips(echo.port(), count);
    r.latency[1] = round_trips(echo_port, count);
    hub.add_fault(echo_name, kZeroFault);
    r.latency[2] = round_trips(echo_port, count);
  }
  if (bytes > 0) {
    r.flow[0] = throughput(sink.port(), sink, bytes);
    r.flow[1] = throughput(sink_port, sink, bytes);
    hub.add_fault(sink_name, kZeroFault);
    r.flow[2] = throughput(sink_port, sink, bytes);
  }
  hub.remove_proxy(echo_name);
  hub.remove_proxy(sink_name);
  return r;
}

template <typename F>
double median_of(const std::vector<Repetition>& runs, F figure) {
  std::vector<double> values;
  for (const Repetition& r : runs) values.push_back(figure(r));
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

constexpr const char* kPathNames[3] = {"direct", "through the proxy, no fault",
                                       "through the proxy, 0 ms latency fault"};

void print_latency(const std::vector<Repetition>& runs, int count) {
  fmt::print("round trip of 64 bytes, {} samples, median of {} (us)   p50      p99\n", count,
             runs.size());
  for (int path = 0; path < 3; ++path) {
    fmt::print("  {:<44}{:8.1f} {:8.1f}\n", kPathNames[path],
               median_of(runs, [&](const Repetition& r) { return r.latency[path].p50_us; }),
               median_of(runs, [&](const Repetition& r) { return r.latency[path].p99_us; }));
  }
  for (int path = 1; path < 3; ++path) {
    auto added = [&](const Repetition& r) { return r.latency[path].p50_us - r.latency[0].p50_us; };
    fmt::print("  added p50, {:<33}{:8.1f}\n", kPathNames[path], median_of(runs, added));
  }
}

void print_throughput(const std::vector<Repetition>& runs, uint64_t bytes) {
  fmt::print("throughput, {} MiB in 256 KiB writes            GB/s  CPU s/GB  proxy thread s/GB\n",
             bytes >> 20);
  for (size_t i = 0; i < runs.size(); ++i) {
    for (int path = 0; path < 3; ++path) {
      const Throughput& f = runs[i].flow[path];
      fmt::print("  #{} {:<41}{:6.2f} {:9.2f} {:9.2f}\n", i + 1, kPathNames[path],
                 f.bytes_per_s / 1e9, f.cpu_s_per_gb, f.proxy_cpu_s_per_gb);
    }
  }
  for (int path = 0; path < 3; ++path) {
    auto field = [&](auto member) {
      return median_of(runs, [&](const Repetition& r) { return r.flow[path].*member; });
    };
    fmt::print("  median {:<38}{:6.2f} {:9.2f} {:9.2f}\n", kPathNames[path],
               field(&Throughput::bytes_per_s) / 1e9, field(&Throughput::cpu_s_per_gb),
               field(&Throughput::proxy_cpu_s_per_gb));
  }
  auto ratio = [](const Repetition& r) { return r.flow[1].bytes_per_s / r.flow[0].bytes_per_s; };
  fmt::print("  proxy/direct bytes/s, median of the repetitions' ratios: {:.2f}\n",
             median_of(runs, ratio));
}

void print_load(std::string_view when) {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3)
    fmt::print("load average {}: {:.2f} {:.2f} {:.2f}\n", when, load[0], load[1], load[2]);
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::stoi(argv[1]) : 20'000;
  const uint64_t total_bytes = (argc > 2 ? std::stoull(argv[2]) : 2048) * 1024 * 1024;
  const int repeats = std::clamp(argc > 3 ? std::stoi(argv[3]) : 3, 1, kRepeatsMax);
  FaultProxy hub(1);
  std::vector<Repetition> runs;
  print_load("before");
  for (int i = 0; i < repeats; ++i) {
    const auto run = repeat_once(hub, i, count, total_bytes);
    if (!run) {
      fmt::print(stderr, "proxy_bench: cannot start the proxies\n");
      return 3;
    }
    runs.push_back(*run);
  }
  print_load("after");
  if (count > 0) print_latency(runs, count);
  if (total_bytes > 0) print_throughput(runs, total_bytes);
  return 0;
}
