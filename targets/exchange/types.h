// Basic order-entry vocabulary of the reference exchange: ids, sides, order
// types and states. Prices and quantities are integers (price in ticks of the
// smallest unit, quantity in units), as on real venues: no floating point.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
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

// mass_status asks the status of every order of its client at once (FIX's
// OrderMassStatusRequest): final reads use it, no operation of a case does,
// so kRequestKinds (the operations' kinds) leaves it out.
enum class RequestKind : uint8_t { place, amend, cancel, mass_cancel, status, mass_status };

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

// Every value of each enum, for parsing names back (see from_string).
inline constexpr std::array kSides = {Side::buy, Side::sell};
inline constexpr std::array kOrdTypes = {OrdType::limit, OrdType::market};
inline constexpr std::array kTimesInForce = {TimeInForce::gtc, TimeInForce::ioc};
inline constexpr std::array kTradingStatuses = {TradingStatus::open, TradingStatus::halted,
                                                TradingStatus::cancel_only,
                                                TradingStatus::post_only};
inline constexpr std::array kOrdStatuses = {
    OrdStatus::none,   OrdStatus::new_order, OrdStatus::partially_filled,
    OrdStatus::filled, OrdStatus::cancelled, OrdStatus::rejected};
inline constexpr std::array kRequestKinds = {RequestKind::place, RequestKind::amend,
                                             RequestKind::cancel, RequestKind::mass_cancel,
                                             RequestKind::status};

}  // namespace ordeal::exchange

namespace ordeal {

// The value of `values` whose to_string is `name` (found by argument-dependent
// lookup, so it serves ordeal's own enums too), or nothing.
template <typename Enum, size_t N>
std::optional<Enum> from_string(std::string_view name, const std::array<Enum, N>& values) {
  for (Enum value : values) {
    if (to_string(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace ordeal

namespace ordeal::exchange {

inline bool is_final(OrdStatus status) {
  return status == OrdStatus::filled || status == OrdStatus::cancelled ||
         status == OrdStatus::rejected;
}

}  // namespace ordeal::exchange
