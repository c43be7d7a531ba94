// The `cluster` target: the reference exchange as real processes on
// loopback (one exchange-node per replica, shard and gateway), started
// fresh for each case on free ports, driven over TCP in real time, and
// stopped when the case ends, fails or is interrupted. ordeal's clients
// reach the gateway over FIX 4.4 (its --fix-port), as they would any gateway.
//
//   std::string error;
//   auto target = make_cluster_target(scenario, c, options, error);
//   if (!target) exit 3 with error;
//   History h = run_case(*target, scenario, c);
//
// Fault points are armed through each node's control endpoint, leased so
// that they heal without ordeal; the rolling upgrade restarts replicas
// through the same endpoint.
#pragma once

#include <memory>
#include <string>

#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"

namespace ordeal::cluster {

struct ClusterOptions {
  std::string node_binary;  // the exchange-node executable
  std::string log_dir;      // one log per node
  std::string defect = "none";
  int startup_timeout_ms = 15'000;
  int control_timeout_ms = 2'000;
};

std::unique_ptr<Target> make_cluster_target(const Scenario& scenario, const Case& c,
                                            const ClusterOptions& options, std::string& error);

// exchange-node beside the running executable (the build and install layout).
std::string default_node_binary();

}  // namespace ordeal::cluster
