#include "framework/run/scenario.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <utility>

#include "faults/fault_point.h"
#include "faults/hook.h"
#include "faults/process_faults.h"
#include "faults/proxy/proxy_fault.h"
#include "framework/run/price_grid.h"
#include "framework/run/toml_keys.h"
#include "framework/run/venue_instruments.h"
#include "targets/exchange/fault_points.h"
#include "targets/exchange/layout.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

// Reads one TOML table: typed values, bounds, and no key it does not know.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string section, const std::string& path,
              std::string& error)
      : table_(table), section_(std::move(section)), path_(path), error_(error) {}

  template <typename T>
  void number(std::string_view key, T& out, T min, T max) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return;
    if constexpr (std::is_floating_point_v<T>) {
      const std::optional<double> value = node->value<double>();
      // nan compares false with both bounds: it is no number here.
      if (!value || std::isnan(*value)) return fail(*node, key, "expected a number");
      if (*value < min || *value > max) return out_of_range(*node, key, min, max);
      out = static_cast<T>(*value);
    } else {
      // Compared as integers: a double holds 53 bits, and a seed rounded
      // to one would be another seed than the one written.
      const toml::value<int64_t>* value = node->as_integer();
      if (value == nullptr) return fail(*node, key, "expected an integer");
      if (std::cmp_less(value->get(), min) || std::cmp_greater(value->get(), max)) {
        return out_of_range(*node, key, min, max);
      }
      out = static_cast<T>(value->get());
    }
  }

  void text(std::string_view key, std::string& out) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return;
    auto v = node->value<std::string>();
    if (!v) return fail(*node, key, "expected a string");
    out = *v;
  }

  void boolean(std::string_view key, bool& out) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return;
    auto v = node->value<bool>();
    if (!v) return fail(*node, key, "expected true or false");
    out = *v;
  }

  void texts(std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) return fail(*node, key, "expected an array of strings");
    out.clear();
    for (const toml::node& item : *array) {
      auto v = item.value<std::string>();
      if (!v) return fail(item, key, "expected an array of strings");
      out.push_back(*v);
    }
  }

  const toml::table* table(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return nullptr;
    if (!node->is_table()) {
      fail(*node, key, "expected a table");
      return nullptr;
    }
    return node->as_table();
  }

  const toml::array* array_of_tables(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr || !error_.empty()) return nullptr;
    if (!node->is_array_of_tables()) {
      fail(*node, key, "expected an array of tables ([[...]])");
      return nullptr;
    }
    return node->as_array();
  }

  // Any key not read is unknown: name it, where it is, and what is known.
  void finish() {
    if (!error_.empty()) return;
    error_ = unknown_key_error(table_, known_, section_, path_);
  }

  template <typename T>
  void out_of_range(const toml::node& node, std::string_view key, T min, T max) {
    fail(node, key, fmt::format("must be between {} and {}", min, max));
  }

  void fail(const toml::node& node, std::string_view key, std::string_view message) {
    if (!error_.empty()) return;
    error_ = fmt::format("{}:{}: {}{}: {}", path_, node.source().begin.line,
                         section_.empty() ? "" : section_ + ".", key, message);
  }

 private:
  const toml::node* take(std::string_view key) {
    known_.insert(std::string(key));
    return table_.get(key);
  }

  const toml::table& table_;
  std::string section_;
  const std::string& path_;
  std::string& error_;
  std::set<std::string> known_;
};

void read_mix(const toml::table& table, const std::string& path, std::string& error,
              OperationMix& mix) {
  TableReader r(table, "workload.mix", path, error);
  r.number("place", mix.place, 0, 1000);
  r.number("amend", mix.amend, 0, 1000);
  r.number("cancel", mix.cancel, 0, 1000);
  r.number("mass_cancel", mix.mass_cancel, 0, 1000);
  r.number("status", mix.status, 0, 1000);
  r.finish();
  if (error.empty() && mix.place + mix.amend + mix.cancel + mix.mass_cancel + mix.status == 0) {
    error = fmt::format("{}:{}: workload.mix: at least one weight must be above 0", path,
                        table.source().begin.line);
  }
}

