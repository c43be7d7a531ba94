#include "framework/report/report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "framework/base/write_file.h"
#include "framework/history/history_jsonl.h"
#include "framework/report/html_report.h"
#include "framework/report/signature.h"
#include "framework/run/repro.h"

namespace ordeal {
namespace {

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 has no control character but tab and line ends, not even
        // as a reference: one in a scenario's name made junit.xml unreadable.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\uFFFD";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// The `ordeal check` of the run's history.jsonl that judges it as the run
// did: the scenario's properties and limits, which the history does not
// hold (its defaults differ from some scenarios', metadata-corruption's
// staleness for one). Every property the run checked is named, so that a
// program that lacks one (plain `ordeal`, for a history judged by a
// property of one's own) refuses it rather than passes without it.
std::string check_command(const RunReport& r) {
  std::string command = r.program + " check " + shell_word(r.out_dir + "/history.jsonl");
  for (const Property* property : checked_properties(r.scenario.properties)) {
    command += " --property " + shell_word(property->name());
  }
  const CheckLimits& l = r.scenario.limits;
  command += fmt::format(
      " --failed-share-max {} --outage-ms-max {} --metadata-staleness-ms {} "
      "--recovery-ms-max {}",
      l.failed_share_max, l.outage_ms_max, l.metadata_staleness_ms, l.recovery_ms_max);
  for (const std::string& reason : l.client_reject_reasons) {
    command += " --client-reject-reason " + shell_word(reason);
  }
  if (const TradeUnits& u = r.scenario.units; u != TradeUnits{}) {
    command +=
        fmt::format(" --price-decimals {} --qty-decimals {}", u.price_decimals, u.qty_decimals);
  }
  return command;
}

// Each fault point the scenario arms, its windows and fires over the cases
// run; null where the target records no fires.
nlohmann::json fault_points_json(const RunOutcome& o) {
  if (o.fault_points.empty()) return nullptr;
  nlohmann::json points = nlohmann::json::array();
  for (const FaultTally& t : o.fault_points) {
    points.push_back({{"point", t.point}, {"windows", t.windows}, {"fires", t.fires}});
  }
  return points;
}

class JsonReport final : public ReportListener {
 public:
  std::string on_finish(const RunReport& r) override {
    nlohmann::json violations = nlohmann::json::array();
    for (const Violation& v : r.outcome.violations) {
      violations.push_back({{"property", v.property},
                            {"message", v.message},
                            {"orders", v.orders},
                            {"events", v.events}});
    }
    nlohmann::json failing_case = nullptr;
    nlohmann::json shrunk = nullptr;
    nlohmann::json signature = nullptr;
    if (const RunOutcome& o = r.outcome; o.failed()) {
      const FailureSignature s = failure_signature(r.scenario, *o.failing_case, o.violations);
      signature = {{"text", s.text}, {"id", s.id}, {"shape", s.shape}};
      failing_case = {{"operations", o.failing_case->operations()},
                      {"faults", o.failing_case->fault_count()},
                      {"metadata_changes", o.failing_case->metadata.size()}};
      // Only a shrink that ran has a result: a case reported as found
      // (--no-shrink, a replay) said "shrunk" from itself to itself.
      if (o.shrunk) {
        shrunk = failing_case;
        shrunk["original_operations"] = o.original_case->operations();
        shrunk["original_faults"] = o.original_case->fault_count();
        shrunk["complete"] = !o.shrink_cut_short;
      }
    }
    nlohmann::json clean_up = nullptr;
    if (const CaseCleanUp& c = r.outcome.clean_up; c.live) {
      clean_up = {{"open", c.open},
                  {"cancelled", c.cancelled},
                  {"refused", c.refused},
                  {"unknown", c.unknown},
                  {"unresolved", c.unresolved}};
    }
    const nlohmann::json report = {
        {"status", run_status(r)},
        {"scenario", r.scenario.path},
        {"seed", r.seed},
        {"defect", r.defect},
        {"cases", r.outcome.cases_run},
        {"operations", r.outcome.operations},
        {"events", r.outcome.events},
        {"fault_points", fault_points_json(r.outcome)},
        {"wall_s", r.outcome.wall_s},
        {"first_failure_s", r.outcome.first_failure_s},
        {"violations", violations},
        {"failing_case", failing_case},
        {"shrunk", shrunk},
        {"signature", signature},
        {"repro", r.outcome.failed() ? nlohmann::json("repro.toml") : nlohmann::json(nullptr)},
        {"reproduce", r.reproduce},
        // No event, nothing to check (a target that never started a case):
        // a command that only fails on an empty file would mislead.
        {"check", r.outcome.history.size() == 0 ? nlohmann::json(nullptr)
                                                : nlohmann::json(check_command(r))},
        {"clean_up", clean_up},
        // What history.jsonl's whole prices and quantities count: 10^-d.
        {"units",
         {{"price_decimals", r.scenario.units.price_decimals},
          {"qty_decimals", r.scenario.units.qty_decimals}}}};
    return write_file(r.out_dir + "/report.json", report.dump(2) + "\n");
  }
};

// How far a run without a verdict got, in the console's and junit.xml's
// words: the last case it started may have none.
std::string cases_checked(const RunOutcome& o) {
  return fmt::format("after {}, {} without a violation", counted(o.cases_run, "case"),
                     o.cases_run > 0 ? o.cases_run - 1 : 0);
}

class JunitReport final : public ReportListener {
 public:
  std::string on_finish(const RunReport& r) override {
    const std::vector<const Property*> checked = checked_properties(r.scenario.properties);
    // An interrupted run or a failed target held no property to the end: a
    // page that showed every testcase passed would read as a pass.
    const std::string error = run_error(r);
    size_t failures = 0;
    std::string cases;
    for (const Property* p : checked) {
      std::string failure;
      for (const Violation& v : r.outcome.violations) {
        if (v.property != p->name()) continue;
        failure += xml_escape(v.message) + "\n";
      }
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                           xml_escape(r.scenario.name), p->name(), r.outcome.wall_s);
      if (!failure.empty()) {
        ++failures;
        cases += fmt::format("      <failure message=\"{} violated; {}\">{}</failure>\n", p->name(),
                             xml_escape(r.reproduce), failure);
      }
      if (!error.empty()) {
        cases += fmt::format("      <error message=\"{}\"/>\n", xml_escape(error));
      }
      cases += "    </testcase>\n";
    }
    const size_t errors = error.empty() ? 0 : checked.size();
    const std::string xml = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites tests=\"{0}\" failures=\"{1}\" errors=\"{7}\">\n"
        "  <testsuite name=\"{2}\" tests=\"{0}\" failures=\"{1}\" errors=\"{7}\" "
        "time=\"{3:.3f}\">\n"
        "    <properties><property name=\"seed\" value=\"{4}\"/><property name=\"defect\" "
        "value=\"{5}\"/></properties>\n{6}  </testsuite>\n</testsuites>\n",
        checked.size(), failures, xml_escape(r.scenario.name), r.outcome.wall_s, r.seed,
        xml_escape(r.defect), cases, errors);
    return write_file(r.out_dir + "/junit.xml", xml);
  }
};

