#include "framework/report/signature.h"

#include <fmt/format.h>

#include <set>

#include "framework/base/assert.h"
#include "framework/base/rng.h"

namespace ordeal {
namespace {

// "a b c", or "-" for none: sets keep a signature independent of how many
// of a kind the shrinker could not remove, and of their order.
std::string joined(const std::set<std::string>& names) {
  if (names.empty()) return "-";
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

// The component a fault acts on: its point's first word (`meta.update.drop`
// -> `meta`), or for a process fault the role of its node (`engine-1` ->
// `process@engine`).
std::string component(const FaultSpec& spec) {
  if (spec.node.empty()) return spec.point.substr(0, spec.point.find('.'));
  return "process@" + spec.node.substr(0, spec.node.find_last_not_of("-0123456789") + 1);
}

std::set<std::string> components(const Scenario& scenario, const Case& c) {
  std::set<std::string> names;
  for (const FaultWindow& w : c.faults) names.insert(component(scenario.faults.at(w.fault)));
  // The upgrade is of the metadata service; a metadata change goes through it.
  if (c.upgrade || !c.metadata.empty()) names.insert("meta");
  return names;
}

// An operation's kind, with how it is deliberately invalid when it is.
std::string op_shape(const Op& op) {
  std::string shape(exchange::to_string(op.kind));
  if (op.invalid != Invalid::none) shape += fmt::format("!{}", to_string(op.invalid));
  return shape;
}

std::string case_shape(const Scenario& scenario, const Case& c) {
  std::set<std::string> ops, faults, metadata;
  for (const auto& client : c.clients) {
    for (const Op& op : client) ops.insert(op_shape(op));
  }
  for (const FaultWindow& w : c.faults) {
    const FaultSpec& spec = scenario.faults.at(w.fault);
    faults.insert(spec.node.empty() ? spec.point : spec.point + "@" + spec.node);
  }
  if (c.upgrade) faults.insert("upgrade");
  for (const MetaChange& m : c.metadata) metadata.insert(std::string(to_string(m.kind)));
  return fmt::format("ops {} | faults {} | metadata {}", joined(ops), joined(faults),
                     joined(metadata));
}

}  // namespace

FailureSignature failure_signature(const Scenario& scenario, const Case& shrunk,
                                   const std::vector<Violation>& violations) {
  ORDEAL_ASSERT(!violations.empty());
  FailureSignature signature;
  signature.text = fmt::format("{} | disturbs {}", violations.front().property,
                               joined(components(scenario, shrunk)));
  signature.id = fmt::format("{:016x}", hash_name(signature.text));
  signature.shape = case_shape(scenario, shrunk);
  return signature;
}

}  // namespace ordeal
