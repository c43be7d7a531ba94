// `ordeal run SCENARIO`: generate, run, check and shrink cases in sim mode,
// then write the reports.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "framework/base/interrupt.h"
#include "framework/cli/command_line.h"
#include "framework/cli/commands.h"
#include "framework/cli/target_choice.h"
#include "framework/report/report.h"
#include "framework/run/runner.h"
#include "framework/run/target_registry.h"

namespace ordeal::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::optional<uint64_t> seed;
  std::optional<int> cases;
  std::string target;
  std::string defect = "none";
  std::string out = "ordeal-out";
  std::string shard = "0/1";
  double time_budget_s = 0;
  double shrink_time_s = 30;
  bool no_shrink = false;
};

// The most cases a run goes through, its shard's and the others' alike:
// RapidCheck sets memory aside for each of them before the first (past about
// 10^9 the run aborted with bad_alloc), and the count is an int.
constexpr int64_t kCasesOverShardsMax = 100'000'000;

// Digits only, the whole of each part: "0/2abc" or "1/2/3" is not a shard.
bool parse_count(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, out);
  return !text.empty() && parsed.ec == std::errc{} && parsed.ptr == end;
}

bool parse_shard(const std::string& text, int& index, int& count) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  const std::string_view view(text);
  return parse_count(view.substr(0, slash), index) && parse_count(view.substr(slash + 1), count) &&
         count >= 1 && index >= 0 && index < count;
}

int run(const RunArgs& args) {
  const ScenarioLoad loaded = load_scenario(args.scenario);
  if (!loaded) {
    fmt::print(stderr, "ordeal run: {}\n", loaded.error);
    return kExitUsage;
  }
  const Scenario& scenario = loaded.scenario;
  // The scenario's target, unless --target chooses another; errors name where.
  const std::string label = args.target.empty()
                                ? fmt::format("{}:{}: target", scenario.path, scenario.target_line)
                                : "--target";
  const TargetChoice choice =
      choose_target(scenario, args.target.empty() ? scenario.target : args.target, args.defect,
                    args.out, nullptr, label);
  if (!choice) {
    fmt::print(stderr, "ordeal run: {}\n", choice.error);
    return kExitUsage;
  }
  const std::string& target = choice.target;
  // A registered target reads its defects itself.
  const auto defects =
      choice.named ? exchange::DefectSet() : exchange::DefectSet::parse(args.defect);
  if (!defects) {
    const std::string unknown(exchange::DefectSet::first_unknown(args.defect));
    const NamedTarget* owner = target_of_defect(unknown);
    fmt::print(stderr, "ordeal run: --defect {}: unknown defect '{}' ({})\n", args.defect, unknown,
               owner != nullptr ? fmt::format("a defect of target {}: give --target {}",
                                              owner->name, owner->name)
                                : std::string("see `ordeal list defects`"));
    return kExitUsage;
  }
  RunOptions options{.cases = args.cases.value_or(scenario.cases),
                     .defects = *defects,
                     .time_budget_s = args.time_budget_s,
                     .shrink = !args.no_shrink,
                     .shrink_budget_s = args.shrink_time_s};
  if (!parse_shard(args.shard, options.shard_index, options.shard_count)) {
    fmt::print(stderr, "ordeal run: --shard {}: expected I/N with 0 <= I < N\n", args.shard);
    return kExitUsage;
  }
  if (const int64_t total = int64_t{options.cases} * options.shard_count;
      total > kCasesOverShardsMax) {
    fmt::print(stderr,
               "ordeal run: --shard {}: {} shards of {} cases are {} cases, at most {} (fewer "
               "cases per shard, or more seeds)\n",
               args.shard, options.shard_count, options.cases, total, kCasesOverShardsMax);
    return kExitUsage;
  }
  options.seed = args.seed ? *args.seed : scenario.seed ? *scenario.seed : draw_seed();
  if (!args.seed && !scenario.seed) fmt::print(stderr, "ordeal run: seed {}\n", options.seed);
  if (!prepare_out_dir(args.out)) return kExitEnvironment;
  options.make_target = choice.make_target;
  options.deterministic_target = choice.deterministic;
  if (!choice.notice.empty()) fmt::print(stderr, "ordeal run: {}\n", choice.notice);
  install_interrupt_handler();
  auto console = console_report(isatty(STDERR_FILENO) != 0);
  options.on_progress = [&console](const Progress& p) { console->on_progress(p); };
  options.on_clean_up = [](const CaseCleanUp& done) {
    fmt::print(stderr, "ordeal run: clean-up: {}\n", describe(done));
    for (const std::string& order : done.unresolved) {
      fmt::print(stderr, "ordeal run: clean-up: not cancelled: {}\n", order);
    }
  };
  const RunOutcome outcome = run_scenario(scenario, options);
  const RunReport report{
      .scenario = scenario,
      .outcome = outcome,
      .seed = options.seed,
      .defect = args.defect,
      .out_dir = args.out,
      // Without --no-shrink the command would report a shrunk case, not
      // the one this run reported.
      .reproduce = fmt::format("{} run {} --seed {} --cases {} --defect {}{}{}{}", program_name(),
                               shell_word(args.scenario), options.seed, options.cases,
                               shell_word(args.defect),
                               target == "inproc" ? "" : " --target " + shell_word(target),
                               options.shard_count > 1 ? " --shard " + shell_word(args.shard) : "",
                               !options.shrink ? " --no-shrink"
                               : options.shrink_budget_s != RunOptions{}.shrink_budget_s
                                   ? fmt::format(" --shrink-time {}", options.shrink_budget_s)
                                   : ""),
      .target = target,
      .program = program_name()};
  if (auto error = write_file_reports(report); !error.empty()) {
    fmt::print(stderr, "ordeal run: {}\n", error);
    return kExitEnvironment;
  }
  console->on_finish(report);
  if (outcome.failed()) return kExitViolation;
  if (outcome.interrupted) {
    fmt::print(stderr, "ordeal run: interrupted; faults healed and processes stopped\n");
    return kExitInterrupted;
  }
  if (!outcome.target_error.empty()) {
    fmt::print(stderr, "ordeal run: stopped on target {}: {}\n", target, outcome.target_error);
    return kExitEnvironment;
  }
  return kExitOk;
}

}  // namespace

