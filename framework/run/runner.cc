#include "framework/run/runner.h"

#include <fcntl.h>
#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <random>
#include <string_view>

#include "faults/fault_point.h"
#include "framework/base/assert.h"
#include "framework/base/interrupt.h"
#include "framework/base/thread_failure.h"
#include "framework/run/case_run.h"
#include "framework/run/generate.h"
#include "framework/run/sim_target.h"

namespace ordeal {

namespace {

// What an exception out of a case's `stage` says, for the case's error; to
// be called in a catch block. A bug in ordeal, or in a user's property or
// target, must end the run as an error: RapidCheck would take the exception
// for a failing case and shrink it, and ordeal, seeing no violation, would
// report that every property held.
std::string thrown(std::string_view stage) {
  return fmt::format("{} {}", stage, what_was_thrown());
}

// Runs `run`, which makes a case's verdict; an exception out of it is the
// verdict's error, named by the stage the run had reached.
template <typename Run>
CaseVerdict run_guarded(const std::string_view& stage, Run&& run) {
  try {
    return run();
  } catch (...) {
    return {.error = thrown(stage)};
  }
}

// Checks the history of a case that ran. A property that throws leaves the
// history with the error, so that `ordeal check` can run it again.
void check_verdict(const Scenario& scenario, CaseVerdict& verdict) {
  if (!verdict.error.empty()) return;
  try {
    verdict.violations = check_history(verdict.history, scenario.properties, scenario.limits);
  } catch (const PropertyThrew& e) {
    verdict.error = std::string("checking the history: ") + e.what();
  } catch (...) {
    verdict.error = thrown("checking the history");
  }
}

}  // namespace

CaseVerdict check_case(const Scenario& scenario, const Case& c,
                       const exchange::DefectSet& defects) {
  CaseVerdict verdict = run_guarded("running the case", [&] {
    // Made with its history rather than given it later: an empty history
    // costs its string table's first allocations, for every case.
    std::string error;
    return CaseVerdict{.history = run_sim_case(scenario, c, defects, &error),
                       .error = std::move(error)};
  });
  check_verdict(scenario, verdict);
  return verdict;
}

namespace {

using Clock = std::chrono::steady_clock;

// After the case and before the target stops (also when the case was
// interrupted or the target failed): the orders it left open are cancelled.
void clean_up(Target& target, const Scenario& scenario, const RunOptions& options,
              CaseCleanUp& total) {
  if (scenario.clean_up_timeout_ms <= 0) return;
  const CaseCleanUp done = target.cancel_open_orders(
      {.timeout_ms = scenario.clean_up_timeout_ms, .max_orders_per_s = scenario.max_orders_per_s});
  if (!done.live) return;
  total.add(done);
  if (options.on_clean_up) options.on_clean_up(done);
}

// Runs and checks one case on the run's target. A case whose target failed
// gets no verdict: its history is incomplete, not evidence.
CaseVerdict execute(const Scenario& scenario, const Case& c, const RunOptions& options,
                    std::string& error, CaseCleanUp& clean_up_total) {
  if (!options.make_target) {
    CaseVerdict verdict = check_case(scenario, c, options.defects);
    error = verdict.error;
    return verdict;
  }
  std::string_view stage = "starting the target";
  CaseVerdict verdict = run_guarded(stage, [&] {
    std::unique_ptr<Target> target = options.make_target(c, error);
    if (!target) return CaseVerdict{.error = error};
    std::string case_error;
    stage = "running the case";
    CaseVerdict ran{.history = run_case(*target, scenario, c, &case_error)};
    stage = "cancelling the orders the case left open";
    clean_up(*target, scenario, options, clean_up_total);
    ran.error = target->error().empty() ? case_error : target->error();
    return ran;
  });
  check_verdict(scenario, verdict);
  error = verdict.error;
  return verdict;
}

// Thrown by the listener to end RapidCheck's loop early.
struct RunStopped {};

// RapidCheck's default listener prints progress and, at exit, its own
// reproduction hint; ordeal reports through its own listeners instead.
// Once the run stops (interrupted, out of time, the target failed, the
// shrinking budget spent), RapidCheck would still call the property for
// every case and shrink left, each returning at once: 10^8 cases of that
// take half a minute after a Ctrl-C. The listener ends the loop instead.
class QuietListener final : public rc::detail::TestListener {
 public:
  explicit QuietListener(std::function<bool()> stopped) : stopped_(std::move(stopped)) {}
  void onTestCaseFinished(const rc::detail::CaseDescription&) override { stop_if_stopped(); }
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override { stop_if_stopped(); }
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}

