// Every message that crosses a link of the reference exchange: client to
// gateway, gateway to engine shards, and the metadata service's replication.
// Nodes see only these, through the transport, so the same node code runs in
// the simulator and over real sockets.
//
// Every field has a default member initialiser: Env::send_built() builds a
// message default-initialised, so a field without one would be left
// indeterminate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "targets/exchange/instrument.h"
#include "targets/exchange/types.h"

namespace ordeal::exchange {

// ---- client <-> gateway ---------------------------------------------------

// The reason of a reject whose request names no order the exchange knows.
// Readers key on it (a final read so answered means the order is unknown),
// so every site that says it uses this one spelling.
inline constexpr std::string_view kUnknownOrder = "unknown order";

// Rejects that are the client's own doing, with one spelling for the same
// reason: is_clients_doing() keys on them.
inline constexpr std::string_view kPostOnlyWouldCross = "post-only order would cross";
inline constexpr std::string_view kDuplicateClordid = "duplicate client order id";

// Whether a reject was the client's own doing (its request broke a metadata
// rule, would have crossed as post-only, or reused an order id), not the
// exchange failing to serve it: readers judging whether the exchange was up
// (bounded-unavailability, recovers-after-faults, the recovery probes) skip
// these.
inline bool is_clients_doing(std::string_view reason) {
  return is_validation_reason(reason) || reason == kPostOnlyWouldCross ||
         reason == kDuplicateClordid;
}

// One client request. `clordid` names the new order on a place and the target
// order on amend, cancel and status. On an amend, price or qty 0 = unchanged.
struct ClientRequest {
  RequestKind kind = RequestKind::place;
  ClientId client = 0;
  uint64_t request_id = 0;  // unique per client; the answer carries it back
  std::string clordid;
  std::string symbol;  // place; mass-cancel (empty: every symbol)
  Side side = Side::buy;
  OrdType type = OrdType::limit;
  TimeInForce tif = TimeInForce::gtc;
  bool post_only = false;
  Price price = 0;
  Qty qty = 0;
};

// What the exchange knows of one order.
struct OrderView {
  OrderId order_id = 0;
  ClientId client = 0;
  std::string clordid;
  std::string symbol;
  Side side = Side::buy;
  OrdStatus status = OrdStatus::none;
  Price price = 0;
  Qty qty = 0;
  Qty filled = 0;
};

struct ClientResponse {
  ClientId client = 0;
  uint64_t request_id = 0;
  RequestKind kind = RequestKind::place;
  Verdict verdict = Verdict::reject;
  std::string reason;            // why rejected or unknown
  OrderView order;               // the order after the request (place, amend, cancel, status)
  MetaVersion meta_version = 0;  // the metadata version the request was validated against
  uint32_t cancelled_count = 0;  // mass-cancel
  // mass-status: every order of the client the exchange knows, in no
  // particular order; one the shard holding it did not know has only its
  // client order id (status none).
  std::vector<OrderView> orders;
};

// One side of a trade, sent to the owner of that order.
struct Fill {
  ClientId client = 0;
  OrderId order_id = 0;
  std::string clordid;
  std::string symbol;
  Side side = Side::buy;
  Price price = 0;
  Qty qty = 0;
  uint64_t trade_id = 0;
  bool maker = false;
  Qty order_filled = 0;  // the order's cumulative filled quantity after this fill
  Qty order_qty = 0;
  uint64_t report_seq = 0;  // the shard's number for it, per gateway (report_log.h)
};

// An unsolicited change of an order that no request of its owner answers:
// cancelled by a mass-cancel, the rest of an IOC expired.
struct OrderUpdate {
  OrderView order;
  std::string reason;
  uint64_t report_seq = 0;  // as a Fill's
};

// ---- gateway <-> engine shard ---------------------------------------------

// A gateway's request ids are its incarnation (boot) shifted by this many
// bits, plus a counter: a shard tells from them that the gateway restarted.
inline constexpr int kGatewayBootShift = 40;
inline uint64_t gateway_boot_of(uint64_t gateway_request_id) {
  return gateway_request_id >> kGatewayBootShift;
}

// A shard knows an order by its id once placed: `clordid` and `symbol`
// name the new order on a place (symbol: the one a mass-cancel is about,
// empty for every symbol), and are left empty on amend, cancel and status.
struct ShardRequest {
  uint64_t gateway_request_id = 0;
  RequestKind kind = RequestKind::place;
  OrderId order_id = 0;
  ClientId client = 0;
  std::string clordid;
  std::string symbol;
  Side side = Side::buy;
  OrdType type = OrdType::limit;
  TimeInForce tif = TimeInForce::gtc;
  bool post_only = false;
  Price price = 0;
  Qty qty = 0;
  MetaVersion meta_version = 0;    // the version the gateway validated it against
  NodeId gateway = 0;              // where the answer goes, also after a shard forwards it
  uint8_t hops = 0;                // how often shards passed it on to a newer owner
  uint32_t part = 0;               // mass-status: which part of the gateway's asking
  std::vector<OrderId> order_ids;  // mass-status: the orders asked about
  // The last report (Fill, OrderUpdate) of this shard the gateway saw, all
  // before it seen too (report_log.h); a request a shard passes on carries
  // the first shard's. kReportsUnknown: none since the gateway started.
  uint64_t reports_seen = 0;
  bool resend_reports = false;  // the gateway missed some: send again what is held
};

inline constexpr uint64_t kReportsUnknown = UINT64_MAX;

struct ShardResponse {
  uint64_t gateway_request_id = 0;
  bool ok = false;
  std::string reason;
  OrderView order;
  MetaVersion shard_version = 0;
  uint32_t cancelled_count = 0;
  uint32_t part = 0;  // mass-status: the request's
  // mass-status: one view per order asked about, in the order asked; an
  // order the shard does not know has only its id (status none).
  std::vector<OrderView> orders;
};

// ---- metadata service -------------------------------------------------------

struct MetaUpdateRequest {
  uint64_t request_id = 0;
  Instrument record;
};

struct MetaUpdateResult {
  uint64_t request_id = 0;
  bool ok = false;
  MetaVersion version = 0;
  std::string reason;
  Instrument record;   // as committed (ok), in the leader's schema
  uint8_t schema = 0;  // the schema the leader runs
};

// One record at one version; version - 1 is the version it follows.
struct MetaPublish {
  MetaVersion version = 0;
  Instrument record;
  uint64_t checksum = 0;
};

struct MetaHeartbeat {
  MetaVersion version = 0;
};

struct MetaSubscribe {};

struct MetaSnapshot {
  MetadataState state;
  uint64_t checksum = 0;
};

using Message = std::variant<ClientRequest, ClientResponse, Fill, OrderUpdate, ShardRequest,
                             ShardResponse, MetaUpdateRequest, MetaUpdateResult, MetaPublish,
                             MetaHeartbeat, MetaSubscribe, MetaSnapshot>;

}  // namespace ordeal::exchange