class HistoryReport final : public ReportListener {
 public:
  std::string on_finish(const RunReport& r) override {
    std::string error;
    write_history_jsonl(r.outcome.history, r.out_dir + "/history.jsonl", error);
    return error;
  }
};

class ReproReport final : public ReportListener {
 public:
  std::string on_finish(const RunReport& r) override {
    const std::string path = r.out_dir + "/repro.toml";
    if (!r.outcome.failed()) {
      std::remove(path.c_str());  // a stale repro from an earlier run would mislead
      return {};
    }
    const Repro repro{.scenario_path = r.scenario.path,
                      .target = r.target,
                      .defect = r.defect,
                      .run_seed = r.seed,
                      .c = *r.outcome.failing_case,
                      .program = r.program};
    return write_file(path, repro_toml(repro, r.scenario, path));
  }
};

// Notes each fault point that tested nothing: armed in no case, or never
// fired in its windows.
void print_silent_fault_points(const RunOutcome& o) {
  for (const FaultTally& t : o.fault_points) {
    if (t.fires > 0) continue;
    if (t.windows == 0) {
      fmt::print("  note: fault point {} was armed in none of the {}\n", t.point,
                 counted(o.cases_run, "case"));
    } else {
      fmt::print(
          "  note: fault point {} never fired in its {} (nothing passed it while armed: "
          "the nemesis's window_ms against the workload's pace, or its probability)\n",
          t.point, counted(t.windows, "window"));
    }
  }
}

