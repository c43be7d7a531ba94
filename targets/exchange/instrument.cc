#include "targets/exchange/instrument.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "framework/base/rng.h"
#include "framework/base/saturating.h"

namespace ordeal::exchange {

bool well_formed(const Instrument& record) {
  return !record.symbol.empty() && record.tick_size > 0 && record.lot_size > 0 &&
         record.min_qty > 0 && record.min_qty <= record.max_qty && record.min_price > 0 &&
         record.min_price <= record.max_price &&
         (record.schema == kSchemaV1 || record.schema == kSchemaV2);
}

namespace {
// Mixes the fields into `h` one after the other. A fold, not a loop over an
// initializer list: subscribers check every record of every snapshot, and
// the list cost a store and a load per field on top of the mixing.
template <typename... Fields>  // each an int64_t
uint64_t mix_fields(uint64_t h, Fields... fields) {
  ((h = mix64(h ^ static_cast<uint64_t>(fields))), ...);
  return h;
}

uint64_t mix_record(const Instrument& record, MetaVersion version) {
  return mix_fields(mix64(hash_name(record.symbol) ^ version), record.tick_size, record.lot_size,
                    record.min_qty, record.max_qty, record.min_price, record.max_price,
                    int64_t{record.shard}, static_cast<int64_t>(record.status),
                    int64_t{record.schema}, record.max_notional);
}

// The last record checksummed on this thread (not as part of a state), its
// version and checksum. An update is checksummed by the leader, by each
// follower that passes it on and by every subscriber that receives it,
// mostly one after the other: comparing the record costs about a fifth of
// mixing its fields, and the value returned is the same either way.
struct LastRecordChecksummed {
  Instrument record;
  MetaVersion version = 0;
  uint64_t checksum = 0;
  bool valid = false;
};
thread_local LastRecordChecksummed last_record_checksummed;
}  // namespace

uint64_t checksum(const Instrument& record, MetaVersion version) {
  LastRecordChecksummed& last = last_record_checksummed;
  if (last.valid && last.version == version && last.record == record) return last.checksum;
  last.checksum = mix_record(record, version);
  last.record = record;
  last.version = version;
  last.valid = true;
  return last.checksum;
}

namespace {
// The migrations in place: to_schema() runs for every record a replica
// serves, and going through the by-value versions moved the record twice.
void to_v2(Instrument& record) { record.schema = kSchemaV2; }

void to_v1(Instrument& record) {
  record.schema = kSchemaV1;
  record.max_notional = 0;
}
}  // namespace

Instrument migrate_to_v2(Instrument record) {
  to_v2(record);
  return record;
}

Instrument migrate_to_v1(Instrument record) {
  to_v1(record);
  return record;
}

Instrument in_schema(Instrument record, uint8_t schema) {
  to_schema(record, schema);
  return record;
}

void to_schema(Instrument& record, uint8_t schema) {
  if (schema == kSchemaV2) {
    to_v2(record);
  } else {
    to_v1(record);
  }
}

namespace {

std::optional<std::string_view> status_forbids(const Instrument& record, const OrderTerms& terms) {
  if (terms.kind == RequestKind::cancel || terms.kind == RequestKind::status ||
      terms.kind == RequestKind::mass_cancel) {
    return std::nullopt;  // cancelling and asking are allowed in every status
  }
  switch (record.status) {
    case TradingStatus::open:
      return std::nullopt;
    case TradingStatus::halted:
      return "instrument halted";
    case TradingStatus::cancel_only:
      return "instrument is cancel-only";
    case TradingStatus::post_only:
      if (terms.kind == RequestKind::place && !(terms.post_only && terms.type == OrdType::limit)) {
        return "instrument accepts post-only limit orders only";
      }
      return std::nullopt;
  }
  return "unknown trading status";
}

std::optional<std::string_view> price_invalid(const Instrument& record, const OrderTerms& terms) {
  const bool has_price =
      terms.kind == RequestKind::amend ? terms.price != 0 : terms.type == OrdType::limit;
  if (!has_price) return std::nullopt;
  if (terms.price <= 0) return "price must be positive";
  if (terms.price % record.tick_size != 0) return "price not a multiple of the tick size";
  if (terms.price < record.min_price || terms.price > record.max_price) {
    return "price outside the price band";
  }
  return std::nullopt;
}

std::optional<std::string_view> qty_invalid(const Instrument& record, const OrderTerms& terms) {
  if (terms.kind == RequestKind::amend && terms.qty == 0) return std::nullopt;
  if (terms.qty <= 0) return "quantity must be positive";
  if (terms.qty % record.lot_size != 0) return "quantity not a multiple of the lot size";
  if (terms.qty < record.min_qty) return "quantity below the minimum";
  if (terms.qty > record.max_qty) return "quantity above the maximum";
  return std::nullopt;
}

// An amend's notional is the order's as amended: what it changes, at what
// it keeps. Saturating: a record or a request read from a history may hold
// any integers, and a product beyond 64 bits is above every maximum.
std::optional<std::string_view> notional_invalid(const Instrument& record,
                                                 const OrderTerms& terms) {
  if (record.schema != kSchemaV2 || record.max_notional <= 0) return std::nullopt;
  const bool amend = terms.kind == RequestKind::amend;
  const Price price = amend && terms.price == 0 ? terms.kept_price : terms.price;
  const Qty qty = amend && terms.qty == 0 ? terms.kept_qty : terms.qty;
  if (price <= 0 || saturating_mul(price, qty) <= record.max_notional) return std::nullopt;
  return "notional above the maximum";
}

}  // namespace

std::optional<std::string_view> nonconformance(const Instrument& record, const OrderTerms& terms) {
  if (auto reason = status_forbids(record, terms)) return reason;
  if (terms.kind != RequestKind::place && terms.kind != RequestKind::amend) return std::nullopt;
  if (terms.kind == RequestKind::place && terms.post_only && terms.type != OrdType::limit) {
    return "post-only needs a limit order";
  }
  if (auto reason = price_invalid(record, terms)) return reason;
  if (auto reason = qty_invalid(record, terms)) return reason;
  return notional_invalid(record, terms);
}

bool is_validation_reason(std::string_view reason) {
  static constexpr std::string_view kReasons[] = {"instrument halted",
                                                  "instrument is cancel-only",
                                                  "instrument accepts post-only limit orders only",
                                                  "unknown trading status",
                                                  "post-only needs a limit order",
                                                  "price must be positive",
                                                  "price not a multiple of the tick size",
                                                  "price outside the price band",
                                                  "quantity must be positive",
                                                  "quantity not a multiple of the lot size",
                                                  "quantity below the minimum",
                                                  "quantity above the maximum",
                                                  "notional above the maximum"};
  for (std::string_view known : kReasons) {
    if (known == reason) return true;
  }
  return false;
}

// A binary search that stops at the first equal symbol (symbols are
// unique): every request is validated by one, and with the few instruments
// of a venue the probe in the middle is often the one, where lower_bound
// went on and then compared the symbol found once more.
const Instrument* MetadataState::find(std::string_view symbol) const {
  size_t low = 0;
  size_t high = instruments.size();
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    const int order = std::string_view(instruments[middle].symbol).compare(symbol);
    if (order == 0) return &instruments[middle];
    if (order < 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return nullptr;
}

// An update replaces a record far more often than it adds one: find()
// stops at the equal symbol, and the place for a new one is searched for
// only when there is none.
void MetadataState::put(const Instrument& record) {
  if (const Instrument* same = find(record.symbol)) {
    instruments[static_cast<size_t>(same - instruments.data())] = record;
    return;
  }
  auto it =
      std::lower_bound(instruments.begin(), instruments.end(), record.symbol,
                       [](const Instrument& i, const std::string& s) { return i.symbol < s; });
  instruments.insert(it, record);
}

namespace {
uint64_t fold_checksums(const MetadataState& state) {
  uint64_t h = mix64(state.version);
  for (const Instrument& record : state.instruments)
    h = mix64(h ^ mix_record(record, state.version));
  return h;
}

// The last state checksummed on this thread, and its checksum. A snapshot
// is checksummed by the replica that serves it and again by every
// subscriber that receives it, mostly the same state several times in a
// row (every node of a case starts from the same one): comparing the state
// costs about a quarter of folding its records. The checksum is a function
// of the state alone, so the value returned is the same either way.
struct LastChecksummed {
  MetadataState state;
  uint64_t checksum = 0;
  bool valid = false;
};
thread_local LastChecksummed last_checksummed;
}  // namespace

uint64_t checksum(const MetadataState& state) {
  LastChecksummed& last = last_checksummed;
  if (last.valid && last.state == state) return last.checksum;
  last.checksum = fold_checksums(state);
  last.state = state;  // into the memory the last one had
  last.valid = true;
  return last.checksum;
}

std::string instrument_arg(const Instrument& r) {
  return fmt::format("{},{},{},{},{},{},{}", r.tick_size, r.lot_size, r.min_qty, r.max_qty,
                     r.min_price, r.max_price, r.symbol);
}

std::optional<Instrument> parse_instrument_arg(std::string_view whole, std::string& error) {
  std::string_view arg = whole;  // what is left to read
  Instrument r;
  const std::array<int64_t*, 6> numbers = {&r.tick_size, &r.lot_size,  &r.min_qty,
                                           &r.max_qty,   &r.min_price, &r.max_price};
  for (int64_t* number : numbers) {
    const size_t comma = arg.find(',');
    const std::string_view word = arg.substr(0, comma);
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), *number);
    if (comma == std::string_view::npos || ec != std::errc() || end != word.data() + word.size()) {
      error = fmt::format(
          "expected TICK,LOT,MIN_QTY,MAX_QTY,MIN_PRICE,MAX_PRICE,SYMBOL (whole numbers), got '{}'",
          whole);
      return std::nullopt;
    }
    arg.remove_prefix(comma + 1);
  }
  r.symbol = std::string(arg);
  if (!well_formed(r)) {
    error = fmt::format(
        "{}: sizes or price band that make no sense (each above 0, minimum at "
        "most maximum) or no symbol",
        instrument_arg(r));
    return std::nullopt;
  }
  return r;
}

}  // namespace ordeal::exchange
