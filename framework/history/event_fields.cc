#include "framework/history/event_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

#include "faults/pin.h"

namespace ordeal {
namespace {

using exchange::kOrdStatuses;
using exchange::kRequestKinds;
using exchange::kSides;
using exchange::kTradingStatuses;
using simdjson::ondemand::value;
using Error = std::optional<FieldError>;

enum class Key : uint8_t {
  index,
  time_us,
  type,
  client,
  op,
  f,
  order,
  symbol,
  reason,
  fault,
  side,
  status,
  price,
  qty,
  filled,
  trade,
  version,
  param,
  count,
  ord_type,
  tif,
  post_only,
  invalid,
  answered,
  maker,
  record,
  replica_schema,
  fire_at,
  pins,
  check,
  unknown
};

// The names of the keys, in the order of Key.
constexpr std::array<std::string_view, static_cast<size_t>(Key::unknown)> kKeyNames = {
    "index",   "time_us", "type",           "client",   "op",    "f",         "order",   "symbol",
    "reason",  "fault",   "side",           "status",   "price", "qty",       "filled",  "trade",
    "version", "param",   "count",          "ord_type", "tif",   "post_only", "invalid", "answered",
    "maker",   "record",  "replica_schema", "fire_at",  "pins",  "check"};

// Sets of keys, one bit each.
using Keys = uint32_t;
static_assert(static_cast<size_t>(Key::unknown) <= 32, "a Keys holds every key");

constexpr Keys keys(std::initializer_list<Key> list) {
  Keys set = 0;
  for (const Key k : list) set |= Keys{1} << static_cast<unsigned>(k);
  return set;
}

// The keys each type of event has (docs/history.md): any other on it would
// be read into a place the type uses for something else, or ignored.
Keys keys_of(EventType type) {
  constexpr Keys kEvery = keys({Key::index, Key::time_us, Key::type});
  constexpr Keys kOperation = kEvery | keys({Key::client, Key::op, Key::f, Key::order});
  constexpr Keys kOrderState =
      keys({Key::client, Key::order, Key::status, Key::price, Key::qty, Key::filled, Key::reason});
  constexpr Keys kFault = kEvery | keys({Key::fault, Key::param});
  switch (type) {
    case EventType::invoke:
      return kOperation | keys({Key::symbol, Key::side, Key::price, Key::qty, Key::ord_type,
                                Key::tif, Key::post_only, Key::invalid});
    case EventType::ok:
    case EventType::fail:
      return kOperation | kOrderState | keys({Key::count});
    case EventType::info:
      return kOperation | kOrderState | keys({Key::count, Key::answered});
    case EventType::fill:
      return kEvery | keys({Key::client, Key::order, Key::symbol, Key::side, Key::price, Key::qty,
                            Key::filled, Key::trade, Key::maker});
    case EventType::update:
      return kEvery | kOrderState;
    case EventType::read:
      return kEvery | kOrderState | keys({Key::answered});
    case EventType::fault_start:
      return kFault | keys({Key::pins, Key::fire_at});
    case EventType::fault_stop:
      return kFault;
    case EventType::fault_fire:
      return kFault | keys({Key::check});
    case EventType::meta:
      return kEvery | keys({Key::version, Key::record, Key::replica_schema});
  }
  return kEvery;
}

// The keys without which an event of each type reads as another's: a
// missing client as no client's, a missing f as a place, a missing record
// as another event's record, a fill's missing filled as 0 (the properties
// tell a fill after a cancel or an amend from a late report of one before
// it by that count: every fill would read as late). (A missing op is the
// reader's to name: it says what the op links.)
Keys required_keys_of(EventType type) {
  if (needs_op(type)) return keys({Key::client, Key::f, Key::order});
  if (type == EventType::fill) return keys({Key::client, Key::order, Key::filled});
  if (is_client_event(type)) return keys({Key::client, Key::order});
  if (type == EventType::meta) return keys({Key::version, Key::record});
  return keys({Key::fault});
}

// The name of the first key of a non-empty set.
std::string_view first_key(Keys set) {
  return kKeyNames[static_cast<size_t>(std::countr_zero(set))];
}

std::optional<FieldError> check_keys(EventType type, Keys seen) {
  if (const Keys stray = seen & ~keys_of(type)) {
    return FieldError{std::string(first_key(stray)),
                      fmt::format("not a field of {} events", to_string(type))};
  }
  if (const Keys missing = required_keys_of(type) & ~seen) {
    return FieldError{std::string(first_key(missing)),
                      fmt::format("missing: {} events need it", to_string(type))};
  }
  return std::nullopt;
}

// Which field a key names: by length first, since most lengths leave one or
// two candidates (this runs for every field of every event).
Key key_of(std::string_view key) {
  auto pick = [&](std::initializer_list<std::pair<std::string_view, Key>> names) {
    for (const auto& [name, k] : names) {
      if (name == key) return k;
    }
    return Key::unknown;
  };
  switch (key.size()) {
    case 1:
      return pick({{"f", Key::f}});
    case 2:
      return pick({{"op", Key::op}});
    case 3:
      return pick({{"qty", Key::qty}, {"tif", Key::tif}});
    case 4:
      return pick({{"type", Key::type}, {"side", Key::side}, {"pins", Key::pins}});
    case 5:
      return pick({{"price", Key::price},
                   {"order", Key::order},
                   {"index", Key::index},
                   {"trade", Key::trade},
                   {"maker", Key::maker},
                   {"fault", Key::fault},
                   {"param", Key::param},
                   {"count", Key::count},
                   {"check", Key::check}});
    case 6:
      return pick({{"client", Key::client},
                   {"status", Key::status},
                   {"filled", Key::filled},
                   {"symbol", Key::symbol},
                   {"reason", Key::reason},
                   {"record", Key::record}});
    case 7:
      return pick({{"time_us", Key::time_us},
                   {"version", Key::version},
                   {"invalid", Key::invalid},
                   {"fire_at", Key::fire_at}});
    case 8:
      return pick({{"ord_type", Key::ord_type}, {"answered", Key::answered}});
    case 9:
      return pick({{"post_only", Key::post_only}});
    case 14:
      return pick({{"replica_schema", Key::replica_schema}});
    default:
      return Key::unknown;
  }
}

// Text from the file as an error quotes it: at most kQuotedBytesMax bytes
// (cut before a UTF-8 continuation byte), so that a megabyte-long value
// does not become a megabyte-long message.
std::string quoted(std::string_view text) {
  constexpr size_t kQuotedBytesMax = 64;
  if (text.size() <= kQuotedBytesMax) return fmt::format("'{}'", text);
  size_t cut = kQuotedBytesMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("'{}...' ({} bytes)", text.substr(0, cut), text.size());
}

// An unknown key names itself; an empty one says so.
FieldError unknown_field(std::string_view key) {
  if (key.empty()) return FieldError{"''", "unknown field"};
  return FieldError{key.size() <= 64 ? std::string(key) : quoted(key), "unknown field"};
}

Error read_int(value v, std::string_view key, int64_t& out) {
  auto n = v.get_int64();
  if (n.error()) return FieldError{std::string(key), "expected an integer"};
  out = n.value_unsafe();
  return std::nullopt;
}

// Ids are stored narrower than JSON's integers: out of range is an error,
// not a silent wrap onto another id.
Error read_int_in(value v, std::string_view key, int64_t lo, int64_t hi, int64_t& out) {
  if (Error error = read_int(v, key, out)) return error;
  if (out >= lo && out <= hi) return std::nullopt;
  if (hi == INT64_MAX) {
    return FieldError{std::string(key), fmt::format("expected an integer of at least {}", lo)};
  }
  return FieldError{std::string(key), fmt::format("expected an integer from {} to {}", lo, hi)};
}

Error read_text(value v, std::string_view key, std::string_view& out) {
  auto s = v.get_string();
  if (s.error()) return FieldError{std::string(key), "expected a string"};
  out = s.value_unsafe();
  return std::nullopt;
}

Error read_bool(value v, std::string_view key, bool& out) {
  auto b = v.get_bool();
  if (b.error()) return FieldError{std::string(key), "expected true or false"};
  out = b.value_unsafe();
  return std::nullopt;
}

template <typename Enum, size_t N>
Error read_enum(value v, std::string_view key, const std::array<Enum, N>& values, Enum& out) {
  std::string_view text;
  if (auto error = read_text(v, key, text)) return error;
  auto parsed = from_string(text, values);
  if (!parsed) return FieldError{std::string(key), "unknown value " + quoted(text)};
  out = *parsed;
  return std::nullopt;
}

// The smallest and largest value of a record's number; a tick or lot size
// of 0 would divide by zero in the rules, a shard or schema beyond its type
// would wrap onto another.
std::pair<int64_t, int64_t> record_number_range(std::string_view key) {
  if (key == "tick_size" || key == "lot_size") return {1, INT64_MAX};
  if (key == "shard") return {0, std::numeric_limits<exchange::ShardId>::max()};
  if (key == "schema") return {0, UINT8_MAX};
  return {INT64_MIN, INT64_MAX};
}

// Unknown keys win over a wrong type, as for the event's own fields.
Error read_record_number(value v, std::string_view key, exchange::Instrument& r) {
  int64_t number = 0;
  const std::string field = fmt::format("record.{}", key);
  const auto [lo, hi] = record_number_range(key);
  const Error error = read_int_in(v, field, lo, hi, number);
  if (key == "tick_size")
    r.tick_size = number;
  else if (key == "lot_size")
    r.lot_size = number;
  else if (key == "min_qty")
    r.min_qty = number;
  else if (key == "max_qty")
    r.max_qty = number;
  else if (key == "min_price")
    r.min_price = number;
  else if (key == "max_price")
    r.max_price = number;
  else if (key == "shard")
    r.shard = static_cast<exchange::ShardId>(number);
  else if (key == "schema")
    r.schema = static_cast<uint8_t>(number);
  else if (key == "max_notional")
    r.max_notional = number;
  else
    return FieldError{"record." + unknown_field(key).field, "unknown field"};
  return error;
}

// The fields of a record, to refuse one given twice: the second value would
// silently win.
constexpr std::array<std::string_view, 11> kRecordKeys = {
    "symbol",    "status",    "tick_size", "lot_size", "min_qty",     "max_qty",
    "min_price", "max_price", "shard",     "schema",   "max_notional"};

Error read_record(value v, exchange::Instrument& r) {
  auto object = v.get_object();
  if (object.error()) return FieldError{"record", "expected an object"};
  uint32_t seen = 0;  // bits of kRecordKeys
  for (auto member : object.value_unsafe()) {
    if (member.error()) return FieldError{"record", simdjson::error_message(member.error())};
    std::string_view key = member.unescaped_key().value_unsafe();
    value field_value = member.value().value_unsafe();
    const auto known = std::find(kRecordKeys.begin(), kRecordKeys.end(), key);
    if (known != kRecordKeys.end()) {
      const uint32_t bit = uint32_t{1} << (known - kRecordKeys.begin());
      if (seen & bit) return FieldError{fmt::format("record.{}", key), "given twice"};
      seen |= bit;
    }
    Error error;
    if (key == "symbol") {
      std::string_view text;
      error = read_text(field_value, "record.symbol", text);
      r.symbol = text;
    } else if (key == "status") {
      error = read_enum(field_value, "record.status", kTradingStatuses, r.status);
    } else {
      error = read_record_number(field_value, key, r);
    }
    if (error) return error;
  }
  return std::nullopt;
}

Error read_type(value v, Event& e) {
  std::string_view text;
  if (auto error = read_text(v, "type", text)) return error;
  auto type = event_type_from(text);
  if (!type) return FieldError{"type", "unknown event type " + quoted(text)};
  e.type = *type;
  return std::nullopt;
}

Error read_sym(value v, std::string_view key, History& h, Sym& out) {
  std::string_view text;
  if (auto error = read_text(v, key, text)) return error;
  out = h.intern(text);
  return std::nullopt;
}

// A fault window's pins, as "3,9:10,12" (faults/pin.h).
Error read_pins(value v, std::string_view key, History& h, Sym& out) {
  std::string_view text;
  if (auto error = read_text(v, key, text)) return error;
  if (!faults::parse_pins(text)) {
    return FieldError{std::string(key),
                      "expected rising checks as \"3,9:10,12\", not " + quoted(text)};
  }
  out = h.intern(text);
  return std::nullopt;
}

// ord_type (limit or market) and tif (gtc or ioc): the second value sets an
// order flag. Each key takes its own two only: a tif of "market" would
// otherwise make a market order.
Error read_order_flag(value v, std::string_view key, Event& e) {
  std::string_view text;
  if (auto error = read_text(v, key, text)) return error;
  const bool tif = key == "tif";
  const std::string_view plain = tif ? "gtc" : "limit", flagged = tif ? "ioc" : "market";
  if (text != plain && text != flagged) {
    return FieldError{std::string(key), "unknown value " + quoted(text)};
  }
  if (text == flagged) e.number |= tif ? kIocFlag : kMarketFlag;
  return std::nullopt;
}

// The fields that share one place in an Event, read apart: which one the
// event keeps depends on its type, which may come last on the line.
struct SharedFields {
  Sym symbol = 0;
  Sym reason = 0;
  Sym fault = 0;  // apart from reason: a stray reason must not rename a fault
  std::optional<uint32_t> record;

