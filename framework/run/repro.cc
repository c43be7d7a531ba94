#include "framework/run/repro.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <sstream>

#include "framework/run/price_grid.h"
#include "framework/run/target_registry.h"
#include "framework/run/toml_keys.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

using exchange::OrdType;
using exchange::RequestKind;
using exchange::Side;
using exchange::TimeInForce;

// A symbol by its name, not its place in workload.symbols: an edit of the
// scenario that reorders them must not make the repro trade another one.
std::string symbol_name(const Scenario& scenario, size_t symbol) {
  return symbol < scenario.symbols.size() ? scenario.symbols[symbol] : std::to_string(symbol);
}

toml::table op_table(const Op& op, const Scenario& scenario) {
  return toml::table{{"kind", std::string(exchange::to_string(op.kind))},
                     {"target", op.target},
                     {"symbol", symbol_name(scenario, op.symbol)},
                     {"side", std::string(exchange::to_string(op.side))},
                     {"type", std::string(exchange::to_string(op.type))},
                     {"tif", std::string(exchange::to_string(op.tif))},
                     {"post_only", op.post_only},
                     {"price_steps", op.price_steps},
                     {"lots", op.lots},
                     {"invalid", std::string(to_string(op.invalid))},
                     {"at_ms", op.at_ms}};
}

// Reads one field of a table into `out`, or says what is wrong and where:
// the line of the value (of the table when the key is missing) and the
// field's full name. Integers are checked against the range their field
// holds before they are narrowed, so that no value wraps onto another.
class Fields {
 public:
  Fields(const toml::table& table, std::string_view section, const std::string& path,
         std::string& error)
      : table_(table), section_(section), path_(path), error_(error) {}

  template <typename T>
  Fields& integer(std::string_view key, T& out, int64_t lo = std::numeric_limits<T>::min(),
                  int64_t hi = std::numeric_limits<T>::max()) {
    if (!error_.empty()) return *this;
    // Never beyond what T holds, whatever range the caller asks for.
    lo = std::max<int64_t>(lo, std::numeric_limits<T>::min());
    hi = std::min<int64_t>(hi, std::numeric_limits<T>::max());
    auto v = table_[key].value_exact<int64_t>();
    if (!v || *v < lo || *v > hi) {
      return fail(key, fmt::format("expected an integer from {} to {}", lo, hi));
    }
    out = static_cast<T>(*v);
    return *this;
  }
  Fields& text(std::string_view key, std::string& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value_exact<std::string>();
    if (!v) return fail(key, "expected a string");
    out = *v;
    return *this;
  }
  Fields& boolean(std::string_view key, bool& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value_exact<bool>();
    if (!v) return fail(key, "expected true or false");
    out = *v;
    return *this;
  }
  template <typename Enum, size_t N>
  Fields& choice(std::string_view key, const std::array<Enum, N>& values, Enum& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value_exact<std::string>();
    const auto parsed = v ? from_string(*v, values) : std::nullopt;
    if (!parsed) return fail(key, "unknown or missing value");
    out = *parsed;
    return *this;
  }
  // A symbol of the scenario's workload.symbols, by name (or, in repros
  // written before names were, by its place in the list).
  template <typename T>
  Fields& symbol(std::string_view key, const std::vector<std::string>& symbols, T& out) {
    if (!error_.empty()) return *this;
    if (table_[key].is_integer()) {
      return integer(key, out, 0, static_cast<int64_t>(symbols.size()) - 1);
    }
    auto v = table_[key].value_exact<std::string>();
    if (!v) return fail(key, "expected a symbol of the scenario's workload.symbols");
    const auto at = std::find(symbols.begin(), symbols.end(), *v);
    if (at == symbols.end()) {
      return fail(key, fmt::format("'{}' is not in the scenario's workload.symbols ({}): the "
                                   "scenario changed since this repro was written",
                                   *v, fmt::join(symbols, ", ")));
    }
    out = static_cast<T>(at - symbols.begin());
    return *this;
  }
  // A 64-bit seed, written as a string of digits (TOML integers are signed).
  Fields& seed(std::string_view key, uint64_t& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value_exact<std::string>();
    const char* end = v ? v->data() + v->size() : nullptr;
    const auto parsed = v ? std::from_chars(v->data(), end, out) : std::from_chars_result{};
    if (!v || v->empty() || parsed.ec != std::errc{} || parsed.ptr != end) {
      return fail(key, "expected a string of digits (a seed from 0 to 18446744073709551615)");
    }
    return *this;
  }
  // A fault window's pins, as "3,9:10,12" (faults/pin.h).
  Fields& pins(std::string_view key, std::vector<faults::Pin>& out) {
    if (!error_.empty()) return *this;
    auto v = table_[key].value_exact<std::string>();
    auto parsed = v ? faults::parse_pins(*v) : std::nullopt;
    if (!parsed) {
      return fail(key, fmt::format("expected rising checks from 1 to {}, each check or check:as, "
                                   "as \"3,9:10,12\"",
                                   faults::kPinCheckMax));
    }
    out = std::move(*parsed);
    return *this;
  }
  bool ok() const { return error_.empty(); }
  Fields& fail(std::string_view key, std::string_view message) {
    if (error_.empty()) {
      error_ = fmt::format("{}:{}: {}{}{}: {}", path_, key_line(table_, key), section_,
                           section_.empty() ? "" : ".", key, message);
    }
    return *this;
  }

