// The toy venue's own fault point: its session layer refusing new orders.
// See custom_fault.h for what it injects and what the venue must survive.
#include "custom_fault.h"

namespace toy {

// One definition, one registration: the name is what scenarios use, the
// description what `faults::all_points()` lists.
ordeal::faults::FaultPoint session_busy(
    "toy.session.busy",
    "the toy venue's session refuses a new order with 'venue busy' (param: unused)");

std::optional<std::string> session_refusal(std::string_view line) {
  if (!line.starts_with("NEW ")) return std::nullopt;
  // Disarmed, check() is one relaxed atomic load: cheap enough for every line.
  if (!session_busy.check()) return std::nullopt;
  return "venue busy";
}

}  // namespace toy
