// ordeal's requests and the exchange's answers as FIX 4.4 application
// messages, both ways: the initiator encodes requests and decodes reports,
// the reference gateway's acceptor decodes requests and encodes reports.
//
//   place       -> NewOrderSingle (D)           ack: ExecutionReport New (8, 150=0)
//   amend       -> OrderCancelReplaceRequest (G) ack: ER Replaced (150=5)
//   cancel      -> OrderCancelRequest (F)       ack: ER Canceled (150=4)
//   status      -> OrderStatusRequest (H)       ER OrderStatus (150=I)
//   mass-cancel -> OrderMassCancelRequest (q)   OrderMassCancelReport (r)
//   mass-status -> OrderMassStatusRequest (AF)  one ER OrderStatus (150=I) per order
//   amend/cancel rejects: OrderCancelReject (9); place rejects: ER Rejected.
//   mass-status rejects: BusinessMessageReject (j), RefMsgType AF,
//     BusinessRejectRefID = MassStatusReqID.
//   Fills: ER Trade (150=F); unsolicited cancels: ER Canceled, no request.
//
// Account (1) carries ordeal's client id: every client shares one session.
//
// A mass status asks for every order of its Account: MassStatusReqType
// (585) 7, MassStatusReqID (584) echoed in each report with TotNumReports
// (911) and LastRptRequested (912) Y on the last, N before. Per order:
//   known order        ER 150=I, 39 = its status, 37 = its OrderID, 11 = its
//                      ClOrdID in force, its terms as an OrderStatusRequest's
//   not known by the   ER 150=I, 39=8, 37=NONE, 103=5 (unknown order), 11 =
//   shard holding it   its ClOrdID: as a status request of it would answer
//   no order at all    one ER 150=I, 39=8, 37=NONE, no ClOrdID, 911=0, 912=Y
//
// The exchange's explicit "unknown" answer is a pending ExecType (A, E, 6)
// or a rejected mass cancel marked with kOutcomeUnknownTag; other gateways'
// pending reports are interim and are waited past.
//
//   FixMessage m = encode_request({.request = r, .clordid = "c1-1"});
//   FixReport report = decode_report(m_from_gateway);
//   // a venue whose prices have 2 decimals: 15025 goes out as 150.25
//   encode_request(fr, {.price_decimals = 2});
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "framework/base/decimal.h"
#include "targets/exchange/messages.h"
#include "targets/fix/fix_message.h"

