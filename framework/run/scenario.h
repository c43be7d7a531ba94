// A scenario: which target, which workload, which faults (the nemesis), which
// properties, how many cases, and optionally the seed. Read from a TOML file
// and validated: an unknown key, a wrong type or an unknown fault or
// property name is an error naming the file, the line and a hint.
//
//   auto loaded = load_scenario("examples/scenarios/okx-2023-08-14.toml");
//   if (!loaded) { std::cerr << loaded.error << "\n"; return 2; }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "faults/process_faults.h"
#include "framework/base/decimal.h"
#include "framework/check/property.h"
#include "framework/run/case.h"
#include "targets/exchange/instrument.h"

namespace ordeal {

struct OperationMix {
  int place = 50;
  int amend = 15;
  int cancel = 25;
  int mass_cancel = 2;
  int status = 8;
};

struct FaultSpec {
  std::string point;          // a fault point name (ordeal list faults)
  double probability = 1.0;   // chance that each check of the point fires while armed
  int64_t param = 0;          // the point's parameter (0: its default)
  std::string node;           // process faults: the node they act on ("engine-1")
  std::string link;           // network faults: the link ("gateway->engine-1")
  std::string start_command;  // hooks: run at the window's start
  std::string stop_command;   // hooks: run at the window's end
  int timeout_ms = 60'000;    // hooks: each command is killed after this long
  int line = 0;               // where the scenario declares it, for errors found later
  int node_line = 0;          // where it names its node, or `line`
  int link_line = 0;          // where it names its link, or `line`

  // A fault the target carries out itself (process.*, network.*), rather
  // than a fault point the run arms: Target::live_fault.
  bool acts_on_target() const { return !node.empty() || !link.empty(); }
  // Network faults, hooks and most process faults act on real processes
  // and sockets: live targets only. The simulator can restart a node and
  // change a replica's schema (faults::runs_in_sim).
  bool needs_live_target() const {
    return (!node.empty() && !faults::runs_in_sim(point)) || !link.empty() || point == "hook";
  }
  // A fault point, checked at its site again and again while armed: it
  // fires by chance, so a shrunk case may pin it (FaultWindow::pins).
  // Process and network faults and hooks act once per window.
  bool checked_at_a_site() const { return !acts_on_target() && point != "hook"; }
};

struct Scenario {
  std::string path;
  std::string name;
  std::string description;
  // inproc, cluster or a target the program registered (checked when a run
  // chooses its target: --target may choose another).
  std::string target = "inproc";
  int target_line = 0;  // where the file names it; 0: it does not
  int cases = 100;
  std::optional<uint64_t> seed;

  // workload
  int clients = 4;
  int operations_per_client = 20;
  std::vector<std::string> symbols = {"BTC-USDT", "ETH-USDT"};
  double invalid_share = 0.05;
  int think_ms_max = 20;
  int price_steps_max = 10;
  int lots_max = 5;
  // After the faults, probe that order entry came back (CaseRun's
  // probe_recovery(), recovers-after-faults).
  bool recovery_probes = true;
  OperationMix mix;

  // metadata changes
  int metadata_changes_max = 2;
  std::vector<MetaChangeKind> metadata_kinds = {MetaChangeKind::tick, MetaChangeKind::band,
                                                MetaChangeKind::max_qty};

  // nemesis
  std::vector<FaultSpec> faults;
  int faults_max = 3;            // fault windows per case
  int nemesis_window_ms = 2000;  // windows start and end within this span
  bool upgrade = false;          // a rolling upgrade of the metadata service may run
  int upgrade_step_ms = 400;
  int upgrade_down_ms = 200;

  // live targets: safety against staging
  std::vector<std::string> allow_hosts;  // non-loopback hosts a live target may name
  int max_orders_per_s = 0;              // requests per second over all clients; 0: no cap
  int clean_up_timeout_ms = 5'000;       // cancelling left-open orders after a case; 0: none

  // [[instruments]]: the venue's own, in place of the reference exchange's
  // three (venue_instruments.h); empty: those. Their prices and quantities
  // are whole numbers of `units`.
  std::vector<exchange::Instrument> instruments;
  TradeUnits units;

  // the exchange
  int replicas = 3;
  int shards = 2;

  // properties
  std::vector<std::string> properties;  // empty: all
  CheckLimits limits;
  int answer_bound_ms = 3000;  // how long a client waits, after faults heal, for an answer
};

struct ScenarioLoad {
  Scenario scenario;
  std::string error;
  explicit operator bool() const { return error.empty(); }
};

ScenarioLoad load_scenario(const std::string& path);

// The instruments a case starts with: the scenario's own, spread over its
// shards in the order written, or the reference exchange's.
exchange::MetadataState scenario_metadata(const Scenario& s);
ScenarioLoad parse_scenario(std::string_view toml_text, const std::string& path);

}  // namespace ordeal
