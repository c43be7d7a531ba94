// `ordeal list faults | defects | targets | properties`: one line per item,
// its name, a tab, a one-line description.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "faults/fault_point.h"
#include "faults/process_faults.h"
#include "faults/proxy/proxy_fault.h"
#include "framework/base/assert.h"
#include "framework/check/property.h"
#include "framework/cli/commands.h"
#include "framework/run/target_registry.h"
#include "targets/exchange/defects.h"
#include "targets/exchange/fault_points.h"

namespace ordeal::cli {
namespace {

void list_faults() {
  exchange::points::all();  // keeps the exchange's points linked in
  for (const faults::FaultPoint* point : faults::all_points()) {
    fmt::print("{}\t{}\n", point->name(), point->description());
  }
  for (const faults::ProcessFaultInfo& fault : faults::kProcessFaults) {
    fmt::print("{}\t{} ({})\n", fault.name, fault.description,
               faults::runs_in_sim(fault.name) ? "live targets and sim" : "live targets");
  }
  fmt::print(
      "hook\ta shell command at the window's start and end, e.g. a rollout script "
      "(live targets)\n");
  // FIX message drops are left to the proxy's own API: they need fix_types.
  static constexpr std::pair<std::string_view, std::string_view> kNetwork[] = {
      {"latency", "delays the link's bytes (param: ms; jitter half of it)"},
      {"bandwidth", "caps the link's rate (param: bytes/s)"},
      {"slicing", "splits writes into small slices (param: bytes)"},
      {"corrupt", "flips bytes (param: bytes per chunk)"},
      {"blackhole", "swallows everything; the connection stays open"},
      {"half_open", "one direction stops delivering until the window ends"},
      {"reset", "resets the link's connections (param: after ms)"}};
  for (const auto& [kind, what] : kNetwork) {
    ORDEAL_ASSERT(proxy::parse_kind(kind).has_value(), "{}", kind);
    fmt::print("network.{}\t{}, through the fault proxy (live targets; needs `link`)\n", kind,
               what);
  }
}

void list_defects() {
  fmt::print("none\tthe reference exchange as designed: fail-closed under every fault\n");
  for (const exchange::DefectInfo& defect : exchange::all_defects()) {
    fmt::print("{}\t{}\n", defect.name, defect.description);
  }
  for (const NamedTarget* target : named_targets()) {
    for (const auto& [name, what] : target->defects) {
      fmt::print("{}\t{} (target {}: with --target {})\n", name, what, target->name, target->name);
    }
  }
}

void list_properties() {
  for (const Property* property : all_properties()) {
    fmt::print("{}\t{}\n", property->name(), property->description());
  }
}

void list_targets() {
  fmt::print(
      "inproc\tthe built-in reference exchange in this process, simulated time (sim mode)\n"
      "cluster\tthe reference exchange as processes on loopback, clients over FIX (live mode)\n"
      "fix://HOST:PORT?version=FIX.4.4&sender=S&target=T\tany FIX 4.2/4.4 order gateway, "
      "order entry only (live mode)\n");
  for (const NamedTarget* target : named_targets()) {
    fmt::print("{}\t{}\n", target->name, target->description);
  }
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
  auto* list = app.add_subcommand("list",
                                  "List what ordeal knows: faults, defects, targets, "
                                  "properties");
  static std::string kind;
  list->add_option("kind", kind, "what to list")
      ->required()
      ->check(CLI::IsMember({"faults", "defects", "targets", "properties"}));
  list->callback([&exit_code] {
    if (kind == "faults") list_faults();
    if (kind == "defects") list_defects();
    if (kind == "targets") list_targets();
    if (kind == "properties") list_properties();
    exit_code = kExitOk;
  });
}

}  // namespace ordeal::cli