 private:
  void stop_if_stopped() const {
    if (stopped_()) throw RunStopped{};
  }

  std::function<bool()> stopped_;
};

// The operations a case sent: a client's last ones are never sent when
// the case reaches its time limit first. The recovery probes sent after it
// are not the case's.
uint64_t invocations(const History& h) {
  uint64_t sent = 0;
  for (const Event& e : h.events()) sent += e.type == EventType::invoke && !is_probe(h, e);
  return sent;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What shrinking has spent of its budget (RunOptions::shrink_budget_s),
// from the first failure on. A live target's candidate cases take real
// time, and that is counted. On the simulator (and a target whose cases
// replay exactly, RunOptions::deterministic_target) the operations they
// sent are counted instead, kShrinkOperationsPerSecond for each second,
// and never the clock: the same seed then shrinks to the same case on any
// machine and under any load, as the same seed must give the same history.
// A second of budget is about a second on a core like the project's 2-core
// machine's for cases of the incident scenario's size; large cases run
// fewer operations a second (16 clients of 2,000 operations about 290,000,
// of 10,000 about 70,000), so their shrinking takes that much longer.
class ShrinkClock {
 public:
  static constexpr double kShrinkOperationsPerSecond = 500'000;

  explicit ShrinkClock(bool simulated) : simulated_(simulated) {}
  void start() { started_ = Clock::now(); }
  void spend(uint64_t operations) { operations_ += operations; }
  double used_s() const {
    return simulated_ ? static_cast<double>(operations_) / kShrinkOperationsPerSecond
                      : seconds_since(started_);
  }

 private:
  bool simulated_;
  Clock::time_point started_ = Clock::now();
  uint64_t operations_ = 0;
};

// RapidCheck prints "Using configuration: ..." on stderr when it first loads
// its configuration, whatever RC_PARAMS says. ordeal passes its own seed and
// reports through its own listeners, so that first load happens with stderr
// pointed at /dev/null.
void load_rapidcheck_quietly() {
  static const bool loaded = [] {
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0) dup2(null, STDERR_FILENO);
    rc::detail::configuration();
    std::cerr.flush();
    if (saved >= 0) dup2(saved, STDERR_FILENO);
    if (null >= 0) close(null);
    if (saved >= 0) close(saved);
    return true;
  }();
  (void)loaded;
}

bool same_failure(const std::vector<Violation>& violations, const std::string& property) {
  return std::any_of(violations.begin(), violations.end(),
                     [&](const Violation& v) { return v.property == property; });
}

// A greedy pass after RapidCheck's shrinking: drops one operation, metadata
// change or fault at a time, keeping every drop after which the case still
// violates the same property, until nothing more can go or the budget ends.
// RapidCheck shrinks the generator's choices; this shrinks the case itself,
// which matters because removing one operation shifts the timing of others.
//
// First it pins each window of a fault point that fires by chance to one of
// its first checks (FaultWindow::pins): a crash with probability 0.05 per
// request needs about 20 requests to happen at all, and those requests
// cannot go while it depends on them; pinned, it happens where it must. A
// failure that needs several fires gets them all pinned where the failing
// run had them, and then loses those it does not need.
class Minimizer {
 public:
  // `failing` is the history of the case being shrunk: `fails` replaces it
  // with the history of every smaller case it accepts.
  // `points` names each of the scenario's faults that is a fault point
  // checked at a site, by index; "" for the others, which are never pinned.
  Minimizer(std::function<bool(const Case&)> fails, const History& failing,
            std::function<bool()> expired, std::vector<std::string> points)
      : fails_(std::move(fails)),
        failing_(failing),
        expired_(std::move(expired)),
        points_(std::move(points)) {}

