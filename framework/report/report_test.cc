// The reports: the console's words for a case and its progress line, junit.xml.
#include "framework/report/report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "framework/check/property.h"

namespace ordeal {
namespace {

TEST(Counted, UsesTheSingularForOneOnly) {
  EXPECT_EQ(counted(0, "case"), "0 cases");
  EXPECT_EQ(counted(1, "case"), "1 case");
  EXPECT_EQ(counted(2, "event"), "2 events");
}

TEST(Duration, ShowsMillisecondsBelowASecond) {
  EXPECT_EQ(duration(0.0015), "1.5 ms");
  EXPECT_EQ(duration(0.3612), "361.2 ms");
  EXPECT_EQ(duration(2.3456), "2.35 s");
}

TEST(CaseSize, CountsInWordsWithTheSingularForOne) {
  Case c;
  EXPECT_EQ(case_size(c), "0 operations and 0 faults");
  c.clients = {{Op{}}, {Op{}, Op{}}};
  c.faults = {FaultWindow{}};
  EXPECT_EQ(case_size(c), "3 operations and 1 fault");
  c.clients = {{Op{}}};
  c.faults.clear();
  c.upgrade = true;  // a rolling upgrade counts as a fault
  EXPECT_EQ(case_size(c), "1 operation and 1 fault");
  c.metadata = {MetaChange{}};  // named only when there are some
  EXPECT_EQ(case_size(c), "1 operation, 1 metadata change and 1 fault");
  c.metadata.push_back(MetaChange{});
  EXPECT_EQ(case_size(c), "1 operation, 2 metadata changes and 1 fault");
}

// A replay or --no-shrink reports the case as it is: "shrunk from 56
// operations to 56 operations (0.0 ms)" told of a shrink that never ran.
// A shrink that ran and found nothing smaller says so.
TEST(ShrinkSummary, SaysWhetherShrinkingRanAndWhatItFound) {
  Case original;
  original.clients = {{Op{}, Op{}}, {Op{}}};
  RunOutcome o{.shrunk_s = 0.0125, .failing_case = original, .original_case = original};
  EXPECT_EQ(shrink_summary(o), "the failing case, not shrunk (3 operations and 0 faults)");
  o.shrunk = true;
  EXPECT_EQ(shrink_summary(o),
            "the failing case; shrinking found nothing smaller (3 operations and 0 faults, "
            "12.5 ms)");
  o.failing_case->clients.pop_back();
  EXPECT_EQ(shrink_summary(o),
            "shrunk from 3 operations and 0 faults to 2 operations and 0 faults (12.5 ms)");
  o.failing_case = original;
  o.failing_case->clients[0][0].lots = 7;  // other values, as many operations: shrunk
  EXPECT_EQ(shrink_summary(o),
            "shrunk from 3 operations and 0 faults to 3 operations and 0 faults (12.5 ms)");
  o.shrink_cut_short = true;
  EXPECT_EQ(shrink_summary(o),
            "shrunk from 3 operations and 0 faults to 3 operations and 0 faults (12.5 ms; "
            "stopped at its budget with more to try: --shrink-time gives it more)");
  o.failing_case = original;
  EXPECT_EQ(shrink_summary(o),
            "the failing case; shrinking found nothing smaller (3 operations and 0 faults, "
            "12.5 ms, stopped at its budget with more to try)");
}

// How many times the console draws its progress line for these updates
// (stderr caught in a file for the while).
size_t progress_draws(const std::vector<Progress>& updates) {
  const std::string path = ::testing::TempDir() + "ordeal-progress.txt";
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  FILE* caught = std::fopen(path.c_str(), "w");
  dup2(fileno(caught), STDERR_FILENO);
  {
    const auto console = console_report(/*progress=*/true);
    for (const Progress& p : updates) console->on_progress(p);
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::fclose(caught);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\r'));
}

// A case a millisecond: a redraw for each sent the terminal a thousand
// lines a second. A new violation or the start of shrinking shows at once.
TEST(ConsoleProgress, RedrawsAFewTimesASecondNotForEveryCase) {
  std::vector<Progress> updates;
  for (uint64_t i = 1; i <= 1000; ++i) {
    updates.push_back({.cases = i, .operations = 40 * i, .wall_s = static_cast<double>(i) / 1000});
  }
  const size_t draws = progress_draws(updates);
  EXPECT_GE(draws, 9u);
  EXPECT_LE(draws, 11u);
  const Progress first{.cases = 1, .wall_s = 0.5};
  Progress violated = first;
  violated.violations = 2;
  Progress shrinking = violated;
  shrinking.shrinking = true;
  EXPECT_EQ(progress_draws({first, violated, shrinking}), 3u);
  EXPECT_EQ(progress_draws({first, first, first}), 1u);
}

// Printed commands are pasted into a shell: a folder with a space, or a
// fix:// target with its '&', broke them.
TEST(ShellWord, QuotesWhatAShellWouldSplitOrRead) {
  EXPECT_EQ(shell_word("examples/scenarios/okx-2023-08-14.toml"),
            "examples/scenarios/okx-2023-08-14.toml");
  EXPECT_EQ(shell_word("out dir/repro.toml"), "'out dir/repro.toml'");
  EXPECT_EQ(shell_word("fix://h:9?version=FIX.4.4&sender=S"),
            "'fix://h:9?version=FIX.4.4&sender=S'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_word(""), "''");
}

// One file of a run's reports, written into a folder of the test's own:
// ctest runs the tests of this file side by side, and one's remove_all
// would take another's files.
std::string written(const RunOutcome& outcome, const Scenario& scenario, const std::string& file) {
  const std::string out = ::testing::TempDir() + "ordeal-report-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::create_directories(out);
  const RunReport report{.scenario = scenario, .outcome = outcome, .seed = 7, .out_dir = out};
  EXPECT_EQ(write_file_reports(report), "");
  std::ifstream in(out + "/" + file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove_all(out);
  return text;
}

std::string junit_of(const RunOutcome& outcome, const std::string& name = "s") {
  Scenario scenario;
  scenario.name = name;
  return written(outcome, scenario, "junit.xml");
}

size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// report.json says "error" for an interrupted run or a failed target;
// junit.xml said every property passed, and a CI page showed a pass.
TEST(JunitXml, ARunWithoutAVerdictIsAnErrorNotAPass) {
  const size_t properties = checked_properties({}).size();
  const RunOutcome passed{.cases_run = 5};
  EXPECT_EQ(occurrences(junit_of(passed), "<error "), 0u);
  EXPECT_EQ(occurrences(junit_of(passed), " errors=\"0\""), 2u);
  const RunOutcome interrupted{.cases_run = 5, .interrupted = true};
  const std::string xml = junit_of(interrupted);
  EXPECT_EQ(
      occurrences(xml, "<error message=\"interrupted after 5 cases, 4 without a violation\"/>"),
      properties);
  EXPECT_EQ(occurrences(xml, fmt::format(" errors=\"{}\"", properties)), 2u);
  const RunOutcome broken{.cases_run = 1, .target_error = "cannot start <node>"};
  EXPECT_EQ(occurrences(junit_of(broken),
                        "<error message=\"stopped on target inproc after 1 case, 0 "
                        "without a violation: cannot start &lt;node&gt;\"/>"),
            properties);
}

// XML allows no control character but tab and line ends, escaped or not: a
// scenario named with one made the whole file unreadable.
TEST(JunitXml, ControlCharactersOfANameAreReplaced) {
  const std::string xml = junit_of(RunOutcome{.cases_run = 1},
                                   "a\x01"
                                   "b\x1f<c>");
  EXPECT_EQ(std::count_if(xml.begin(), xml.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; }),
            0);
  EXPECT_NE(xml.find("name=\"a\uFFFDb\uFFFD&lt;c&gt;\""), std::string::npos) << xml;
}

// A run of one case whose history holds one event.
RunOutcome one_case_run() {
  RunOutcome o{.cases_run = 1};
  o.history.append({.time_us = 100, .op = 1, .client = 1, .type = EventType::invoke});
  return o;
}

// report.json gives the `ordeal check` that judges the run's history as
// the run did: the history holds no limits, and check's defaults differ
// from some scenarios'.
TEST(ReportJson, GivesTheCheckOfTheHistoryWithTheScenariosLimits) {
  Scenario scenario;
  scenario.properties = {"metadata-conformance"};
  scenario.limits.failed_share_max = 0.8;
  scenario.limits.metadata_staleness_ms = 1000;
  scenario.limits.recovery_ms_max = 2500;
  scenario.limits.client_reject_reasons = {"self-trade", "price band"};
  const auto json = nlohmann::json::parse(written(one_case_run(), scenario, "report.json"));
  const std::string out = ::testing::TempDir() + "ordeal-report-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  EXPECT_EQ(json.at("check"), "ordeal check " + shell_word(out + "/history.jsonl") +
                                  " --property metadata-conformance --failed-share-max 0.8 "
                                  "--outage-ms-max 3000 --metadata-staleness-ms 1000 "
                                  "--recovery-ms-max 2500 --client-reject-reason "
                                  "self-trade --client-reject-reason 'price band'");
}

// A run whose history holds no event (a target that never started a case)
// has nothing to check: no command that would only fail on an empty file.
TEST(ReportJson, NoCheckOfAHistoryWithoutEvents) {
  const auto json = nlohmann::json::parse(written(
      RunOutcome{.target_error = "no FIX logon within 10000 ms"}, Scenario{}, "report.json"));
  EXPECT_EQ(json.at("status"), "error");
  EXPECT_EQ(json.at("check"), nullptr);
}

// report.json says what the history's whole prices and quantities count,
// and passes them on to the check it gives.
TEST(ReportJson, SaysTheUnitsOfTheHistorysPricesAndQuantities) {
  Scenario scenario;
  auto json = nlohmann::json::parse(written(one_case_run(), scenario, "report.json"));
  EXPECT_EQ(json.at("units"), nlohmann::json({{"price_decimals", 0}, {"qty_decimals", 0}}));
  EXPECT_EQ(json.at("check").get<std::string>().find("decimals"), std::string::npos);
  scenario.units = {.price_decimals = 3, .qty_decimals = 4};
  json = nlohmann::json::parse(written(one_case_run(), scenario, "report.json"));
  EXPECT_EQ(json.at("units"), nlohmann::json({{"price_decimals", 3}, {"qty_decimals", 4}}));
  // Its check writes the messages in the same decimals as the run.
  const std::string check = json.at("check");
  EXPECT_NE(check.find(" --price-decimals 3 --qty-decimals 4"), std::string::npos) << check;
}

// Each fault point's windows and fires are in report.json; a point armed
// and never fired, or never armed, is a note on the console: its windows
// tested nothing. A live target's (no tallies) says null.
TEST(ReportJson, TalliesTheFaultPointsAndTheConsoleNotesOnesThatNeverFired) {
  RunOutcome o = one_case_run();
  o.cases_run = 30;
  o.fault_points = {{.point = "a.fired", .windows = 3, .fires = 5},
                    {.point = "b.silent", .windows = 4},
                    {.point = "c.unarmed"}};
  Scenario scenario;
  const auto json = nlohmann::json::parse(written(o, scenario, "report.json"));
  EXPECT_EQ(json.at("fault_points"),
            nlohmann::json::parse(R"([{"point":"a.fired","windows":3,"fires":5},
                                      {"point":"b.silent","windows":4,"fires":0},
                                      {"point":"c.unarmed","windows":0,"fires":0}])"));
  const RunReport report{.scenario = scenario, .outcome = o, .out_dir = "out"};
  ::testing::internal::CaptureStdout();
  console_report(false)->on_finish(report);
  const std::string console = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(console.find("a.fired"), std::string::npos) << console;
  EXPECT_NE(console.find("note: fault point b.silent never fired in its 4 windows"),
            std::string::npos)
      << console;
  EXPECT_NE(console.find("note: fault point c.unarmed was armed in none of the 30 cases"),
            std::string::npos)
      << console;
  o.fault_points.clear();
  EXPECT_EQ(nlohmann::json::parse(written(o, scenario, "report.json")).at("fault_points"), nullptr);
}

// report.json's `shrunk` is the result of a shrink that ran, else null;
// `failing_case` sizes the case reported either way. With --no-shrink it
// said "shrunk" from the case to itself.
TEST(ReportJson, ShrunkIsNullWhenShrinkingDidNotRun) {
  Case original;
  original.clients = {{Op{}, Op{}}, {Op{}}};
  Case smaller = original;
  smaller.clients.pop_back();
  RunOutcome o{.cases_run = 1,
               .violations = {Violation{.property = "no-lost-cancel", .message = "lost"}},
               .failing_case = original,
               .original_case = original};
  Scenario scenario;
  scenario.path = "s.toml";  // repro.toml names it
  auto json = nlohmann::json::parse(written(o, scenario, "report.json"));
  EXPECT_EQ(json.at("shrunk"), nullptr);
  EXPECT_EQ(json.at("failing_case").at("operations"), 3);
  o.shrunk = true;
  o.failing_case = smaller;
  json = nlohmann::json::parse(written(o, scenario, "report.json"));
  EXPECT_EQ(json.at("shrunk").at("operations"), 2);
  EXPECT_EQ(json.at("shrunk").at("original_operations"), 3);
  EXPECT_EQ(json.at("shrunk").at("complete"), true);
  EXPECT_EQ(json.at("failing_case").at("operations"), 2);
  o.shrink_cut_short = true;
  json = nlohmann::json::parse(written(o, scenario, "report.json"));
  EXPECT_EQ(json.at("shrunk").at("complete"), false);
  // A pass has neither.
  json = nlohmann::json::parse(written(RunOutcome{.cases_run = 1}, scenario, "report.json"));
  EXPECT_EQ(json.at("shrunk"), nullptr);
  EXPECT_EQ(json.at("failing_case"), nullptr);
}

}  // namespace
}  // namespace ordeal
