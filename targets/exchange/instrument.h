// Instrument records and the versioned metadata state that the metadata
// service replicates: what may be traded, at which tick and lot size, in which
// price band and trading status, and which engine shard matches it.
//
// Every published record carries a checksum over its fields and version, so a
// receiver can tell a corrupted update from a real one and fail closed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "targets/exchange/types.h"

namespace ordeal::exchange {

// Schema 1 is the original record; schema 2 adds max_notional. A replica
// holds and serves records of the schema it runs: an upgraded one migrates
// them to schema 2, a rolled-back one back to schema 1 (which drops
// max_notional: the old software has no such limit). Subscribers read both.
inline constexpr uint8_t kSchemaV1 = 1;
inline constexpr uint8_t kSchemaV2 = 2;

struct Instrument {
  std::string symbol;
  Price tick_size = 1;
  Qty lot_size = 1;
  Qty min_qty = 1;
  Qty max_qty = 1'000'000;
  Price min_price = 1;  // the price band: limit prices outside it are rejected
  Price max_price = 1'000'000'000;
  TradingStatus status = TradingStatus::open;
  ShardId shard = 0;  // the routing table entry: which engine shard matches it
  uint8_t schema = kSchemaV1;
  int64_t max_notional = 0;  // schema 2 only: price * qty limit per order, 0 = none

  bool operator==(const Instrument&) const = default;
};

// A record is well-formed when its sizes and band make sense; a corrupted
// update often is not, but a checksum mismatch is the reliable sign.
bool well_formed(const Instrument& record);
uint64_t checksum(const Instrument& record, MetaVersion version);
Instrument migrate_to_v2(Instrument record);
Instrument migrate_to_v1(Instrument record);
// The record as a replica running `schema` holds it.
Instrument in_schema(Instrument record, uint8_t schema);
// The same, in place: a replica converts every record it holds or serves.
void to_schema(Instrument& record, uint8_t schema);

// The fields of a client request that validation looks at.
struct OrderTerms {
  RequestKind kind = RequestKind::place;
  Side side = Side::buy;
  OrdType type = OrdType::limit;
  bool post_only = false;
  Price price = 0;  // 0 on an amend: unchanged
  Qty qty = 0;      // 0 on an amend: unchanged
  // An amend's: the order's price and quantity as they stand, for what the
  // amend leaves unchanged. Its notional is the order's as amended (a
  // quantity raised at the price kept); 0: not known, no notional judged.
  Price kept_price = 0;
  Qty kept_qty = 0;
};

// Why `terms` do not conform to `record`, or nothing when they do. The one
// place where the exchange's validation rules live.
std::optional<std::string_view> nonconformance(const Instrument& record, const OrderTerms& terms);

// Every reason nonconformance() can give: a reject with one of these says the
// request broke the metadata rules (not that the venue was unavailable).
bool is_validation_reason(std::string_view reason);

// A record's trading rules as one command-line word, for a node process
// started with the scenario's instruments (exchange-node --instrument):
// "TICK,LOT,MIN_QTY,MAX_QTY,MIN_PRICE,MAX_PRICE,SYMBOL", whole numbers, the
// symbol last so that it may hold any character. Status open, schema 1.
std::string instrument_arg(const Instrument& record);
// The record, or nothing with `error` saying what is wrong.
std::optional<Instrument> parse_instrument_arg(std::string_view arg, std::string& error);

struct MetadataState {
  MetaVersion version = 0;
  std::vector<Instrument> instruments;  // sorted by symbol

  const Instrument* find(std::string_view symbol) const;
  void put(const Instrument& record);  // insert or replace by symbol
  // What MetadataState{} is, keeping the list's memory.
  void clear() {
    version = 0;
    instruments.clear();
  }
  bool operator==(const MetadataState&) const = default;
};

uint64_t checksum(const MetadataState& state);

}  // namespace ordeal::exchange
