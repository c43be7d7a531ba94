#include "framework/history/event_scan.h"

#include <array>
#include <cstring>
#include <limits>

#include "faults/pin.h"

namespace ordeal {
namespace {

using exchange::kOrdStatuses;
using exchange::kRequestKinds;
using exchange::kSides;
using exchange::kTradingStatuses;

// A cursor over one line: each step either matches what comes next and moves
// past it, or fails and leaves the line to the JSON parser.
class Cursor {
 public:
  Cursor(const char* line, const char* text_end) : p_(line), end_(text_end) {}

  const char* position() const { return p_; }

  bool literal(std::string_view bytes) {
    if (static_cast<size_t>(end_ - p_) < bytes.size()) return false;
    if (std::memcmp(p_, bytes.data(), bytes.size()) != 0) return false;
    p_ += bytes.size();
    return true;
  }

  // An integer as ordeal writes it: an optional minus and digits without a
  // leading zero. At most 18 digits, so it cannot overflow; what follows
  // must be the next literal, so "1.5" or "1e3" never match.
  bool integer(int64_t& out) {
    const char* p = p_;
    const bool negative = p < end_ && *p == '-';
    if (negative) ++p;
    const char* digits = p;
    uint64_t value = 0;
    while (p < end_ && p - digits < 19 && static_cast<unsigned>(*p - '0') < 10) {
      value = value * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    }
    const auto count = static_cast<size_t>(p - digits);
    if (count == 0 || count > 18) return false;
    if (*digits == '0' && (count > 1 || negative)) return false;
    out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
    p_ = p;
    return true;
  }

  // A string of printable ASCII without a quote or a backslash: no escape
  // can be in it, so its bytes are its value. Anything else (escapes,
  // control characters, UTF-8) is for the JSON parser.
  bool text(std::string_view& out) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = p_ + 1;
    const char* p = start;
    for (; p < end_ && *p != '"'; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c > 0x7e || c == '\\') return false;
    }
    if (p == end_) return false;
    out = std::string_view(start, static_cast<size_t>(p - start));
    p_ = p + 1;
    return true;
  }

  bool boolean(bool& out) {
    if (literal("true")) {
      out = true;
      return true;
    }
    out = false;
    return literal("false");
  }

  template <typename Enum, size_t N>
  bool name(const std::array<Enum, N>& values, Enum& out) {
    std::string_view text_value;
    if (!text(text_value)) return false;
    const auto parsed = from_string(text_value, values);
    if (!parsed) return false;
    out = *parsed;
    return true;
  }

  // `key` with its comma and colon, then the value.
  bool integer_field(std::string_view key, int64_t& out) { return literal(key) && integer(out); }
  bool text_field(std::string_view key, std::string_view& out) { return literal(key) && text(out); }

 private:
  const char* p_;
  const char* end_;
};

// What follows a fault event's param: a window's pins (valid ones only),
// a fire's check, or, in histories of earlier versions, a window's fire_at.
bool scan_fault_extra(Cursor& c, ScannedLine& s) {
  switch (s.event.type) {
    case EventType::fault_start:
      if (c.literal(R"(,"pins":)")) return c.text(s.order) && faults::parse_pins(s.order);
      return !c.literal(R"(,"fire_at":)") ||
             (c.integer(s.event.qty) && s.event.qty >= 1 && s.event.qty <= faults::kPinCheckMax);
    case EventType::fault_fire:
      return !c.literal(R"(,"check":)") || (c.integer(s.event.qty) && s.event.qty >= 1);
    default:
      return true;
  }
}

// {"index":N,"time_us":N,"type":"T" then the client and op when there.
bool scan_header(Cursor& c, Event& e) {
  int64_t number = 0;
  std::string_view type;
  if (!c.integer_field(R"({"index":)", number) || !c.integer_field(R"(,"time_us":)", e.time_us) ||
      !c.text_field(R"(,"type":)", type)) {
    return false;
  }
  const auto parsed = event_type_from(type);
  if (!parsed) return false;
  e.type = *parsed;
  if (c.literal(R"(,"client":)")) {
    if (!c.integer(number) || number < kClientMin || number > kClientMax) return false;
    e.client = static_cast<int32_t>(number);
  }
  if (c.literal(R"(,"op":)")) {
    if (!c.integer(number) || number < 1 || number > kOpMax) return false;
    e.op = static_cast<uint32_t>(number);
  }
  return true;
}

// status, price, qty, filled: an order's state as the target reports it.
bool scan_order_state(Cursor& c, Event& e) {
  return c.literal(R"(,"status":)") && c.name(kOrdStatuses, e.status) &&
         c.integer_field(R"(,"price":)", e.price) && c.integer_field(R"(,"qty":)", e.qty) &&
         c.integer_field(R"(,"filled":)", e.filled);
}

bool scan_invoke(Cursor& c, ScannedLine& s) {
  Event& e = s.event;
  if (!c.literal(R"(,"f":)") || !c.name(kRequestKinds, e.kind) ||
      !c.text_field(R"(,"order":)", s.order)) {
    return false;
  }
  if (c.literal(R"(,"symbol":)") && !c.text(s.shared)) return false;
  if (!c.literal(R"(,"side":)") || !c.name(kSides, e.side) ||
      !c.integer_field(R"(,"price":)", e.price) || !c.integer_field(R"(,"qty":)", e.qty)) {
    return false;
  }
  // Only the values that differ from the defaults are written, in this order.
  if (c.literal(R"(,"ord_type":"market")")) e.number |= kMarketFlag;
  if (c.literal(R"(,"tif":"ioc")")) e.number |= kIocFlag;
  if (c.literal(R"(,"post_only":true)")) e.number |= kPostOnlyFlag;
  if (c.literal(R"(,"invalid":true)")) e.flag = true;
  return true;
}

