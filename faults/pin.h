// Pinned fires: a fault point that fires by chance can instead be told the
// exact checks it fires at. Shrinking pins the fires a failure needed, so
// the shrunk case needs no run of luck (and so no run of requests) to fire.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ordeal::faults {

// The point fires at its `check`-th check after the arm (1 = the first),
// and acts as it would have at its `as`-th: the draw that picks a corrupted
// field or a drawn delay is the one of check `as`. When shrinking drops a
// request that came before, the fire moves to an earlier check and keeps
// its `as`, so it does the same damage.
struct Pin {
  uint32_t check = 0;
  uint32_t as = 0;
  bool operator==(const Pin&) const = default;
};

// The largest check a pin names: a case makes far fewer checks of a point.
inline constexpr uint32_t kPinCheckMax = 1'000'000;

// A list of pins is valid when its checks are 1..kPinCheckMax and rising,
// and each `as` is in 1..kPinCheckMax.
bool valid_pins(std::span<const Pin> pins);

// The pins of a list that hold `check`, or null.
const Pin* pin_at(std::span<const Pin> pins, uint64_t check);

// Adds the pins of `from` to `into` (both valid), in the order of their
// checks; where both pin a check, `into`'s pin stays.
void merge_pins(std::vector<Pin>& into, std::span<const Pin> from);

// Text form, for a node's control protocol: "3,9:10,12" is checks 3, 9 and
// 12, the one at 9 acting as 10. parse_pins returns nothing unless the text
// is such a list of valid pins.
std::string format_pins(std::span<const Pin> pins);
std::optional<std::vector<Pin>> parse_pins(std::string_view text);

}  // namespace ordeal::faults
