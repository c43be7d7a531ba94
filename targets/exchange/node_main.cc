// exchange-node: one node of the reference exchange as a process, for the
// cluster target. The same node code as in the simulator, over TCP and the
// real clock. ordeal's cluster launcher starts one per node:
//
//   exchange-node --role engine --index 1 --base-port 7100 --seed 7
//   exchange-node --role gateway --base-port 7100 --fix-port 9878
//
// Node k of the layout (layout.h) takes data port base+2k and control port
// base+2k+1 on the host. Stops cleanly on SIGINT or SIGTERM, and dies with
// its parent when --parent-pid is given.
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>

#include "faults/fault_point.h"
#include "framework/base/thread_failure.h"
#include "targets/exchange/layout.h"
#include "targets/exchange/live_network.h"
#include "targets/exchange/node_control.h"
#include "targets/exchange/sim_exchange.h"
#include "targets/fix/fix_gateway_port.h"

namespace {

using namespace ordeal::exchange;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Options {
  std::string role;
  int index = 0;
  Layout layout;
  std::string host = "127.0.0.1";
  int base_port = 0;
  uint64_t seed = 1;
  std::string defect = "none";
  int parent_pid = 0;
  std::string state_dir;                // empty: the node keeps its state in memory only
  std::vector<std::string> peers;       // "engine-1=127.0.0.1:4567": reach that node there instead
  std::vector<Instrument> instruments;  // a replica's first records; none: the reference ones
  ordeal::fix::FixPortConfig fix;       // port 0: no FIX port
};

LiveAddress data_address(const Options& o, NodeId id) {
  return {o.host, static_cast<uint16_t>(o.base_port + 2 * id)};
}
LiveAddress control_address(const Options& o, NodeId id) {
  return {o.host, static_cast<uint16_t>(o.base_port + 2 * id + 1)};
}

// Says what the node found of its state on disk; false when it cannot start.
bool report_recovery(const std::string& name, const Recovery& recovery, const std::string& dir) {
  if (!recovery.error.empty()) {
    fmt::print(stderr, "exchange-node {}: cannot restore its state: {}\n", name, recovery.error);
    return false;
  }
  if (!recovery.note.empty()) fmt::print(stderr, "exchange-node {}: {}\n", name, recovery.note);
  if (recovery.records > 0) {
    fmt::print(stderr, "exchange-node {}: restored {} journal records from {}\n", name,
               recovery.records, dir);
  }
  return true;
}

int serve(const Options& o, const DefectSet& defects) {
  LiveNetwork net(
      ordeal::mix64(o.seed ^ static_cast<uint64_t>(o.index) ^ ordeal::hash_name(o.role)));
  for (int i = 0; i < o.layout.replicas; ++i)
    net.set_address(o.layout.replica(i), data_address(o, o.layout.replica(i)));
  for (int i = 0; i < o.layout.shards; ++i)
    net.set_address(o.layout.shard(i), data_address(o, o.layout.shard(i)));
  net.set_address(o.layout.gateway(), data_address(o, o.layout.gateway()));
  for (const std::string& peer : o.peers) {
    const size_t eq = peer.find('='), colon = peer.rfind(':');
    for (NodeId id = 0; id <= o.layout.gateway(); ++id) {
      if (o.layout.name(id) != peer.substr(0, eq)) continue;
      net.set_address(id, {peer.substr(eq + 1, colon - eq - 1),
                           static_cast<uint16_t>(std::stoi(peer.substr(colon + 1)))});
    }
  }

  std::unique_ptr<Node> node;
  NodeHandle handle;
  // What the node says about its state when it stops: an engine, its resting
  // orders (what a client's clean-up should have cancelled).
  std::function<std::string()> state_at_stop = [] { return std::string(); };
  Recovery recovery;
  if (o.role == "meta") {
    auto replica = make_replica(o.layout, o.index, net.env(o.layout.replica(o.index)), defects,
                                metadata_of(o.instruments, o.layout.shards));
    if (!o.state_dir.empty()) recovery = replica->attach_journal(o.state_dir + "/meta.log", {});
    handle = {.id = replica->id(), .ready = [] { return true; }, .replica = replica.get()};
    node = std::move(replica);
  } else if (o.role == "engine") {
    auto shard = make_shard(o.layout, o.index, net.env(o.layout.shard(o.index)), defects);
    if (!o.state_dir.empty()) recovery = shard->attach_journal(o.state_dir + "/shard.log", {});
    handle = {.id = shard->id(), .ready = [s = shard.get()] { return s->metadata().fresh(); }};
    state_at_stop = [s = shard.get()] {
      return fmt::format(", {} resting orders", s->resting_orders());
    };
    node = std::move(shard);
  } else {
    auto gateway = make_gateway(o.layout, net.env(o.layout.gateway()), defects);
    if (!o.state_dir.empty()) recovery = gateway->attach_journal(o.state_dir + "/gateway.log", {});
    handle = {.id = gateway->id(), .ready = [g = gateway.get()] { return g->metadata().fresh(); }};
    node = std::move(gateway);
  }
  handle.name = o.layout.name(handle.id);
  if (!report_recovery(handle.name, recovery, o.state_dir)) return 3;
  net.attach(handle.id, *node);
  // The gateway's FIX clients reach it through a port node in this process.
  std::unique_ptr<ordeal::fix::FixGatewayPort> fix_port;
  if (o.role == "gateway" && o.fix.port > 0) {
    ordeal::fix::FixPortConfig fix = o.fix;
    fix.host = o.host;  // the FIX port listens where the node does, never on every interface
    if (!o.state_dir.empty()) fix.store_dir = o.state_dir + "/fix";
    fix_port = std::make_unique<ordeal::fix::FixGatewayPort>(net, handle.id, fix);
    if (!o.state_dir.empty() &&
        !report_recovery(handle.name + " FIX port", fix_port->attach_journals(o.state_dir),
                         o.state_dir)) {
      return 3;
    }
    net.attach(fix_port->id(), *fix_port);
  }
  std::string error = net.serve_control(control_address(o, handle.id), node_control(net, handle));
  if (error.empty()) error = net.start();
  if (error.empty() && fix_port) error = fix_port->start();
  if (!error.empty()) {
    fmt::print(stderr, "exchange-node {}: {}\n", handle.name, error);
    return 3;
  }
  fmt::print(stderr, "exchange-node {}: serving on {}:{}{}\n", handle.name, o.host,
             data_address(o, handle.id).port,
             fix_port ? fmt::format(", FIX 4.4 on port {}", o.fix.port) : "");
  while (g_stop == 0 && !(fix_port && fix_port->failed())) net.run_for(20'000);
  ordeal::faults::disarm_all();
  if (fix_port && fix_port->failed()) {
    // A FIX request may be lost without an answer: better a node that is
    // down, with the reason in its log, than one that serves on.
    fmt::print(stderr, "exchange-node {}: stopping: {}\n", handle.name, fix_port->failure());
    return 3;
  }
  fmt::print(stderr, "exchange-node {}: stopped ({} frames in, {} out, {} dropped, {} bad{})\n",
             handle.name, net.counters().frames_received, net.counters().frames_sent,
             net.counters().frames_dropped, net.counters().bad_frames, state_at_stop());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app("One node of ordeal's reference exchange, for the cluster target.", "exchange-node");
  app.add_option("--role", o.role, "meta, engine or gateway")
      ->required()
      ->check(CLI::IsMember({"meta", "engine", "gateway"}));
  app.add_option("--index", o.index, "which replica or shard (from 0)")->check(CLI::Range(0, 15));
  app.add_option("--replicas", o.layout.replicas, "metadata replicas")->check(CLI::Range(1, 9));
  app.add_option("--shards", o.layout.shards, "engine shards")->check(CLI::Range(1, 16));
  app.add_option("--clients", o.layout.clients, "client ports")->check(CLI::Range(1, 64));
  app.add_option("--host", o.host, "address every node listens on");
  app.add_option("--base-port", o.base_port, "node k uses ports base+2k and base+2k+1")
      ->required()
      ->check(CLI::Range(1024, 65000));
  app.add_option("--seed", o.seed, "the node's random stream");
  app.add_option("--defect", o.defect, "planted defect (ordeal list defects)");
  app.add_option("--fix-port", o.fix.port, "gateway: also accept FIX 4.4/4.2 on this port")
      ->check(CLI::Range(1024, 65535));
  app.add_option("--fix-sender", o.fix.sender, "gateway: its FIX CompID");
  app.add_option("--fix-target", o.fix.target, "gateway: the FIX client's CompID");
  app.add_option("--state-dir", o.state_dir,
                 "keep the node's state in a journal in this folder, and restore it from "
                 "there at start");
  app.add_option("--parent-pid", o.parent_pid, "exit when this process (the launcher) dies");
  std::vector<std::string> instruments;
  app.add_option("--instrument", instruments,
                 "meta: list this instrument (TICK,LOT,MIN_QTY,MAX_QTY,MIN_PRICE,MAX_PRICE,SYMBOL, "
                 "whole numbers) instead of the reference ones; repeatable, spread over the "
                 "shards in order")
      ->check([](const std::string& arg) {
        std::string error;
        return parse_instrument_arg(arg, error) ? std::string() : error;
      });
  app.add_option("--peer", o.peers,
                 "NODE=HOST:PORT: reach that node at another address (a fault proxy)")
      ->check([](const std::string& peer) -> std::string {
        const size_t eq = peer.find('='), colon = peer.rfind(':');
        if (eq == std::string::npos || colon == std::string::npos || colon < eq ||
            peer.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
            colon + 1 == peer.size()) {
          return "expected NODE=HOST:PORT, got " + peer;
        }
        return "";
      });
  CLI11_PARSE(app, argc, argv);
  for (const std::string& arg : instruments) {
    std::string error;
    o.instruments.push_back(*parse_instrument_arg(arg, error));  // checked above
  }

  if (o.parent_pid > 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != o.parent_pid) return 0;  // the launcher is already gone
  }
  const int count = o.role == "meta" ? o.layout.replicas : o.role == "engine" ? o.layout.shards : 1;
  if (o.index >= count) {
    fmt::print(stderr, "exchange-node: --index {} but only {} {} node(s)\n", o.index, count,
               o.role);
    return 2;
  }
  auto defects = DefectSet::parse(o.defect);
  if (!defects) {
    fmt::print(stderr,
               "exchange-node: --defect {}: unknown defect '{}' (see `ordeal list defects`)\n",
               o.defect, DefectSet::first_unknown(o.defect));
    return 2;
  }
  // A launcher that ignores SIGINT for its children (ordeal's cluster target,
  // so that a Ctrl-C reaches only ordeal, which then cleans up and stops
  // them in order) keeps it ignored.
  if (std::signal(SIGINT, SIG_IGN) != SIG_IGN) std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return serve(o, *defects);
  } catch (...) {
    // A bug, or memory running out: said in the node's log, not a core dump.
    fmt::print(stderr, "exchange-node {}-{} {}\n", o.role, o.index, ordeal::what_was_thrown());
    return 3;
  }
}
