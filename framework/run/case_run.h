// Runs one case against a target: the clients' operations, the metadata
// changes and the nemesis, recorded as a history. After the nemesis heals
// there is a quiet period, then final reads of every order resolve unknown
// outcomes. On the sim target the same case gives the same history, byte
// for byte; on a live target it runs in real time.
#pragma once

#include <cstdint>
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

// When each operation of the case's client `client` (0-based) was sent, in
// ms from the case's start, rounded up, as run_case recorded it in `h`: an
// operation waits for the answer to the one before, so it may go later
// than its at_ms. Shorter than the client's operations if the case ended
// before all were sent.
std::vector<int32_t> sent_at_ms(const History& h, size_t client);

}  // namespace ordeal