class ConsoleReport final : public ReportListener {
 public:
  explicit ConsoleReport(bool progress) : progress_(progress) {}

  void on_progress(const Progress& p) override {
    if (!progress_ || !redraw_due(p)) return;
    drawn_ = p;
    const double ops_per_s = p.wall_s > 0 ? static_cast<double>(p.operations) / p.wall_s : 0;
    fmt::print(stderr, "\r{} {} cases, {:.0f} ops/s, {} violations   ",
               p.shrinking ? "shrinking:" : "running:", p.cases, ops_per_s, p.violations);
  }

  std::string on_finish(const RunReport& r) override {
    if (progress_) fmt::print(stderr, "\r{:60}\r", "");
    const RunOutcome& o = r.outcome;
    fmt::print("ordeal: {} ({}), seed {}, defect {}\n", r.scenario.name, r.scenario.path, r.seed,
               r.defect);
    // The steps and violations write the venue's decimals; history.jsonl
    // and repro.toml hold whole numbers of the scenario's units.
    if (const TradeUnits& u = r.scenario.units; u != TradeUnits{}) {
      fmt::print(
          "  [[instruments]]: history.jsonl counts prices in units of {}, quantities in {}\n",
          from_units(1, u.price_decimals), from_units(1, u.qty_decimals));
    }
    if (o.clean_up.live) fmt::print("  clean-up: {}\n", describe(o.clean_up));
    if (o.operations_unsent > 0) {
      fmt::print(
          "  note: {} not sent: a case stops its clients at 10 minutes of virtual time "
          "(lower think_ms_max or operations_per_client)\n",
          counted(o.operations_unsent, "operation"));
    }
    // On a pass only: a run that stopped at its first violation may simply
    // not have reached a point's traffic.
    if (!o.failed()) print_silent_fault_points(o);
    if (!o.failed() && run_status(r) == "error") {
      fmt::print("  ERROR {} ({}): {}\n", cases_checked(o), duration(o.wall_s),
                 o.interrupted ? "interrupted" : o.target_error);
      fmt::print("  reports: {}/\n", r.out_dir);
      return {};
    }
    if (!o.failed()) {
      fmt::print("  PASS: {}, {}, {} in {}{}\n", counted(o.cases_run, "case"),
                 counted(o.operations, "operation"), counted(o.events, "event"), duration(o.wall_s),
                 o.budget_exhausted ? " (time budget reached)" : "");
      fmt::print("  reports: {}/\n", r.out_dir);
      return {};
    }
    fmt::print("  FAIL after {} ({}): {}\n", counted(o.cases_run, "case"),
               duration(o.first_failure_s), o.violations.front().property);
    for (const Violation& v : o.violations) fmt::print("    {}: {}\n", v.property, v.message);
    fmt::print("  {}:\n", shrink_summary(o));
    for (const std::string& step :
         first_steps(describe_steps(o.history, r.scenario), kStepsShown)) {
      fmt::print("    {}\n", step);
    }
    fmt::print("  reproduce: {} replay {}\n", r.program, shell_word(r.out_dir + "/repro.toml"));
    fmt::print("        or: {}\n", r.reproduce);
    fmt::print("  reports: {}/\n", r.out_dir);
    return {};
  }