bool prepare_out_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error) return true;
  fmt::print(stderr, "ordeal: cannot create {}: {}\n", dir, error.message());
  return false;
}

CLI::Validator number_within(double lo, double hi) {
  auto check = [lo, hi](std::string& input) -> std::string {
    double value = 0;
    if (CLI::detail::lexical_cast(input, value) && value >= lo && value <= hi) return "";
    return fmt::format("{} is not a number from {} to {}", input, lo, hi);
  };
  return CLI::Validator(check, fmt::format("NUMBER in [{} - {}]", lo, hi));
}

void add_run_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "Run a scenario: generate, check and shrink cases");
  static RunArgs args;
  cmd->add_option("scenario", args.scenario, "scenario file (TOML)")->required();
  // Digits only: the conversion alone takes -1 as 2^64-1 and clamps an
  // overflow, a seed other than the one typed.
  const CLI::Validator seed_digits(
      [](std::string& input) -> std::string {
        uint64_t seed = 0;
        const char* end = input.data() + input.size();
        const auto parsed = std::from_chars(input.data(), end, seed);
        if (!input.empty() && parsed.ec == std::errc{} && parsed.ptr == end) return "";
        // ORDEAL_SEED comes through here too, under the flag's name.
        return fmt::format(
            "{} is not a seed (digits, 0 to 18446744073709551615; from --seed or ORDEAL_SEED)",
            input);
      },
      "SEED");
  cmd->add_option("--seed", args.seed, "seed for every random choice")
      ->envname("ORDEAL_SEED")
      ->check(seed_digits);
  cmd->add_option("--cases", args.cases, "number of cases (default: the scenario's)")
      ->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--target", args.target,
                  "inproc (default: sim mode), cluster (processes on loopback), "
                  "fix://HOST:PORT?version=FIX.4.4&sender=S&target=T, or one this program "
                  "registered (`list targets`)");
  // An empty name is a script's unset variable more often than a wish for
  // none: it would run the exchange as designed and pass. In a list too:
  // "$A,$B" with both unset is ",".
  const CLI::Validator named(
      [](std::string& input) -> std::string {
        if (input.empty()) return "empty: name a defect (`ordeal list defects`), or none";
        const bool empty_name =
            input.front() == ',' || input.back() == ',' || input.find(",,") != std::string::npos;
        return empty_name ? input + ": an empty name in the list (`ordeal list defects`)" : "";
      },
      "NAME[,NAME...]");
  cmd->add_option("--defect", args.defect,
                  "planted defect of the reference exchange, or of a registered target "
                  "(default none; `list defects`)")
      ->check(named);
  cmd->add_option("--out", args.out, "output folder (default ordeal-out)");
  cmd->add_option("--shard", args.shard,
                  "shard I of N: of N times --cases cases, run those whose index is I mod N");
  cmd->add_option("--time-budget", args.time_budget_s,
                  "stop starting cases after SECONDS (0: no budget; the first case always runs)")
      ->check(number_within(0, 1e9));
  cmd->add_option("--shrink-time", args.shrink_time_s,
                  "shrinking's budget in SECONDS (default 30), after --time-budget's; on "
                  "inproc counted as 500,000 operations a second, so a seed shrinks alike on "
                  "any machine")
      ->check(number_within(0, 1e6));
  cmd->add_flag("--no-shrink", args.no_shrink, "report the first failing case as found");
  cmd->callback([&exit_code] { exit_code = run(args); });
}

}  // namespace ordeal::cli