 private:
  const toml::table& table_;
  std::string_view section_;
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

namespace fs = std::filesystem;

// The folder a repro file is in, as a path to open things from.
fs::path folder_of(const std::string& repro_path) {
  const fs::path folder = fs::path(repro_path).parent_path();
  return folder.empty() ? fs::path(".") : folder;
}

// The first folder below the root on a path (empty for the root itself).
fs::path top_folder(const fs::path& absolute) {
  auto part = absolute.begin();
  return part == absolute.end() || ++part == absolute.end() ? fs::path() : *part;
}

// How the file names its scenario: a relative path from the file's folder
// (through symbolic links as the system follows them), so that the two can
// move together; an absolute one when they share no folder below the root
// (a path climbing to the root says nothing more and reads worse) or when
// it was given so.
std::string scenario_as_written(const std::string& scenario_path, const std::string& repro_path) {
  if (fs::path(scenario_path).is_absolute()) return scenario_path;
  std::error_code scenario_ec, folder_ec;
  const fs::path scenario = fs::weakly_canonical(fs::absolute(scenario_path), scenario_ec);
  const fs::path folder = fs::weakly_canonical(fs::absolute(folder_of(repro_path)), folder_ec);
  const fs::path relative = scenario.lexically_relative(folder);
  if (scenario_ec || folder_ec || relative.empty() || top_folder(scenario) != top_folder(folder)) {
    return fs::absolute(scenario_path).lexically_normal().generic_string();
  }
  return relative.generic_string();
}

// The scenario a file names, as this process opens it; nullopt when there is
// no such file beside the repro nor in the current folder.
std::optional<std::string> scenario_as_opened(const std::string& written,
                                              const std::string& repro_path) {
  std::error_code ec;
  if (fs::path(written).is_absolute()) return written;
  const fs::path beside = fs::path(repro_path).parent_path() / written;
  if (fs::exists(beside, ec)) {
    // "out/../x.toml" reads better as "x.toml", unless a link makes them differ.
    const fs::path tidy = beside.lexically_normal();
    return (fs::equivalent(tidy, beside, ec) ? tidy : beside).generic_string();
  }
  if (fs::exists(written, ec)) return written;
  return std::nullopt;
}

}  // namespace

std::string repro_toml(const Repro& repro, const Scenario& scenario,
                       const std::string& repro_path) {
  toml::array clients;
  for (const auto& ops : repro.c.clients) {
    toml::array list;
    for (const Op& op : ops) list.push_back(op_table(op, scenario));
    clients.push_back(toml::table{{"ops", list}});
  }
  toml::array metadata;
  for (const MetaChange& m : repro.c.metadata) {
    metadata.push_back(toml::table{{"at_ms", m.at_ms},
                                   {"symbol", symbol_name(scenario, m.symbol)},
                                   {"kind", std::string(to_string(m.kind))},
                                   {"value", m.value}});
  }
  toml::array faults;
  for (const FaultWindow& f : repro.c.faults) {
    toml::table window{{"fault", scenario.faults.at(f.fault).point},
                       {"index", f.fault},
                       {"start_ms", f.start_ms},
                       {"duration_ms", f.duration_ms}};
    if (!f.pins.empty()) window.insert("pins", faults::format_pins(f.pins));  // by shrinking
    faults.push_back(std::move(window));
  }
  toml::table kase{{"seed", std::to_string(repro.c.seed)},
                   {"upgrade", repro.c.upgrade},
                   {"upgrade_start_ms", repro.c.upgrade_start_ms},
                   {"client", clients},
                   {"metadata", metadata},
                   {"fault", faults}};
  toml::table root{{"scenario", scenario_as_written(repro.scenario_path, repro_path)},
                   {"target", repro.target},
                   {"defect", repro.defect},
                   {"run_seed", std::to_string(repro.run_seed)},
                   {"case", kase}};
  std::ostringstream out;
  out << "# ordeal repro: one exact case. Run it again with: " << repro.program
      << " replay THIS_FILE"
      << " (a relative scenario path is from this file's folder)\n"
      << root << "\n";
  return out.str();
}

