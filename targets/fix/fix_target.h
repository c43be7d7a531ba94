// The `fix://` target: any FIX 4.2 or 4.4 order gateway, driven in real time
// through one QuickFIX initiator session (fix_client.h) per case. Only order
// entry is available on a foreign gateway: metadata changes, fault points and
// rolling upgrades are skipped (and not recorded).
//
//   std::string error;
//   auto uri = parse_fix_uri(text, error);
//   auto target = make_fix_target(scenario, c, *uri, {}, error);
//   if (!target) exit 3 with error;
#pragma once

#include <memory>
#include <string>

#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"
#include "targets/fix/fix_uri.h"

namespace ordeal::fix {

struct FixTargetOptions {
  int logon_timeout_ms = 10'000;
  // Read from the environment by the caller, never printed.
  std::string username;
  std::string password;
};

// Checks what a scenario needs from a FIX target before any case runs:
// every symbol must be one the scenario's instruments describe (its own
// [[instruments]], or the reference ones; orders are sized and priced from
// them). Returns an error or empty.
std::string check_fix_scenario(const Scenario& scenario);

std::unique_ptr<Target> make_fix_target(const Scenario& scenario, const Case& c, const FixUri& uri,
                                        const FixTargetOptions& options, std::string& error);

}  // namespace ordeal::fix
