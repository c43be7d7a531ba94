// report.html's data and page: operations paired with their answers, fault
// windows, the events of violations, the bound on operations, and text from
// the run that cannot break out of its <script> element.
#include "framework/report/html_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "framework/base/test_dir.h"

namespace ordeal {
namespace {

using exchange::RequestKind;
using nlohmann::json;

// A fault window, a place and a cancel of client 1 (both accepted), a fill
// after the cancel, and a place of client 2 that never got an answer.
History small_history() {
  History h;
  const Sym fault = h.intern("meta.update.delay");
  const Sym c11 = h.intern("c1-1");
  h.append({.time_us = 100, .number = 200, .text = fault, .type = EventType::fault_start});
  h.append({.time_us = 200, .op = 1, .client = 1, .order = c11, .type = EventType::invoke});
  h.append({.time_us = 300, .op = 1, .client = 1, .order = c11, .type = EventType::ok});
  h.append({.time_us = 400,
            .op = 2,
            .client = 1,
            .order = c11,
            .type = EventType::invoke,
            .kind = RequestKind::cancel});
  h.append({.time_us = 500,
            .op = 2,
            .client = 1,
            .order = c11,
            .type = EventType::ok,
            .kind = RequestKind::cancel});
  h.append({.time_us = 600, .qty = 1, .client = 1, .order = c11, .type = EventType::fill});
  h.append({.time_us = 700, .op = 3, .client = 2, .order = h.intern("c2-1")});
  h.append({.time_us = 900, .number = 200, .text = fault, .type = EventType::fault_stop});
  return h;
}

const std::vector<Violation> kViolations = {
    {.property = "no-lost-cancel",
     .message = "cancel accepted, then filled </script><script>alert(1)</script>",
     .orders = {"1/c1-1"},
     .events = {3, 4, 5}}};

json data_of(const History& h, const std::vector<Violation>& violations) {
  const HtmlPage page{.title = "small", .status = "fail", .history = h, .violations = violations};
  return json::parse(html_report_data(page));
}

TEST(HtmlReport, PairsOperationsWithTheirAnswers) {
  const History h = small_history();
  const json data = data_of(h, kViolations);
  ASSERT_EQ(data["operations"].size(), 3u);
  EXPECT_EQ(data["operations_total"], 3);
  const json& cancel = data["operations"][1];
  EXPECT_EQ(cancel["f"], "cancel");
  EXPECT_EQ(cancel["start_us"], 400);
  EXPECT_EQ(cancel["end_us"], 500);
  EXPECT_EQ(cancel["outcome"], "ok");
  const json& unanswered = data["operations"][2];
  EXPECT_TRUE(unanswered["end_us"].is_null());
  EXPECT_EQ(unanswered["outcome"], "info");
  EXPECT_EQ(data["clients"], json::array({1, 2}));
  EXPECT_EQ(data["end_us"], 900);
}

TEST(HtmlReport, MarksTheEventsOfViolations) {
  const History h = small_history();
  const json data = data_of(h, kViolations);
  EXPECT_EQ(data["operations"][0]["violations"], json::array());
  EXPECT_EQ(data["operations"][1]["violations"], json::array({0}));
  ASSERT_EQ(data["marks"].size(), 1u);  // the fill: not an operation
  EXPECT_EQ(data["marks"][0]["index"], 5);
  EXPECT_EQ(data["marks"][0]["type"], "fill");
  const json& listed = data["violations"][0]["events"];
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[2]["type"], "fill");  // as history.jsonl has it
  EXPECT_EQ(listed[2]["time_us"], 600);
}

// A violation's events show their quantities as the messages write them:
// the venue's decimals when the run had its own instruments.
TEST(HtmlReport, AViolationsEventsShowQuantitiesInTheRunsUnits) {
  History h = small_history();
  EXPECT_EQ(data_of(h, kViolations)["violations"][0]["events"][2]["qty_text"], "1");
  h.set_units({.price_decimals = 2, .qty_decimals = 3});
  const json data = data_of(h, kViolations);
  const json& fill = data["violations"][0]["events"][2];
  EXPECT_EQ(fill["qty"], 1) << "as history.jsonl has it";
  EXPECT_EQ(fill["qty_text"], "0.001");
  EXPECT_EQ(fill["filled_text"], "0");
}

TEST(HtmlReport, PairsFaultStartsWithStops) {
  History h = small_history();
  h.append({.time_us = 950,
            .number = 7,
            .text = h.intern("meta.update.drop"),
            .type = EventType::fault_start});
  const json data = data_of(h, {});
  ASSERT_EQ(data["faults"].size(), 2u);
  EXPECT_EQ(data["faults"][0]["name"], "meta.update.delay");
  EXPECT_EQ(data["faults"][0]["param"], 200);
  EXPECT_EQ(data["faults"][0]["start_us"], 100);
  EXPECT_EQ(data["faults"][0]["end_us"], 900);
  EXPECT_TRUE(data["faults"][1]["end_us"].is_null());  // still armed when the history ends
}

TEST(HtmlReport, BoundsTheOperationsShown) {
  History h;
  const size_t total = kHtmlOperationsMax + 5;
  for (size_t i = 1; i <= total; ++i) {
    h.append({.time_us = static_cast<int64_t>(i), .op = static_cast<uint32_t>(i), .client = 0});
  }
  const json data = data_of(h, {});
  EXPECT_EQ(data["operations"].size(), kHtmlOperationsMax);
  EXPECT_EQ(data["operations_total"], total);
}

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, PageInlinesEverythingAndKeepsTextInsideItsScript) {
  const History h = small_history();
  const HtmlPage page{
      .title = "a <b> & @ORDEAL_DATA@", .status = "fail", .history = h, .violations = kViolations};
  const std::string html = render_html_report(page);
  // Exactly the page's own five script elements (library, plugin, data, two
  // of the page's): the message's "</script>" did not end one early.
  EXPECT_EQ(count(html, "</script>"), 5u);
  EXPECT_EQ(count(html, "<script"), 5u);
  EXPECT_NE(html.find("Chart.js v"), std::string::npos);
  EXPECT_NE(html.find("chartjs-plugin-annotation v"), std::string::npos);
  EXPECT_NE(html.find("<title>ordeal report: a &lt;b&gt; &amp; @ORDEAL_DATA@</title>"),
            std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing loaded from the network
  // The data block reads back as the same text.
  const std::string open = "<script type=\"application/json\" id=\"ordeal-data\">";
  const size_t begin = html.find(open) + open.size();
  const json data = json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  EXPECT_EQ(data["violations"][0]["message"], kViolations[0].message);
}

// The page's data block, from the page report.html's listener wrote for `r`.
json written_data(const RunReport& r) {
  EXPECT_EQ(html_report()->on_finish(r), "");
  std::ifstream in(r.out_dir + "/report.html");
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string open = "<script type=\"application/json\" id=\"ordeal-data\">";
  const size_t begin = html.find(open) + open.size();
  return json::parse(html.substr(begin, html.find("</script>", begin) - begin));
}

// A run without a verdict (interrupted, or its target failed) is no pass:
// the page says error and why, as report.json and the console do.
TEST(HtmlReport, ARunWithoutAVerdictIsAnErrorNotAPass) {
  TestDir dir("html-error");
  std::filesystem::create_directories(dir.path);
  const Scenario scenario;
  RunOutcome outcome{.cases_run = 3};
  const RunReport r{.scenario = scenario, .outcome = outcome, .out_dir = dir.path.string()};
  EXPECT_EQ(written_data(r)["status"], "pass");
  outcome.interrupted = true;
  json data = written_data(r);
  EXPECT_EQ(data["status"], "error");
  EXPECT_EQ(data["error"], "interrupted after 3 cases, 2 without a violation");
  outcome.interrupted = false;
  outcome.target_error = "no FIX logon within 10000 ms";
  data = written_data(r);
  EXPECT_EQ(data["status"], "error");
  EXPECT_EQ(data["error"],
            "stopped on target inproc after 3 cases, 2 without a violation: no FIX logon "
            "within 10000 ms");
}

}  // namespace
}  // namespace ordeal
