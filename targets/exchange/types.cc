#include "targets/exchange/types.h"

namespace ordeal::exchange {

std::string_view to_string(Side side) { return side == Side::buy ? "buy" : "sell"; }
std::string_view to_string(OrdType type) { return type == OrdType::limit ? "limit" : "market"; }
std::string_view to_string(TimeInForce tif) { return tif == TimeInForce::gtc ? "gtc" : "ioc"; }

std::string_view to_string(TradingStatus status) {
  switch (status) {
    case TradingStatus::open:
      return "open";
    case TradingStatus::halted:
      return "halted";
    case TradingStatus::cancel_only:
      return "cancel-only";
    case TradingStatus::post_only:
      return "post-only";
  }
  return "?";
}

std::string_view to_string(OrdStatus status) {
  switch (status) {
    case OrdStatus::none:
      return "none";
    case OrdStatus::new_order:
      return "new";
    case OrdStatus::partially_filled:
      return "partially-filled";
    case OrdStatus::filled:
      return "filled";
    case OrdStatus::cancelled:
      return "cancelled";
    case OrdStatus::rejected:
      return "rejected";
  }
  return "?";
}

std::string_view to_string(RequestKind kind) {
  switch (kind) {
    case RequestKind::place:
      return "place";
    case RequestKind::amend:
      return "amend";
    case RequestKind::cancel:
      return "cancel";
    case RequestKind::mass_cancel:
      return "mass-cancel";
    case RequestKind::status:
      return "status";
    case RequestKind::mass_status:
      return "mass-status";
  }
  return "?";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::ack:
      return "ack";
    case Verdict::reject:
      return "reject";
    case Verdict::unknown:
      return "unknown";
  }
  return "?";
}

}  // namespace ordeal::exchange
