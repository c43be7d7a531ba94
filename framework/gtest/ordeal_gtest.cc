#include "framework/gtest/ordeal_gtest.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "framework/report/report.h"
#include "framework/run/scenario.h"
#include "framework/run/target_registry.h"
#include "targets/exchange/defects.h"

namespace ordeal::gtest {
namespace {

std::string current_test_name() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "ordeal";
  return fmt::format("{}.{}", info->test_suite_name(), info->name());
}

// The seed and where it came from: pinned by the test, ORDEAL_SEED, the
// scenario, or drawn. A bad ORDEAL_SEED is an error, not silently ignored.
std::optional<uint64_t> choose_seed(const ScenarioTestOptions& options, const Scenario& scenario,
                                    std::string& origin, std::string& error) {
  if (options.seed) {
    origin = "pinned by the test";
    return options.seed;
  }
  if (const char* text = std::getenv("ORDEAL_SEED"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const uint64_t seed = std::strtoull(text, &end, 10);
    if (*end != '\0') {
      error = fmt::format("ORDEAL_SEED='{}': expected an unsigned integer", text);
      return std::nullopt;
    }
    origin = "from ORDEAL_SEED";
    return seed;
  }
  if (scenario.seed) {
    origin = "from the scenario";
    return scenario.seed;
  }
  origin = "drawn";
  return draw_seed();
}

std::string rerun_command(uint64_t seed) {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return fmt::format("ORDEAL_SEED={} {} --gtest_filter={}", seed,
                     error ? std::string("<test binary>") : self.string(), current_test_name());
}

std::string failure_message(const RunReport& report, const std::string& out_dir) {
  const RunOutcome& o = report.outcome;
  std::string message;
  if (o.failed() && !o.violations.empty()) {
    message = fmt::format("ordeal: {} violated in scenario {} ({}), seed {}, defect {}\n",
                          o.violations.front().property, report.scenario.name, report.scenario.path,
                          report.seed, report.defect);
    for (const Violation& v : o.violations)
      message += fmt::format("  {}: {}\n", v.property, v.message);
    message += o.shrunk ? fmt::format("  shrunk to {}:\n", case_size(*o.failing_case))
                        : fmt::format("  not shrunk: {}:\n", case_size(*o.failing_case));
    for (const std::string& step :
         first_steps(describe_steps(o.history, report.scenario), kStepsShown)) {
      message += fmt::format("    {}\n", step);
    }
    message += fmt::format("  repro: {}/repro.toml\n", out_dir);
  } else if (!o.target_error.empty()) {
    message = fmt::format("ordeal: the run stopped in scenario {}, seed {}, on target {}: {}\n",
                          report.scenario.path, report.seed, report.target, o.target_error);
  } else {
    message = fmt::format(
        "ordeal: expected a violation in scenario {} ({}), seed {}, defect {}, but every property "
        "held over {}\n",
        report.scenario.name, report.scenario.path, report.seed, report.defect,
        o.cases_run == 1 ? std::string("1 case") : fmt::format("{} cases", o.cases_run));
  }
  message += fmt::format("  reports: {}/\n  rerun: {}", out_dir, report.reproduce);
  return message;
}

void add_failure(const TestSite& site, const std::string& message) {
  if (site.file != nullptr) {
    ADD_FAILURE_AT(site.file, site.line) << message;
  } else {
    ADD_FAILURE() << message;
  }
}

// The target a test drives and what its reports call it: the registered one
// it names, its own factory, or the simulator.
struct TestTarget {
  TargetFactory make;  // empty: the simulator
  bool deterministic = false;
  std::string name = "inproc";
  bool named = false;
  std::string error;
};

TestTarget test_target(const ScenarioTestOptions& options, const Scenario& scenario) {
  if (!options.target.empty() && options.make_target) {
    return {.error = fmt::format("give .target ({}) or .make_target, not both", options.target)};
  }
  if (options.make_target) {
    // A repro of it replays nowhere: load_repro says why.
    return {.make = options.make_target,
            .deterministic = options.deterministic_target,
            .name = "unnamed (ScenarioTestOptions::make_target)"};
  }
  // The test's target, else the scenario's.
  const std::string& name = options.target.empty() ? scenario.target : options.target;
  if (name == "inproc") return {};
  const NamedTarget* named = find_target(name);
  if (named == nullptr && options.target.empty()) {
    return {.error = fmt::format(
                "{}:{}: target {}: a test runs the inproc simulator or a registered target "
                "(cluster and fix:// run from the command line; or give .make_target)",
                scenario.path, scenario.target_line, name)};
  }
  if (named == nullptr) {
    return {
        .error = fmt::format(
            "no target named '{}' is registered (is the file that registers it linked in?)", name)};
  }
  TestTarget target{.deterministic = named->deterministic, .name = named->name, .named = true};
  target.make = make_named(*named, scenario, options.defect, target.error);
  if (!target.error.empty()) target.error = "target " + named->name + ": " + target.error;
  return target;
}

}  // namespace

ScenarioTestRun run_scenario_test(const std::string& scenario_path,
                                  const ScenarioTestOptions& options, TestSite site) {
  ScenarioTestRun run;
  ScenarioLoad loaded = load_scenario(scenario_path);
  if (!loaded) {
    add_failure(site, "ordeal: " + loaded.error);
    return run;
  }
  Scenario& scenario = loaded.scenario;
  if (!options.properties.empty()) scenario.properties = options.properties;
  const TestTarget target = test_target(options, scenario);
  // A registered target reads its defects itself.
  const auto defects =
      target.named ? exchange::DefectSet() : exchange::DefectSet::parse(options.defect);
  std::string origin, error;
  const std::optional<uint64_t> seed = choose_seed(options, scenario, origin, error);
  if (!target.error.empty() || !defects || !seed) {
    add_failure(
        site, "ordeal: " + (!target.error.empty() ? target.error
                            : seed                ? fmt::format("defect '{}' is unknown",
                                                                exchange::DefectSet::first_unknown(options.defect))
                                                  : error));
    return run;
  }
  run.seed = *seed;
  std::cout << fmt::format("ordeal: {} seed {} ({})\n", current_test_name(), run.seed, origin);
  ::testing::Test::RecordProperty("ordeal_seed", std::to_string(run.seed));

  const RunOutcome outcome =
      run_scenario(scenario, {.seed = run.seed,
                              .cases = options.cases.value_or(scenario.cases),
                              .defects = *defects,
                              .time_budget_s = options.time_budget_s,
                              .shrink = options.shrink,
                              .shrink_budget_s = options.shrink_budget_s,
                              .make_target = target.make,
                              .deterministic_target = target.deterministic});
  std::error_code fs_error;
  const std::filesystem::path out = std::filesystem::absolute(
      options.out_dir.empty() ? "ordeal-out/" + current_test_name() : options.out_dir, fs_error);
  run.out_dir = out.string();
  std::filesystem::create_directories(out, fs_error);
  const RunReport report{.scenario = scenario,
                         .outcome = outcome,
                         .seed = run.seed,
                         .defect = options.defect,
                         .out_dir = run.out_dir,
                         .reproduce = rerun_command(run.seed),
                         .target = target.name,
                         .program = options.program};
  if (auto write_error = write_file_reports(report); !write_error.empty()) {
    add_failure(site, "ordeal: " + write_error);
    return run;
  }
  run.passed = options.expect_violation
                   ? !outcome.violations.empty() && outcome.target_error.empty()
                   : !outcome.failed() && outcome.target_error.empty();
  if (run.passed && options.expect_violation) {
    std::cout << fmt::format("ordeal: caught as expected: {}\n",
                             outcome.violations.front().message);
  }
  if (!run.passed) add_failure(site, failure_message(report, run.out_dir));
  return run;
}

ScenarioTestRun run_property_test(const std::string& property, const std::string& scenario_path,
                                  ScenarioTestOptions options, TestSite site) {
  if (find_property(property) == nullptr) {
    add_failure(site, "ordeal: no property named '" + property +
                          "' is registered (is the file that registers it linked in?)");
    return {};
  }
  options.properties = {property};
  return run_scenario_test(scenario_path, options, site);
}

::testing::AssertionResult property_violated(std::string_view property, const History& history,
                                             const CheckLimits& limits,
                                             std::vector<Violation>* out) {
  if (find_property(property) == nullptr) {
    return ::testing::AssertionFailure() << "no property named '" << property << "' is registered";
  }
  const std::vector<std::string> names = {std::string(property)};
  std::vector<Violation> violations = check_history(history, names, limits);
  const bool violated = !violations.empty();
  ::testing::AssertionResult result =
      violated ? ::testing::AssertionSuccess() : ::testing::AssertionFailure();
  result << property << (violated ? " is violated:" : " holds over the history's ")
         << (violated ? "" : std::to_string(history.size()) + " events");
  for (const Violation& v : violations) result << "\n  " << v.message;
  if (out != nullptr) *out = std::move(violations);
  return result;
}

::testing::AssertionResult property_holds(std::string_view property, const History& history,
                                          const CheckLimits& limits) {
  if (find_property(property) == nullptr) {
    return ::testing::AssertionFailure() << "no property named '" << property << "' is registered";
  }
  ::testing::AssertionResult violated = property_violated(property, history, limits);
  return violated ? (::testing::AssertionFailure() << violated.message())
                  : (::testing::AssertionSuccess() << violated.message());
}

}  // namespace ordeal::gtest
