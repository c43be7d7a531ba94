#include "framework/cli/target_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "framework/run/target_registry.h"
#include "targets/cluster/cluster_target.h"
#include "targets/fix/fix_target.h"

namespace ordeal::cli {
namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// A foreign gateway: only order entry, on loopback unless the scenario
// allows the host by name.
void choose_fix(const Scenario& scenario, const std::string& defect, TargetChoice& choice) {
  const std::string& target = choice.target;
  std::optional<fix::FixUri> uri = fix::parse_fix_uri(target, choice.error);
  if (!uri) {
    choice.error = fmt::format("{} {}: {}", choice.label, target, choice.error);
    return;
  }
  if (defect != "none") {
    choice.error = fmt::format(
        "--defect {}: defects are planted in the reference exchange; meaningless for a fix:// "
        "target",
        defect);
    return;
  }
  const std::vector<std::string>& allowed = scenario.allow_hosts;
  if (!is_loopback(uri->host) &&
      std::find(allowed.begin(), allowed.end(), uri->host) == allowed.end()) {
    choice.error = fmt::format(
        "{} {}: {} is not loopback; ordeal sends orders only to hosts the scenario allows "
        "([live] allow_hosts = [\"{}\"] in {})",
        choice.label, target, uri->host, uri->host, scenario.path);
    return;
  }
  if (choice.error = fix::check_fix_scenario(scenario); !choice.error.empty()) {
    choice.error = fmt::format("{}: {}", scenario.path, choice.error);
    return;
  }
  // Credentials from the environment only; never printed.
  const char* username = std::getenv("ORDEAL_FIX_USERNAME");
  const char* password = std::getenv("ORDEAL_FIX_PASSWORD");
  const fix::FixTargetOptions options{.username = username ? username : "",
                                      .password = password ? password : ""};
  choice.make_target = [&scenario, uri = *uri, options](const Case& c, std::string& error) {
    return fix::make_fix_target(scenario, c, uri, options, error);
  };
  choice.notice = fmt::format(
      "{} is a foreign gateway: metadata changes, fault points and rolling upgrades are skipped "
      "(order entry only)",
      target);
}

// A target the program registered: the defect is the target's to read.
void choose_named(const Scenario& scenario, const std::string& defect, const NamedTarget& named,
                  TargetChoice& choice) {
  choice.named = true;
  choice.deterministic = named.deterministic;
  choice.make_target = make_named(named, scenario, defect, choice.error);
  if (!choice.error.empty()) {
    choice.error = fmt::format("{} {}: {}", choice.label, choice.target, choice.error);
  }
}

}  // namespace

const FaultSpec* live_only_fault(const Scenario& scenario, const Case* only) {
  if (only != nullptr) {
    for (const FaultWindow& window : only->faults) {
      const FaultSpec& fault = scenario.faults.at(window.fault);
      if (fault.needs_live_target()) return &fault;
    }
    return nullptr;
  }
  for (const FaultSpec& fault : scenario.faults) {
    if (fault.needs_live_target()) return &fault;
  }
  return nullptr;
}

TargetChoice choose_target(const Scenario& scenario, const std::string& target,
                           const std::string& defect, const std::string& out_dir, const Case* only,
                           std::string_view label) {
  TargetChoice choice{.target = target, .label = std::string(label)};
  if (fix::is_fix_uri(target)) {
    choose_fix(scenario, defect, choice);
    return choice;
  }
  if (target == "cluster") {
    const cluster::ClusterOptions options{.node_binary = cluster::default_node_binary(),
                                          .log_dir = out_dir + "/cluster",
                                          .defect = defect};
    choice.make_target = [&scenario, options](const Case& c, std::string& error) {
      return cluster::make_cluster_target(scenario, c, options, error);
    };
    return choice;
  }
  if (const NamedTarget* named = find_target(target)) {
    choose_named(scenario, defect, *named, choice);
    return choice;
  }
  if (target != "inproc") {
    choice.error = fmt::format("{} {}: expected {}", choice.label, target, known_targets());
    return choice;
  }
  if (const FaultSpec* fault = live_only_fault(scenario, only)) {
    choice.error = fmt::format(
        "{}:{}: {} acts on real processes; the inproc simulator has none (use --target cluster)",
        scenario.path, fault->line, fault->point);
  }
  return choice;
}

}  // namespace ordeal::cli
