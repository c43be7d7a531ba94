#include "framework/run/repro.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sstream>

namespace ordeal {
namespace {

using exchange::OrdType;
using exchange::RequestKind;
using exchange::Side;
using exchange::TimeInForce;

toml::table op_table(const Op& op) {
  return toml::table{{"kind", std::string(exchange::to_string(op.kind))},
                     {"target", op.target},
                     {"symbol", op.symbol},
                     {"side", std::string(exchange::to_string(op.side))},
                     {"type", std::string(exchange::to_string(op.type))},
                     {"tif", std::string(exchange::to_string(op.tif))},
                     {"post_only", op.post_only},
                     {"price_steps", op.price_steps},
                     {"lots", op.lots},
                     {"invalid", std::string(to_string(op.invalid))},
                     {"at_ms", op.at_ms}};
}

// Reads one field of a table into `out`, or says what is wrong and where.
class Fields {
 public:
  Fields(const toml::table& table, const std::string& path, std::string& error)
      : table_(table), path_(path), error_(error) {}

  template <typename T>
  Fields& integer(std::string_view key, T& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value<int64_t>();
    if (!v) return fail(key, "expected an integer");
    out = static_cast<T>(*v);
    return *this;
  }
  Fields& boolean(std::string_view key, bool& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value<bool>();
    if (!v) return fail(key, "expected true or false");
    out = *v;
    return *this;
  }
  template <typename Enum, size_t N>
  Fields& choice(std::string_view key, const std::array<Enum, N>& values, Enum& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value<std::string>();
    const auto parsed = v ? from_string(*v, values) : std::nullopt;
    if (!parsed) return fail(key, "unknown or missing value");
    out = *parsed;
    return *this;
  }
  Fields& fail(std::string_view key, std::string_view message) {
    if (error_.empty()) {
      error_ = fmt::format("{}:{}: {}: {}", path_, table_.source().begin.line, key, message);
    }
    return *this;
  }

 private:
  const toml::table& table_;
  const std::string& path_;
  std::string& error_;
};

using exchange::kOrdTypes;
using exchange::kRequestKinds;
using exchange::kSides;
using exchange::kTimesInForce;

std::optional<toml::table> parse_file(const std::string& path, std::string& error) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    error = fmt::format("{}:{}: {}", path, e.source().begin.line, e.description());
    return std::nullopt;
  }
}

}  // namespace

std::string repro_toml(const Repro& repro, const Scenario& scenario) {
  toml::array clients;
  for (const auto& ops : repro.c.clients) {
    toml::array list;
    for (const Op& op : ops) list.push_back(op_table(op));
    clients.push_back(toml::table{{"ops", list}});
  }
  toml::array metadata;
  for (const MetaChange& m : repro.c.metadata) {
    metadata.push_back(toml::table{{"at_ms", m.at_ms},
                                   {"symbol", m.symbol},
                                   {"kind", std::string(to_string(m.kind))},
                                   {"value", m.value}});
  }
  toml::array faults;
  for (const FaultWindow& f : repro.c.faults) {
    faults.push_back(toml::table{{"fault", scenario.faults.at(f.fault).point},
                                 {"index", f.fault},
                                 {"start_ms", f.start_ms},
                                 {"duration_ms", f.duration_ms}});
  }
  toml::table kase{{"seed", std::to_string(repro.c.seed)},
                   {"upgrade", repro.c.upgrade},
                   {"upgrade_start_ms", repro.c.upgrade_start_ms},
                   {"client", clients},
                   {"metadata", metadata},
                   {"fault", faults}};
  toml::table root{{"scenario", repro.scenario_path},
                   {"target", repro.target},
                   {"defect", repro.defect},
                   {"run_seed", std::to_string(repro.run_seed)},
                   {"case", kase}};
  std::ostringstream out;
  out << "# ordeal repro: one exact case. Run it again with: ordeal replay THIS_FILE\n"
      << root << "\n";
  return out.str();
}

