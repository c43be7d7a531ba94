// What a live target did after a case about the orders the case left open:
// after the final reads (and on an interrupt) it cancels each order that was
// acknowledged, or placed without an answer, and not known to be filled,
// cancelled or rejected, then waits a bounded time for the answers. None of
// it enters the case's history; the console and report.json show it.
//
//   CaseCleanUp done = target.cancel_open_orders({.timeout_ms = 5'000});
//   if (done.live) fmt::print(stderr, "{}\n", describe(done));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ordeal {

// How the clean-up may act: the scenario's bounds.
struct CleanUpLimits {
  int timeout_ms = 5'000;    // waiting for the session, then for the answers
  int max_orders_per_s = 0;  // the scenario's rate cap, which cancels obey too; 0: none
};

struct CaseCleanUp {
  static constexpr size_t kUnresolvedMax = 20;

  bool live = false;       // the target had something to clean up (a live target)
  uint32_t open = 0;       // orders that may have been open: each got a cancel
  uint32_t cancelled = 0;  // the gateway confirmed the cancel
  uint32_t refused = 0;    // the gateway rejected it (too late, unknown order, ...)
  uint32_t unknown = 0;    // no answer within the bound, or not sent (no session)
  // "ClOrdID: why" of the refused and unknown ones, at most kUnresolvedMax.
  std::vector<std::string> unresolved;
  std::string session;  // how the connection fared: logons, disconnects, resends

  void add(const CaseCleanUp& other) {
    live = live || other.live;
    open += other.open;
    cancelled += other.cancelled;
    refused += other.refused;
    unknown += other.unknown;
    for (const std::string& u : other.unresolved) {
      if (unresolved.size() < kUnresolvedMax) unresolved.push_back(u);
    }
  }
  void note_unresolved(std::string text) {
    if (unresolved.size() < kUnresolvedMax) unresolved.push_back(std::move(text));
  }
};

// One line: "3 orders left open: 3 cancelled, 0 refused, 0 unknown".
inline std::string describe(const CaseCleanUp& c) {
  std::string line = std::to_string(c.open) + (c.open == 1 ? " order" : " orders") +
                     " left open: " + std::to_string(c.cancelled) + " cancelled, " +
                     std::to_string(c.refused) + " refused, " + std::to_string(c.unknown) +
                     " unknown";
  if (!c.session.empty()) line += " (" + c.session + ")";
  return line;
}

}  // namespace ordeal
