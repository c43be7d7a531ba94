// One recorded event of a case: an invocation or completion of an operation,
// a fill or unsolicited update from the target, a final read, a fault start
// or stop, or a committed metadata change. The history is a sequence of these.
//
// Strings (client order ids, symbols, reasons, fault names) are interned in
// the history's string table, and the fields no event type uses together
// share their place, which keeps an event at 64 bytes: a history of ten
// million events is 640 MB of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "framework/history/string_table.h"
#include "targets/exchange/types.h"

namespace ordeal {

// The events of a client's order come first (is_client_event); the order
// is also that of the names in history.cc.
enum class EventType : uint8_t {
  invoke,       // a client sent a request
  ok,           // the target accepted it: it must take effect
  fail,         // the target definitely rejected it: it must not take effect
  info,         // the outcome is unknown (explicit "unknown", or no answer at all)
  fill,         // one side of a trade, reported to the order's owner
  update,       // an unsolicited change of an order (mass-cancel, expiry)
  read,         // a final read: the status of an order once everything healed (or unanswered)
  fault_start,  // the nemesis armed a fault
  fault_stop,   // ... and healed it
  meta,         // the metadata service committed an instrument record
  fault_fire,   // an armed fault point fired (in the simulator): the damage was done here
};

std::string_view to_string(EventType type);
std::optional<EventType> event_type_from(std::string_view name);

// The ranges a history file's "op" and "client" may hold (UINT32_MAX is
// the checker's "none"; a client of -1 is an event of no client's, never
// written: docs/history.md).
inline constexpr int64_t kOpMax = int64_t{UINT32_MAX} - 1;
inline constexpr int64_t kClientMin = 0, kClientMax = INT32_MAX;

struct Event {
  int64_t time_us = 0;
  int64_t price = 0;
  int64_t qty = 0;  // meta: the schema the committing replica runs (0: not said)
  int64_t filled = 0;
  // invoke: order flags; fill: trade id; meta: version; fault: param;
  // mass-cancel ok: orders cancelled
  int64_t number = 0;
  uint32_t op = 0;      // links an invocation to its completion; 0 for other events
  int32_t client = -1;  // -1: not a client's event (is_client_event says which are)
  Sym order = 0;        // the client order id
  // Each type of event has one of these at most, so they share their place.
  union {
    Sym symbol = 0;   // invoke, fill: the instrument
    Sym text;         // completions, update, read: the reason; fault_*: the fault
    uint32_t record;  // meta: index into History::records
  };
  EventType type = EventType::invoke;
  exchange::RequestKind kind = exchange::RequestKind::place;
  exchange::Side side = exchange::Side::buy;
  exchange::OrdStatus status = exchange::OrdStatus::none;
  // invoke: generated deliberately invalid; info: the target answered
  // explicitly (not a silent timeout); fill: the maker side; read: no answer
  // about the order came (refused, or none in time; the reason in text)
  bool flag = false;
};

// The order flags of a place invocation, kept in Event::number.
inline constexpr int64_t kMarketFlag = 1;
inline constexpr int64_t kIocFlag = 2;
inline constexpr int64_t kPostOnlyFlag = 4;

static_assert(sizeof(Event) == 64, "keep an event at 64 bytes: checks hold millions of them");

inline bool is_completion(EventType type) {
  return type == EventType::ok || type == EventType::fail || type == EventType::info;
}

// Invocations and completions are linked by their op: one without an op
// would be an operation no property can follow.
inline bool needs_op(EventType type) { return type == EventType::invoke || is_completion(type); }

// The events of a client's order: they name the client (0 or more), and
// only they do; faults and metadata are no client's.
inline bool is_client_event(EventType type) { return type <= EventType::read; }

}  // namespace ordeal