void read_workload(const toml::table& table, const std::string& path, std::string& error,
                   Scenario& s) {
  TableReader r(table, "workload", path, error);
  r.number("clients", s.clients, 1, 32);
  r.number("operations_per_client", s.operations_per_client, 1, 10'000);
  r.texts("symbols", s.symbols);
  r.number("invalid_share", s.invalid_share, 0.0, 1.0);
  r.number("think_ms_max", s.think_ms_max, 0, 60'000);
  r.number("price_steps_max", s.price_steps_max, 0, 1000);
  r.number("lots_max", s.lots_max, 1, 1000);
  r.boolean("recovery_probes", s.recovery_probes);
  if (const toml::table* mix = r.table("mix")) read_mix(*mix, path, error, s.mix);
  r.finish();
}

void read_metadata(const toml::table& table, const std::string& path, std::string& error,
                   Scenario& s) {
  TableReader r(table, "metadata", path, error);
  r.number("changes_max", s.metadata_changes_max, 0, 100);
  std::vector<std::string> kinds;
  r.texts("kinds", kinds);
  // An empty list would fall back to the default kinds: changes where the
  // file seems to ask for none.
  if (error.empty() && kinds.empty() && table.contains("kinds")) {
    r.fail(*table.get("kinds"), "kinds",
           "at least one kind is needed (changes_max = 0 makes no metadata changes)");
    return;
  }
  if (!kinds.empty()) s.metadata_kinds.clear();
  for (const std::string& name : kinds) {
    auto kind = from_string(name, kMetaChangeKinds);
    if (!kind) {
      r.fail(*table.get("kinds"), "kinds",
             fmt::format("unknown kind '{}' (known: tick, band, status, move, max_qty)", name));
      return;
    }
    s.metadata_kinds.push_back(*kind);
  }
  r.finish();
}

// network.<kind> on a link through the fault proxy; every proxy fault kind
// but FIX message drops, which need FIX traffic on the link.
std::string check_network_fault(const FaultSpec& fault, int point_line, const std::string& path) {
  const std::string_view name =
      std::string_view(fault.point).substr(fault.point.rfind("network.", 0) == 0 ? 8 : 0);
  const auto kind = proxy::parse_kind(name);
  if (fault.point.rfind("network.", 0) != 0 || !kind || *kind == proxy::FaultKind::drop) {
    return fmt::format(
        "{}:{}: nemesis.fault.point: '{}' is not a network fault (known: "
        "network.latency, network.bandwidth, network.slicing, network.corrupt, "
        "network.blackhole, network.half_open, network.reset)",
        path, point_line, fault.point);
  }
  if (fault.link.empty()) {
    return fmt::format(
        "{}:{}: nemesis.fault.link: {} needs the link it acts on (e.g. "
        "\"client->gateway\", \"gateway->engine-0\", \"engine-1->meta-2\")",
        path, fault.line, fault.point);
  }
  return "";
}

// Whether a hook, process or network fault reads `param` (`ordeal list
// faults` says what it means); fault points are not judged here, since a
// point of the user's own may read it without declaring a meaning.
bool takes_param(std::string_view point) {
  if (point == faults::kHookFault) return false;
  if (faults::find_process_fault(point) != nullptr) {
    return point == "process.restart" || point == "process.rollback";
  }
  return point != "network.blackhole" && point != "network.half_open";
}

// A key this kind of fault would ignore: refused, so that the file says what
// the run does (a node on a network fault would also name it in the
// history's fault events).
std::string check_fault_keys(const FaultSpec& fault, const toml::table& table,
                             const std::string& path) {
  const bool hook = fault.point == faults::kHookFault;
  const bool network = fault.point.rfind("network.", 0) == 0;
  if (!hook && table.contains("timeout_ms")) {
    return fmt::format(
        "{}:{}: nemesis.fault.timeout_ms: only a hook (point = \"hook\") takes a timeout for its "
        "commands",
        path, key_line(table, "timeout_ms"));
  }
  if ((hook || network) && !fault.node.empty()) {
    return fmt::format("{}:{}: nemesis.fault.node: only process faults take a node; {} acts {}",
                       path, fault.node_line, fault.point,
                       hook ? "where ordeal runs" : "on its link");
  }
  if (hook && !fault.link.empty()) {
    return fmt::format(
        "{}:{}: nemesis.fault.link: only network faults take a link; a hook acts where ordeal "
        "runs",
        path, fault.link_line);
  }
  // An unknown process fault is named as such later, not here.
  const bool process = faults::find_process_fault(fault.point) != nullptr;
  if ((hook || process) && table.contains("probability")) {
    return fmt::format(
        "{}:{}: nemesis.fault.probability: {} acts once per window, at its start and end: it "
        "takes no probability",
        path, key_line(table, "probability"), fault.point);
  }
  if (table.contains("param") && !takes_param(fault.point)) {
    return fmt::format(
        "{}:{}: nemesis.fault.param: {} takes no parameter (see `ordeal list "
        "faults`)",
        path, key_line(table, "param"), fault.point);
  }
  return "";
}

void read_fault(const toml::table& table, const std::string& path, std::string& error,
                Scenario& s) {
  TableReader r(table, "nemesis.fault", path, error);
  FaultSpec fault;
  r.text("point", fault.point);
  r.number("probability", fault.probability, 0.0, 1.0);
  r.number("param", fault.param, int64_t{0}, int64_t{3'600'000});
  r.text("node", fault.node);
  r.text("link", fault.link);
  r.text("start", fault.start_command);
  r.text("stop", fault.stop_command);
  r.number("timeout_ms", fault.timeout_ms, 1, faults::kHookTimeoutMsMax);
  r.finish();
  if (!error.empty()) return;
  const int line = static_cast<int>(table.source().begin.line);
  fault.line = line;
  fault.node_line = key_line(table, "node");
  fault.link_line = key_line(table, "link");
  const int point_line = key_line(table, "point");
  if (table.get("point") == nullptr) {
    error = fmt::format(
        "{}:{}: nemesis.fault.point: missing: every fault names its point (see `ordeal list "
        "faults`)",
        path, line);
    return;
  }
  const bool hook = fault.point == faults::kHookFault;
  if (hook != (!fault.start_command.empty() || !fault.stop_command.empty())) {
    error = hook ? fmt::format("{}:{}: nemesis.fault: a hook needs a `start` or `stop` command",
                               path, line)
                 : fmt::format(
                       "{}:{}: nemesis.fault: only a hook (point = \"hook\") takes "
                       "`start` and `stop` commands",
                       path, line);
    return;
  }
  if (error = check_fault_keys(fault, table, path); !error.empty()) return;
  if (hook) {
    s.faults.push_back(fault);
    return;
  }
  if (fault.point.rfind("network.", 0) == 0 || !fault.link.empty()) {
    error = check_network_fault(fault, key_line(table, "point"), path);
    if (error.empty()) s.faults.push_back(fault);
    return;
  }
  if (faults::is_process_fault(fault.point)) {
    if (faults::find_process_fault(fault.point) == nullptr) {
      error = fmt::format(
          "{}:{}: nemesis.fault.point: unknown process fault '{}' (see `ordeal "
          "list faults`)",
          path, point_line, fault.point);
    } else if (fault.node.empty()) {
      error = fmt::format(
          "{}:{}: nemesis.fault.node: {} needs the node it acts on (e.g. "
          "\"meta-1\", \"engine-0\", \"gateway\")",
          path, line, fault.point);
    }
    if (error.empty()) s.faults.push_back(fault);
    return;
  }
  if (!fault.node.empty()) {
    error = fmt::format(
        "{}:{}: nemesis.fault.node: only process faults take a node; fault "
        "point {} acts wherever its code runs",
        path, fault.node_line, fault.point);
    return;
  }
  exchange::points::all();  // the exchange's points are the catalogue
  const faults::FaultPoint* point = faults::find_point(fault.point);
  if (point == nullptr) {
    error = fmt::format(
        "{}:{}: nemesis.fault.point: unknown fault point '{}' (see `ordeal list "
        "faults`)",
        path, point_line, fault.point);
    return;
  }
  // The reference exchange's points declared without a meaning for their
  // parameter read none: a param there would change nothing the file says
  // it does. A point of the user's own may read its hit's param undeclared
  // (authoring.md), so only ordeal's are judged.
  const auto exchanges = exchange::points::all();
  if (table.contains("param") && point->param_meaning().what.empty() &&
      std::find(exchanges.begin(), exchanges.end(), point) != exchanges.end()) {
    error = fmt::format(
        "{}:{}: nemesis.fault.param: {} takes no parameter (see `ordeal list "
        "faults`)",
        path, key_line(table, "param"), fault.point);
    return;
  }
  // A choice out of range would arm a fault that fires and does nothing.
  if (const size_t choices = point->param_meaning().choices.size();
      choices > 0 && static_cast<uint64_t>(fault.param) > choices) {
    error = fmt::format("{}:{}: nemesis.fault.param: {} takes 0 ({}) or one of {}", path,
                        key_line(table, "param"), fault.point, point->describe_armed_param(0),
                        point->numbered_choices());
    return;
  }
  s.faults.push_back(fault);
}

constexpr size_t kFaultsMax = std::numeric_limits<decltype(FaultWindow::fault)>::max() + size_t{1};

void read_nemesis(const toml::table& table, const std::string& path, std::string& error,
                  Scenario& s) {
  TableReader r(table, "nemesis", path, error);
  r.number("faults_max", s.faults_max, 0, 64);
  r.number("window_ms", s.nemesis_window_ms, 1, 3'600'000);
  r.boolean("upgrade", s.upgrade);
  r.number("upgrade_step_ms", s.upgrade_step_ms, 1, 600'000);
  r.number("upgrade_down_ms", s.upgrade_down_ms, 1, 600'000);
  if (const toml::array* faults = r.array_of_tables("fault")) {
    for (const toml::node& fault : *faults) read_fault(*fault.as_table(), path, error, s);
    // A case names its faults by an 8-bit index (FaultWindow::fault).
    if (error.empty() && s.faults.size() > kFaultsMax) {
      error = fmt::format("{}:{}: nemesis.fault: {} faults, at most {}", path,
                          (*faults)[kFaultsMax].source().begin.line, s.faults.size(), kFaultsMax);
    }
  }
  r.finish();
}

// Bounded, and none empty or blank: such a reason is in every reject's
// text, or nearly every one, and would excuse every refusal.
void read_client_reject_reasons(TableReader& r, const toml::table& table,
                                std::vector<std::string>& out) {
  r.texts("client_reject_reasons", out);
  const toml::node* node = table.get("client_reject_reasons");
  if (node == nullptr || !node->is_array()) return;
  const toml::array& items = *node->as_array();
  if (out.size() > kClientRejectReasonsMax) {
    return r.fail(items[kClientRejectReasonsMax], "client_reject_reasons",
                  fmt::format("{} reasons, at most {}", out.size(), kClientRejectReasonsMax));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string_view problem = client_reject_reason_problem(out[i]);
    if (!problem.empty()) return r.fail(items[i], "client_reject_reasons", problem);
  }
}

void read_properties(const toml::table& table, const std::string& path, std::string& error,
                     Scenario& s) {
  TableReader r(table, "properties", path, error);
  r.texts("check", s.properties);
  r.number("failed_share_max", s.limits.failed_share_max, 0.0, 1.0);
  r.number("outage_ms_max", s.limits.outage_ms_max, int64_t{0}, kOutageMsMaxCeiling);
  r.number("metadata_staleness_ms", s.limits.metadata_staleness_ms, int64_t{0},
           kMetadataStalenessMsCeiling);
  r.number("recovery_ms_max", s.limits.recovery_ms_max, int64_t{0}, kRecoveryMsMaxCeiling);
  r.number("answer_bound_ms", s.answer_bound_ms, 1, 600'000);
  read_client_reject_reasons(r, table, s.limits.client_reject_reasons);
  for (size_t i = 0; i < s.properties.size() && error.empty(); ++i) {
    const std::string& name = s.properties[i];
    if (find_property(name) == nullptr) {
      r.fail(*table.get("check"), "check",
             fmt::format("unknown property '{}' (see `ordeal list properties`)", name));
    } else if (std::find(s.properties.begin(), s.properties.begin() + i, name) !=
               s.properties.begin() + i) {
      // Checked twice, every violation would be reported twice.
      r.fail(*table.get("check"), "check", fmt::format("'{}' is named twice", name));
    }
  }
  r.finish();
}

void read_live(const toml::table& table, const std::string& path, std::string& error, Scenario& s) {
  TableReader r(table, "live", path, error);
  r.texts("allow_hosts", s.allow_hosts);
  r.number("max_orders_per_s", s.max_orders_per_s, 0, 1'000'000);
  r.number("clean_up_timeout_ms", s.clean_up_timeout_ms, 0, 60'000);
  r.finish();
}

void read_exchange(const toml::table& table, const std::string& path, std::string& error,
                   Scenario& s) {
  TableReader r(table, "exchange", path, error);
  r.number("replicas", s.replicas, 1, 9);
  r.number("shards", s.shards, 1, 16);
  r.finish();
}

// A process fault's node must be a node of the scenario's exchange.
std::string check_process_nodes(const Scenario& s) {
  const exchange::Layout layout{.replicas = s.replicas, .shards = s.shards};
  std::vector<std::string> names;
  for (exchange::NodeId id = 0; id <= layout.gateway(); ++id) names.push_back(layout.name(id));
  for (const FaultSpec& fault : s.faults) {
    if (faults::is_version_fault(fault.point) && fault.node.rfind("meta-", 0) != 0) {
      return fmt::format(
          "{}:{}: nemesis.fault.node: {} acts on a metadata replica (meta-0 .. meta-{}), not "
          "'{}'",
          s.path, fault.node_line, fault.point, s.replicas - 1, fault.node);
    }
    if (fault.node.empty() || std::find(names.begin(), names.end(), fault.node) != names.end()) {
      continue;
    }
    return fmt::format("{}:{}: nemesis.fault.node: no node '{}' in this exchange (known: {})",
                       s.path, fault.node_line, fault.node, fmt::join(names, ", "));
  }
  return "";
}

// A network fault's link must join two nodes of the scenario's exchange
// ("client" for ordeal's clients, which reach the gateway only): a link that
// names no node would set up a proxy nothing goes through, a silent no-op.
std::string check_links(const Scenario& s) {
  const exchange::Layout layout{.replicas = s.replicas, .shards = s.shards};
  std::vector<std::string> names;
  for (exchange::NodeId id = 0; id <= layout.gateway(); ++id) names.push_back(layout.name(id));
  const auto known = [&names](std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const FaultSpec& fault : s.faults) {
    if (fault.link.empty()) continue;
    const size_t arrow = fault.link.find("->");
    const std::string from = fault.link.substr(0, arrow);
    const std::string to = arrow == std::string::npos ? "" : fault.link.substr(arrow + 2);
    const bool client = from == "client" && to == "gateway";
    if (client || (known(from) && known(to) && from != to)) continue;
    return fmt::format(
        "{}:{}: nemesis.fault.link: no link '{}' in this exchange: expected FROM->TO, "
        "\"client->gateway\" or two of its nodes ({})",
        s.path, fault.link_line, fault.link, fmt::join(names, ", "));
  }
  return "";
}

// An operation's price is the middle of its symbol's band plus or minus up
// to price_steps_max steps (price_grid.h): more steps than the middle holds
// would send prices of 0 or below, rejected whatever the metadata says, so
// the run would test nothing. The bound is that of the scenario's symbol with
// the fewest steps below its middle. A venue's own instruments must hold
// every such price in their band too: one outside is refused for the
// metadata, and a narrow band would leave few valid orders in the run.
std::string check_price_steps(const Scenario& s, const toml::table& root) {
  const exchange::MetadataState known = scenario_metadata(s);
  const toml::node* node = root.at_path("workload.price_steps_max").node();
  const std::string where =
      node != nullptr
          ? fmt::format("{}:{}: workload.price_steps_max", s.path, node->source().begin.line)
          : fmt::format("{}: workload.price_steps_max (default {})", s.path, s.price_steps_max);
  const auto price = [&s](int64_t p) { return from_units(p, s.units.price_decimals); };
  for (const std::string& symbol : s.symbols) {
    const exchange::Instrument& record = *known.find(symbol);
    const PriceGrid g = price_grid(record);
    const int64_t in_band = price_steps_in_band(g, record);
    if (!s.instruments.empty() && in_band < 0) {
      return fmt::format(
          "{}: instruments: {}'s band {}..{} holds no price of ordeal's grid (multiples of ten "
          "ticks, {}): widen the band or declare a finer tick",
          s.path, symbol, price(record.min_price), price(record.max_price), price(g.step));
    }
    if (!s.instruments.empty() && s.price_steps_max > in_band) {
      return fmt::format(
          "{}: must be between 0 and {} with {} (its prices are {} plus or minus steps of {}, "
          "ten ticks: {} steps would leave its band {}..{})",
          where, in_band, symbol, price(g.mid), price(g.step), s.price_steps_max,
          price(record.min_price), price(record.max_price));
    }
    const int64_t most = price_steps_max(g);
    if (s.price_steps_max <= most) continue;
    return fmt::format(
        "{}: must be between 0 and {} with {} (its prices are {} plus or minus steps of {}: {} "
        "steps below would make a price of {})",
        where, most, symbol, price(g.mid), price(g.step), s.price_steps_max,
        price(g.mid - s.price_steps_max * g.step));
  }
  return "";
}

}  // namespace

ScenarioLoad parse_scenario(std::string_view toml_text, const std::string& path) {
  ScenarioLoad load;
  Scenario& s = load.scenario;
  s.path = path;
  toml::table root;
  try {
    root = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    load.error = fmt::format("{}:{}: {}", path, e.source().begin.line, e.description());
    return load;
  }
  TableReader r(root, "", path, load.error);
  r.text("name", s.name);
  r.text("description", s.description);
  r.text("target", s.target);
  r.number("cases", s.cases, 1, 100'000'000);
  uint64_t seed = 0;
  const bool seeded = root.get("seed") != nullptr;
  r.number("seed", seed, uint64_t{0}, uint64_t{1} << 62);  // read either way: a known key
  if (seeded) s.seed = seed;
  if (const toml::table* t = r.table("workload")) read_workload(*t, path, load.error, s);
  if (const toml::table* t = r.table("metadata")) read_metadata(*t, path, load.error, s);
  if (const toml::table* t = r.table("nemesis")) read_nemesis(*t, path, load.error, s);
  if (const toml::table* t = r.table("exchange")) read_exchange(*t, path, load.error, s);
  if (const toml::table* t = r.table("live")) read_live(*t, path, load.error, s);
  if (const toml::table* t = r.table("properties")) read_properties(*t, path, load.error, s);
  if (const toml::array* list = r.array_of_tables("instruments"); list && load.error.empty()) {
    load.error = read_venue_instruments(*list, path, s);
  }
  r.finish();
  // Reports and junit.xml name the scenario; a nameless one by its file.
  if (s.name.empty()) s.name = std::filesystem::path(path).stem().string();
  const toml::node* symbols = root.at_path("workload.symbols").node();
  // A venue's instruments are all traded unless the workload names some.
  if (symbols == nullptr && !s.instruments.empty()) {
    s.symbols.clear();
    for (const exchange::Instrument& record : s.instruments) s.symbols.push_back(record.symbol);
  }
  const exchange::MetadataState known = scenario_metadata(s);
  const std::string where =
      symbols == nullptr ? path : fmt::format("{}:{}", path, symbols->source().begin.line);
  for (const std::string& symbol : s.symbols) {
    if (!load.error.empty() || known.find(symbol) != nullptr) continue;
    std::vector<std::string_view> names;
    for (const exchange::Instrument& record : known.instruments) names.push_back(record.symbol);
    load.error =
        fmt::format("{}: workload.symbols: unknown symbol '{}' ({} lists {})", where, symbol,
                    s.instruments.empty() ? "the reference exchange" : "[[instruments]]",
                    fmt::join(names, ", "));
  }
  for (size_t i = 0; i < s.symbols.size() && load.error.empty(); ++i) {
    // Twice would double its share of the orders and of the recovery probes:
    // a weight the file does not say it means.
    if (std::find(s.symbols.begin(), s.symbols.begin() + i, s.symbols[i]) ==
        s.symbols.begin() + i) {
      continue;
    }
    load.error = fmt::format("{}: workload.symbols: '{}' is named twice", where, s.symbols[i]);
  }
  if (load.error.empty() && s.symbols.empty()) {
    load.error = fmt::format("{}: workload.symbols: at least one symbol is needed", where);
  }
  if (root["target"]) s.target_line = root["target"].node()->source().begin.line;
  // A FIX gateway is named on the command line, beside the credentials it
  // takes from the environment: a scenario stays runnable anywhere. Other
  // names are the program's to know (a target it registered), when the run
  // does not choose another with --target.
  if (load.error.empty() && s.target.rfind("fix://", 0) == 0) {
    load.error = fmt::format(
        "{}:{}: target: '{}' is given with --target on the command line, not in a scenario", path,
        s.target_line, s.target);
  } else if (load.error.empty() && s.target.empty()) {
    load.error = fmt::format("{}:{}: target: empty (inproc, cluster, or a registered target)", path,
                             s.target_line);
  }
  if (load.error.empty()) load.error = check_price_steps(s, root);
  if (load.error.empty()) load.error = check_process_nodes(s);
  if (load.error.empty()) load.error = check_links(s);
  return load;
}

ScenarioLoad load_scenario(const std::string& path) {
  // A scenario is a few kilobytes; a larger file is not one (or never ends,
  // like /dev/zero), and a folder opens but reads as nothing.
  constexpr size_t kScenarioBytesMax = size_t{1} << 20;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return ScenarioLoad{.error = fmt::format("{}: cannot read the scenario file: a folder", path)};
  }
  if (!std::filesystem::exists(path, ec)) {
    return ScenarioLoad{.error =
                            fmt::format("{}: cannot read the scenario file: no such file", path)};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ScenarioLoad{.error = fmt::format("{}: cannot read the scenario file", path)};
  // Read a chunk at a time until past the bound: a buffer of the bound's
  // size, zeroed first, cost more than parsing the scenario.
  std::string text;
  for (char chunk[4096]; text.size() <= kScenarioBytesMax;) {
    in.read(chunk, sizeof(chunk));
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (!in) break;
  }
  if (text.size() > kScenarioBytesMax) {
    return ScenarioLoad{
        .error = fmt::format("{}: more than {} bytes: not a scenario", path, kScenarioBytesMax)};
  }
  return parse_scenario(text, path);
}

std::string_view to_string(Invalid invalid) {
  switch (invalid) {
    case Invalid::none:
      return "none";
    case Invalid::off_tick:
      return "off-tick";
    case Invalid::zero_qty:
      return "zero-qty";
    case Invalid::huge_qty:
      return "huge-qty";
    case Invalid::unknown_symbol:
      return "unknown-symbol";
    case Invalid::unknown_order:
      return "unknown-order";
    case Invalid::reused_clordid:
      return "reused-clordid";
  }
  return "?";
}

std::string_view to_string(MetaChangeKind kind) {
  switch (kind) {
    case MetaChangeKind::tick:
      return "tick";
    case MetaChangeKind::band:
      return "band";
    case MetaChangeKind::status:
      return "status";
    case MetaChangeKind::move:
      return "move";
    case MetaChangeKind::max_qty:
      return "max_qty";
  }
  return "?";
}

}  // namespace ordeal
