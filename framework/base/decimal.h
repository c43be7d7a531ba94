// Decimal numbers as venues write them ("150.25", "0.0001") and as ordeal
// holds them: a whole count of units of 10^-decimals. Exact both ways: a
// price or quantity never passes through a double, so a venue's 0.1 is
// ordeal's 1000 in units of 0.0001 and goes back out as "0.1".
//
//   int64_t units = 0;
//   to_units("150.25", 3, units);   // DecimalFit::exact, units == 150250
//   to_units("0.0005", 3, units);   // DecimalFit::finer, units == 0 (cut toward 0)
//   from_units(150250, 3);          // "150.25"
//   decimals_of("0.050");           // 2: trailing zeros say nothing
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ordeal {

enum class DecimalFit {
  exact,    // the value is a whole number of units
  finer,    // it has digits beyond the units: kept cut toward zero
  invalid,  // not a decimal number (FIX's float: sign, digits, one point), or beyond 64 bits
};

// The largest `decimals` from_units and to_units take: 10^18 is the
// largest power of ten an int64_t holds.
inline constexpr int kDecimalsMax = 18;

// How a venue's prices and quantities map to ordeal's whole numbers: each
// a count of 10^-decimals. The reference exchange's are whole units (0, 0).
struct TradeUnits {
  int price_decimals = 0;
  int qty_decimals = 0;
  bool operator==(const TradeUnits&) const = default;
};

namespace decimal_detail {

// The parts of FIX's float: [-]digits[.digits], at least one digit.
struct Parts {
  bool negative = false;
  std::string_view whole;
  std::string_view fraction;  // without trailing zeros
};

inline bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

inline bool split(std::string_view text, Parts& p) {
  p.negative = !text.empty() && text.front() == '-';
  if (p.negative) text.remove_prefix(1);
  const size_t dot = text.find('.');
  p.whole = text.substr(0, dot);
  p.fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (!all_digits(p.whole) || !all_digits(p.fraction)) return false;
  if (p.whole.empty() && p.fraction.empty()) return false;
  while (!p.fraction.empty() && p.fraction.back() == '0') p.fraction.remove_suffix(1);
  return true;
}

// out * 10 + digit, false past 64 bits.
inline bool push_digit(int64_t& out, char digit) {
  return !__builtin_mul_overflow(out, 10, &out) && !__builtin_add_overflow(out, digit - '0', &out);
}

}  // namespace decimal_detail

// How many decimals `text` needs: its digits after the point without
// trailing zeros; -1 when it is no decimal number.
inline int decimals_of(std::string_view text) {
  decimal_detail::Parts p;
  return decimal_detail::split(text, p) ? static_cast<int>(p.fraction.size()) : -1;
}

inline DecimalFit to_units(std::string_view text, int decimals, int64_t& out) {
  out = 0;
  decimal_detail::Parts p;
  if (decimals < 0 || decimals > kDecimalsMax || !decimal_detail::split(text, p)) {
    return DecimalFit::invalid;
  }
  for (char c : p.whole) {
    if (!decimal_detail::push_digit(out, c)) return DecimalFit::invalid;
  }
  for (int i = 0; i < decimals; ++i) {
    const char c = static_cast<size_t>(i) < p.fraction.size() ? p.fraction[i] : '0';
    if (!decimal_detail::push_digit(out, c)) return DecimalFit::invalid;
  }
  if (p.negative) out = -out;
  return p.fraction.size() > static_cast<size_t>(decimals) ? DecimalFit::finer : DecimalFit::exact;
}

inline std::string from_units(int64_t units, int decimals) {
  // Through the unsigned magnitude: -INT64_MIN does not fit an int64_t.
  const bool negative = units < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string digits = std::to_string(magnitude);
  if (decimals <= 0) return (negative ? "-" : "") + digits;
  if (digits.size() <= static_cast<size_t>(decimals)) {
    digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
  }
  std::string whole = digits.substr(0, digits.size() - static_cast<size_t>(decimals));
  std::string fraction = digits.substr(whole.size());
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = (negative ? "-" : "") + whole;
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

}  // namespace ordeal