ReproLoad load_repro(const std::string& path) {
  ReproLoad load;
  auto root = parse_file(path, load.error);
  if (!root) return load;
  load.error =
      unknown_key_error(*root, {"scenario", "target", "defect", "run_seed", "case"}, "", path);
  std::string scenario;
  Fields fields(*root, "", path, load.error);
  fields.text("scenario", scenario).text("defect", load.repro.defect);
  fields.seed("run_seed", load.repro.run_seed);
  if (load.error.empty() && !(*root)["case"].is_table()) fields.fail("case", "expected a table");
  if (!load.error.empty()) return load;
  const std::optional<std::string> opened = scenario_as_opened(scenario, path);
  if (!opened) {
    load.error = fmt::format(
        "{}:{}: scenario: no file '{}' in this file's folder ({}) nor in the current folder", path,
        (*root)["scenario"].node()->source().begin.line, scenario, folder_of(path).string());
    return load;
  }
  load.repro.scenario_path = *opened;
  if (const toml::node_view target = (*root)["target"]) {
    const std::optional<std::string> name = target.value<std::string>();
    // A name no run writes would replay in the simulator without a word.
    if (!target.is_string() || !is_known_target(*name)) {
      load.error = fmt::format(
          "{}:{}: target: expected {}, got {} (a target of one's own replays in the program "
          "that registers it: docs/authoring.md)",
          path, target.node()->source().begin.line, known_targets(),
          target.is_string() ? "'" + *name + "'" : "no string");
      return load;
    }
    load.repro.target = *name;
  }
  // A registered target's defects are its own.
  const NamedTarget* named = find_target(load.repro.target);
  const bool known = named != nullptr ? named->knows_defect(load.repro.defect)
                                      : exchange::DefectSet::parse(load.repro.defect).has_value();
  if (!known) {
    load.error =
        fmt::format("{}:{}: defect: unknown '{}' (see `ordeal list defects`)", path,
                    (*root)["defect"].node()->source().begin.line,
                    named != nullptr ? load.repro.defect
                                     : exchange::DefectSet::first_unknown(load.repro.defect));
    return load;
  }
  return load;
}

