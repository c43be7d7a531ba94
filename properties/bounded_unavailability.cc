// bounded-unavailability: while faults are active (from the first fault start
// to the last fault stop, or to the end when one never healed), the share of valid new orders that
// the target failed to accept, and the longest stretch in which none was accepted, stay under the
// scenario's limits: the upgrade's service level. Rejects for breaking metadata rules, post-only
// crossing or duplicate ids, and those the scenario names (client_reject_reasons), are the client's
// doing and do not count; requests never answered do.
#include <algorithm>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

class BoundedUnavailability final : public Property {
 public:
  std::string_view name() const override { return "bounded-unavailability"; }
  std::string_view description() const override {
    return "during faults, failed valid orders and the longest outage stay under the limits";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    if (c.index.faults().empty()) return;
    const int64_t from_us = h[c.index.faults().front()].time_us;
    const uint32_t end_index = window_end(c);
    const int64_t to_us = h[end_index].time_us;
    // Failed requests by invocation, accepted ones by completion: op ids
    // need not follow time (another tool's numbering), nor do completions
    // follow invocations (a slow acceptance of an early request).
    std::vector<uint32_t> failed, accepted;
    accepted.reserve(c.index.operations().size());  // most are: taken once, not grown
    for (const Operation& op : c.index.operations()) {
      const PlaceFate fate = place_fate(c, op);
      if (fate == PlaceFate::not_valid_place || fate == PlaceFate::own_doing) continue;
      const int64_t sent_us = h[op.invoke].time_us;
      if (sent_us < from_us || sent_us > to_us) continue;
      if (fate == PlaceFate::accepted) {
        accepted.push_back(op.completion);
      } else {
        failed.push_back(op.invoke);
      }
    }
    const int total = static_cast<int>(failed.size() + accepted.size());
    std::sort(accepted.begin(), accepted.end());  // history order is time order
    int64_t outage_us_max = 0;
    uint32_t worst = kNone;
    for (uint32_t request : failed) {
      // The stretch from this failure to the next acceptance, or to the
      // window's end when none came before it: an acceptance after the
      // faults stopped (a slow answer) stretches no outage during them.
      const auto next = std::lower_bound(
          accepted.begin(), accepted.end(), h[request].time_us,
          [&](uint32_t done, int64_t time_us) { return h[done].time_us < time_us; });
      const uint32_t end = next == accepted.end() || h[*next].time_us > to_us ? end_index : *next;
      if (h[end].time_us - h[request].time_us <= outage_us_max) continue;
      outage_us_max = h[end].time_us - h[request].time_us;
      worst = end;
    }
    report(c, total, static_cast<int>(failed.size()), outage_us_max, worst, out);
  }

 private:
  // The last fault stop; the history's last event when a fault never healed
  // (more starts than stops): it stayed active to the end.
  static uint32_t window_end(const CheckContext& c) {
    if (fault_active_at_end(c)) return static_cast<uint32_t>(c.history().size() - 1);
    return c.index.faults().back();
  }

  void report(const CheckContext& c, int total, int failed, int64_t outage_us_max, uint32_t worst,
              std::vector<Violation>& out) const {
    constexpr int kSampleMin = 30;  // a share of fewer requests says nothing
    const double share = total == 0 ? 0.0 : static_cast<double>(failed) / total;
    if (total >= kSampleMin && share > c.limits.failed_share_max) {
      out.push_back(
          violation(name(),
                    fmt::format("during faults {} of {} valid new orders failed ({:.0f}%, "
                                "limit {:.0f}%)",
                                failed, total, share * 100, c.limits.failed_share_max * 100),
                    {}, {c.index.faults().front(), c.index.faults().back()}));
    }
    if (outage_us_max > c.limits.outage_ms_max * 1000) {
      out.push_back(violation(
          name(),
          fmt::format("order entry was out for {} ms during faults (limit {} ms), "
                      "until {}",
                      outage_us_max / 1000, c.limits.outage_ms_max, when(c.history(), worst)),
          {}, {worst}));
    }
  }
};

ORDEAL_REGISTER_PROPERTY(BoundedUnavailability);

}  // namespace
}  // namespace ordeal::properties
