// Targets known by name, besides ordeal's own (inproc, cluster, fix://):
// `--target NAME`, a scenario's and a repro's `target`, and `ordeal list
// targets` and `list defects` know them in a program that registers them
// and runs ordeal's command line (framework/cli/command_line.h), and a test
// names its target with one (ScenarioTestOptions::target) so that its
// repro replays there.
//
//   ORDEAL_REGISTER_TARGET(toy, {.name = "toy", .description = "the toy venue",
//                                .factory = ..., .deterministic = true});
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framework/run/runner.h"

namespace ordeal {

struct NamedTarget {
  std::string name;
  std::string description;  // one line, for `ordeal list targets`
  // The factory of a run of `scenario` (which outlives it) with the
  // `--defect` given, which is the target's to read ("none": as designed);
  // empty, with `error` set, when the target refuses them.
  std::function<TargetFactory(const Scenario& scenario, const std::string& defect,
                              std::string& error)>
      factory;
  bool deterministic = false;  // replays a case exactly (RunOptions::deterministic_target)
  // Its planted defects, name and one line each: `list defects` shows them,
  // and a --defect or a repro's defect of another name is refused before
  // the factory is asked ("none" always stands).
  std::vector<std::pair<std::string, std::string>> defects;
  bool knows_defect(std::string_view defect) const;
};

// Registers `target` at start-up; a name registered twice, or one of
// ordeal's own, stops the program there, naming it.
bool register_target(NamedTarget target);
// The target registered under `name`, or null.
const NamedTarget* find_target(std::string_view name);
// Every registered target, by name.
std::vector<const NamedTarget*> named_targets();
// The factory of `target` for a run of `scenario` with `defect`: empty,
// with `error` set, for a defect not among the target's or a refusal of
// the target's own.
TargetFactory make_named(const NamedTarget& target, const Scenario& scenario,
                         const std::string& defect, std::string& error);
// Every target a run may name, for messages: "inproc, cluster, fix://..."
// and the registered ones.
std::string known_targets();
// Whether `name` is one of those (a fix:// URI is checked when chosen).
bool is_known_target(std::string_view name);
// The registered target that plants `defect`, or null.
const NamedTarget* target_of_defect(std::string_view defect);

}  // namespace ordeal

#define ORDEAL_REGISTER_TARGET(id, ...) \
  static const bool ordeal_target_registered_##id = ::ordeal::register_target(__VA_ARGS__)
