#include "framework/run/target_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "framework/base/assert.h"

namespace ordeal {
namespace {

// A deque: registering one keeps the others where they are.
std::deque<NamedTarget>& registry() {
  static std::deque<NamedTarget> targets;
  return targets;
}

bool is_ordeals_own(std::string_view name) {
  return name == "inproc" || name == "cluster" || name.rfind("fix://", 0) == 0;
}

}  // namespace

bool register_target(NamedTarget target) {
  ORDEAL_ASSERT(!target.name.empty() && !is_ordeals_own(target.name),
                "target '{}': the name is empty or one of ordeal's own", target.name);
  ORDEAL_ASSERT(find_target(target.name) == nullptr, "target {} registered twice", target.name);
  ORDEAL_ASSERT(static_cast<bool>(target.factory), "target {} registered without a factory",
                target.name);
  registry().push_back(std::move(target));
  return true;
}

const NamedTarget* find_target(std::string_view name) {
  for (const NamedTarget& target : registry()) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

TargetFactory make_named(const NamedTarget& target, const Scenario& scenario,
                         const std::string& defect, std::string& error) {
  if (!target.knows_defect(defect)) {
    std::string known = "none";
    for (const auto& [name, what] : target.defects) known += ", " + name;
    error = fmt::format("defect '{}' is not one of this target's ({})", defect, known);
    return {};
  }
  TargetFactory factory = target.factory(scenario, defect, error);
  if (error.empty() && !factory) error = "the target made no factory";
  return error.empty() ? factory : TargetFactory();
}

std::string known_targets() {
  std::string names = "inproc, cluster, fix://...";
  for (const NamedTarget* named : named_targets()) names += ", " + named->name;
  return names;
}

bool is_known_target(std::string_view name) {
  return is_ordeals_own(name) || find_target(name) != nullptr;
}

bool NamedTarget::knows_defect(std::string_view defect) const {
  if (defect == "none") return true;
  return std::any_of(defects.begin(), defects.end(),
                     [&](const auto& known) { return known.first == defect; });
}

const NamedTarget* target_of_defect(std::string_view defect) {
  for (const NamedTarget& target : registry()) {
    if (defect != "none" && target.knows_defect(defect)) return &target;
  }
  return nullptr;
}

std::vector<const NamedTarget*> named_targets() {
  std::vector<const NamedTarget*> all;
  for (const NamedTarget& target : registry()) all.push_back(&target);
  std::sort(all.begin(), all.end(),
            [](const NamedTarget* a, const NamedTarget* b) { return a->name < b->name; });
  return all;
}

}  // namespace ordeal
