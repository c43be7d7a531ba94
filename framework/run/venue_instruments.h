// A scenario's [[instruments]]: a venue's own symbols and trading rules,
// written as decimals, for a run against that venue (fix://) or against the
// reference exchange set up like it (inproc, cluster). ordeal holds prices and
// quantities as whole numbers of the scenario's units (Scenario::units),
// which the FIX target writes back out as the venue's decimals.
//
//   [[instruments]]
//   symbol = "AAPL"
//   tick = "0.01"         # prices in units of 0.001: one decimal finer than
//   lot = "1"             # the finest tick, so an off-tick price can be sent
//   max_qty = "5000"
//   min_price = "100"
//   max_price = "200"
//
// Only scenario.cc reads them; the rest of ordeal sees the records and
// units in Scenario (scenario.h) and scenario_metadata().
#pragma once

#include <toml++/toml.h>

#include <string>

#include "framework/run/scenario.h"

namespace ordeal {

// Reads `list` (the [[instruments]] array) into s.instruments and s.units;
// an error names the file, the line and the field.
std::string read_venue_instruments(const toml::array& list, const std::string& path, Scenario& s);

}  // namespace ordeal
