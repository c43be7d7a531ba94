// What a shard reported to a gateway on its own (fills, unsolicited order
// updates) that the gateway has not yet said it saw. A gateway that
// restarts loses the reports that reached it while it was down, or were on
// their way at its crash; without them its clients never hear of
// executions the exchange made. Each report carries a number, counted per
// gateway; the gateway says on every request the last number up to which
// it saw them all, and the shard forgets up to it. When a new incarnation
// of the gateway first asks something (also through another shard), the
// shard sends again what it still holds, and so it does when the gateway
// finds a number missing (a live link dropped a frame) and asks. What the
// gateway did pass on arrives at its client twice, on the same trade id
// and terms, which every property counts once. A live shard journals each
// report with the request that made it (shard_journal.h) and holds the
// reports again after a restart, numbered as before: it sends them all to
// each gateway at its first request, also those the gateway had seen,
// which it cannot know. A shard without a journal (the simulator, where a
// crash keeps its memory) forgets what it held and counts from 1 again.
//
//   Fill& fill = log.add<Fill>(gateway);   // numbered; fill it in, send a copy
//   log.heard(gateway, boot, request.reports_seen, direct, request.resend_reports,
//             [&](const Message& again) { send(gateway, again); });
//   log.restore(gateway, journaled_fill);  // after a restart, in the order journaled
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "framework/base/fifo.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

class ReportLog {
 public:
  // At most this many reports held per gateway, the oldest forgotten first:
  // a gateway that asks this shard nothing for that long gets back only
  // the latest. Reports come of requests (the gateway's, or passed on by
  // another shard), so a gateway that is up says what it saw long before.
  static constexpr size_t kHeldMax = 4096;

  // A fresh report of kind Report (Fill, OrderUpdate) in the log, numbered
  // (report_seq), for the caller to fill in and send a copy of. The
  // reference holds until the next add().
  template <typename Report>
  Report& add(NodeId gateway) {
    Held& held = of(gateway);
    if (held.reports.size() >= kHeldMax) held.reports.pop_front();
    Report& report = std::get<Report>(held.reports.emplace_back(std::in_place_type<Report>));
    report.report_seq = ++held.last_number;
    return report;
  }

  // A request of the gateway's incarnation `boot`: from a new incarnation
  // (of one heard before), sends again everything held (`resend` once per
  // report, oldest first). Straight from the gateway (`direct`; not passed
  // on by another shard, whose numbers it carries), it saw every report up
  // to `seen`: those are forgotten, and when it asks (`resend_asked`: it
  // missed some), the rest are sent again.
  template <typename Resend>
  void heard(NodeId gateway, uint64_t boot, uint64_t seen, bool direct, bool resend_asked,
             Resend&& resend) {
    Held& held = of(gateway);
    if (held.restored) {  // the first word from the gateway since this shard restarted
      held.restored = false;
      held.boot = std::max(held.boot, boot);
      if (direct) forget_up_to(held, seen);
      return send_again(held, resend);
    }
    if (boot < held.boot) return;  // a request of an older incarnation, still on its way
    if (boot > held.boot) {
      const bool restarted = held.boot != 0;
      held.boot = boot;
      if (restarted) return send_again(held, resend);
    }
    if (!direct) return;
    forget_up_to(held, seen);
    if (resend_asked) send_again(held, resend);
  }

  // Holds again a report (Fill, OrderUpdate) the shard journaled before a
  // restart, with its number; the first request of its gateway sends it.
  // Reports come back in the order they were numbered; one that does not
  // follow the last (a journal that lost some) starts the held ones anew.
  void restore(NodeId gateway, Message report) {
    const uint64_t number = std::visit([](const auto& r) { return report_seq_of(r); }, report);
    if (number == 0) return;  // no report
    Held& held = of(gateway);
    if (number != held.last_number + 1) held.reports.clear();
    if (held.reports.size() >= kHeldMax) held.reports.pop_front();
    held.reports.push_back(std::move(report));
    held.last_number = number;
    held.restored = true;
  }
  // The shard restarted keeping what it held (in place, its journal's
  // reports in memory): as after restore(), the first request of each
  // gateway sends everything held.
  void hold_again() {
    for (Held& held : gateways_) held.restored = !held.reports.empty();
  }
  // Calls `f(gateway, report)` for every report held, oldest first per
  // gateway: what a snapshot of the shard's journal keeps.
  template <typename F>
  void for_each_held(F&& f) const {
    for (const Held& held : gateways_) {
      for (const Message& report : held.reports) f(held.gateway, report);
    }
  }

  // Forgets every report and incarnation, keeping the memory: the
  // simulator starts each case so, and a log that grew once stays grown.
  void clear() {
    for (Held& held : gateways_) {
      held.boot = 0;
      held.last_number = 0;
      held.restored = false;
      held.reports.clear();
    }
  }

 private:
  struct Held {
    NodeId gateway = 0;
    uint64_t boot = 0;  // the gateway's incarnation last heard from; 0: none yet
    uint64_t last_number = 0;
    bool restored = false;  // held again after a restart; the gateway not heard since
    Fifo<Message> reports;
  };

  static uint64_t report_seq_of(const Fill& f) { return f.report_seq; }
  static uint64_t report_seq_of(const OrderUpdate& u) { return u.report_seq; }
  template <typename Other>
  static uint64_t report_seq_of(const Other&) {
    return 0;
  }

  template <typename Resend>
  static void send_again(Held& held, Resend& resend) {
    for (const Message& report : held.reports) resend(report);
  }

  // The reports held are numbered one after another up to last_number.
  // A number beyond it is one of this shard's last incarnation, which the
  // gateway has not yet heard the new one count past, or kReportsUnknown (a
  // gateway that has heard none since it started): nothing is forgotten.
  static void forget_up_to(Held& held, uint64_t seen) {
    if (seen > held.last_number) return;
    for (uint64_t first = held.last_number + 1 - held.reports.size();
         first <= seen && !held.reports.empty(); ++first) {
      held.reports.pop_front();
    }
  }

  // An exchange has one gateway or a few: a list is searched faster than a
  // map is hashed.
  Held& of(NodeId gateway) {
    for (Held& held : gateways_) {
      if (held.gateway == gateway) return held;
    }
    return gateways_.emplace_back(Held{.gateway = gateway});
  }

  std::vector<Held> gateways_;
};

}  // namespace ordeal::exchange
