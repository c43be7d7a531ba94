#include "framework/run/venue_instruments.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "framework/run/toml_keys.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

constexpr size_t kInstrumentsMax = 64;  // a case's operations name a symbol in a byte
constexpr size_t kSymbolBytesMax = 32;
// The symbol the workload's "unknown symbol" requests name: a venue's own
// instrument of that name would make them valid.
constexpr std::string_view kUnknownSymbol = "NOPE-USDT";
// Scaled values stay far below 2^63, so that the runner's multiples of them
// (a huge quantity is ten times the largest) cannot overflow.
constexpr int64_t kUnitsMax = 1'000'000'000'000'000;
// A tick of this many decimals makes prices of one more.
constexpr int kWrittenDecimalsMax = 11;

// One decimal field as written, with its line for errors.
struct DecimalField {
  std::string text;
  int line = 0;
};

struct Written {
  std::string symbol;
  int line = 0;
  DecimalField tick, lot, min_qty, max_qty, min_price, max_price;
};

// Each decimal field: its key, where it is kept as written, whether it is a
// price (else a quantity), and the record's field it becomes.
struct FieldSpec {
  std::string_view key;
  DecimalField Written::*written;
  bool price;
  int64_t exchange::Instrument::*record;
};
constexpr std::array<FieldSpec, 6> kFields{{
    {"tick", &Written::tick, true, &exchange::Instrument::tick_size},
    {"lot", &Written::lot, false, &exchange::Instrument::lot_size},
    {"min_qty", &Written::min_qty, false, &exchange::Instrument::min_qty},
    {"max_qty", &Written::max_qty, false, &exchange::Instrument::max_qty},
    {"min_price", &Written::min_price, true, &exchange::Instrument::min_price},
    {"max_price", &Written::max_price, true, &exchange::Instrument::max_price},
}};

std::string where(const std::string& path, int line, std::string_view field) {
  return fmt::format("{}:{}: instruments.{}", path, line, field);
}

// A decimal as a string ("0.01") or an integer (5); a TOML float is refused,
// as it is not exact: 0.1 in a file is not a tenth in a double.
std::string read_decimal(const toml::table& t, std::string_view key, bool required,
                         const std::string& path, DecimalField& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) {
    if (!required) return "";
    return fmt::format("{}: needs {} (a decimal, as a string: {} = \"0.01\")",
                       where(path, static_cast<int>(t.source().begin.line), key), key, key);
  }
  out.line = static_cast<int>(node->source().begin.line);
  if (const auto* integer = node->as_integer()) {
    out.text = std::to_string(integer->get());
  } else if (const auto* text = node->as_string()) {
    out.text = text->get();
  } else if (node->is_floating_point()) {
    // Written out in full ("0.00001", not "1e-05", which is no decimal here).
    std::string written =
        fmt::format("{:.{}f}", node->as_floating_point()->get(), kWrittenDecimalsMax);
    while (written.back() == '0') written.pop_back();
    if (written.back() == '.') written.pop_back();
    return fmt::format(
        "{}: write it as a string ({} = \"{}\"): a TOML float is not exact, and prices and "
        "quantities are kept exactly",
        where(path, out.line, key), key, written);
  } else {
    return fmt::format("{}: expected a decimal number as a string (\"0.01\")",
                       where(path, out.line, key));
  }
  if (decimals_of(out.text) < 0 || out.text.front() == '-') {
    return fmt::format("{}: '{}' is not a decimal number above 0 (digits and one point)",
                       where(path, out.line, key), out.text);
  }
  if (decimals_of(out.text) > kWrittenDecimalsMax) {
    return fmt::format("{}: '{}' has more than {} decimals", where(path, out.line, key), out.text,
                       kWrittenDecimalsMax);
  }
  return "";
}