namespace {

// The keys of an operation, as op_table writes them.
const std::set<std::string> kOpKeys = {"kind", "target",  "symbol",    "side",
                                       "type", "tif",     "post_only", "price_steps",
                                       "lots", "invalid", "at_ms"};

// The times of a case are milliseconds from its start, as the generator
// makes them: never before it.
constexpr int64_t kTimeMsMax = std::numeric_limits<int32_t>::max();

std::string read_op(const toml::node& node, const std::string& path, const Scenario& scenario,
                    Op& op) {
  if (!node.is_table()) {
    return fmt::format("{}:{}: case.client.ops: expected tables", path, node.source().begin.line);
  }
  std::string error = unknown_key_error(*node.as_table(), kOpKeys, "case.client.ops", path);
  Fields fields(*node.as_table(), "case.client.ops", path, error);
  fields.choice("kind", kRequestKinds, op.kind)
      .integer("target", op.target)
      .symbol("symbol", scenario.symbols, op.symbol)
      .choice("side", kSides, op.side)
      .choice("type", kOrdTypes, op.type)
      .choice("tif", kTimesInForce, op.tif)
      .boolean("post_only", op.post_only)
      .integer("price_steps", op.price_steps)
      .integer("lots", op.lots, 1)
      .choice("invalid", kInvalids, op.invalid)
      .integer("at_ms", op.at_ms, 0, kTimeMsMax);
  if (!error.empty()) return error;
  // As the scenario bounds them: no price of 0 or below (price_grid.h). The
  // metadata is kept while its record is read: find() points into it.
  const exchange::MetadataState metadata = scenario_metadata(scenario);
  const int64_t most = price_steps_max(price_grid(*metadata.find(scenario.symbols[op.symbol])));
  fields.integer("price_steps", op.price_steps, -most, most);
  return error;
}

std::string read_client(const toml::node& client, const std::string& path, const Scenario& scenario,
                        std::vector<Op>& ops) {
  const toml::array* list = client.as_table() ? (*client.as_table())["ops"].as_array() : nullptr;
  if (list == nullptr) {
    return fmt::format("{}:{}: case.client: needs ops = [...]", path, client.source().begin.line);
  }
  if (auto error = unknown_key_error(*client.as_table(), {"ops"}, "case.client", path);
      !error.empty()) {
    return error;
  }
  for (const toml::node& node : *list) {
    Op op;
    if (auto error = read_op(node, path, scenario, op); !error.empty()) return error;
    ops.push_back(op);
  }
  return "";
}

// The values the case runner gives each kind a meaning for (case.h).
std::pair<int64_t, int64_t> value_range(MetaChangeKind kind) {
  constexpr int64_t kValueMax = 1'000'000;
  if (kind == MetaChangeKind::status) return {0, 3};
  if (kind == MetaChangeKind::move) return {0, kValueMax};
  return {1, kValueMax};
}

std::string read_meta_change(const toml::node& node, const std::string& path,
                             const Scenario& scenario, MetaChange& m) {
  if (!node.is_table()) {
    return fmt::format("{}:{}: case.metadata: expected tables", path, node.source().begin.line);
  }
  std::string error = unknown_key_error(*node.as_table(), {"at_ms", "symbol", "kind", "value"},
                                        "case.metadata", path);
  Fields fields(*node.as_table(), "case.metadata", path, error);
  fields.integer("at_ms", m.at_ms, 0, kTimeMsMax)
      .symbol("symbol", scenario.symbols, m.symbol)
      .choice("kind", kMetaChangeKinds, m.kind);
  const auto [lo, hi] = value_range(m.kind);
  fields.integer("value", m.value, lo, hi);
  return error;
}

std::string read_fault_window(const toml::node& node, const std::string& path,
                              const Scenario& scenario, FaultWindow& f) {
  if (!node.is_table()) {
    return fmt::format("{}:{}: case.fault: expected tables", path, node.source().begin.line);
  }
  std::string error = unknown_key_error(
      *node.as_table(), {"fault", "index", "start_ms", "duration_ms", "pins", "fire_at"},
      "case.fault", path);
  Fields(*node.as_table(), "case.fault", path, error)
      .integer("index", f.fault)
      .integer("start_ms", f.start_ms, 0, kTimeMsMax)
      .integer("duration_ms", f.duration_ms, 1, kTimeMsMax);
  if (!error.empty()) return error;
  auto name = (*node.as_table())["fault"].value_exact<std::string>();
  if (f.fault >= scenario.faults.size() || !name || scenario.faults[f.fault].point != *name) {
    return fmt::format("{}:{}: case.fault: fault {} does not match the scenario's faults", path,
                       node.source().begin.line, name.value_or("?"));
  }
  // Optional: a window as generated fires by chance; shrinking may pin a
  // fault point's (case.h). Repro files of earlier versions pinned one
  // check with fire_at.
  const toml::table& table = *node.as_table();
  const bool pins = table.contains("pins"), fire_at = table.contains("fire_at");
  if (!pins && !fire_at) return "";
  Fields fields(table, "case.fault", path, error);
  if (pins && fire_at) fields.fail("fire_at", "give pins or fire_at, not both");
  if (pins) fields.pins("pins", f.pins);
  uint32_t check = 0;
  if (fire_at && fields.integer("fire_at", check, 1, faults::kPinCheckMax).ok()) {
    f.pins = {{.check = check, .as = check}};
  }
  const FaultSpec& spec = scenario.faults[f.fault];
  if (error.empty() && !spec.checked_at_a_site()) {
    error = fmt::format("{}:{}: case.fault.{}: only a fault point's window is pinned, not {}'s",
                        path, node.source().begin.line, pins ? "pins" : "fire_at", spec.point);
  }
  return error;
}

// Each entry of the array `key` of the case, read by `read` into `out`.
template <typename T, typename Read>
std::string read_list(const toml::table& kase, std::string_view key, const std::string& path,
                      const Scenario& scenario, std::vector<T>& out, Read read) {
  const toml::node* node = kase.get(key);
  if (node == nullptr) return "";
  if (!node->is_array()) {
    return fmt::format("{}:{}: case.{}: expected an array of tables", path,
                       node->source().begin.line, key);
  }
  for (const toml::node& item : *node->as_array()) {
    T value{};
    if (auto error = read(item, path, scenario, value); !error.empty()) return error;
    out.push_back(std::move(value));
  }
  return "";
}

}  // namespace

std::string load_repro_case(const std::string& path, const Scenario& scenario, Case& c) {
  std::string error;
  auto root = parse_file(path, error);
  if (!root) return error;
  const toml::table* kase = (*root)["case"].as_table();
  if (kase == nullptr) return fmt::format("{}: needs a [case] table", path);
  error = unknown_key_error(
      *kase, {"seed", "upgrade", "upgrade_start_ms", "client", "metadata", "fault"}, "case", path);
  Fields(*kase, "case", path, error)
      .boolean("upgrade", c.upgrade)
      .integer("upgrade_start_ms", c.upgrade_start_ms, 0, kTimeMsMax)
      .seed("seed", c.seed);
  if (error.empty()) error = read_list(*kase, "client", path, scenario, c.clients, read_client);
  if (error.empty())
    error = read_list(*kase, "metadata", path, scenario, c.metadata, read_meta_change);
  if (error.empty()) error = read_list(*kase, "fault", path, scenario, c.faults, read_fault_window);
  if (error.empty() && c.clients.empty()) return fmt::format("{}: case: no clients", path);
  return error;
}

}  // namespace ordeal
