// ordeal's requests and the exchange's answers as FIX 4.4 application
// messages, both ways: the initiator encodes requests and decodes reports,
// the reference gateway's acceptor decodes requests and encodes reports.
//
//   place       -> NewOrderSingle (D)           ack: ExecutionReport New (8, 150=0)
//   amend       -> OrderCancelReplaceRequest (G) ack: ER Replaced (150=5)
//   cancel      -> OrderCancelRequest (F)       ack: ER Canceled (150=4)
//   status      -> OrderStatusRequest (H)       ER OrderStatus (150=I)
//   mass-cancel -> OrderMassCancelRequest (q)   OrderMassCancelReport (r)
//   amend/cancel rejects: OrderCancelReject (9); place rejects: ER Rejected.
//   Fills: ER Trade (150=F); unsolicited cancels: ER Canceled, no request.
//
// Account (1) carries ordeal's client id: every client shares one session.
// The exchange's explicit "unknown" answer is a pending ExecType (A, E, 6)
// or a rejected mass cancel marked with kOutcomeUnknownTag; other gateways'
// pending reports are interim and are waited past.
//
//   FixMessage m = encode_request({.request = r, .clordid = "c1-1"});
//   FixReport report = decode_report(m_from_gateway);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
              total_affected_orders = 533, ord_status_req_id = 790, trade_id = 1003,
              aggressor_indicator = 1057;
// A user-defined tag: "Y" when the gateway could not learn the outcome.
constexpr int outcome_unknown = 9731;
}  // namespace tag

// A request with its FIX identifiers. `request.clordid` names the order in
// FIX terms: the new order's ClOrdID on a place, the order's current
// ClOrdID otherwise (OrigClOrdID on amend and cancel, ClOrdID on status).
// Amends carry the order's full terms: FIX replaces, it does not patch.
struct FixRequest {
  exchange::ClientRequest request;
  std::string clordid;        // amend, cancel, mass-cancel: this request's own ClOrdID
  std::string status_req_id;  // status: OrdStatusReqID, echoed in the answer
};

FixMessage encode_request(const FixRequest& request);
// The request in `message`, or nothing with `error` naming the bad field.
// Unsupported message types give nothing and an empty error.
std::optional<FixRequest> decode_request(const FixMessage& message, std::string& error);

// The gateway's answer to `request`, for the acceptor to send.
struct FixReply {
  FixRequest request;  // as decoded (before the acceptor's ClOrdID mapping)
  exchange::ClientResponse response;
  std::string exec_id;  // unique per report
};
FixMessage encode_reply(const FixReply& reply);
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
  std::string text;
  std::string business_ref_id;  // BusinessMessageReject: BusinessRejectRefID
  int ref_seq_num = 0;          // Reject, BusinessMessageReject
  exchange::OrderView order;    // order_id, symbol, side, status, price, qty, filled
  exchange::ClientId account = 0;
  exchange::Price last_px = 0;
  exchange::Qty last_qty = 0;
  uint64_t trade_id = 0;
  bool maker = false;
  bool unknown_order = false;    // OrdRejReason 5 or CxlRejReason 1
  bool outcome_unknown = false;  // kOutcomeUnknownTag
  bool mass_cancel_accepted = false;
  uint32_t cancelled_count = 0;

  bool is_trade() const { return exec_type == 'F' || exec_type == '1' || exec_type == '2'; }
  bool is_pending() const { return exec_type == 'A' || exec_type == 'E' || exec_type == '6'; }
  bool is_status() const { return exec_type == 'I' || exec_trans_type == '3'; }
};
FixReport decode_report(const FixMessage& message);

// An id from a gateway's text id: its number when numeric, else a hash.
uint64_t id_number(const std::string& text);

}  // namespace ordeal::fix
