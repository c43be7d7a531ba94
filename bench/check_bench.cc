// The checker's speed and memory on a large generated history:
//   check_bench EVENTS [FILE]
// writes a history of about EVENTS events (orders placed, some traded, some
// cancelled, all read at the end), then reads and checks it with every
// property, and prints events per second and peak memory per event. The file
// is removed at the end unless FILE was given (to run `ordeal check` on it).
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "framework/check/property.h"
#include "framework/history/history_jsonl.h"

namespace {

using Clock = std::chrono::steady_clock;

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// User and system time of the process: on a shared machine, where wall time
// also counts the waits for a core, this is the time the check itself took.
double cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Eight events per pair of orders: two places and their acks, a trade's two
// fills, then the final reads; every eighth pair is cancelled instead.
uint64_t write_history(const std::string& path, uint64_t events_wanted) {
  FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return 0;
  uint64_t index = 0, op = 0, trade = 0;
  int64_t time_us = 0;
  auto line = [&](const std::string& body) {
    fmt::print(out, "{{\"index\":{},\"time_us\":{},{}}}\n", index++, time_us += 7, body);
  };
  for (uint64_t pair = 0; index < events_wanted; ++pair) {
    const int buyer = static_cast<int>(pair % 97) + 1, seller = static_cast<int>(pair % 89) + 100;
    const std::string b = fmt::format("b{}", pair), s = fmt::format("s{}", pair);
    line(fmt::format(
        R"("type":"invoke","client":{},"op":{},"f":"place","order":"{}","symbol":"BTC-USDT","side":"buy","price":55000,"qty":2)",
        buyer, ++op, b));
    line(fmt::format(
        R"("type":"ok","client":{},"op":{},"f":"place","order":"{}","status":"new","price":55000,"qty":2,"filled":0)",
        buyer, op, b));
    if (pair % 8 == 7) {
      line(fmt::format(
          R"("type":"invoke","client":{},"op":{},"f":"cancel","order":"{}","side":"buy","price":0,"qty":0)",
          buyer, ++op, b));
      line(fmt::format(
          R"("type":"ok","client":{},"op":{},"f":"cancel","order":"{}","status":"cancelled","price":55000,"qty":2,"filled":0)",
          buyer, op, b));
      line(fmt::format(
          R"("type":"read","client":{},"order":"{}","status":"cancelled","price":55000,"qty":2,"filled":0)",
          buyer, b));
      continue;
    }
    line(fmt::format(
        R"("type":"invoke","client":{},"op":{},"f":"place","order":"{}","symbol":"BTC-USDT","side":"sell","price":55000,"qty":2)",
        seller, ++op, s));
    line(fmt::format(
        R"("type":"ok","client":{},"op":{},"f":"place","order":"{}","status":"filled","price":55000,"qty":2,"filled":2)",
        seller, op, s));
    line(fmt::format(
        R"("type":"fill","client":{},"order":"{}","symbol":"BTC-USDT","side":"buy","price":55000,"qty":2,"filled":2,"trade":{},"maker":true)",
        buyer, b, ++trade));
    line(fmt::format(
        R"("type":"fill","client":{},"order":"{}","symbol":"BTC-USDT","side":"sell","price":55000,"qty":2,"filled":2,"trade":{})",
        seller, s, trade));
    line(fmt::format(
        R"("type":"read","client":{},"order":"{}","status":"filled","price":55000,"qty":2,"filled":2)",
        buyer, b));
  }
  std::fclose(out);
  return index;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t wanted = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/ordeal-check-bench.jsonl";
  const uint64_t written = write_history(path, wanted);
  const long rss_before_kb = peak_rss_kb();
  const double cpu_before_s = cpu_s();
  const auto start = Clock::now();
  const ordeal::HistoryLoad loaded = ordeal::read_history_jsonl(path);
  const auto read_done = Clock::now();
  const double read_cpu_s = cpu_s() - cpu_before_s;
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error);
    return 2;
  }
  const auto violations = ordeal::check_history(loaded.history, {}, {});
  const auto end = Clock::now();
  const double check_cpu_s = cpu_s() - cpu_before_s;
  const double read_s = std::chrono::duration<double>(read_done - start).count();
  const double total_s = std::chrono::duration<double>(end - start).count();
  const double bytes_per_event =
      static_cast<double>(peak_rss_kb() - rss_before_kb) * 1024 / static_cast<double>(written);
  fmt::print(
      "events {}  read {:.2f} s ({:.2f} s CPU)  read+check {:.2f} s ({:.2f} s CPU)  {:.2f} M "
      "events/s "
      "({:.2f} M per CPU second)  violations {}  peak memory {:.0f} bytes/event  "
      "lines scanned {:.1f}%\n",
      written, read_s, read_cpu_s, total_s, check_cpu_s,
      static_cast<double>(written) / total_s / 1e6,
      static_cast<double>(written) / check_cpu_s / 1e6, violations.size(), bytes_per_event,
      100.0 * static_cast<double>(loaded.scanned_lines) / static_cast<double>(written));
  if (argc <= 2) std::remove(path.c_str());
  return violations.empty() ? 0 : 1;
}
