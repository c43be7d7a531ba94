// Reports of a run, each a listener: the console summary, report.json,
// junit.xml, history.jsonl, report.html and repro.toml are rendered from one
// RunReport at the end (and the console also draws progress while cases run).
//
//   for (auto& listener : file_reports()) listener->on_finish(report);  // into report.out_dir
//   console_report(isatty(STDERR_FILENO))->on_finish(report);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "framework/report/steps.h"
#include "framework/run/runner.h"
#include "framework/run/scenario.h"

namespace ordeal {

struct RunReport {
  const Scenario& scenario;
  const RunOutcome& outcome;
  uint64_t seed = 0;
  std::string defect = "none";
  std::string out_dir;
  std::string reproduce;  // the command that reruns this exact run
  std::string target =
      "inproc";  // what ran the cases: inproc, cluster, fix://... or a registered one
  // The program whose check and replay read this run's files, as the
  // commands the reports print call it: a program of one's own
  // (framework/cli/command_line.h) knows the properties and targets it links.
  std::string program = "ordeal";
};

class ReportListener {
 public:
  virtual ~ReportListener() = default;
  virtual void on_progress(const Progress& /*progress*/) {}
  // Returns an error message, or empty.
  virtual std::string on_finish(const RunReport& report) = 0;
};

// report.json, junit.xml, history.jsonl, report.html and (on failure) repro.toml.
std::vector<std::unique_ptr<ReportListener>> file_reports(bool with_repro = true);
// Writes every file report; the first error, or empty.
std::string write_file_reports(const RunReport& report, bool with_repro = true);

// The summary on stdout; progress on stderr when it is a terminal.
std::unique_ptr<ReportListener> console_report(bool progress);

// A word of a command line as a POSIX shell reads it: unchanged when it
// holds no character the shell treats specially, else in single quotes
// ("out dir/repro.toml" becomes 'out dir/repro.toml'), so that a printed
// command runs when pasted.
std::string shell_word(std::string_view word);

// A wall time as a person reads it: "1.5 ms" below a second, else "2.31 s".
std::string duration(double seconds);
// A count in words, with the singular for one: "1 case", "2 cases".
std::string counted(uint64_t n, std::string_view noun);
// A case's size in words: "3 operations and 1 fault", or with its metadata
// changes when it has some: "3 operations, 1 metadata change and 1 fault".
std::string case_size(const Case& c);
// The line above a failing case's steps: what it was shrunk from, that
// shrinking found nothing smaller, or that it did not run (--no-shrink, a
// replay): RunOutcome::shrunk.
std::string shrink_summary(const RunOutcome& outcome);
// The run's verdict as report.json says it: pass, fail or error (no
// verdict: the target failed, a case threw, or the run was interrupted
// before any violation).
std::string run_status(const RunReport& r);
// Why a run that is an error has no verdict, in words (junit.xml's error,
// report.html's headline); empty unless run_status is error.
std::string run_error(const RunReport& r);

}  // namespace ordeal
