// `ordeal check HISTORY`: checks properties over a history file, also one
// written by another tool that follows the schema.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "framework/base/write_file.h"
#include "framework/check/property.h"
#include "framework/cli/commands.h"
#include "framework/history/history_jsonl.h"
#include "framework/report/html_report.h"
#include "framework/report/report.h"

namespace ordeal::cli {
namespace {

struct CheckArgs {
  std::string history;
  std::vector<std::string> properties;
  std::string out;
  CheckLimits limits;
  TradeUnits units;  // what the file's prices and quantities count, for the messages
};

// report.html from what a history file has: no scenario, seed nor shrunk case.
std::string write_check_page(const CheckArgs& args, const History& history,
                             const std::vector<Violation>& violations) {
  const std::string properties = fmt::format("{}", fmt::join(args.properties, ", "));
  const HtmlPage page{.title = args.history,
                      .status = violations.empty() ? "pass" : "fail",
                      .summary = {{"history", args.history},
                                  {"events", std::to_string(history.size())},
                                  {"properties checked", properties.empty() ? "all" : properties}},
                      .history = history,
                      .violations = violations};
  return write_html_report(page, args.out + "/report.html");
}

int check(const CheckArgs& args) {
  for (auto it = args.properties.begin(); it != args.properties.end(); ++it) {
    if (find_property(*it) == nullptr) {
      fmt::print(stderr, "ordeal check: --property {}: unknown (see `ordeal list properties`)\n",
                 *it);
      return kExitUsage;
    }
    if (std::find(args.properties.begin(), it, *it) != it) {  // each violation twice
      fmt::print(stderr, "ordeal check: --property {}: given twice\n", *it);
      return kExitUsage;
    }
  }
  if (args.limits.client_reject_reasons.size() > kClientRejectReasonsMax) {
    fmt::print(stderr, "ordeal check: --client-reject-reason: {} given, at most {}\n",
               args.limits.client_reject_reasons.size(), kClientRejectReasonsMax);
    return kExitUsage;
  }
  HistoryLoad loaded = read_history_jsonl(args.history);
  if (!loaded) {
    fmt::print(stderr, "ordeal check: {}\n", loaded.error);
    return kExitUsage;
  }
  // Every property holds over no events: a pass here would hide a wrong
  // path or a file cut short. ordeal's own histories always have events
  // (the initial metadata at least).
  if (loaded.history.size() == 0) {
    fmt::print(stderr,
               "ordeal check: {}: no events (empty, or blank lines only): nothing to check; "
               "is it the right file?\n",
               args.history);
    return kExitUsage;
  }
  loaded.history.set_units(args.units);
  const auto violations = check_history(loaded.history, args.properties, args.limits);
  fmt::print("ordeal check: {}, {}\n", counted(loaded.history.size(), "event"),
             counted(violations.size(), "violation"));
  for (const Violation& v : violations) fmt::print("  {}: {}\n", v.property, v.message);
  if (!args.out.empty()) {
    if (!prepare_out_dir(args.out)) return kExitEnvironment;
    nlohmann::json list = nlohmann::json::array();
    for (const Violation& v : violations) {
      list.push_back({{"property", v.property},
                      {"message", v.message},
                      {"orders", v.orders},
                      {"events", v.events}});
    }
    const nlohmann::json report = {{"status", violations.empty() ? "pass" : "fail"},
                                   {"history", args.history},
                                   {"events", loaded.history.size()},
                                   {"violations", list}};
    std::string error = write_file(args.out + "/report.json", report.dump(2) + "\n");
    if (error.empty()) error = write_check_page(args, loaded.history, violations);
    if (!error.empty()) {
      fmt::print(stderr, "ordeal check: {}\n", error);
      return kExitEnvironment;
    }
  }
  return violations.empty() ? kExitOk : kExitViolation;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Check properties over a history.jsonl file");
  static CheckArgs args;
  cmd->add_option("history", args.history, "history file (JSON lines)")->required();
  cmd->add_option("--property", args.properties, "property to check (repeatable; default all)");
  cmd->add_option("--out", args.out, "write report.json and report.html into this folder");
  // The ranges a scenario allows (scenario.cc).
  cmd->add_option("--failed-share-max", args.limits.failed_share_max,
                  "bounded-unavailability: largest share of failed orders during faults")
      ->check(number_within(0, 1));
  cmd->add_option("--outage-ms-max", args.limits.outage_ms_max,
                  "bounded-unavailability: longest outage during faults")
      ->check(number_within(0, kOutageMsMaxCeiling));
  cmd->add_option("--metadata-staleness-ms", args.limits.metadata_staleness_ms,
                  "metadata-conformance: how long an older metadata version stays in force")
      ->check(number_within(0, kMetadataStalenessMsCeiling));
  cmd->add_option("--recovery-ms-max", args.limits.recovery_ms_max,
                  "recovers-after-faults: how long order entry may stay down after the faults")
      ->check(number_within(0, kRecoveryMsMaxCeiling));
  cmd->add_option("--client-reject-reason", args.limits.client_reject_reasons,
                  "a reject text (or part of one) the target sends for a rule of its own, the "
                  "client's doing (repeatable; as the scenario's client_reject_reasons)")
      ->check(CLI::Validator(
          [](const std::string& reason) {
            return std::string(client_reject_reason_problem(reason));
          },
          "TEXT"));
  // A history holds whole numbers; a run with its own instruments says in
  // report.json (units) what they count, and its `check` passes these on.
  cmd->add_option("--price-decimals", args.units.price_decimals,
                  "prices in the file count units of 10^-N: messages write them as decimals")
      ->check(CLI::Range(0, kDecimalsMax));
  cmd->add_option("--qty-decimals", args.units.qty_decimals,
                  "quantities in the file count units of 10^-N: messages write them as decimals")
      ->check(CLI::Range(0, kDecimalsMax));
  cmd->callback([&exit_code] { exit_code = check(args); });
}

}  // namespace ordeal::cli
