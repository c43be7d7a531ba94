// ordeal-proxy: the TCP fault proxy on its own, e.g. in front of a staging
// gateway, controlled over its HTTP/JSON API (docs/proxy.md).
//
//   ordeal-proxy --listen 0.0.0.0:9878 --upstream staging-gw:9878 --seed 7
//   curl -X POST localhost:8474/proxies/main/faults -d '{"kind":"latency","latency_ms":50}'
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <thread>

#include "faults/proxy/fault_proxy.h"
#include "faults/proxy/proxy_config.h"

namespace {

using namespace ordeal::proxy;

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested = true; }

struct Flags {
  std::string name = "main";
  std::string listen = "127.0.0.1:0";
  std::string upstream;
  std::string api = "127.0.0.1:8474";
  std::string config;
  uint64_t seed = 0;
  bool no_api = false;
};

// Starts the proxies and faults the flags and config ask for; exit status on failure.
int start(FaultProxy& hub, const Flags& flags, const ProxyConfig& config) {
  std::vector<ProxyOptions> proxies = config.proxies;
  if (!flags.upstream.empty())
    proxies.push_back({.name = flags.name, .listen = flags.listen, .upstream = flags.upstream});
  if (proxies.empty()) {
    fmt::print(stderr,
               "ordeal-proxy: nothing to proxy: give --upstream or a --config with "
               "[[proxy]] tables\n");
    return 2;
  }
  for (const ProxyOptions& options : proxies) {
    const auto added = hub.add_proxy(options);
    if (!added) {
      fmt::print(stderr, "ordeal-proxy: proxy '{}': {}\n", options.name, added.error.message);
      return added.error.kind == ErrorKind::bad_input ? 2 : 3;
    }
    fmt::print("proxy {}: {} -> {}\n", options.name, added.value.listen_address, options.upstream);
  }
  for (const auto& [proxy, fault] : config.faults) {
    const auto added = hub.add_fault(proxy, fault);
    if (!added) {
      fmt::print(stderr, "ordeal-proxy: fault on '{}': {}\n", proxy, added.error.message);
      return 2;
    }
  }
  if (flags.no_api) return 0;
  const auto api = hub.start_control_api(config.api.value_or(flags.api));
  if (!api) {
    fmt::print(stderr, "ordeal-proxy: {}\n", api.error.message);
    return api.error.kind == ErrorKind::bad_input ? 2 : 3;
  }
  fmt::print("control API: http://{}\n", api.value);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ordeal-proxy: a TCP fault proxy (latency, bandwidth, slicing, corruption, "
      "blackhole, FIX message drops, half-open, reset) with an HTTP/JSON control API"};
  Flags flags;
  app.add_option("--listen", flags.listen, "address to listen on (host:port)")
      ->capture_default_str();
  app.add_option("--upstream", flags.upstream, "address to forward to (host:port)");
  app.add_option("--name", flags.name, "name of the proxy given by --listen/--upstream")
      ->capture_default_str();
  app.add_option("--api", flags.api, "control API address (loopback by default)")
      ->capture_default_str();
  app.add_flag("--no-api", flags.no_api, "serve no control API");
  app.add_option("--seed", flags.seed, "seed of every fault decision")->capture_default_str();
  app.add_option("--config", flags.config, "TOML file of proxies and faults (docs/proxy.md)");
  CLI11_PARSE(app, argc, argv);

  ProxyConfig config;
  if (!flags.config.empty()) {
    config = load_proxy_config(flags.config);
    if (!config) {
      fmt::print(stderr, "ordeal-proxy: {}\n", config.error);
      return 2;
    }
  }
  const bool seed_given = app.count("--seed") > 0;
  FaultProxy hub(seed_given ? flags.seed : config.seed.value_or(0));
  if (const int status = start(hub, flags, config); status != 0) return status;
  std::fflush(stdout);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGPIPE, SIG_IGN);
  // The proxy works on its own thread; this one waits for a signal, or for
  // that thread to fail (a bug: said, rather than serving on half broken).
  while (!stop_requested && !hub.failed())
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (!hub.failed()) return 130;
  fmt::print(stderr, "ordeal-proxy: stopping: {}\n", hub.failure());
  return 3;
}
