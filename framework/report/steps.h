// A failing case as a person reads it: one line per step, on the history's
// clock (seconds since the history began, as in history.jsonl) and in the
// order things happened: faults armed and healed, each fire of a fault
// point and the node it fired in, the rolling upgrade, metadata changes
// with what they changed, each request with the answer it got, fills, the
// exchange's own updates and the final reads. Everything comes from the
// history, so what the console, report.html and a failed gtest show is what
// the properties were checked over.
//
//   for (const std::string& line : describe_steps(history, scenario))
//     fmt::print("    {}\n", line);
#pragma once

#include <string>
#include <vector>

#include "framework/history/history.h"
#include "framework/run/scenario.h"

namespace ordeal {

std::vector<std::string> describe_steps(const History& history, const Scenario& scenario);

// How many steps the console and a failed gtest show: a shrunk case fits
// (the okx-2023-08-14 defect shrinks to under 20); an unshrunk one is cut.
inline constexpr size_t kStepsShown = 40;

// At most `shown` of `steps`, and a last line saying how many more there are
// and where they are, for outputs a person scrolls through.
std::vector<std::string> first_steps(std::vector<std::string> steps, size_t shown);

}  // namespace ordeal
