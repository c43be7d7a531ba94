#include "faults/pin.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace ordeal::faults {

bool valid_pins(std::span<const Pin> pins) {
  uint32_t last = 0;
  for (const Pin& pin : pins) {
    if (pin.check <= last || pin.check > kPinCheckMax || pin.as < 1 || pin.as > kPinCheckMax)
      return false;
    last = pin.check;
  }
  return true;
}

const Pin* pin_at(std::span<const Pin> pins, uint64_t check) {
  const auto it = std::lower_bound(pins.begin(), pins.end(), check,
                                   [](const Pin& pin, uint64_t c) { return pin.check < c; });
  return it != pins.end() && it->check == check ? &*it : nullptr;
}

void merge_pins(std::vector<Pin>& into, std::span<const Pin> from) {
  for (const Pin& pin : from) {
    const auto at = std::lower_bound(into.begin(), into.end(), pin.check,
                                     [](const Pin& p, uint32_t check) { return p.check < check; });
    if (at == into.end() || at->check != pin.check) into.insert(at, pin);
  }
}

std::string format_pins(std::span<const Pin> pins) {
  std::string out;
  for (const Pin& pin : pins) {
    if (!out.empty()) out += ',';
    out += pin.as == pin.check ? fmt::format("{}", pin.check)
                               : fmt::format("{}:{}", pin.check, pin.as);
  }
  return out;
}

namespace {

bool parse_number(std::string_view text, uint32_t& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

std::optional<std::vector<Pin>> parse_pins(std::string_view text) {
  std::vector<Pin> pins;
  // Bounded by the text: every entry takes at least two characters but the last.
  while (!text.empty() || pins.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const size_t colon = entry.find(':');
    Pin pin;
    if (!parse_number(entry.substr(0, colon), pin.check)) return std::nullopt;
    pin.as = pin.check;
    if (colon != std::string_view::npos && !parse_number(entry.substr(colon + 1), pin.as))
      return std::nullopt;
    pins.push_back(pin);
    if (comma != std::string_view::npos && text.empty()) return std::nullopt;  // "3,"
  }
  if (!valid_pins(pins)) return std::nullopt;
  return pins;
}

}  // namespace ordeal::faults