  Case run(Case c) {
    for (bool shrunk = true; shrunk && !expired();) {
      shrunk = pin_faults(c);
      for (size_t client = 0; client < c.clients.size(); ++client) shrunk |= drop_ops(c, client);
      shrunk |= drop_idle_clients(c);
      shrunk |= drop_changes(c);
      shrunk |= drop_windows(c);
      if (c.upgrade && !expired()) shrunk |= keep_if_fails(c, [](Case& k) { k.upgrade = false; });
    }
    return c;
  }

 private:
  bool expired() const { return expired_(); }

  template <typename Edit>
  bool keep_if_fails(Case& c, Edit edit) {
    Case candidate = c;
    edit(candidate);
    if (!fails_(candidate)) return false;
    c = std::move(candidate);
    return true;
  }

  // The checks a pin is tried at: these first, fewest first, then every
  // other one up to the last of them. A pin is kept at the first that fails.
  // The fire a failure needs may sit at one exact check (a crash while one
  // particular request is applied), which the spread-out list misses; live
  // targets pay a case per try, so the rest are tried only if needed.
  static constexpr std::array<int32_t, 16> kPins = {1,  2,  3,  4,  5,  6,  8,  10,
                                                    13, 16, 20, 25, 32, 40, 50, 64};

  const std::string& point_of(const FaultWindow& w) const {
    static const std::string none;
    return w.fault < points_.size() ? points_[w.fault] : none;
  }

  // Pins each window that fires by chance at the first check (pin_order)
  // under which the case still fails, or else at every check it fired at
  // in the failing run; moves a single pin already set to an earlier check
  // where that still fails, and drops what several pins do not need.
  bool pin_faults(Case& c) {
    bool pinned = false;
    for (size_t i = 0; i < c.faults.size() && !expired(); ++i) {
      if (point_of(c.faults[i]).empty() || armed_with_pins_of_another(c, i)) continue;
      if (c.faults[i].pins.size() > 1) {
        pinned |= drop_pins(c, i);
      } else if (pin_once(c, i)) {
        pinned = true;
      } else if (c.faults[i].pins.empty()) {
        pinned |= pin_fires_seen(c, i);
      }
    }
    return pinned;
  }

  // One fire, at the first check of pin_order that keeps the case failing
  // (earlier than the window's one pin, if it has one).
  bool pin_once(Case& c, size_t i) {
    const uint32_t now = c.faults[i].pins.empty() ? 0 : c.faults[i].pins[0].check;
    for (const int32_t at : pin_order()) {
      if (expired()) return false;
      const auto check = static_cast<uint32_t>(at);
      if (now != 0 && check >= now) continue;
      if (keep_if_fails(c, [&](Case& k) { k.faults[i].pins = {{.check = check, .as = check}}; })) {
        return true;
      }
    }
    return false;
  }

  // Every fire the failing run recorded in the window, pinned where it
  // happened and acting as it did: the same run, with no luck needed.
  bool pin_fires_seen(Case& c, size_t i) {
    const std::vector<FireSeen> fires = fires_in_window(failing_, point_of(c.faults[i]), c, i);
    std::vector<faults::Pin> pins;
    for (const FireSeen& fire : fires) {
      if (pins.empty() || fire.check > pins.back().check) pins.push_back({fire.check, fire.check});
    }
    if (pins.empty() || !keep_if_fails(c, [&](Case& k) { k.faults[i].pins = pins; })) return false;
    drop_pins(c, i);
    return true;
  }

