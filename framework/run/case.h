// A case: one generated test. Per-client sequences of operations, metadata
// changes and the nemesis schedule (fault windows, a rolling upgrade), plus
// the seed of the simulated network. Plain data: RapidCheck generates and
// shrinks it (generate.h), a case run runs it (case_run.h), a repro
// file pins it (repro.h).
//
// Operations refer to earlier orders by index, not by id, so that removing
// an operation while shrinking keeps the others meaningful.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "faults/pin.h"
#include "targets/exchange/types.h"

namespace ordeal {

// How an operation is deliberately invalid (a share of the workload is).
enum class Invalid : uint8_t {
  none,
  off_tick,
  zero_qty,
  huge_qty,
  unknown_symbol,
  unknown_order,
  reused_clordid
};

struct Op {
  exchange::RequestKind kind = exchange::RequestKind::place;
  uint16_t target = 0;  // amend/cancel/status: which earlier place of this client (modulo)
  uint8_t symbol = 0;   // index into the scenario's symbols
  exchange::Side side = exchange::Side::buy;
  exchange::OrdType type = exchange::OrdType::limit;
  exchange::TimeInForce tif = exchange::TimeInForce::gtc;
  bool post_only = false;
  int16_t price_steps = 0;  // offset from the symbol's mid price, in price grid steps
  int16_t lots = 1;         // quantity in units of the symbol's minimum quantity
  Invalid invalid = Invalid::none;
  // When the client sends it, from the case's start; later if the client is
  // still waiting for the answer to its previous operation. Absolute, so that
  // removing an operation while shrinking does not move the others.
  int32_t at_ms = 0;
  bool operator==(const Op&) const = default;
};

enum class MetaChangeKind : uint8_t { tick, band, status, move, max_qty };

inline constexpr std::array kInvalids = {
    Invalid::none,           Invalid::off_tick,      Invalid::zero_qty,      Invalid::huge_qty,
    Invalid::unknown_symbol, Invalid::unknown_order, Invalid::reused_clordid};
inline constexpr std::array kMetaChangeKinds = {MetaChangeKind::tick, MetaChangeKind::band,
                                                MetaChangeKind::status, MetaChangeKind::move,
                                                MetaChangeKind::max_qty};

struct MetaChange {
  int32_t at_ms = 0;
  uint8_t symbol = 0;
  MetaChangeKind kind = MetaChangeKind::tick;
  int32_t value = 0;  // tick: multiplier 1..5; band: half-width in grid steps; status: 0..3;
                      // move: shard offset; max_qty: in units of the minimum quantity
  bool operator==(const MetaChange&) const = default;
};

struct FaultWindow {
  uint8_t fault = 0;  // index into the scenario's faults
  int32_t start_ms = 0;
  int32_t duration_ms = 0;
  // Empty: the point fires with the scenario's probability, as generated.
  // Otherwise (only shrinking sets them, and only for fault points): it
  // fires at these checks in the window only (faults/pin.h). A fault that
  // fires on 1 request in 20 needs 20 requests to fire; pinned, the case
  // can lose them.
  std::vector<faults::Pin> pins;
  bool operator==(const FaultWindow&) const = default;
};

struct Case {
  uint64_t seed = 0;  // the simulated network's and the faults' seed
  std::vector<std::vector<Op>> clients;
  std::vector<MetaChange> metadata;
  std::vector<FaultWindow> faults;
  bool upgrade = false;
  int32_t upgrade_start_ms = 0;
  bool operator==(const Case&) const = default;

  size_t operations() const {
    size_t n = 0;
    for (const auto& ops : clients) n += ops.size();
    return n;
  }
  size_t fault_count() const { return faults.size() + (upgrade ? 1 : 0); }
};

// Whether `op` creates a new order id (the runner numbers them per client).
inline bool adds_order(const Op& op, size_t orders_before) {
  return op.kind == exchange::RequestKind::place &&
         !(op.invalid == Invalid::reused_clordid && orders_before > 0);
}

// Makes every target an index among the orders its client created before it,
// so that a target names one order, whatever else is removed.
void normalize_targets(std::vector<Op>& ops);

// The ops without ops[index]; later targets keep naming the same orders.
std::vector<Op> without_op(const std::vector<Op>& ops, size_t index);

std::string_view to_string(Invalid invalid);
std::string_view to_string(MetaChangeKind kind);

}  // namespace ordeal
