// report.html: one self-contained page with the chart library, the page's own
// script and the run's data inlined, so it opens without network access. It
// shows a timeline of operations per client with fault windows, latency and
// throughput over time, the violations, the shrunk case and how to reproduce.
//
//   HtmlPage page{.title = "okx-2023-08-14", .status = "fail", .history = h,
//                 .violations = v};
//   std::string error = write_html_report(page, "ordeal-out/report.html");
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "framework/check/property.h"
#include "framework/history/history.h"
#include "framework/report/report.h"

namespace ordeal {

// What the page shows. Fields that do not apply stay empty and their panel
// says so (`ordeal check` has no scenario, seed nor shrunk case).
struct HtmlPage {
  std::string title;
  std::string status;  // pass, fail or error
  std::string error;   // with status error: why the run has no verdict
  std::vector<std::pair<std::string, std::string>> summary;  // label, value
  std::string reproduce;                                     // the command that reruns the run
  std::vector<std::string> steps;                            // the shrunk case, readable
  std::string steps_note;                                    // the sentence before the steps
  const History& history;                                    // the timeline's source
  const std::vector<Violation>& violations;
};

// The timeline shows at most this many operations (the first ones); the page
// says how many there were.
inline constexpr size_t kHtmlOperationsMax = 20'000;

// The page's JSON data block (also what the unit test reads).
std::string html_report_data(const HtmlPage& page);
// The whole page.
std::string render_html_report(const HtmlPage& page);
// Writes the page; an error message, or empty.
std::string write_html_report(const HtmlPage& page, const std::string& path);

// report.html for `ordeal run` and `ordeal replay`, from a RunReport.
std::unique_ptr<ReportListener> html_report();

}  // namespace ordeal