bool scan_completion(Cursor& c, ScannedLine& s) {
  Event& e = s.event;
  if (!c.literal(R"(,"f":)") || !c.name(kRequestKinds, e.kind) ||
      !c.text_field(R"(,"order":)", s.order) || !scan_order_state(c, e)) {
    return false;
  }
  if (c.literal(R"(,"reason":)") && !c.text(s.shared)) return false;
  if (e.kind == exchange::RequestKind::mass_cancel && !c.integer_field(R"(,"count":)", e.number)) {
    return false;
  }
  if (e.type == EventType::info) return c.literal(R"(,"answered":)") && c.boolean(e.flag);
  return true;
}

bool scan_fill(Cursor& c, ScannedLine& s) {
  Event& e = s.event;
  if (!c.text_field(R"(,"order":)", s.order) || !c.text_field(R"(,"symbol":)", s.shared) ||
      !c.literal(R"(,"side":)") || !c.name(kSides, e.side) ||
      !c.integer_field(R"(,"price":)", e.price) || !c.integer_field(R"(,"qty":)", e.qty) ||
      !c.integer_field(R"(,"filled":)", e.filled) || !c.integer_field(R"(,"trade":)", e.number)) {
    return false;
  }
  if (c.literal(R"(,"maker":true)")) e.flag = true;
  return true;
}

// update and read: an order's state, with the reason when there is one.
// A read without an answer about its order says `"answered":false` (kept
// inverted, as Event::flag); an update never does.
bool scan_order_report(Cursor& c, ScannedLine& s) {
  if (!c.text_field(R"(,"order":)", s.order) || !scan_order_state(c, s.event)) return false;
  if (c.literal(R"(,"reason":)") && !c.text(s.shared)) return false;
  if (s.event.type != EventType::read || !c.literal(R"(,"answered":false)")) return true;
  s.event.flag = true;
  return true;
}

bool scan_record(Cursor& c, exchange::Instrument& r) {
  std::string_view symbol;
  int64_t shard = 0, schema = 0;
  if (!c.text_field(R"(,"record":{"symbol":)", symbol) ||
      !c.integer_field(R"(,"tick_size":)", r.tick_size) ||
      !c.integer_field(R"(,"lot_size":)", r.lot_size) ||
      !c.integer_field(R"(,"min_qty":)", r.min_qty) ||
      !c.integer_field(R"(,"max_qty":)", r.max_qty) ||
      !c.integer_field(R"(,"min_price":)", r.min_price) ||
      !c.integer_field(R"(,"max_price":)", r.max_price) || !c.literal(R"(,"status":)") ||
      !c.name(kTradingStatuses, r.status) || !c.integer_field(R"(,"shard":)", shard) ||
      !c.integer_field(R"(,"schema":)", schema) ||
      !c.integer_field(R"(,"max_notional":)", r.max_notional) || !c.literal("}")) {
    return false;
  }
  // What simdjson's path refuses (event_fields.cc), refused here too.
  if (r.tick_size < 1 || r.lot_size < 1 || shard < 0 ||
      shard > std::numeric_limits<exchange::ShardId>::max() || schema < 0 || schema > UINT8_MAX) {
    return false;
  }
  r.symbol = symbol;
  r.shard = static_cast<exchange::ShardId>(shard);
  r.schema = static_cast<uint8_t>(schema);
  return true;
}

bool scan_body(Cursor& c, ScannedLine& s) {
  switch (s.event.type) {
    case EventType::invoke:
      return scan_invoke(c, s);
    case EventType::ok:
    case EventType::fail:
    case EventType::info:
      return scan_completion(c, s);
    case EventType::fill:
      return scan_fill(c, s);
    case EventType::update:
    case EventType::read:
      return scan_order_report(c, s);
    case EventType::fault_start:
    case EventType::fault_stop:
    case EventType::fault_fire:
      return c.text_field(R"(,"fault":)", s.shared) &&
             c.integer_field(R"(,"param":)", s.event.number) && scan_fault_extra(c, s);
    case EventType::meta:
      return c.integer_field(R"(,"version":)", s.event.number) &&
             scan_record(c, s.record.emplace()) &&
             (!c.literal(R"(,"replica_schema":)") ||
              (c.integer(s.event.qty) && s.event.qty >= 0 && s.event.qty <= UINT8_MAX));
  }
  return false;
}

}  // namespace

const char* scan_event_line(const char* line, const char* text_end, ScannedLine& out) {
  out.event = Event{};
  out.order = {};
  out.shared = {};
  out.record.reset();
  Cursor c(line, text_end);
  // A line without a needed op goes to the parser, which names the error.
  // So does a client or an op on an event that has none (fault, meta), or
  // a client event without its client.
  const Event& e = out.event;
  const bool matched = scan_header(c, out.event) && (e.op != 0) == needs_op(e.type) &&
                       (e.client >= 0) == is_client_event(e.type) && scan_body(c, out) &&
                       c.literal("}\n");
  return matched ? c.position() : nullptr;
}

Event ScannedLine::resolve(History& history) const {
  Event e = event;
  // Interned in line order, as simdjson meets them: a fault window's pins
  // come after its fault, every other order before its text.
  Sym shared_sym = 0;
  if (e.type == EventType::fault_start) {
    shared_sym = history.intern(shared);
    e.order = history.intern(order);
  } else {
    e.order = history.intern(order);
    shared_sym = history.intern(shared);
  }
  switch (e.type) {
    case EventType::invoke:
    case EventType::fill:
      e.symbol = shared_sym;
      break;
    case EventType::meta:
      e.record = history.add_record(*record);
      break;
    default:
      e.text = shared_sym;
  }
  return e;
}

}  // namespace ordeal
