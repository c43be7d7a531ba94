#include "targets/fix/fix_client.h"

#include <fmt/format.h>

#include <vector>

namespace ordeal::fix {

using namespace exchange;

FixClient::FixClient(LiveNetwork& net, FixClientConfig config, ExchangeListener*& listener)
    : net_(net),
      config_(std::move(config)),
      listener_(listener),
      engine_(config_.engine,
              FixHandlers{
                  .on_message =
                      [this](const std::string&, const FixMessage& m) {
                        net_.post([this, r = decode_report(m, config_.units)] { on_report(r); });
                        return true;
                      },
                  .on_session = [this](const std::string&,
                                       bool up) { net_.post([this, up] { on_session(up); }); },
              }) {}

FixClient::~FixClient() { engine_.stop(); }

std::string FixClient::start() { return engine_.start(); }

void FixClient::answer(const ClientRequest& request, Verdict verdict, std::string reason,
                       OrderView view) {
  view.client = request.client;
  view.clordid = request.clordid;
  if (listener_ == nullptr) return;
  listener_->on_response(ClientResponse{.client = request.client,
                                        .request_id = request.request_id,
                                        .kind = request.kind,
                                        .verdict = verdict,
                                        .reason = std::move(reason),
                                        .order = std::move(view)});
}

// The FIX form of a request, with the key its answer will be matched by.
// FIX replaces an order's terms whole, so amends restate what they keep.
FixRequest FixClient::to_fix(const ClientRequest& r, std::string& key) {
  FixRequest fr{.request = r};
  const std::string tag = config_.clordid_prefix + r.clordid;
  if (r.kind == RequestKind::place) {
    fr.request.clordid = key = tag;
    OrderKey order_key{r.client, r.clordid};
    by_fix_.try_emplace(tag, order_key);
    ++orders_.try_emplace(std::move(order_key), Order{r, tag}).first->second.places;
    return fr;
  }
  // The request's own ClOrdID (amend, cancel, mass-cancel) or OrdStatusReqID.
  const std::string own = fmt::format("{}{}.{}", config_.clordid_prefix, r.client, r.request_id);
  auto order = orders_.find({r.client, r.clordid});
  if (r.kind == RequestKind::mass_cancel) {
    fr.clordid = key = "m" + own;
    return fr;
  }
  if (r.kind == RequestKind::mass_status) {
    fr.status_req_id = "a" + own;
    key = "A:" + fr.status_req_id;
    return fr;
  }
  fr.request.clordid = order == orders_.end() ? tag : order->second.fix_clordid;
  if (order != orders_.end()) {
    const ClientRequest& terms = order->second.terms;
    fr.request.symbol = terms.symbol;
    fr.request.side = terms.side;
    fr.request.type = terms.type;
    fr.request.tif = terms.tif;
    fr.request.post_only = terms.post_only;
    if (fr.request.price == 0) fr.request.price = terms.price;
    if (fr.request.qty == 0) fr.request.qty = terms.qty;
  }
  if (r.kind == RequestKind::status) {
    fr.status_req_id = "s" + own;
    key = "S:" + fr.status_req_id;
    return fr;
  }
  fr.clordid = key = own;
  by_fix_.try_emplace(own, OrderKey{r.client, r.clordid});
  return fr;
}

void FixClient::submit(ClientRequest request) {
  prune(net_.now_us());
  if (!logged_on_) {
    return answer(request, Verdict::reject, "not connected to the FIX gateway (not sent)");
  }
  if (open_.size() >= config_.open_max || orders_.size() >= config_.orders_max) {
    return answer(request, Verdict::reject, "FIX client full (not sent)");
  }
  std::string key;
  FixRequest fr = to_fix(request, key);
  const int seq = engine_.send("", encode_request(fr, config_.units));
  if (seq == 0)
    return answer(request, Verdict::reject, "not connected to the FIX gateway (not sent)");
  ++counters_.sent;
  if (seq < 0) return answer(request, Verdict::unknown, "the connection broke while sending");
  const bool gathers = request.kind == RequestKind::mass_status;
  open_[key] = Open{.request = std::move(request), .seq = seq};
  by_seq_[seq] = key;
  opened_.emplace_back(net_.now_us(), key);
  if (gathers) {
    net_.at(net_.now_us() + config_.mass_status_timeout_us,
            [this, key, seq] { expire_mass_status(key, seq); });
  }
}

void FixClient::prune(int64_t now_us) {
  while (!opened_.empty() && opened_.front().first + config_.open_ttl_us < now_us) {
    auto it = open_.find(opened_.front().second);
    if (it != open_.end()) {
      by_seq_.erase(it->second.seq);
      open_.erase(it);
    }
    opened_.pop_front();
  }
}

void FixClient::on_session(bool up) {
  logged_on_ = up;
  if (up) return void(++counters_.logons);
  ++counters_.disconnects;
  std::vector<ClientRequest> lost;
  for (auto& [key, open] : open_) lost.push_back(std::move(open.request));
  open_.clear();
  by_seq_.clear();
  opened_.clear();
  for (const ClientRequest& r : lost) answer(r, Verdict::unknown, "disconnected before an answer");
}

void FixClient::complete(const std::string& key, Verdict verdict, std::string reason,
                         const FixReport* report) {
  auto it = open_.find(key);
  if (it == open_.end()) return;
  Open open = std::move(it->second);
  open_.erase(it);
  by_seq_.erase(open.seq);
  answer(open.request, verdict, std::move(reason), report != nullptr ? report->order : OrderView{});
}

void FixClient::on_report(const FixReport& report) {
  ++counters_.reports;
  if (report.fractional_tag != 0 && counters_.fractional++ == 0) {
    counters_.first_fractional =
        fmt::format("{} ({}) {} in a report of {}", report.fractional_field, report.fractional_tag,
                    report.fractional_value, report.clordid);
  }
  if (report.unreadable_tag != 0 && counters_.unreadable++ == 0) {
    counters_.first_unreadable =
        fmt::format("{} ({}) '{}' in a report of {}", report.unreadable_field,
                    report.unreadable_tag, report.unreadable_value, report.clordid);
  }
  if (report.msg_type == "8" || report.msg_type == "9") track(report);
  if (settle_clean_up(report)) return;  // a clean-up's answers stay out of the history
  if (report.msg_type == "3" || report.msg_type == "j") {
    // A reject counts against a request only when it clearly names it.
    // BusinessRejectRefID names a request by its ClOrdID, MassStatusReqID or
    // OrdStatusReqID.
    std::string key = report.business_ref_id;
    if (!open_.contains(key)) key = "A:" + report.business_ref_id;
    if (!open_.contains(key)) key = "S:" + report.business_ref_id;
    if (!open_.contains(key)) {
      auto seq = by_seq_.find(report.ref_seq_num);
      key = seq == by_seq_.end() ? "" : seq->second;
    }
    auto open = open_.find(key);
    if (open == open_.end()) return void(++counters_.unmatched);
    // The reference gateway's refused mass status may be an explicit unknown.
    const Verdict verdict = report.outcome_unknown ? Verdict::unknown : Verdict::reject;
    // "Unknown ID" refusing a status request says the venue does not know
    // the order, as OrdRejReason 5 does on a report.
    if (verdict == Verdict::reject && report.unknown_order &&
        open->second.request.kind == RequestKind::status) {
      return complete(key, verdict, std::string(kUnknownOrder), nullptr);
    }
    const char* what = report.msg_type == "3" ? "session reject" : "business reject";
    return complete(key, verdict, fmt::format("{}: {}", what, report.text), nullptr);
  }
  if (report.msg_type == "9") {
    if (!open_.contains(report.clordid)) ++counters_.unmatched;
    return complete(report.clordid, report.outcome_unknown ? Verdict::unknown : Verdict::reject,
                    report.text, &report);
  }
  if (report.msg_type == "r") {
    const Verdict verdict = report.outcome_unknown        ? Verdict::unknown
                            : report.mass_cancel_accepted ? Verdict::ack
                                                          : Verdict::reject;
    auto it = open_.find(report.clordid);
    if (it == open_.end()) return void(++counters_.unmatched);
    const ClientRequest request = it->second.request;
    open_.erase(it);
    if (listener_ == nullptr) return;
    listener_->on_response(ClientResponse{.client = request.client,
                                          .request_id = request.request_id,
                                          .kind = request.kind,
                                          .verdict = verdict,
                                          .reason = report.text,
                                          .cancelled_count = report.cancelled_count});
    return;
  }
  if (report.msg_type == "8") return on_execution(report);
  ++counters_.unmatched;
}

// The open request an execution report answers, or "".
std::string FixClient::open_key_for(const FixReport& report) const {
  if (!report.status_req_id.empty()) {
    const std::string key = "S:" + report.status_req_id;
    if (open_.contains(key)) return key;
  }
  if (auto it = open_.find(report.clordid); it != open_.end() && answers(it->second, report)) {
    return report.clordid;
  }
  if (!report.is_status()) return "";
  // FIX 4.2 has no OrdStatusReqID: the oldest status request for that order.
  for (const auto& [time_us, key] : opened_) {
    auto it = open_.find(key);
    if (it != open_.end() && it->second.request.kind == RequestKind::status &&
        by_fix_.contains(report.clordid) &&
        by_fix_.at(report.clordid) ==
            OrderKey{it->second.request.client, it->second.request.clordid}) {
      return key;
    }
  }
  return "";
}

// Whether `report` is a final answer to `open` (trades and interim pending
// reports are not).
bool FixClient::answers(const Open& open, const FixReport& r) const {
  if (r.outcome_unknown || r.exec_type == '8') return true;
  switch (open.request.kind) {
    case RequestKind::place:
      return r.exec_type == '0' || r.exec_type == '4' || r.exec_type == 'C';
    case RequestKind::amend:
      return r.exec_type == '5';
    case RequestKind::cancel:
      return r.exec_type == '4';
    case RequestKind::status:
      return r.is_status();
    default:
      return false;
  }
}

void FixClient::note_terms(const FixReport& r) {
  auto it = by_fix_.find(r.clordid);
  if (it == by_fix_.end()) return;
  auto order = orders_.find(it->second);
  if (order == orders_.end()) return;
  if (r.exec_type == '5') order->second.fix_clordid = r.clordid;
  if (r.order.price > 0) order->second.terms.price = r.order.price;
  if (r.order.qty > 0) order->second.terms.qty = r.order.qty;
}

// What a report says about whether one of this client's orders may still be
// open. Only definite ends make an order final: filled, cancelled (or
// expired), a placement rejected outright, or "unknown order" for one whose
// placement was never confirmed. Anything else about the order that shows it
// live makes it open. Whatever is not final is cancelled at the end.
void FixClient::track(const FixReport& r) {
  auto owner = by_fix_.find(r.clordid);
  if (owner == by_fix_.end()) owner = by_fix_.find(r.orig_clordid);
  if (owner == by_fix_.end()) return;
  auto it = orders_.find(owner->second);
  if (it == orders_.end()) return;
  Order& order = it->second;
  if (order.state == OrderState::final || r.is_pending() || r.outcome_unknown) return;
  const OrdStatus status = r.order.status;
  const bool ended = status == OrdStatus::filled || status == OrdStatus::cancelled;
  // With a second placement under the same ClOrdID, a reject may be that one's.
  const bool never_placed = r.msg_type == "8" && r.exec_type == '8' && order.places == 1 &&
                            order.state == OrderState::in_doubt;
  const bool never_arrived = r.unknown_order && order.state == OrderState::in_doubt;
  if (ended || never_placed || never_arrived) {
    order.state = OrderState::final;
  } else if (r.msg_type == "8" &&
             (status == OrdStatus::new_order || status == OrdStatus::partially_filled)) {
    order.state = OrderState::open;
  }
}

void FixClient::on_execution(const FixReport& report) {
  if (report.exec_type != '8') note_terms(report);
  // A mass status's report answers that alone, never a status request.
  if (!report.mass_status_req_id.empty()) return gather(report);
  if (const std::string key = open_key_for(report); !key.empty()) {
    Open& open = open_.at(key);
    const bool unknown_order = open.request.kind == RequestKind::status && report.unknown_order;
    const bool reject = report.exec_type == '8' || unknown_order;
    // OrdRejReason 5 says it whatever the venue's text: ordeal's final reads
    // take only "unknown order" for an answer that the order is not known.
    return complete(
        key,
        report.outcome_unknown ? Verdict::unknown
        : reject               ? Verdict::reject
                               : Verdict::ack,
        unknown_order && !report.outcome_unknown ? std::string(kUnknownOrder) : report.text,
        &report);
  }
  if (auto it = open_.find(report.clordid); it != open_.end() && report.is_pending()) {
    it->second.pending_text = report.text;  // interim: the final answer should follow
    return;
  }
  const bool unsolicited = report.is_trade() || report.exec_type == '4' || report.exec_type == 'C';
  auto owner = by_fix_.find(report.clordid);
  if (!unsolicited) return void(++counters_.unmatched);
  if (owner == by_fix_.end() && report.clordid.rfind(config_.clordid_prefix, 0) != 0) {
    return void(++counters_.foreign);
  }
  OrderView view = report.order;
  view.client = owner == by_fix_.end() ? report.account : owner->second.first;
  view.clordid = owner == by_fix_.end() ? report.clordid : owner->second.second;
  if (listener_ == nullptr) return;
  if (report.is_trade()) {
    listener_->on_fill(Fill{.client = view.client,
                            .order_id = view.order_id,
                            .clordid = view.clordid,
                            .symbol = view.symbol,
                            .side = view.side,
                            .price = report.last_px,
                            .qty = report.last_qty,
                            .trade_id = report.trade_id,
                            .maker = report.maker,
                            .order_filled = view.filled,
                            .order_qty = view.qty});
  } else {
    listener_->on_order_update(OrderUpdate{.order = view, .reason = report.text});
  }
}

// A report of a mass status joins its gathering; the last one (by
// LastRptRequested, or the TotNumReports-th) completes it. Reports of no
// gathering open (late ones, another run's) are left alone.
void FixClient::gather(const FixReport& report) {
  const std::string key = "A:" + report.mass_status_req_id;
  auto it = open_.find(key);
  if (it == open_.end()) return void(++counters_.unmatched);
  Open& open = it->second;
  ++open.reports;
  ++counters_.mass_status_reports;
  if (report.tot_num_reports >= 0) open.expected = report.tot_num_reports;
  if (report.tot_num_reports != 0) gather_order(open, report);  // 0: the report of none
  const bool done =
      report.last_rpt_requested || (open.expected >= 0 && open.reports >= open.expected);
  if (!done) return;
  Open finished = std::move(it->second);
  open_.erase(it);
  by_seq_.erase(finished.seq);
  if (listener_ == nullptr) return;
  listener_->on_response(ClientResponse{.client = finished.request.client,
                                        .request_id = finished.request.request_id,
                                        .kind = RequestKind::mass_status,
                                        .verdict = Verdict::ack,
                                        .orders = std::move(finished.orders)});
}

// The order a report is about, under ordeal's names; one this client did
// not place for that client (an earlier run's, another user's of the
// Account) is no part of the answer.
void FixClient::gather_order(Open& open, const FixReport& report) {
  auto owner = by_fix_.find(report.clordid);
  if (owner == by_fix_.end() && !report.orig_clordid.empty()) {
    owner = by_fix_.find(report.orig_clordid);
  }
  if (owner == by_fix_.end() || owner->second.first != open.request.client) {
    return void(++counters_.foreign);
  }
  OrderView view = report.order;
  // One the venue does not know (OrderID NONE, unknown order): its name
  // alone, as the exchange's own answer has it.
  if (view.status == OrdStatus::none) view = OrderView{};
  view.client = owner->second.first;
  view.clordid = owner->second.second;
  // Reported twice (under two ClOrdIDs of its chain, say): the later report.
  const auto [at, added] = open.order_index.try_emplace(view.clordid, open.orders.size());
  if (added) {
    open.orders.push_back(std::move(view));
  } else {
    open.orders[at->second] = std::move(view);
  }
}

void FixClient::expire_mass_status(const std::string& key, int seq) {
  auto it = open_.find(key);
  if (it == open_.end() || it->second.seq != seq) return;
  const Open& open = it->second;
  const std::string heard = open.expected >= 0
                                ? fmt::format("{} of {} reports", open.reports, open.expected)
                                : fmt::format("{} reports, none the last", open.reports);
  complete(key, Verdict::unknown,
           fmt::format("mass status unfinished: {} within {} ms", heard,
                       config_.mass_status_timeout_us / 1000),
           nullptr);
}

}  // namespace ordeal::fix
