// A fault point in your own code: the toy venue's session layer (the venue of
// custom_target.h) may refuse a new order as "venue busy", as real venues do
// under load. What ordeal checks is that such a refusal is a clean, definite
// reject: no order appears, nothing trades, every property still holds.
//
//   if (auto refusal = toy::session_refusal(line)) reply("REJECT ... " + *refusal);
//   ordeal::faults::ScopedArm busy("toy.session.busy", {.probability = 0.2, .seed = 7});
//
// In a scenario it is armed like any of ordeal's own points:
//
//   [[nemesis.fault]]
//   point = "toy.session.busy"
//   probability = 0.2
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "faults/fault_point.h"

namespace toy {

// Declared here, defined once in custom_fault.cc: its definition registers it
// in ordeal's catalogue, where scenarios and faults::arm find it by name.
extern ordeal::faults::FaultPoint session_busy;

// The site: why the session refuses the request `line` of the toy protocol,
// or nothing. Only new orders are ever refused; cancels always get through.
std::optional<std::string> session_refusal(std::string_view line);

}  // namespace toy
