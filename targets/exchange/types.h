// Basic order-entry vocabulary of the reference exchange: ids, sides, order
// types and states. Prices and quantities are integers (price in ticks of the
// smallest unit, quantity in units), as on real venues: no floating point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ordeal::exchange {

using Price = int64_t;
using Qty = int64_t;
using OrderId = uint64_t;
using ClientId = uint32_t;
using ShardId = uint16_t;
using NodeId = uint16_t;
using MetaVersion = uint64_t;

enum class Side : uint8_t { buy, sell };
enum class OrdType : uint8_t { limit, market };
enum class TimeInForce : uint8_t { gtc, ioc };
enum class TradingStatus : uint8_t { open, halted, cancel_only, post_only };

// Order states move forward only: new -> partially_filled -> filled | cancelled.
enum class OrdStatus : uint8_t { none, new_order, partially_filled, filled, cancelled, rejected };

enum class RequestKind : uint8_t { place, amend, cancel, mass_cancel, status };

// How the gateway answered a request. `unknown` is an explicit answer too: the
// gateway could not learn the outcome in time (e.g. the shard did not reply).
enum class Verdict : uint8_t { ack, reject, unknown };

std::string_view to_string(Side side);
std::string_view to_string(OrdType type);
std::string_view to_string(TimeInForce tif);
std::string_view to_string(TradingStatus status);
std::string_view to_string(OrdStatus status);
std::string_view to_string(RequestKind kind);
std::string_view to_string(Verdict verdict);

inline bool is_final(OrdStatus status) {
  return status == OrdStatus::filled || status == OrdStatus::cancelled ||
         status == OrdStatus::rejected;
}

}  // namespace ordeal::exchange