  // Drops each pin of window i the failure does not need, last first. The
  // others keep their checks and their damage (Pin::as).
  bool drop_pins(Case& c, size_t i) {
    bool dropped = false;
    for (size_t j = c.faults[i].pins.size();
         j-- > 0 && c.faults[i].pins.size() > 1 && !expired();) {
      dropped |= keep_if_fails(c, [&](Case& k) {
        k.faults[i].pins.erase(k.faults[i].pins.begin() + static_cast<std::ptrdiff_t>(j));
      });
    }
    return dropped;
  }

  static const std::vector<int32_t>& pin_order() {
    static const std::vector<int32_t> order = [] {
      std::vector<int32_t> all(kPins.begin(), kPins.end());
      for (int32_t pin = 1; pin <= kPins.back(); ++pin) {
        if (std::find(kPins.begin(), kPins.end(), pin) == kPins.end()) all.push_back(pin);
      }
      return all;
    }();
    return order;
  }

  bool drop_ops(Case& c, size_t client) {
    bool dropped = false;
    for (size_t i = c.clients[client].size(); i-- > 0 && !expired();) {
      auto drop = [&](Case& k) { k.clients[client] = without_op(k.clients[client], i); };
      if (keep_if_fails(c, drop) || drop_shifting_pins(c, drop)) {
        dropped = true;
        continue;
      }
      if (!expired()) dropped |= drop_keeping_time(c, client, i);
    }
    return dropped;
  }

  // What is dropped may have made checks of a pinned point before its fire:
  // a shard checks its crash point once per request it applies, and every
  // metadata update is checked once per subscriber it goes to. Dropping it
  // then moves the fire onto another request or update. This drops it with
  // every pin k checks earlier, for k = 1 to kShiftMax, keeping the fire
  // where it was and its damage (Pin::as). Tried when dropping it alone
  // fails. (Moving only the pins that fired after what is dropped was sent
  // shrank no better, over 48 failing runs.)
  static constexpr uint32_t kShiftMax = 8;

  template <typename Drop>
  bool drop_shifting_pins(Case& c, Drop drop) {
    for (uint32_t k = 1; k <= kShiftMax && !expired(); ++k) {
      Case next = c;
      drop(next);
      if (!shift_pins(next, k)) return false;
      if (fails_(next)) {
        c = std::move(next);
        return true;
      }
    }
    return false;
  }

  // Moves every pin k checks earlier, but those that would land on or
  // before the pin before them (or before the first check). Whether any moved.
  static bool shift_pins(Case& c, uint32_t k) {
    bool moved = false;
    for (FaultWindow& w : c.faults) {
      uint32_t last = 0;
      for (faults::Pin& pin : w.pins) {
        if (pin.check > last + k) {
          pin.check -= k;
          moved = true;
        }
        last = pin.check;
      }
    }
    return moved;
  }

  // A client left without operations still has a session (and its place in
  // the numbering of clients and nodes): without it, the report names one
  // client fewer, and "client 1" where it said "client 4".
  bool drop_idle_clients(Case& c) {
    bool dropped = false;
    for (size_t i = c.clients.size(); i-- > 0 && c.clients.size() > 1 && !expired();) {
      if (!c.clients[i].empty()) continue;
      dropped |= keep_if_fails(
          c, [&](Case& k) { k.clients.erase(k.clients.begin() + static_cast<std::ptrdiff_t>(i)); });
    }
    return dropped;
  }

  // A failure may need time to pass more than it needs the operations that
  // took it (a stale copy of the metadata is caught only a second after the
  // damage): the operation after the dropped one, which waited for its
  // answer, is then sent when it was sent before the drop, rather than at
  // its own earlier time. Tried when dropping it alone fails.
  bool drop_keeping_time(Case& c, size_t client, size_t i) {
    const std::vector<Op>& ops = c.clients[client];
    const std::vector<int32_t> sent = sent_at_ms(failing_, client);
    if (i + 1 >= ops.size() || i + 1 >= sent.size() || sent[i + 1] <= ops[i + 1].at_ms) {
      return false;  // nothing after it, or it did not wait
    }
    return keep_if_fails(c, [&](Case& k) {
      k.clients[client] = without_op(k.clients[client], i);
      k.clients[client][i].at_ms = sent[i + 1];
    });
  }