  void store_in(Event& e) const {
    switch (e.type) {
      case EventType::invoke:
      case EventType::fill:
        e.symbol = symbol;
        break;
      case EventType::meta:
        e.record = *record;
        break;
      case EventType::fault_start:
      case EventType::fault_stop:
      case EventType::fault_fire:
        e.text = fault;
        break;
      default:
        e.text = reason;
    }
  }
};

Error read_member(Key k, std::string_view key, value v, History& h, Event& e,
                  SharedFields& shared) {
  int64_t number = 0;
  Error error;
  switch (k) {
    case Key::index:
      return read_int(v, key, number);
    case Key::time_us:
      return read_int(v, key, e.time_us);
    case Key::type:
      return read_type(v, e);
    case Key::client:
      error = read_int_in(v, key, kClientMin, kClientMax, number);
      e.client = static_cast<int32_t>(number);
      return error;
    case Key::op:
      error = read_int_in(v, key, 1, kOpMax, number);
      e.op = static_cast<uint32_t>(number);
      return error;
    case Key::f:
      return read_enum(v, key, kRequestKinds, e.kind);
    case Key::order:
      return read_sym(v, key, h, e.order);
    case Key::symbol:
      return read_sym(v, key, h, shared.symbol);
    case Key::reason:
      return read_sym(v, key, h, shared.reason);
    case Key::fault:
      return read_sym(v, key, h, shared.fault);
    case Key::side:
      return read_enum(v, key, kSides, e.side);
    case Key::status:
      return read_enum(v, key, kOrdStatuses, e.status);
    case Key::price:
      return read_int(v, key, e.price);
    case Key::qty:
      return read_int(v, key, e.qty);
    // Stored where qty is: a schema as narrow as a record's, and check
    // numbers counted from 1 (a pin's at most kPinCheckMax).
    case Key::replica_schema:
      return read_int_in(v, key, 0, UINT8_MAX, e.qty);
    case Key::fire_at:
      return read_int_in(v, key, 1, faults::kPinCheckMax, e.qty);
    case Key::check:
      return read_int_in(v, key, 1, INT64_MAX, e.qty);
    case Key::pins:
      return read_pins(v, key, h, e.order);
    case Key::filled:
      return read_int(v, key, e.filled);
    case Key::trade:
    case Key::version:
    case Key::param:
    case Key::count:
      return read_int(v, key, e.number);
    case Key::ord_type:
    case Key::tif:
      return read_order_flag(v, key, e);
    case Key::post_only: {
      bool post_only = false;
      error = read_bool(v, key, post_only);
      if (post_only) e.number |= kPostOnlyFlag;
      return error;
    }
    case Key::invalid:
    case Key::answered:
    case Key::maker:
      return read_bool(v, key, e.flag);
    case Key::record: {
      exchange::Instrument record;
      error = read_record(v, record);
      if (!error) shared.record = h.add_record(record);
      return error;
    }
    case Key::unknown:
      break;
  }
  return unknown_field(key);
}

}  // namespace

Error read_event_fields(simdjson::ondemand::object object, History& h, Event& e, bool& has_type) {
  SharedFields shared;
  Keys seen = 0;
  for (auto member : object) {
    if (member.error()) return FieldError{"", simdjson::error_message(member.error())};
    auto key = member.unescaped_key();
    if (key.error()) return FieldError{"", simdjson::error_message(key.error())};
    const Key k = key_of(key.value_unsafe());
    if (k != Key::unknown) {
      // A second value would overwrite the first, or set another field
      // that shares its place.
      const Keys bit = keys({k});
      if (seen & bit) return FieldError{std::string(key.value_unsafe()), "given twice"};
      seen |= bit;
    }
    if (auto error =
            read_member(k, key.value_unsafe(), member.value().value_unsafe(), h, e, shared)) {
      return error;
    }
  }
  has_type = (seen & keys({Key::type})) != 0;
  // Without its time an event would read as at 0: silently first, or
  // "going backwards" after others.
  if (!(seen & keys({Key::time_us}))) return FieldError{"time_us", "missing"};
  if (!has_type) return std::nullopt;  // the caller names it
  // Fields of other types share places in an Event (event.h): one of them
  // here would be read as another field, or dropped.
  if (auto error = check_keys(e.type, seen)) return error;
  // A read's flag says it was not answered: `"answered":false`; missing,
  // it was (every read written before reads could go unanswered).
  if (e.type == EventType::read) e.flag = (seen & keys({Key::answered})) != 0 && !e.flag;
  shared.store_in(e);
  return std::nullopt;
}

}  // namespace ordeal
