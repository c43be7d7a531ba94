// Runs one case against a target: the clients' operations, the metadata
// changes and the nemesis, recorded as a history. After the nemesis heals
// there is a quiet period, then final reads of every order resolve unknown
// outcomes. On the sim target the same case gives the same history, byte
// for byte; on a live target it runs in real time.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "framework/history/history.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"

namespace ordeal {

// `error` (if given) is set when the case could not run as written, e.g. a
// hook command failed; the target's own failures are in target.error().
History run_case(Target& target, const Scenario& scenario, const Case& c,
                 std::string* error = nullptr);

// The client order ids of the orders that probe whether order entry came
// back after the faults (recovers-after-faults) begin with this; the case's
// own begin with "c".
inline constexpr std::string_view kProbePrefix = "probe";
// Whether the invocation `invoke` is of such a probe, not of the case.
bool is_probe(const History& h, const Event& invoke);

// When each operation of the case's client `client` (0-based) was sent, in
// ms from the case's start, rounded up, as run_case recorded it in `h`: an
// operation waits for the answer to the one before, so it may go later
// than its at_ms. Shorter than the client's operations if the case ended
// before all were sent.
std::vector<int32_t> sent_at_ms(const History& h, size_t client);

// A fire of a fault point that `h` recorded: when (us from the case's
// start) and at which check of its arm (FaultPoint's Hit::check).
struct FireSeen {
  int64_t at_us = 0;
  uint32_t check = 0;
};
// One arming of a fault: the windows of one fault that overlap (or touch)
// are armed once, from the first's start to the last's end, with the pins
// of them all (a check pinned twice fires once, as the earlier window says).
struct Arm {
  int64_t start_ms = 0, end_ms = 0;  // from the case's start
  std::vector<faults::Pin> pins;
};
// The arms of the case's fault `fault` (an index into the scenario's
// faults), in time order, into `arms` (cleared first; its memory reused).
void arms_of(const Case& c, size_t fault, std::vector<Arm>& arms);
// The span in ms of the arm window `i` of `c` is part of.
std::pair<int64_t, int64_t> armed_span(const Case& c, size_t i);
// Whether another window armed together with window `i` has pins: the arm
// has them all, and fires nowhere else.
bool armed_with_pins_of_another(const Case& c, size_t i);

// The fires of `point` that `h` recorded while window `i` of `c` was armed,
// in order: the windows of a point that overlap are armed once, so their
// checks count together. Empty when the target records no fires (a live one).
std::vector<FireSeen> fires_in_window(const History& h, std::string_view point, const Case& c,
                                      size_t i);

}  // namespace ordeal