ReproLoad load_repro(const std::string& path) {
  ReproLoad load;
  auto root = parse_file(path, load.error);
  if (!root) return load;
  auto scenario = (*root)["scenario"].value<std::string>();
  auto defect = (*root)["defect"].value<std::string>();
  auto run_seed = (*root)["run_seed"].value<std::string>();
  if (!scenario || !defect || !run_seed || !(*root)["case"].is_table()) {
    load.error = fmt::format("{}: needs scenario, defect, run_seed and a [case] table", path);
    return load;
  }
  load.repro.scenario_path = *scenario;
  if (const toml::node_view target = (*root)["target"]) {
    if (!target.is_string()) {
      load.error = fmt::format("{}:{}: target: expected a string (inproc, cluster or fix://...)",
                               path, target.node()->source().begin.line);
      return load;
    }
    load.repro.target = *target.value<std::string>();
  }
  load.repro.defect = *defect;
  load.repro.run_seed = std::stoull(*run_seed);
  return load;
}

std::string load_repro_case(const std::string& path, const Scenario& scenario, Case& c) {
  std::string error;
  auto root = parse_file(path, error);
  if (!root) return error;
  const toml::table& kase = *(*root)["case"].as_table();
  Fields(kase, path, error)
      .boolean("upgrade", c.upgrade)
      .integer("upgrade_start_ms", c.upgrade_start_ms);
  auto seed = kase["seed"].value<std::string>();
  if (!seed) return fmt::format("{}: case.seed: expected a string of digits", path);
  c.seed = std::stoull(*seed);
  if (const toml::array* clients = kase["client"].as_array()) {
    for (const toml::node& client : *clients) {
      c.clients.emplace_back();
      const toml::array* ops = client.as_table() ? (*client.as_table())["ops"].as_array() : nullptr;
      if (ops == nullptr)
        return fmt::format("{}:{}: case.client: needs ops = [...]", path,
                           client.source().begin.line);
      for (const toml::node& node : *ops) {
        Op op;
        if (!node.is_table())
          return fmt::format("{}:{}: case.client.ops: expected tables", path,
                             node.source().begin.line);
        Fields(*node.as_table(), path, error)
            .choice("kind", kRequestKinds, op.kind)
            .integer("target", op.target)
            .integer("symbol", op.symbol)
            .choice("side", kSides, op.side)
            .choice("type", kOrdTypes, op.type)
            .choice("tif", kTimesInForce, op.tif)
            .boolean("post_only", op.post_only)
            .integer("price_steps", op.price_steps)
            .integer("lots", op.lots)
            .choice("invalid", kInvalids, op.invalid)
            .integer("at_ms", op.at_ms);
        if (!error.empty()) return error;
        if (op.symbol >= scenario.symbols.size())
          return fmt::format("{}: case.client.ops.symbol: {} is not a symbol of the scenario", path,
                             op.symbol);
        c.clients.back().push_back(op);
      }
    }
  }
  if (const toml::array* metadata = kase["metadata"].as_array()) {
    for (const toml::node& node : *metadata) {
      MetaChange m;
      Fields(*node.as_table(), path, error)
          .integer("at_ms", m.at_ms)
          .integer("symbol", m.symbol)
          .choice("kind", kMetaChangeKinds, m.kind)
          .integer("value", m.value);
      if (!error.empty()) return error;
      c.metadata.push_back(m);
    }
  }
  if (const toml::array* faults = kase["fault"].as_array()) {
    for (const toml::node& node : *faults) {
      FaultWindow f;
      Fields(*node.as_table(), path, error)
          .integer("index", f.fault)
          .integer("start_ms", f.start_ms)
          .integer("duration_ms", f.duration_ms);
      if (!error.empty()) return error;
      auto name = (*node.as_table())["fault"].value<std::string>();
      if (f.fault >= scenario.faults.size() || !name || scenario.faults[f.fault].point != *name) {
        return fmt::format("{}:{}: case.fault: fault {} does not match the scenario's faults", path,
                           node.source().begin.line, name.value_or("?"));
      }
      c.faults.push_back(f);
    }
  }
  if (c.clients.empty()) return fmt::format("{}: case: no clients", path);
  return {};
}

}  // namespace ordeal