namespace ordeal::fix {

namespace tag {
constexpr int account = 1, avg_px = 6, clordid = 11, cum_qty = 14, exec_id = 17, exec_inst = 18,
              exec_trans_type = 20, handl_inst = 21, last_px = 31, last_qty = 32, order_id = 37,
              order_qty = 38, ord_status = 39, ord_type = 40, orig_clordid = 41, price = 44,
              ref_seq_num = 45, side = 54, symbol = 55, text = 58, time_in_force = 59,
              transact_time = 60, cxl_rej_reason = 102, ord_rej_reason = 103, ref_msg_type = 372,
              session_reject_reason = 373, business_reject_ref_id = 379,
              business_reject_reason = 380, cxl_rej_response_to = 434, exec_type = 150,
              leaves_qty = 151, mass_cancel_request_type = 530, mass_cancel_response = 531,
              total_affected_orders = 533, mass_status_req_id = 584, mass_status_req_type = 585,
              ord_status_req_id = 790, tot_num_reports = 911, last_rpt_requested = 912,
              trade_id = 1003, aggressor_indicator = 1057;
// A user-defined tag: "Y" when the gateway could not learn the outcome.
constexpr int outcome_unknown = 9731;
}  // namespace tag

// A request with its FIX identifiers. `request.clordid` names the order in
// FIX terms: the new order's ClOrdID on a place, the order's current
// ClOrdID otherwise (OrigClOrdID on amend and cancel, ClOrdID on status).
// Amends carry the order's full terms: FIX replaces, it does not patch.
struct FixRequest {
  exchange::ClientRequest request;
  std::string clordid;  // amend, cancel, mass-cancel: this request's own ClOrdID
  // status: OrdStatusReqID; mass-status: MassStatusReqID; echoed in the answer.
  std::string status_req_id;
};

// Prices and quantities are written as decimals of `units` (whole numbers
// by default, as the reference gateway takes them).
FixMessage encode_request(const FixRequest& request, TradeUnits units = {});
// The request in `message`, or nothing with `error` naming the bad field.
// Unsupported message types give nothing and an empty error.
std::optional<FixRequest> decode_request(const FixMessage& message, std::string& error);

// The gateway's answer to `request`, for the acceptor to send.
struct FixReply {
  FixRequest request;  // as decoded (before the acceptor's ClOrdID mapping)
  exchange::ClientResponse response;
  std::string exec_id;  // unique per report
};
// One message for every answer but an acknowledged mass status, which is a
// report per order (encode_mass_status); a refused one is a
// BusinessMessageReject.
FixMessage encode_reply(const FixReply& reply);
// A mass status's answer: its refusal, or its reports (the table above),
// the i-th about response.orders[i] under the ClOrdID clordids[i] (the one
// in force; orders[i].clordid when clordids is shorter). Each report's
// ExecID is reply.exec_id with its index.
std::vector<FixMessage> encode_mass_status(const FixReply& reply,
                                           const std::vector<std::string>& clordids);
// An order's unsolicited report: a fill, or a cancel no request answers.
// `clordid` is the order's current FIX ClOrdID.
FixMessage encode_fill(const exchange::Fill& fill, const std::string& clordid,
                       const std::string& exec_id);
FixMessage encode_update(const exchange::OrderUpdate& update, const std::string& clordid,
                         const std::string& exec_id);

// What the initiator reads from any message the gateway sends.
struct FixReport {
  std::string msg_type;
  char exec_type = 0;
  char ord_status = 0;
  char exec_trans_type = 0;  // FIX 4.2: 3 = status
  std::string clordid;
  std::string orig_clordid;
  std::string status_req_id;
  std::string mass_status_req_id;   // MassStatusReqID: a report of a mass status
  int tot_num_reports = -1;         // TotNumReports (911); -1: absent
  bool last_rpt_requested = false;  // LastRptRequested (912) Y
  std::string text;
  std::string business_ref_id;  // BusinessMessageReject: BusinessRejectRefID
  int ref_seq_num = 0;          // Reject, BusinessMessageReject
  exchange::OrderView order;    // order_id, symbol, side, status, price, qty, filled
  exchange::ClientId account = 0;
  exchange::Price last_px = 0;
  exchange::Qty last_qty = 0;
  uint64_t trade_id = 0;
  bool maker = false;
  bool unknown_order = false;    // OrdRejReason 5, CxlRejReason 1 or BusinessRejectReason 1
  bool outcome_unknown = false;  // kOutcomeUnknownTag
  bool mass_cancel_accepted = false;
  uint32_t cancelled_count = 0;
  // The first quantity or price field (Price, OrderQty, CumQty, LastPx,
  // LastQty) whose value is finer than the units it was read in, which the
  // fields above hold cut toward zero; 0: none.
  int fractional_tag = 0;
  std::string_view fractional_field;  // its name: "LastQty"
  std::string fractional_value;
  // The first such field that is no decimal number at all ("5.0e2", "n/a";
  // FIX's float is a sign, digits and one point), which the fields above
  // hold as 0; 0: none.
  int unreadable_tag = 0;
  std::string_view unreadable_field;
  std::string unreadable_value;

  bool is_trade() const { return exec_type == 'F' || exec_type == '1' || exec_type == '2'; }
  bool is_pending() const { return exec_type == 'A' || exec_type == 'E' || exec_type == '6'; }
  bool is_status() const { return exec_type == 'I' || exec_trans_type == '3'; }
};
// Prices and quantities are read in `units`.
FixReport decode_report(const FixMessage& message, TradeUnits units = {});

// An id from a gateway's text id: its number when numeric, else a hash.
uint64_t id_number(const std::string& text);

}  // namespace ordeal::fix
