#include "framework/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "framework/base/assert.h"
#include "framework/base/write_file.h"
#include "framework/history/history_jsonl.h"
#include "framework/report/html/report_assets.h"

namespace ordeal {
namespace {

using nlohmann::json;

// Bounds on what one page lists besides operations: enough for any shrunk
// case, and a long history cannot make the page unbounded.
constexpr size_t kFaultWindowsMax = 2'000;
constexpr size_t kMarksMax = 2'000;
constexpr size_t kViolationEventsListedMax = 50;

// Which violations (by position) name each event index.
using ViolationsOfEvent = std::unordered_map<uint64_t, std::vector<size_t>>;

ViolationsOfEvent violations_of_events(const std::vector<Violation>& violations) {
  ViolationsOfEvent of;
  for (size_t v = 0; v < violations.size(); ++v) {
    for (uint64_t index : violations[v].events) of[index].push_back(v);
  }
  return of;
}

void add_violations(json& list, const ViolationsOfEvent& of, uint64_t index) {
  const auto it = of.find(index);
  if (it == of.end()) return;
  for (size_t v : it->second) {
    if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
  }
}

struct Timeline {
  json operations = json::array();
  json marks = json::array();  // events of violations that are not operations
  json faults = json::array();
  size_t operations_total = 0;
  std::vector<int32_t> clients;
};

void on_invoke(Timeline& t, std::unordered_map<uint32_t, size_t>& open, const History& h,
               uint64_t index, const ViolationsOfEvent& of) {
  const Event& e = h[index];
  ++t.operations_total;
  if (t.operations.size() >= kHtmlOperationsMax) return;
  open[e.op] = t.operations.size();
  // Set member by member: built from an initializer list, an operation cost
  // ten times as much (each value copied through a temporary).
  json& op = t.operations.emplace_back(json::object());
  op["client"] = e.client;
  op["f"] = exchange::to_string(e.kind);
  op["order"] = h.text(e.order);
  op["start_us"] = e.time_us;
  op["end_us"] = nullptr;
  op["outcome"] = "info";  // no completion in the history: unknown
  add_violations(op["violations"] = json::array(), of, index);
}

void on_completion(Timeline& t, std::unordered_map<uint32_t, size_t>& open, const History& h,
                   uint64_t index, const ViolationsOfEvent& of) {
  const Event& e = h[index];
  const auto it = open.find(e.op);
  if (it == open.end()) return;  // its invocation is past the operations shown
  json& op = t.operations[it->second];
  op["end_us"] = e.time_us;
  op["outcome"] = to_string(e.type);
  if (e.type != EventType::ok) op["reason"] = h.text(e.text);
  add_violations(op["violations"], of, index);
  open.erase(it);
}

void on_fault(Timeline& t, const History& h, const Event& e) {
  const std::string_view name = h.text(e.text);
  if (e.type == EventType::fault_stop) {
    // Closes the oldest open window of the same fault and parameter.
    for (json& w : t.faults) {
      if (w["end_us"].is_null() && w["name"] == name && w["param"] == e.number) {
        w["end_us"] = e.time_us;
        return;
      }
    }
    return;
  }
  if (t.faults.size() >= kFaultWindowsMax) return;
  t.faults.push_back(
      {{"name", name}, {"param", e.number}, {"start_us", e.time_us}, {"end_us", nullptr}});
}

void on_mark(Timeline& t, const History& h, uint64_t index, const ViolationsOfEvent& of) {
  if (t.marks.size() >= kMarksMax || !of.contains(index)) return;
  const Event& e = h[index];
  json mark = {{"index", index},           {"client", e.client},
               {"time_us", e.time_us},     {"type", to_string(e.type)},
               {"order", h.text(e.order)}, {"violations", json::array()}};
  add_violations(mark["violations"], of, index);
  t.marks.push_back(std::move(mark));
}

Timeline build_timeline(const History& h, const std::vector<Violation>& violations) {
  const ViolationsOfEvent of = violations_of_events(violations);
  Timeline t;
  std::unordered_map<uint32_t, size_t> open;  // op -> position in t.operations
  for (uint64_t i = 0; i < h.size(); ++i) {
    const Event& e = h[i];
    if (e.type == EventType::invoke) {
      on_invoke(t, open, h, i, of);
    } else if (is_completion(e.type)) {
      on_completion(t, open, h, i, of);
    } else if (e.type == EventType::fault_start || e.type == EventType::fault_stop) {
      on_fault(t, h, e);
    }
    if (e.type != EventType::invoke && !is_completion(e.type)) on_mark(t, h, i, of);
    if (e.client >= 0 &&
        std::find(t.clients.begin(), t.clients.end(), e.client) == t.clients.end()) {
      t.clients.push_back(e.client);
    }
  }
  std::sort(t.clients.begin(), t.clients.end());
  return t;
}

json violations_json(const HtmlPage& page) {
  json list = json::array();
  for (const Violation& v : page.violations) {
    json events = json::array();
    for (uint64_t index : v.events) {
      if (events.size() >= kViolationEventsListedMax || index >= page.history.size()) break;
      // The event as history.jsonl has it: the page reads the documented
      // schema, and shows its quantities as the messages write them (the
      // venue's decimals when the run had its own instruments).
      json event = json::parse(event_json(page.history, index));
      for (const char* field : {"qty", "filled"}) {
        if (event.contains(field)) {
          event[std::string(field) + "_text"] = page.history.qty_text(event[field].get<int64_t>());
        }
      }
      events.push_back(std::move(event));
    }
    list.push_back({{"property", v.property},
                    {"message", v.message},
                    {"orders", v.orders},
                    {"events", events},
                    {"events_total", v.events.size()}});
  }
  return list;
}

// Each character that has a replacement in `table` replaced by it.
std::string replace_chars(std::string_view text,
                          std::initializer_list<std::pair<char, std::string_view>> table) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [c](const auto& entry) { return entry.first == c; });
    if (it == table.end()) {
      out.push_back(c);
    } else {
      out += it->second;
    }
  }
  return out;
}

