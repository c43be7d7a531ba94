// `ordeal replay REPRO`: runs the exact case a repro file pins, checks it,
// and writes its reports; it fails again the same way. The case runs in the
// simulator, where it replays exactly, unless it arms a fault that needs
// real processes: then on the target the run drove (the repro says which).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "framework/base/interrupt.h"
#include "framework/cli/command_line.h"
#include "framework/cli/commands.h"
#include "framework/cli/target_choice.h"
#include "framework/report/report.h"
#include "framework/run/repro.h"
#include "framework/run/runner.h"
#include "framework/run/target_registry.h"

namespace ordeal::cli {
namespace {

struct ReplayArgs {
  std::string repro;
  std::string out = "ordeal-out";
  bool out_given = false;
};

// Where the replay's reports go. Without --out, a repro that lies in the
// default folder or below it (`ordeal replay ordeal-out/repro.toml`, as a
// run prints it, or ordeal-out/replay/repro.toml, as a replay prints it)
// replays into ordeal-out/replay/: the default folder's reports are the
// run's, which the replay of one case would overwrite.
std::string out_dir(const ReplayArgs& args) {
  namespace fs = std::filesystem;
  if (args.out_given) return args.out;
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(args.out, ec);
  const fs::path repro = fs::weakly_canonical(fs::absolute(args.repro, ec), ec);
  if (ec || out.empty()) return args.out;
  // Below `out`: the repro's path begins with all of out's parts.
  const auto [end, ignored] = std::mismatch(out.begin(), out.end(), repro.begin(), repro.end());
  return end == out.end() ? args.out + "/replay" : args.out;
}

// The simulator, unless the case arms a fault that needs real processes or
// the run drove a registered target (which the simulator cannot stand in for).
std::string replay_target(const Repro& repro, const Scenario& scenario, const Case& c) {
  const std::string target = repro.target.empty() ? scenario.target : repro.target;
  if (find_target(target) != nullptr) return target;
  const FaultSpec* live = live_only_fault(scenario, &c);
  if (live == nullptr) return "inproc";
  fmt::print(stderr, "ordeal replay: the case arms {}, which needs real processes: on {}\n",
             live->point, target);
  return target;
}

// Writes the reports of the replayed case; the exit status.
int report(const ReplayArgs& args, const Repro& repro, const Scenario& scenario, const Case& c,
           const std::string& target, CaseVerdict verdict, double wall_s) {
  RunOutcome outcome{.cases_run = 1,
                     .operations = c.operations(),
                     .events = verdict.history.size(),
                     .wall_s = wall_s,
                     .first_failure_s = verdict.violations.empty() ? 0 : wall_s,
                     .interrupted = interrupted(),
                     .target_error = verdict.error,
                     .violations = verdict.violations,
                     .last_case = c,
                     .history = std::move(verdict.history)};
  if (!outcome.violations.empty()) {
    outcome.failing_case = c;
    outcome.original_case = c;
  }
  const RunReport report{.scenario = scenario,
                         .outcome = outcome,
                         .seed = repro.run_seed,
                         .defect = repro.defect,
                         .out_dir = args.out,
                         .reproduce = program_name() + " replay " + shell_word(args.repro),
                         .target = target,
                         .program = program_name()};
  // The output folder gets its own repro.toml (the report names it), unless
  // that would overwrite the very file being replayed.
  std::error_code ec;
  const bool same = std::filesystem::equivalent(args.repro, args.out + "/repro.toml", ec);
  if (auto error = write_file_reports(report, /*with_repro=*/!same); !error.empty()) {
    fmt::print(stderr, "ordeal replay: {}\n", error);
    return kExitEnvironment;
  }
  console_report(false)->on_finish(report);
  if (outcome.failed()) return kExitViolation;
  if (outcome.interrupted) return kExitInterrupted;
  if (!verdict.error.empty()) {
    fmt::print(stderr, "ordeal replay: target {}: {}\n", target, verdict.error);
    return kExitEnvironment;
  }
  return kExitOk;
}

int replay(ReplayArgs args) {
  args.out = out_dir(args);
  const ReproLoad loaded = load_repro(args.repro);
  if (!loaded) {
    fmt::print(stderr, "ordeal replay: {}\n", loaded.error);
    return kExitUsage;
  }
  const Repro& repro = loaded.repro;
  const ScenarioLoad scenario = load_scenario(repro.scenario_path);
  if (!scenario) {
    fmt::print(stderr, "ordeal replay: {} names a scenario that cannot be loaded: {}\n", args.repro,
               scenario.error);
    return kExitUsage;
  }
  Case c;
  if (auto error = load_repro_case(args.repro, scenario.scenario, c); !error.empty()) {
    fmt::print(stderr, "ordeal replay: {}\n", error);
    return kExitUsage;
  }
  const std::string target = replay_target(repro, scenario.scenario, c);
  const TargetChoice choice =
      choose_target(scenario.scenario, target, repro.defect, args.out, &c, args.repro + ": target");
  if (!choice) {
    fmt::print(stderr, "ordeal replay: {}\n", choice.error);
    return kExitUsage;
  }
  if (!prepare_out_dir(args.out)) return kExitEnvironment;
  if (!choice.notice.empty()) fmt::print(stderr, "ordeal replay: {}\n", choice.notice);
  install_interrupt_handler();
  // load_repro checked the defect, unless a registered target reads it.
  const exchange::DefectSet defects =
      choice.named ? exchange::DefectSet() : *exchange::DefectSet::parse(repro.defect);
  const RunOptions options{.defects = defects,
                           .on_clean_up =
                               [](const CaseCleanUp& done) {
                                 fmt::print(stderr, "ordeal replay: clean-up: {}\n",
                                            describe(done));
                               },
                           .make_target = choice.make_target,
                           .deterministic_target = choice.deterministic};
  const auto start = std::chrono::steady_clock::now();
  CaseVerdict verdict = check_case(scenario.scenario, c, options);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report(args, repro, scenario.scenario, c, target, std::move(verdict), wall_s);
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("replay", "Run the exact case of a repro file again");
  static ReplayArgs args;
  cmd->add_option("repro", args.repro, "repro file (repro.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args.out,
                  "output folder (default ordeal-out, or ordeal-out/replay for a repro in "
                  "ordeal-out)");
  cmd->callback([&exit_code, cmd] {
    args.out_given = cmd->count("--out") > 0;
    exit_code = replay(args);
  });
}

}  // namespace ordeal::cli
