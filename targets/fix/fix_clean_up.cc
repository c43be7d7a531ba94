// The FIX client's clean-up: at the end of a case (and on an interrupt),
// an OrderCancelRequest for every order of this client that may still be
// open on the gateway, then a bounded wait for the answers. Against a
// staging gateway this is what keeps ordeal from leaving resting orders
// behind. Single cancels, never a mass cancel: a mass cancel by symbol or
// account would also take orders ordeal did not place (other users of the
// session, earlier runs), and tells no order's fate.
#include <fmt/format.h>

#include <algorithm>

#include "framework/base/interrupt.h"
#include "targets/fix/fix_client.h"

namespace ordeal::fix {

using namespace exchange;

namespace {
constexpr int64_t kCleanUpPollUs = 10'000;
}  // namespace

std::string FixClient::session_summary() const {
  const FixSessionCounters s = engine_.session_counters();
  std::string summary = fmt::format(
      "FIX session: {} logons, {} disconnects, resend requests {} sent / {} received, "
      "{} sequence resets received",
      counters_.logons, counters_.disconnects, s.resend_requests_sent, s.resend_requests_received,
      s.sequence_resets_received);
  // ordeal's quantities and prices are whole numbers of its units:
  // properties that add up or compare them may misjudge what was read so.
  if (counters_.fractional > 0) {
    const TradeUnits& u = config_.units;
    const std::string what = u == TradeUnits{}
                                 ? "a fractional quantity or price, read as its whole part"
                                 : fmt::format(
                                       "a quantity or price finer than the scenario's units "
                                       "(prices to {} decimals, quantities to {}), cut to them",
                                       u.price_decimals, u.qty_decimals);
    summary += fmt::format("; {} reports with {} (first: {})", counters_.fractional, what,
                           counters_.first_fractional);
  }
  if (counters_.unreadable > 0) {
    summary += fmt::format(
        "; {} reports with a quantity or price that is no decimal number, read as 0 (first: {})",
        counters_.unreadable, counters_.first_unreadable);
  }
  return summary;
}

// A second interrupt gives up waiting: what was not answered stays unknown.
CaseCleanUp FixClient::cancel_open_orders(const CleanUpLimits& limits) {
  CaseCleanUp done{.live = true};
  const int64_t timeout_us = int64_t{limits.timeout_ms} * 1000;
  const int64_t logon_deadline_us = net_.now_us() + timeout_us;
  // A session that dropped comes back by itself (QuickFIX logs on again).
  auto may_be_open = [](const auto& entry) { return entry.second.state != OrderState::final; };
  const bool any_open = std::any_of(orders_.begin(), orders_.end(), may_be_open);
  while (any_open && !logged_on_ && net_.now_us() < logon_deadline_us && !interrupted_twice()) {
    net_.run_for(kCleanUpPollUs);
  }
  // The rate cap binds cancels too: a staging gateway's limit does not
  // know they are clean-up. So sending may take open / rate seconds, and
  // the wait for the answers counts from the last one sent.
  const int64_t gap_us = limits.max_orders_per_s > 0 ? 1'000'000 / limits.max_orders_per_s : 0;
  int64_t send_at_us = net_.now_us();
  for (const auto& [key, order] : orders_) {
    if (order.state == OrderState::final) continue;
    ++done.open;
    pace_clean_up(send_at_us);
    send_clean_up_cancel(key, order, done);
    send_at_us = net_.now_us() + gap_us;
  }
  wait_for_clean_up(net_.now_us() + timeout_us);
  for (const auto& [cancel_clordid, cancel] : clean_up_) {
    switch (cancel.outcome) {
      case CleanUpOutcome::cancelled:
        ++done.cancelled;
        continue;
      case CleanUpOutcome::refused:
        ++done.refused;
        break;
      case CleanUpOutcome::pending:
      case CleanUpOutcome::unknown:
        ++done.unknown;
        break;
    }
    const std::string why = cancel.outcome == CleanUpOutcome::pending
                                ? fmt::format("no answer within {} ms", timeout_us / 1000)
                                : cancel.reason;
    done.note_unresolved(fmt::format("{}: {}", cancel.order_clordid, why));
  }
  clean_up_.clear();
  done.session = session_summary();
  return done;
}

// An order that could not be asked is unknown at once, with why.
void FixClient::send_clean_up_cancel(const OrderKey& key, const Order& order, CaseCleanUp& done) {
  auto not_sent = [&](const char* why) {
    ++done.unknown;
    done.note_unresolved(fmt::format("{}: {} (not sent)", order.fix_clordid, why));
  };
  if (clean_up_.size() >= config_.clean_up_max) return not_sent("over the clean-up's bound");
  if (interrupted_twice()) return not_sent("interrupted again");
  if (!logged_on_) return not_sent("not connected to the FIX gateway");
  ClientRequest request = order.terms;
  request.kind = RequestKind::cancel;
  request.clordid = order.fix_clordid;
  const std::string cancel_clordid = fmt::format("{}x{}", config_.clordid_prefix, clean_up_.size());
  const int seq = engine_.send(
      "", encode_request({.request = request, .clordid = cancel_clordid}, config_.units));
  if (seq == 0) return not_sent("not connected to the FIX gateway");
  ++counters_.sent;
  by_fix_.try_emplace(cancel_clordid, key);
  clean_up_[cancel_clordid] = CleanUpCancel{.order_clordid = order.fix_clordid, .seq = seq};
}

void FixClient::wait_for_clean_up(int64_t deadline_us) {
  auto pending = [this] {
    for (const auto& [clordid, cancel] : clean_up_) {
      if (cancel.outcome == CleanUpOutcome::pending) return true;
    }
    return false;
  };
  while (pending() && net_.now_us() < deadline_us && !interrupted_twice()) {
    net_.run_for(kCleanUpPollUs);
  }
}

// Serves the session (answers keep arriving) until a cancel may be sent.
void FixClient::pace_clean_up(int64_t send_at_us) {
  while (net_.now_us() < send_at_us && !interrupted_twice()) {
    net_.run_for(std::min<int64_t>(send_at_us - net_.now_us(), kCleanUpPollUs));
  }
}

// The cancel `r` answers: by its ClOrdID; a reject by the reference or
// sequence number it names; and, as some gateways do, a Canceled report or
// a cancel reject that names the order's own ClOrdID instead of the cancel's.
std::map<std::string, FixClient::CleanUpCancel>::iterator FixClient::find_clean_up(
    const FixReport& r) {
  const bool session_level = r.msg_type == "3" || r.msg_type == "j";
  auto it = clean_up_.find(session_level ? r.business_ref_id : r.clordid);
  if (it != clean_up_.end()) return it;
  if (session_level) {
    return std::find_if(clean_up_.begin(), clean_up_.end(),
                        [&](const auto& entry) { return entry.second.seq == r.ref_seq_num; });
  }
  const bool about_a_cancel = (r.msg_type == "8" && r.exec_type == '4') || r.msg_type == "9";
  if (!about_a_cancel) return clean_up_.end();
  return std::find_if(clean_up_.begin(), clean_up_.end(), [&](const auto& entry) {
    const std::string& order = entry.second.order_clordid;
    return order == r.clordid || (!r.orig_clordid.empty() && order == r.orig_clordid);
  });
}

// Whether `r` answers one of the clean-up's cancels (then it is consumed
// here). ER Canceled: done; OrderCancelReject, or a reject that names the
// cancel: refused; an explicit unknown: unknown. Pending reports are interim.
bool FixClient::settle_clean_up(const FixReport& r) {
  if (clean_up_.empty()) return false;
  const auto it = find_clean_up(r);
  if (it == clean_up_.end()) return false;
  CleanUpCancel& cancel = it->second;
  if (cancel.outcome != CleanUpOutcome::pending) return true;
  if (r.outcome_unknown) {
    cancel.outcome = CleanUpOutcome::unknown;
    cancel.reason = "the gateway could not tell";
  } else if (r.msg_type == "8" && r.exec_type == '4') {
    cancel.outcome = CleanUpOutcome::cancelled;
  } else if (r.msg_type == "9" || r.msg_type == "3" || r.msg_type == "j") {
    cancel.outcome = CleanUpOutcome::refused;
    cancel.reason = r.text.empty() ? "refused" : r.text;
  }
  return true;
}

}  // namespace ordeal::fix