// JSON inside a <script> element: no "</script>", "<!--" nor "&" may appear
// literally. They can only be inside JSON strings, where \u escapes mean the same.
std::string script_safe(std::string_view json_text) {
  return replace_chars(json_text, {{'<', "\\u003c"}, {'>', "\\u003e"}, {'&', "\\u0026"}});
}

std::string html_text(std::string_view text) {
  return replace_chars(text, {{'<', "&lt;"}, {'>', "&gt;"}, {'&', "&amp;"}});
}

// Copies the template with each @ORDEAL_NAME@ marker replaced by its content,
// in one pass: inserted content is never searched for markers.
std::string fill_template(std::string_view page,
                          const std::vector<std::pair<std::string_view, std::string_view>>& parts) {
  std::string out;
  // Taken at once: the page is hundreds of kilobytes (the chart library).
  size_t bytes = page.size();
  for (const auto& part : parts) bytes += part.second.size();
  out.reserve(bytes);
  size_t filled = 0;
  for (size_t at = 0; (at = page.find("@ORDEAL_", at)) != std::string_view::npos;) {
    const size_t end = page.find('@', at + 1);
    ORDEAL_ASSERT(end != std::string_view::npos, "unterminated marker in report.html");
    const std::string_view marker = page.substr(at, end + 1 - at);
    const auto part =
        std::find_if(parts.begin(), parts.end(), [&](const auto& p) { return p.first == marker; });
    ORDEAL_ASSERT(part != parts.end(), "unknown marker {} in report.html", marker);
    out += page.substr(0, at);
    out += part->second;
    page.remove_prefix(end + 1);
    at = 0;
    ++filled;
  }
  out += page;
  ORDEAL_ASSERT(filled == parts.size(), "report.html has {} markers, expected {}", filled,
                parts.size());
  return out;
}

std::vector<std::pair<std::string, std::string>> run_summary(const RunReport& r) {
  const RunOutcome& o = r.outcome;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"scenario", fmt::format("{} ({})", r.scenario.name, r.scenario.path)},
      {"seed", std::to_string(r.seed)},
      {"defect", r.defect},
      {"cases run", std::to_string(o.cases_run)},
      {"operations", std::to_string(o.operations)},
      {"events", std::to_string(o.events)},
      {"wall time", fmt::format("{:.2f} s", o.wall_s)}};
  if (o.failed())
    rows.emplace_back("first failure after", fmt::format("{:.2f} s", o.first_failure_s));
  if (o.budget_exhausted) rows.emplace_back("time budget", "reached");
  return rows;
}

// The console's shrink_summary, as a sentence.
std::string steps_note(const RunOutcome& o) {
  std::string note = shrink_summary(o) + ":";
  note[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(note[0])));
  return note;
}

class HtmlReport final : public ReportListener {
 public:
  std::string on_finish(const RunReport& r) override {
    const RunOutcome& o = r.outcome;
    HtmlPage page{.title = r.scenario.name,
                  .status = run_status(r),
                  .error = run_error(r),
                  .summary = run_summary(r),
                  .reproduce = r.reproduce,
                  .history = o.history,
                  .violations = o.violations};
    if (o.failed()) {
      page.steps = describe_steps(o.history, r.scenario);
      page.steps_note = steps_note(o);
    }
    return write_html_report(page, r.out_dir + "/report.html");
  }
};

}  // namespace

std::string html_report_data(const HtmlPage& page) {
  Timeline t = build_timeline(page.history, page.violations);  // moved into the data
  json summary = json::array();
  for (const auto& [label, value] : page.summary) summary.push_back({label, value});
  const int64_t end_us = page.history.size() ? page.history.events().back().time_us : 0;
  const json data = {{"title", page.title},
                     {"status", page.status},
                     {"error", page.error},
                     {"summary", summary},
                     {"reproduce", page.reproduce},
                     {"steps", page.steps},
                     {"steps_note", page.steps_note},
                     {"violations", violations_json(page)},
                     {"clients", std::move(t.clients)},
                     {"operations", std::move(t.operations)},
                     {"operations_total", t.operations_total},
                     {"marks", std::move(t.marks)},
                     {"faults", std::move(t.faults)},
                     {"end_us", end_us}};
  return script_safe(data.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string render_html_report(const HtmlPage& page) {
  const std::string title = html_text(page.title);
  const std::string data = html_report_data(page);
  return fill_template(report_assets::page_template(),
                       {{"@ORDEAL_TITLE@", title},
                        {"@ORDEAL_STYLE@", report_assets::page_style()},
                        {"@ORDEAL_CHART_LIBRARY@", report_assets::chart_library()},
                        {"@ORDEAL_CHART_ANNOTATION@", report_assets::chart_annotation()},
                        {"@ORDEAL_DATA@", data},
                        {"@ORDEAL_SCRIPT@", report_assets::page_script()}});
}

std::string write_html_report(const HtmlPage& page, const std::string& path) {
  return write_file(path, render_html_report(page));
}

std::unique_ptr<ReportListener> html_report() { return std::make_unique<HtmlReport>(); }

}  // namespace ordeal
