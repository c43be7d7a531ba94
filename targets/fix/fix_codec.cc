#include "targets/fix/fix_codec.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <functional>
#include <utility>

namespace ordeal::fix {
namespace {

using namespace exchange;

// FIX's UTCTimestamp with milliseconds. The date and time of day are
// formatted once a second per thread, not once a message.
std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  thread_local std::time_t formatted_second = -1;
  thread_local std::string formatted;  // "YYYYMMDD-HH:MM:SS."
  if (seconds != formatted_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    formatted = fmt::format("{:04}{:02}{:02}-{:02}:{:02}:{:02}.", utc.tm_year + 1900,
                            utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    formatted_second = seconds;
  }
  return fmt::format("{}{:03}", formatted, ms.count());
}

// A message of `type` with room for the fields an order's message carries,
// so that adding them does not reallocate.
FixMessage message_of(const char* type) {
  FixMessage m{type, {}};
  m.fields.reserve(20);
  return m;
}

template <typename Int>
bool parse_int(const std::string& text, Int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// An integer field's value; a decimal gateway value keeps its integer part.
int64_t int_field(const FixMessage& m, int t) {
  const std::string* value = m.find(t);
  if (value == nullptr) return 0;
  int64_t out = 0;
  const std::string whole = value->substr(0, value->find('.'));
  return parse_int(whole, out) ? out : 0;
}

char char_field(const FixMessage& m, int t) {
  const std::string* value = m.find(t);
  return value == nullptr || value->empty() ? '\0' : (*value)[0];
}

char side_code(Side side) { return side == Side::buy ? '1' : '2'; }

char status_code(OrdStatus status) {
  switch (status) {
    case OrdStatus::partially_filled:
      return '1';
    case OrdStatus::filled:
      return '2';
    case OrdStatus::cancelled:
      return '4';
    case OrdStatus::rejected:
      return '8';
    default:
      return '0';
  }
}

OrdStatus status_of(char code, Qty filled) {
  switch (code) {
    case '1':
      return OrdStatus::partially_filled;
    case '2':
      return OrdStatus::filled;
    case '4':
    case 'C':
    case '3':  // done for day
      return OrdStatus::cancelled;
    case '8':
      return OrdStatus::rejected;
    case '\0':
      return OrdStatus::none;
    default:  // new, or pending something: the order is live
      return filled > 0 ? OrdStatus::partially_filled : OrdStatus::new_order;
  }
}

void put_order(FixMessage& m, const OrderView& order, const ClientRequest& request) {
  m.set(tag::order_id, order.order_id == 0 ? "NONE" : std::to_string(order.order_id));
  m.set(tag::account, std::to_string(request.client));
  m.set(tag::symbol, order.symbol.empty() ? request.symbol : order.symbol);
  m.set(tag::side, std::string(1, side_code(order.symbol.empty() ? request.side : order.side)));
  m.set(tag::order_qty, std::to_string(order.qty));
  m.set(tag::price, std::to_string(order.price));
  m.set(tag::cum_qty, std::to_string(order.filled));
  const bool live = !is_final(order.status);
  m.set(tag::leaves_qty, std::to_string(live ? std::max<Qty>(0, order.qty - order.filled) : 0));
  m.set(tag::avg_px, "0");
}

FixMessage execution_report(const FixReply& reply, char exec_type, char ord_status) {
  const ClientResponse& r = reply.response;
  FixMessage m = message_of("8");
  m.set(tag::exec_id, reply.exec_id);
  m.set(tag::exec_type, std::string(1, exec_type));
  m.set(tag::ord_status, std::string(1, ord_status));
  if (r.kind == RequestKind::place || r.kind == RequestKind::status) {
    m.set(tag::clordid, reply.request.request.clordid);
  } else {
    m.set(tag::clordid, reply.request.clordid);
    m.set(tag::orig_clordid, reply.request.request.clordid);
  }
  if (!reply.request.status_req_id.empty())
    m.set(tag::ord_status_req_id, reply.request.status_req_id);
  put_order(m, r.order, reply.request.request);
  if (!r.reason.empty()) m.set(tag::text, r.reason);
  return m;
}

FixMessage cancel_reject(const FixReply& reply) {
  const ClientResponse& r = reply.response;
  FixMessage m = message_of("9");
  m.set(tag::order_id, r.order.order_id == 0 ? "NONE" : std::to_string(r.order.order_id));
  m.set(tag::clordid, reply.request.clordid);
  m.set(tag::orig_clordid, reply.request.request.clordid);
  m.set(tag::ord_status, std::string(1, r.order.order_id == 0 ? '8' : status_code(r.order.status)));
  m.set(tag::account, std::to_string(r.client));
  m.set(tag::cxl_rej_response_to, r.kind == RequestKind::amend ? "2" : "1");
  m.set(tag::cxl_rej_reason, r.reason == kUnknownOrder ? "1" : "99");
  if (!r.reason.empty()) m.set(tag::text, r.reason);
  return m;
}

FixMessage mass_cancel_report(const FixReply& reply) {
  const ClientResponse& r = reply.response;
  const char* type = reply.request.request.symbol.empty() ? "7" : "1";
  FixMessage m = message_of("r");
  m.set(tag::clordid, reply.request.clordid);
  m.set(tag::order_id, "NONE");
  m.set(tag::mass_cancel_request_type, type);
  m.set(tag::mass_cancel_response, r.verdict == Verdict::ack ? type : "0");
  if (r.verdict != Verdict::ack) m.set(532, "99");  // MassCancelRejectReason: other
  m.set(tag::total_affected_orders, std::to_string(r.cancelled_count));
  if (!reply.request.request.symbol.empty()) m.set(tag::symbol, reply.request.request.symbol);
  m.set(tag::account, std::to_string(r.client));
  if (r.verdict == Verdict::unknown) m.set(tag::outcome_unknown, "Y");
  if (!r.reason.empty()) m.set(tag::text, r.reason);
  return m;
}

// The ExecType of an accepted request, and the pending one that stands for
// "outcome unknown".
char ack_exec_type(RequestKind kind) {
  return kind == RequestKind::place    ? '0'
         : kind == RequestKind::amend  ? '5'
         : kind == RequestKind::cancel ? '4'
                                       : 'I';
}
char pending_exec_type(RequestKind kind) {
  return kind == RequestKind::amend ? 'E' : kind == RequestKind::cancel ? '6' : 'A';
}

// Every order of the Account (MassStatusReqType 7): the one kind ordeal asks.
FixMessage mass_status_request(const FixRequest& fr) {
  FixMessage m = message_of("AF");
  m.set(tag::mass_status_req_id, fr.status_req_id);
  m.set(tag::mass_status_req_type, "7");
  m.set(tag::account, std::to_string(fr.request.client));
  return m;
}

bool parse_client(const FixMessage& m, ClientId& client, std::string& error) {
  if (parse_int(m.get(tag::account), client) && client != 0) return true;
  error = "Account (1): expected ordeal's client id, got '" + m.get(tag::account) + "'";
  return false;
}

std::optional<FixRequest> decode_mass_status(const FixMessage& m, std::string& error) {
  FixRequest fr{.request = {.kind = RequestKind::mass_status},
                .status_req_id = m.get(tag::mass_status_req_id)};
  if (!parse_client(m, fr.request.client, error)) return std::nullopt;
  if (fr.status_req_id.empty()) {
    error = "MassStatusReqID (584) missing";
    return std::nullopt;
  }
  if (const std::string type = m.get(tag::mass_status_req_type); type != "7") {
    error = "MassStatusReqType (585): expected 7 (every order of the Account), got '" + type + "'";
    return std::nullopt;
  }
  return fr;
}

// A refused mass status: it names no order, so no order's report can say so.
FixMessage mass_status_reject(const FixReply& reply) {
  const ClientResponse& r = reply.response;
  FixMessage m = message_of("j");
  m.set(tag::ref_msg_type, "AF");
  m.set(tag::business_reject_ref_id, reply.request.status_req_id);
  m.set(tag::business_reject_reason, "0");  // other
  if (r.verdict == Verdict::unknown) m.set(tag::outcome_unknown, "Y");
  if (!r.reason.empty()) m.set(tag::text, r.reason);
  return m;
}

// A mass status's report, without what says which order it is about.
FixMessage mass_status_report(const FixReply& reply, size_t index, size_t total) {
  FixMessage m = message_of("8");
  m.set(tag::exec_id, fmt::format("{}.{}", reply.exec_id, index));
  m.set(tag::exec_type, "I");
  m.set(tag::mass_status_req_id, reply.request.status_req_id);
  m.set(tag::tot_num_reports, std::to_string(total));
  m.set(tag::last_rpt_requested, index + 1 >= total ? "Y" : "N");
  return m;
}

}  // namespace

std::vector<FixMessage> encode_mass_status(const FixReply& reply,
                                           const std::vector<std::string>& clordids) {
  const ClientResponse& r = reply.response;
  if (r.verdict != Verdict::ack) return {mass_status_reject(reply)};
  std::vector<FixMessage> out;
  if (r.orders.empty()) {  // one report that there is none
    FixMessage m = mass_status_report(reply, 0, 0);
    m.set(tag::ord_status, "8");
    m.set(tag::order_id, "NONE");
    m.set(tag::account, std::to_string(r.client));
    out.push_back(std::move(m));
    return out;
  }
  out.reserve(r.orders.size());
  for (size_t i = 0; i < r.orders.size(); ++i) {
    const OrderView& order = r.orders[i];
    const bool known = order.status != OrdStatus::none;
    FixMessage m = mass_status_report(reply, i, r.orders.size());
    m.set(tag::ord_status, std::string(1, known ? status_code(order.status) : '8'));
    m.set(tag::clordid, i < clordids.size() ? clordids[i] : order.clordid);
    put_order(m, known ? order : OrderView{}, reply.request.request);
    if (!known) {
      m.set(tag::ord_rej_reason, "5");
      m.set(tag::text, std::string(kUnknownOrder));
    }
    out.push_back(std::move(m));
  }
  return out;
}

FixMessage encode_request(const FixRequest& fr, TradeUnits units) {
  const ClientRequest& r = fr.request;
  if (r.kind == RequestKind::mass_status) return mass_status_request(fr);
  static constexpr const char* kTypes[] = {"D", "G", "F", "q", "H"};
  FixMessage m = message_of(kTypes[static_cast<int>(r.kind)]);
  m.set(tag::account, std::to_string(r.client));
  if (r.kind == RequestKind::place) {
    m.set(tag::clordid, r.clordid);
  } else if (r.kind == RequestKind::status) {
    m.set(tag::clordid, r.clordid);
    m.set(tag::ord_status_req_id, fr.status_req_id);
  } else {
    m.set(tag::clordid, fr.clordid);
    if (r.kind != RequestKind::mass_cancel) m.set(tag::orig_clordid, r.clordid);
  }
  if (r.kind == RequestKind::mass_cancel) {
    m.set(tag::mass_cancel_request_type, r.symbol.empty() ? "7" : "1");
  } else {
    m.set(tag::side, std::string(1, side_code(r.side)));
  }
  if (!r.symbol.empty()) m.set(tag::symbol, r.symbol);
  if (r.kind == RequestKind::place || r.kind == RequestKind::amend) {
    m.set(tag::handl_inst, "1");
    m.set(tag::order_qty, from_units(r.qty, units.qty_decimals));
    m.set(tag::ord_type, r.type == OrdType::market ? "1" : "2");
    if (r.type == OrdType::limit) m.set(tag::price, from_units(r.price, units.price_decimals));
    m.set(tag::time_in_force, r.tif == TimeInForce::ioc ? "3" : "1");
    if (r.post_only) m.set(tag::exec_inst, "6");
  }
  if (r.kind == RequestKind::cancel) m.set(tag::order_qty, from_units(r.qty, units.qty_decimals));
  if (r.kind != RequestKind::status) m.set(tag::transact_time, now_utc());
  return m;
}

std::optional<FixRequest> decode_request(const FixMessage& m, std::string& error) {
  if (m.type == "AF") return decode_mass_status(m, error);
  static const std::string kTypes = "DGFqH";
  const size_t kind = m.type.size() == 1 ? kTypes.find(m.type[0]) : std::string::npos;
  if (kind == std::string::npos) return std::nullopt;
  FixRequest fr;
  ClientRequest& r = fr.request;
  r.kind = static_cast<RequestKind>(kind);
  if (!parse_client(m, r.client, error)) return std::nullopt;
  const bool names_order = r.kind == RequestKind::amend || r.kind == RequestKind::cancel;
  r.clordid = m.get(names_order ? tag::orig_clordid : tag::clordid);
  if (r.kind != RequestKind::status && r.kind != RequestKind::place)
    fr.clordid = m.get(tag::clordid);
  fr.status_req_id = m.get(tag::ord_status_req_id);
  if (r.clordid.empty() && r.kind != RequestKind::mass_cancel) {
    error = names_order ? "OrigClOrdID (41) missing" : "ClOrdID (11) missing";
    return std::nullopt;
  }
  r.symbol = m.get(tag::symbol);
  if (r.kind == RequestKind::mass_cancel && m.get(tag::mass_cancel_request_type) == "7") {
    r.symbol.clear();
  }
  r.side = char_field(m, tag::side) == '2' ? Side::sell : Side::buy;
  r.type = char_field(m, tag::ord_type) == '1' ? OrdType::market : OrdType::limit;
  r.tif = char_field(m, tag::time_in_force) == '3' ? TimeInForce::ioc : TimeInForce::gtc;
  r.post_only = m.get(tag::exec_inst).find('6') != std::string::npos;
  r.price = int_field(m, tag::price);
  r.qty = int_field(m, tag::order_qty);
  if (r.kind != RequestKind::place && r.kind != RequestKind::amend) r.price = r.qty = 0;
  return fr;
}

FixMessage encode_reply(const FixReply& reply) {
  const ClientResponse& r = reply.response;
  if (r.kind == RequestKind::mass_cancel) return mass_cancel_report(reply);
  if (r.kind == RequestKind::mass_status) return mass_status_reject(reply);
  if (r.verdict == Verdict::unknown) {
    const char pending = pending_exec_type(r.kind);
    FixMessage m = execution_report(reply, r.kind == RequestKind::status ? 'I' : pending, pending);
    m.set(tag::outcome_unknown, "Y");
    return m;
  }
  if (r.verdict == Verdict::ack) {
    return execution_report(reply, ack_exec_type(r.kind), status_code(r.order.status));
  }
  if (r.kind == RequestKind::amend || r.kind == RequestKind::cancel) return cancel_reject(reply);
  FixMessage m = execution_report(reply, r.kind == RequestKind::status ? 'I' : '8', '8');
  m.set(tag::ord_rej_reason, r.reason == kUnknownOrder ? "5" : "99");
  return m;
}

FixMessage encode_fill(const Fill& f, const std::string& clordid, const std::string& exec_id) {
  FixMessage m = message_of("8");
  m.set(tag::order_id, std::to_string(f.order_id));
  m.set(tag::clordid, clordid);
  m.set(tag::exec_id, exec_id);
  m.set(tag::exec_type, "F");
  m.set(tag::ord_status, f.order_filled >= f.order_qty ? "2" : "1");
  m.set(tag::account, std::to_string(f.client));
  m.set(tag::symbol, f.symbol);
  m.set(tag::side, std::string(1, side_code(f.side)));
  m.set(tag::order_qty, std::to_string(f.order_qty));
  m.set(tag::last_qty, std::to_string(f.qty));
  m.set(tag::last_px, std::to_string(f.price));
  m.set(tag::cum_qty, std::to_string(f.order_filled));
  m.set(tag::leaves_qty, std::to_string(std::max<Qty>(0, f.order_qty - f.order_filled)));
  m.set(tag::avg_px, "0");
  m.set(tag::trade_id, std::to_string(f.trade_id));
  m.set(tag::aggressor_indicator, f.maker ? "N" : "Y");
  return m;
}

FixMessage encode_update(const OrderUpdate& u, const std::string& clordid,
                         const std::string& exec_id) {
  FixReply reply{.request = {.request = {.client = u.order.client, .clordid = clordid}},
                 .response = {.client = u.order.client, .order = u.order},
                 .exec_id = exec_id};
  FixMessage m = execution_report(reply, '4', status_code(u.order.status));
  if (!u.reason.empty()) m.set(tag::text, u.reason);
  return m;
}

// A reject's reason is its Text (58). A venue may give a reason code
// alone: then "OrdRejReason 3" (or the code the message has) stands for it,
// so that the history says why and a scenario's client_reject_reasons can
// name it.
static std::string reason_text(const FixMessage& m) {
  std::string text = m.get(tag::text);
  if (!text.empty()) return text;
  static constexpr std::pair<int, std::string_view> kCodes[] = {
      {tag::ord_rej_reason, "OrdRejReason"},
      {tag::cxl_rej_reason, "CxlRejReason"},
      {tag::business_reject_reason, "BusinessRejectReason"},
      {tag::session_reject_reason, "SessionRejectReason"}};
  for (const auto& [code, name] : kCodes) {
    if (m.has(code)) return fmt::format("{} {}", name, m.get(code));
  }
  return text;
}

// A price or quantity in the target's units (`decimals`). A value with
// digits beyond them is kept cut toward zero, one that is no decimal number
// read as 0, and the first field of the report of each kind is named
// (FixReport::fractional_tag, unreadable_tag).
int64_t units_field(const FixMessage& m, int t, std::string_view name, int decimals, FixReport& r) {
  const std::string* value = m.find(t);
  if (value == nullptr) return 0;
  int64_t out = 0;
  const DecimalFit fit = to_units(*value, decimals, out);
  if (fit == DecimalFit::finer && r.fractional_tag == 0) {
    r.fractional_tag = t;
    r.fractional_field = name;
    r.fractional_value = *value;
  }
  if (fit == DecimalFit::invalid && r.unreadable_tag == 0) {
    r.unreadable_tag = t;
    r.unreadable_field = name;
    r.unreadable_value = *value;
  }
  return fit == DecimalFit::invalid ? 0 : out;
}

FixReport decode_report(const FixMessage& m, TradeUnits units) {
  FixReport r;
  r.msg_type = m.type;
  r.exec_type = char_field(m, tag::exec_type);
  r.ord_status = char_field(m, tag::ord_status);
  r.exec_trans_type = char_field(m, tag::exec_trans_type);
  r.clordid = m.get(tag::clordid);
  r.orig_clordid = m.get(tag::orig_clordid);
  r.status_req_id = m.get(tag::ord_status_req_id);
  r.mass_status_req_id = m.get(tag::mass_status_req_id);
  r.tot_num_reports =
      m.has(tag::tot_num_reports) ? static_cast<int>(int_field(m, tag::tot_num_reports)) : -1;
  r.last_rpt_requested = m.get(tag::last_rpt_requested) == "Y";
  r.text = reason_text(m);
  r.business_ref_id = m.get(tag::business_reject_ref_id);
  r.ref_seq_num = static_cast<int>(int_field(m, tag::ref_seq_num));
  r.account = static_cast<ClientId>(int_field(m, tag::account));
  r.order.order_id = m.has(tag::order_id) ? id_number(m.get(tag::order_id)) : 0;
  r.order.symbol = m.get(tag::symbol);
  r.order.side = char_field(m, tag::side) == '2' ? Side::sell : Side::buy;
  r.order.price = units_field(m, tag::price, "Price", units.price_decimals, r);
  r.order.qty = units_field(m, tag::order_qty, "OrderQty", units.qty_decimals, r);
  r.order.filled = units_field(m, tag::cum_qty, "CumQty", units.qty_decimals, r);
  // A BusinessMessageReject says it by BusinessRejectReason 1 (unknown ID):
  // some venues answer a status request for an order they do not know so.
  r.unknown_order = m.get(tag::ord_rej_reason) == "5" || m.get(tag::cxl_rej_reason) == "1" ||
                    (m.type == "j" && m.get(tag::business_reject_reason) == "1");
  r.order.status = status_of(r.ord_status, r.order.filled);
  // No order behind the report (OrderID NONE, unknown order): no status.
  if (m.get(tag::order_id) == "NONE" || r.unknown_order) r.order.status = OrdStatus::none;
  r.last_px = units_field(m, tag::last_px, "LastPx", units.price_decimals, r);
  r.last_qty = units_field(m, tag::last_qty, "LastQty", units.qty_decimals, r);
  r.trade_id = id_number(m.has(tag::trade_id) ? m.get(tag::trade_id) : m.get(tag::exec_id));
  r.maker = m.get(tag::aggressor_indicator) == "N";
  r.outcome_unknown = m.get(tag::outcome_unknown) == "Y";
  const std::string response = m.get(tag::mass_cancel_response);
  r.mass_cancel_accepted = !response.empty() && response != "0";
  r.cancelled_count = static_cast<uint32_t>(int_field(m, tag::total_affected_orders));
  return r;
}

uint64_t id_number(const std::string& text) {
  uint64_t out = 0;
  if (parse_int(text, out)) return out;
  return std::hash<std::string>{}(text) >> 1;  // never collides with small numeric ids in practice
}

}  // namespace ordeal::fix
