// For tests: the scenarios shipped in examples/scenarios, loaded by name,
// and a history rendered as its JSON lines, to compare two byte for byte.
// Needs GoogleTest and ORDEAL_SOURCE_DIR (set for the framework's tests).
//
//   const Scenario s = shipped("okx-2023-08-14");
//   EXPECT_EQ(render(a.history), render(b.history));
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "framework/history/history_jsonl.h"
#include "framework/run/scenario.h"

namespace ordeal {

inline std::string scenario_path(const std::string& name) {
  return std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/" + name + ".toml";
}

inline Scenario shipped(const std::string& name) {
  ScenarioLoad loaded = load_scenario(scenario_path(name));
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

inline std::string render(const History& h) {
  std::string all;
  for (size_t i = 0; i < h.size(); ++i) all += event_json(h, i);
  return all;
}

}  // namespace ordeal