  // Tries dropping each metadata change, last first, then with the pins
  // moved back (drop_shifting_pins).
  bool drop_changes(Case& c) {
    bool dropped = false;
    for (size_t i = c.metadata.size(); i-- > 0 && !expired();) {
      auto drop = [&](Case& k) {
        k.metadata.erase(k.metadata.begin() + static_cast<std::ptrdiff_t>(i));
      };
      dropped |= keep_if_fails(c, drop) || drop_shifting_pins(c, drop);
    }
    return dropped;
  }

  // Tries dropping each fault window, last first. The windows of a point
  // that overlap are armed once, and the arm has the pins of them all: a
  // window dropped hands its pins to one it was armed with. If it was the
  // first, the arm now starts later and its checks count from there, so
  // this is tried again with the pins moved back (drop_shifting_pins).
  bool drop_windows(Case& c) {
    bool dropped = false;
    for (size_t i = c.faults.size(); i-- > 0 && !expired();) {
      auto drop = [&](Case& k) {
        const auto [from, to] = armed_span(k, i);
        std::vector<faults::Pin> pins = std::move(k.faults[i].pins);
        const uint8_t fault = k.faults[i].fault;
        k.faults.erase(k.faults.begin() + static_cast<std::ptrdiff_t>(i));
        if (pins.empty()) return;
        for (FaultWindow& w : k.faults) {
          if (w.fault != fault || w.start_ms < from || w.start_ms > to) continue;
          faults::merge_pins(w.pins, pins);
          return;
        }
      };
      dropped |= keep_if_fails(c, drop) || drop_shifting_pins(c, drop);
    }
    return dropped;
  }

  std::function<bool(const Case&)> fails_;
  const History& failing_;
  std::function<bool()> expired_;
  std::vector<std::string> points_;  // by the scenario's fault index
};

void minimize(const Scenario& scenario, const RunOptions& options, const std::string& property,
              ShrinkClock& clock, RunOutcome& outcome) {
  auto fails = [&](const Case& c) {
    if (c.operations() == 0 || interrupted()) return false;
    std::string error;
    CaseVerdict verdict = execute(scenario, c, options, error, outcome.clean_up);
    clock.spend(invocations(verdict.history));
    if (!error.empty() || !same_failure(verdict.violations, property)) return false;
    outcome.violations = std::move(verdict.violations);
    outcome.history = std::move(verdict.history);
    return true;
  };
  std::vector<std::string> points;
  for (const FaultSpec& f : scenario.faults) points.push_back(f.checked_at_a_site() ? f.point : "");
  // An interrupt ends it at once: each candidate left would copy the case
  // only to be refused, which for a large case takes seconds.
  auto expired = [&] {
    if (interrupted()) return true;
    outcome.shrink_cut_short = clock.used_s() > options.shrink_budget_s;
    return outcome.shrink_cut_short;
  };
  Case smallest =
      Minimizer(fails, outcome.history, expired, std::move(points)).run(*outcome.failing_case);
  // The outcome must describe exactly the case it reports.
  std::string error;
  CaseVerdict verdict = execute(scenario, smallest, options, error, outcome.clean_up);
  if (!error.empty()) outcome.target_error = error;
  outcome.violations = std::move(verdict.violations);
  outcome.history = std::move(verdict.history);
  outcome.failing_case = smallest;
  outcome.last_case = std::move(smallest);
}

}  // namespace

CaseVerdict check_case(const Scenario& scenario, const Case& c, const RunOptions& options) {
  std::string error;
  CaseCleanUp clean_up_total;
  return execute(scenario, c, options, error, clean_up_total);
}