std::string read_one(const toml::node& node, const std::string& path, Written& w) {
  const toml::table& t = *node.as_table();
  w.line = static_cast<int>(t.source().begin.line);
  if (auto error = unknown_key_error(
          t, {"symbol", "tick", "lot", "min_qty", "max_qty", "min_price", "max_price"},
          "instruments", path);
      !error.empty()) {
    return error;
  }
  const toml::node* symbol = t.get("symbol");
  if (symbol == nullptr || !symbol->is_string()) {
    return fmt::format("{}: needs symbol = \"...\" (the venue's name for it)",
                       where(path, w.line, "symbol"));
  }
  w.symbol = symbol->as_string()->get();
  const bool printable =
      std::all_of(w.symbol.begin(), w.symbol.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (w.symbol.empty() || w.symbol.size() > kSymbolBytesMax || !printable) {
    return fmt::format("{}: '{}' must be 1 to {} printable characters without spaces",
                       where(path, static_cast<int>(symbol->source().begin.line), "symbol"),
                       w.symbol, kSymbolBytesMax);
  }
  if (w.symbol == kUnknownSymbol) {
    return fmt::format("{}: {} is the symbol ordeal's invalid requests name as unknown",
                       where(path, static_cast<int>(symbol->source().begin.line), "symbol"),
                       kUnknownSymbol);
  }
  for (const FieldSpec& f : kFields) {
    if (auto error = read_decimal(t, f.key, f.key != "min_qty", path, w.*f.written);
        !error.empty()) {
      return error;
    }
  }
  if (w.min_qty.text.empty()) w.min_qty = w.lot;  // at least one lot
  return "";
}

// Units fine enough for every value written, and for a price off the
// finest tick (one decimal more): one set for the whole scenario, so that a
// report's numbers read the same whatever the symbol.
TradeUnits units_for(const std::vector<Written>& list) {
  TradeUnits u;
  for (const Written& w : list) {
    for (const FieldSpec& f : kFields) {
      const int needed = decimals_of((w.*f.written).text) + (f.written == &Written::tick ? 1 : 0);
      int& decimals = f.price ? u.price_decimals : u.qty_decimals;
      decimals = std::max(decimals, needed);
    }
  }
  return u;
}

std::string scale(const DecimalField& field, std::string_view key, int decimals,
                  const std::string& path, int64_t& out) {
  if (to_units(field.text, decimals, out) == DecimalFit::exact && out > 0 && out < kUnitsMax) {
    return "";
  }
  return fmt::format("{}: {} must be above 0 and below 10^15 units of 10^-{}",
                     where(path, field.line, key), field.text, decimals);
}

std::string to_record(const Written& w, TradeUnits u, const std::string& path,
                      exchange::Instrument& r) {
  r = exchange::Instrument{.symbol = w.symbol};
  for (const FieldSpec& f : kFields) {
    const int decimals = f.price ? u.price_decimals : u.qty_decimals;
    if (auto error = scale(w.*f.written, f.key, decimals, path, r.*f.record); !error.empty()) {
      return error;
    }
  }
  // Orders are sized in multiples of the larger of the two (price_grid.h):
  // one that is no multiple of the lot would break the lot rule every time.
  if (r.min_qty % r.lot_size != 0) {
    return fmt::format("{}: {} is not a multiple of lot {}", where(path, w.min_qty.line, "min_qty"),
                       w.min_qty.text, w.lot.text);
  }
  if (r.min_qty > r.max_qty) {
    return fmt::format("{}: {} is below min_qty {}", where(path, w.max_qty.line, "max_qty"),
                       w.max_qty.text, w.min_qty.text);
  }
  if (r.min_price >= r.max_price) {
    return fmt::format("{}: {} must be above min_price {}",
                       where(path, w.max_price.line, "max_price"), w.max_price.text,
                       w.min_price.text);
  }
  return "";
}

}  // namespace

std::string read_venue_instruments(const toml::array& list, const std::string& path, Scenario& s) {
  std::vector<Written> written;
  for (const toml::node& node : list) {
    if (written.size() == kInstrumentsMax) {
      return fmt::format("{}: at most {} instruments",
                         where(path, static_cast<int>(node.source().begin.line), "symbol"),
                         kInstrumentsMax);
    }
    Written w;
    if (auto error = read_one(node, path, w); !error.empty()) return error;
    for (const Written& earlier : written) {
      if (earlier.symbol != w.symbol) continue;
      return fmt::format("{}: '{}' is declared twice (lines {} and {})",
                         where(path, w.line, "symbol"), w.symbol, earlier.line, w.line);
    }
    written.push_back(std::move(w));
  }
  s.units = units_for(written);
  s.instruments.clear();
  for (const Written& w : written) {
    exchange::Instrument& r = s.instruments.emplace_back();
    if (auto error = to_record(w, s.units, path, r); !error.empty()) return error;
  }
  return "";
}

exchange::MetadataState scenario_metadata(const Scenario& s) {
  return exchange::metadata_of(s.instruments, s.shards);
}

}  // namespace ordeal
