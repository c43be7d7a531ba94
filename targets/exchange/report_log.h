// What a shard reported to a gateway on its own (fills, unsolicited order
// updates) that the gateway has not yet said it saw. A gateway that
// restarts loses the reports that reached it while it was down, or were on
// their way at its crash; without them its clients never hear of
// executions the exchange made. Each report carries a number, counted per
// gateway; the gateway says on every request the last number it saw, and
// the shard forgets up to it. When a new incarnation of the gateway first
// asks something, the shard sends again what it still holds. What the old
// incarnation did pass on but had not yet said it saw arrives twice, on
// the same terms: a client takes it as a resend (FIX's PossResend). A
// shard that restarts loses what it held and counts from 1 again.
//
//   uint64_t number = log.keep(gateway, fill_message);   // when sending it
//   log.heard(gateway, boot, request.reports_seen,
//             [&](const Message& again) { send(gateway, again); });
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "framework/base/fifo.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

class ReportLog {
 public:
  // At most this many reports held per gateway, the oldest forgotten first:
  // a gateway that asks nothing for that long (a shard whose requests stop)
  // gets back only the latest. Requests are what make reports, so a
  // gateway that is up says what it saw long before that.
  static constexpr size_t kHeldMax = 4096;

  // Numbers `report` (a Fill or an OrderUpdate, its report_seq set here),
  // holds a copy and returns the number.
  template <typename Report>
  uint64_t keep(NodeId gateway, Report& report) {
    Held& held = of(gateway);
    report.report_seq = ++held.last_number;
    if (held.reports.size() >= kHeldMax) held.reports.pop_front();
    held.reports.emplace_back(report);
    return report.report_seq;
  }

  // A request of the gateway's incarnation `boot`, which saw every report
  // up to `seen`: forgets those, or, from a new incarnation, sends again
  // everything held (`resend` once per report, oldest first).
  template <typename Resend>
  void heard(NodeId gateway, uint64_t boot, uint64_t seen, Resend&& resend) {
    Held& held = of(gateway);
    if (boot > held.boot) {
      const bool restarted = held.boot != 0;
      held.boot = boot;
      if (restarted) {
        for (const Message& report : held.reports) resend(report);
        return;
      }
    }
    if (boot != held.boot) return;  // a request of an older incarnation, still on its way
    // Beyond the last number: a number of this shard's last incarnation,
    // which the gateway has not yet heard the new one count past.
    if (seen > held.last_number) return;
    while (!held.reports.empty() && number_of(held.reports.front()) <= seen) {
      held.reports.pop_front();
    }
  }

  void clear() { gateways_.clear(); }

 private:
  struct Held {
    NodeId gateway = 0;
    uint64_t boot = 0;  // the gateway's incarnation last heard from; 0: none yet
    uint64_t last_number = 0;
    Fifo<Message> reports;
  };

  static uint64_t number_of(const Message& report) {
    if (const auto* fill = std::get_if<Fill>(&report)) return fill->report_seq;
    return std::get<OrderUpdate>(report).report_seq;
  }

  // An exchange has one gateway or a few: a list is searched faster than a
  // map is hashed.
  Held& of(NodeId gateway) {
    auto it = std::find_if(gateways_.begin(), gateways_.end(),
                           [&](const Held& held) { return held.gateway == gateway; });
    if (it != gateways_.end()) return *it;
    return gateways_.emplace_back(Held{.gateway = gateway});
  }

  std::vector<Held> gateways_;
};

}  // namespace ordeal::exchange
