#include "framework/gtest/ordeal_gtest.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "framework/report/report.h"
#include "framework/run/scenario.h"
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
  if (o.failed()) {
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
  } else {
    message = fmt::format("ordeal: the target failed in scenario {}, seed {}: {}\n",
                          report.scenario.path, report.seed, o.target_error);
  }
  message += fmt::format("  reports: {}/\n  rerun: {}", out_dir, report.reproduce);
  return message;
}

}  // namespace

ScenarioTestRun run_scenario_test(const std::string& scenario_path,
                                  const ScenarioTestOptions& options) {
  ScenarioTestRun run;
  ScenarioLoad loaded = load_scenario(scenario_path);
  if (!loaded) {
    ADD_FAILURE() << "ordeal: " << loaded.error;
    return run;
  }
  Scenario& scenario = loaded.scenario;
  if (!options.properties.empty()) scenario.properties = options.properties;
  const auto defects = exchange::DefectSet::parse(options.defect);
  std::string origin, error;
  const std::optional<uint64_t> seed = choose_seed(options, scenario, origin, error);
  if (!defects || !seed) {
    ADD_FAILURE() << "ordeal: "
                  << (seed ? fmt::format("defect '{}' is unknown",
                                         exchange::DefectSet::first_unknown(options.defect))
                           : error);
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
                              .make_target = options.make_target,
                              .deterministic_target = options.deterministic_target});
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
                         .reproduce = rerun_command(run.seed)};
  if (auto write_error = write_file_reports(report); !write_error.empty()) {
    ADD_FAILURE() << "ordeal: " << write_error;
    return run;
  }
  run.passed = !outcome.failed() && outcome.target_error.empty();
  if (!run.passed) ADD_FAILURE() << failure_message(report, run.out_dir);
  return run;
}

ScenarioTestRun run_property_test(const std::string& property, const std::string& scenario_path,
                                  ScenarioTestOptions options) {
  if (find_property(property) == nullptr) {
    ADD_FAILURE() << "ordeal: no property named '" << property
                  << "' is registered (is the file that registers it linked in?)";
    return {};
  }
  options.properties = {property};
  return run_scenario_test(scenario_path, options);
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
