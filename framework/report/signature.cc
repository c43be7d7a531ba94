#include "framework/report/signature.h"

#include <fmt/format.h>

#include <set>

#include "framework/base/assert.h"
#include "framework/base/rng.h"

namespace ordeal {
namespace {

// "a b c", or "-" for none: a set keeps the signature independent of how
// many operations of a kind the shrinker could not remove, and of order.
std::string joined(const std::set<std::string>& names) {
  if (names.empty()) return "-";
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

// An operation's kind, with how it is deliberately invalid when it is: an
// off-tick place that breaks something is another bug than a valid one.
std::string op_shape(const Op& op) {
  std::string shape(exchange::to_string(op.kind));
  if (op.invalid != Invalid::none) shape += fmt::format("!{}", to_string(op.invalid));
  return shape;
}

std::set<std::string> fault_names(const Scenario& scenario, const Case& c) {
  std::set<std::string> names;
  for (const FaultWindow& w : c.faults) {
    const FaultSpec& spec = scenario.faults.at(w.fault);
    names.insert(spec.node.empty() ? spec.point : spec.point + "@" + spec.node);
  }
  if (c.upgrade) names.insert("upgrade");
  return names;
}

}  // namespace

FailureSignature failure_signature(const Scenario& scenario, const Case& shrunk,
                                   const std::vector<Violation>& violations) {
  ORDEAL_ASSERT(!violations.empty());
  std::set<std::string> ops;
  for (const auto& client : shrunk.clients) {
    for (const Op& op : client) ops.insert(op_shape(op));
  }
  std::set<std::string> metadata;
  for (const MetaChange& m : shrunk.metadata) metadata.insert(std::string(to_string(m.kind)));
  FailureSignature signature;
  signature.text =
      fmt::format("{} | ops {} | faults {} | metadata {}", violations.front().property, joined(ops),
                  joined(fault_names(scenario, shrunk)), joined(metadata));
  signature.id = fmt::format("{:016x}", hash_name(signature.text));
  return signature;
}

}  // namespace ordeal