 private:
  // A redraw per case sent a terminal tens of thousands of lines a second
  // (2.6 MB of them for 50,000 cases); a few a second read the same. A new
  // phase or a new violation shows at once.
  bool redraw_due(const Progress& p) const {
    constexpr double kRedrawS = 0.1;
    if (!drawn_) return true;
    return p.shrinking != drawn_->shrinking || p.violations != drawn_->violations ||
           p.wall_s - drawn_->wall_s >= kRedrawS;
  }

  bool progress_;
  std::optional<Progress> drawn_;
};

}  // namespace

std::string run_status(const RunReport& r) {
  if (r.outcome.failed()) return "fail";
  return r.outcome.target_error.empty() && !r.outcome.interrupted ? "pass" : "error";
}

std::string run_error(const RunReport& r) {
  if (run_status(r) != "error") return {};
  const std::string checked = cases_checked(r.outcome);
  if (r.outcome.interrupted) return "interrupted " + checked;
  // The error says what failed: the target, or a stage of a case that threw
  // (a property's bug too), so this line does not blame the target.
  return fmt::format("stopped on target {} {}: {}", r.target, checked, r.outcome.target_error);
}

std::string shell_word(std::string_view word) {
  const auto plain = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return std::string(word);
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A failure found in the first case takes a millisecond: "0.00 s" would
// read as nothing at all.
std::string duration(double seconds) {
  if (seconds < 1.0) return fmt::format("{:.1f} ms", seconds * 1e3);
  return fmt::format("{:.2f} s", seconds);
}

std::string counted(uint64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// Metadata changes are named only when there are some: most scenarios have
// none, and "0 metadata changes" in every line would be noise.
std::string case_size(const Case& c) {
  const std::string operations = counted(c.operations(), "operation");
  const std::string faults = counted(c.fault_count(), "fault");
  if (c.metadata.empty()) return fmt::format("{} and {}", operations, faults);
  return fmt::format("{}, {} and {}", operations, counted(c.metadata.size(), "metadata change"),
                     faults);
}

std::string shrink_summary(const RunOutcome& o) {
  const Case& original = *o.original_case;
  const Case& shrunk = *o.failing_case;
  if (!o.shrunk) return fmt::format("the failing case, not shrunk ({})", case_size(shrunk));
  if (original == shrunk) {
    return fmt::format("the failing case; shrinking found nothing smaller ({}, {}{})",
                       case_size(shrunk), duration(o.shrunk_s),
                       !o.shrink_cut_short ? ""
                       : o.interrupted     ? ", interrupted with more to try"
                                           : ", stopped at its budget with more to try");
  }
  return fmt::format(
      "shrunk from {} to {} ({}{})", case_size(original), case_size(shrunk), duration(o.shrunk_s),
      !o.shrink_cut_short ? ""
      : o.interrupted     ? "; interrupted with more to try"
                      : "; stopped at its budget with more to try: --shrink-time gives it more");
}

std::vector<std::unique_ptr<ReportListener>> file_reports(bool with_repro) {
  std::vector<std::unique_ptr<ReportListener>> reports;
  reports.push_back(std::make_unique<JsonReport>());
  reports.push_back(std::make_unique<JunitReport>());
  reports.push_back(std::make_unique<HistoryReport>());
  reports.push_back(html_report());
  if (with_repro) reports.push_back(std::make_unique<ReproReport>());
  return reports;
}

std::string write_file_reports(const RunReport& report, bool with_repro) {
  for (auto& listener : file_reports(with_repro)) {
    if (auto error = listener->on_finish(report); !error.empty()) return error;
  }
  return {};
}

std::unique_ptr<ReportListener> console_report(bool progress) {
  return std::make_unique<ConsoleReport>(progress);
}

}  // namespace ordeal