// The scenario's fault points, once each, to tally on the simulator, which
// records every fire; none on another target, which may record none (a
// live one's happen in its processes).
std::vector<FaultTally> fault_points_of(const Scenario& scenario, const RunOptions& options) {
  std::vector<FaultTally> tallies;
  if (options.make_target) return tallies;
  for (const FaultSpec& fault : scenario.faults) {
    if (faults::find_point(fault.point) == nullptr) continue;  // a process or network fault
    const bool listed = std::any_of(tallies.begin(), tallies.end(),
                                    [&](const FaultTally& t) { return t.point == fault.point; });
    if (!listed) tallies.push_back({.point = fault.point});
  }
  return tallies;
}

// Adds a case's windows and fires to the tallies. A fire names its point,
// or its point and where ("meta.update.drop:gateway"). A case that arms no
// window has no fire: its history is not read.
void tally_fault_points(const Scenario& scenario, const Case& c, const History& h,
                        std::vector<FaultTally>& tallies) {
  if (tallies.empty() || c.faults.empty()) return;
  auto tally_of = [&](std::string_view point) -> FaultTally* {
    for (FaultTally& t : tallies) {
      if (t.point == point) return &t;
    }
    return nullptr;
  };
  for (const FaultWindow& window : c.faults) {
    if (FaultTally* t = tally_of(scenario.faults.at(window.fault).point)) ++t->windows;
  }
  for (const Event& e : h.events()) {
    if (e.type != EventType::fault_fire) continue;
    const std::string_view text = h.text(e.text);
    if (FaultTally* t = tally_of(text.substr(0, text.find(':')))) ++t->fires;
  }
}

RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options) {
  ORDEAL_ASSERT(options.shard_count >= 1 && options.shard_index >= 0 &&
                options.shard_index < options.shard_count);
  RunOutcome outcome;
  outcome.fault_points = fault_points_of(scenario, options);
  const auto start = Clock::now();
  const rc::Gen<Case> generator = case_generator(scenario);
  uint64_t case_index = 0;
  Progress progress;
  std::string failed_property;
  ShrinkClock shrink_clock(!options.make_target || options.deterministic_target);
  // RapidCheck simplifies values but tries many candidates; it gets a short
  // share of the budget and the minimizer below the rest.
  const double value_shrink_s = std::min(options.value_shrink_s, options.shrink_budget_s / 4);
  auto stopped = [&] {
    if (!outcome.target_error.empty() || interrupted() || outcome.budget_exhausted) return true;
    return outcome.original_case.has_value() && shrink_clock.used_s() > value_shrink_s;
  };
  auto property = [&] {
    // Stopping is decided before generating: generating a case takes long.
    if (stopped()) return;
    const bool shrinking = outcome.original_case.has_value();
    // The first case runs whatever the budget: a pass over no case at all
    // would say nothing held.
    if (!shrinking && outcome.cases_run > 0 && options.time_budget_s > 0 &&
        seconds_since(start) > options.time_budget_s) {
      outcome.budget_exhausted = true;
      return;
    }
    Case c = *generator;
    if (!shrinking) {
      if (case_index++ % options.shard_count != static_cast<uint64_t>(options.shard_index)) return;
      ++outcome.cases_run;
    }
    std::string error;
    CaseVerdict verdict = execute(scenario, c, options, error, outcome.clean_up);
    if (!error.empty()) {
      // What the case recorded stays for the reports: the history up to a
      // target's failure, or the whole one a property threw on.
      if (!shrinking) {
        outcome.target_error = error;
        outcome.history = std::move(verdict.history);
      }
      return;
    }
    // The run's counts are of the cases it ran; shrinking's candidates only
    // spend its budget.
    const uint64_t sent = invocations(verdict.history);
    if (shrinking) {
      shrink_clock.spend(sent);
    } else {
      outcome.operations += sent;
      outcome.operations_unsent += c.operations() - sent;
      outcome.events += verdict.history.size();
      tally_fault_points(scenario, c, verdict.history, outcome.fault_points);
    }
    progress = Progress{.cases = outcome.cases_run,
                        .operations = outcome.operations,
                        .violations = progress.violations,
                        .wall_s = seconds_since(start),
                        .shrinking = shrinking};
    // While shrinking, only the property first violated counts: a smaller case
    // that breaks something else is another bug, not a smaller one.
    const bool failed =
        shrinking ? same_failure(verdict.violations, failed_property) : !verdict.violations.empty();
    if (failed) {
      if (!shrinking) {
        outcome.original_case = c;
        outcome.first_failure_s = seconds_since(start);
        progress.violations = verdict.violations.size();
        failed_property = verdict.violations.front().property;
        shrink_clock.start();
      }
      outcome.failing_case = c;
      outcome.violations = std::move(verdict.violations);
    }
    if (failed || !outcome.failing_case) {
      outcome.last_case = std::move(c);  // not used below
      outcome.history = std::move(verdict.history);
    }
    if (options.on_progress) options.on_progress(progress);
    if (failed) RC_FAIL(outcome.violations.front().message);
  };
  rc::detail::TestParams params;
  params.seed = options.seed;
  params.maxSuccess = options.cases * options.shard_count;
  params.maxSize = 100;
  params.disableShrinking = !options.shrink;
  rc::detail::TestMetadata metadata{.id = scenario.name, .description = scenario.name};
  load_rapidcheck_quietly();
  QuietListener listener(stopped);
  try {
    const rc::detail::TestResult result =
        rc::detail::checkProperty(rc::detail::toProperty(property), metadata, params, listener);
    // A failure ordeal did not record is an exception RapidCheck caught
    // outside a case's run and check (generating it): an error, not a pass.
    rc::detail::FailureResult failure;
    rc::detail::Error rc_error;
    std::string caught;
    if (result.match(failure)) caught = failure.description;
    if (result.match(rc_error)) caught = rc_error.description;
    if (!caught.empty() && !outcome.failed() && outcome.target_error.empty() && !interrupted()) {
      std::replace(caught.begin(), caught.end(), '\n', ' ');
      outcome.target_error = "outside a case's run and check: " + caught;
    }
  } catch (const RunStopped&) {
    // The outcome holds what the run found before it stopped.
  }
  if (outcome.failed() && options.shrink && !interrupted()) {
    minimize(scenario, options, failed_property, shrink_clock, outcome);
  }
  // Interrupted while shrinking, the case is the smallest found by then.
  outcome.interrupted = interrupted();
  if (outcome.failed() && options.shrink && outcome.interrupted) outcome.shrink_cut_short = true;
  outcome.wall_s = seconds_since(start);
  if (outcome.failed()) outcome.shrunk_s = outcome.wall_s;
  outcome.shrunk = outcome.failed() && options.shrink;
  return outcome;
}

RunOutcome shrink_case(const Scenario& scenario, const Case& c, const RunOptions& options) {
  RunOutcome outcome;
  const auto start = Clock::now();
  std::string error;
  CaseVerdict verdict = execute(scenario, c, options, error, outcome.clean_up);
  outcome.target_error = error;
  outcome.cases_run = 1;
  outcome.last_case = c;
  outcome.history = std::move(verdict.history);
  if (!error.empty() || verdict.violations.empty()) return outcome;
  const std::string property = verdict.violations.front().property;
  outcome.violations = std::move(verdict.violations);
  outcome.original_case = c;
  outcome.failing_case = c;
  ShrinkClock clock(!options.make_target || options.deterministic_target);
  minimize(scenario, options, property, clock, outcome);
  if (interrupted()) outcome.shrink_cut_short = true;
  outcome.wall_s = outcome.shrunk_s = seconds_since(start);
  outcome.shrunk = true;
  return outcome;
}

uint64_t draw_seed() {
  std::random_device device;
  return (uint64_t{device()} << 20 ^ device()) & ((uint64_t{1} << 52) - 1);
}

}  // namespace ordeal
