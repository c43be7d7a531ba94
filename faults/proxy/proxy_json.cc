// The fault proxy's types as JSON: see proxy_json.h.
#include "faults/proxy/proxy_json.h"

#include <fmt/format.h>

#include <limits>
#include <set>

namespace ordeal::proxy {
namespace {

using nlohmann::json;

// Reads the fields of one JSON object, each by name and type; the first
// problem (wrong type, unknown field) becomes the error.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {
    if (!object.is_object()) error_ = "the body must be a JSON object";
  }

  template <typename T>
  void integer(const char* name, T& out, T lo = std::numeric_limits<T>::min()) {
    const json* value = take(name);
    if (!value) return;
    if (!value->is_number_integer() || *value < lo) {
      fail(name, lo == std::numeric_limits<T>::min() ? std::string("an integer")
                                                     : fmt::format("an integer >= {}", lo));
      return;
    }
    out = value->get<T>();
  }

  void number(const char* name, double& out) {
    const json* value = take(name);
    if (!value) return;
    if (!value->is_number()) return fail(name, "a number");
    out = value->get<double>();
  }

  void text(const char* name, std::string& out) {
    const json* value = take(name);
    if (!value) return;
    if (!value->is_string()) return fail(name, "a string");
    out = value->get<std::string>();
  }

  void texts(const char* name, std::vector<std::string>& out) {
    const json* value = take(name);
    if (!value) return;
    if (!value->is_array()) return fail(name, "an array of strings");
    out.clear();
    for (const json& item : *value) {
      if (!item.is_string()) return fail(name, "an array of strings");
      out.push_back(item.get<std::string>());
    }
  }

  // Called last: any field not read is unknown.
  std::string finish() {
    if (!error_.empty()) return error_;
    for (const auto& [key, value] : object_.items()) {
      if (!read_.contains(key)) return fmt::format("unknown field '{}'", key);
    }
    return {};
  }

  bool ok() const { return error_.empty(); }

 private:
  const json* take(const char* name) {
    if (!error_.empty()) return nullptr;
    read_.insert(name);
    const auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }

  void fail(const char* name, std::string_view expected) {
    if (error_.empty()) error_ = fmt::format("field '{}': expected {}", name, expected);
  }

  const json& object_;
  std::set<std::string> read_;
  std::string error_;
};

std::string enum_field(const char* name, const std::string& text, auto parse, auto& out,
                       std::string_view choices) {
  const auto parsed = parse(text);
  if (!parsed) return fmt::format("field '{}': '{}' is not one of {}", name, text, choices);
  out = *parsed;
  return {};
}

std::string kind_choices() {
  std::string out;
  for (FaultKind kind : all_kinds())
    out += fmt::format("{}{}", out.empty() ? "" : ", ", kind_name(kind));
  return out;
}

}  // namespace

std::string fault_from_json(const json& body, ProxyFault& fault) {
  FieldReader reader(body);
  std::string kind, direction = std::string(direction_name(fault.direction));
  if (reader.ok() && !body.contains("kind"))
    return "field 'kind': missing (one of " + kind_choices() + ")";
  reader.text("name", fault.name);
  reader.text("kind", kind);
  reader.text("direction", direction);
  reader.number("probability", fault.probability);
  reader.integer<uint64_t>("max_fires", fault.max_fires);
  reader.integer<int64_t>("lease_ms", fault.lease_ms, 0);
  reader.texts("fix_types", fault.fix_types);
  reader.integer<int64_t>("latency_ms", fault.latency_ms, 0);
  reader.integer<int64_t>("jitter_ms", fault.jitter_ms, 0);
  reader.integer<int64_t>("rate_bytes_per_s", fault.rate_bytes_per_s, 0);
  reader.integer<int64_t>("slice_bytes", fault.slice_bytes, 0);
  reader.integer<int64_t>("slice_delay_us", fault.slice_delay_us, 0);
  reader.integer<int64_t>("corrupt_bytes", fault.corrupt_bytes, 0);
  reader.integer<int64_t>("reset_after_ms", fault.reset_after_ms, 0);
  if (std::string error = reader.finish(); !error.empty()) return error;
  if (auto e = enum_field("kind", kind, parse_kind, fault.kind, kind_choices()); !e.empty())
    return e;
  if (auto e = enum_field("direction", direction, parse_direction, fault.direction,
                          "upstream, downstream, both");
      !e.empty())
    return e;
  return validate(fault);
}

std::string options_from_json(const json& body, ProxyOptions& options) {
  FieldReader reader(body);
  reader.text("name", options.name);
  reader.text("listen", options.listen);
  reader.text("upstream", options.upstream);
  reader.integer<uint64_t>("seed", options.seed);
  reader.integer<int64_t>("connect_timeout_ms", options.connect_timeout_ms, 1);
  reader.integer<int64_t>("write_timeout_ms", options.write_timeout_ms, 1);
  reader.integer<int64_t>("connections_max", options.connections_max, 1);
  if (std::string error = reader.finish(); !error.empty()) return error;
  if (options.upstream.empty()) return "field 'upstream': missing (host:port)";
  return {};
}

json to_json(const FaultState& state) {
  const ProxyFault& f = state.fault;
  return {{"name", f.name},
          {"kind", kind_name(f.kind)},
          {"direction", direction_name(f.direction)},
          {"probability", f.probability},
          {"max_fires", f.max_fires},
          {"lease_ms", f.lease_ms},
          {"lease_left_ms", state.lease_left_ms},
          {"fix_types", f.fix_types},
          {"latency_ms", f.latency_ms},
          {"jitter_ms", f.jitter_ms},
          {"rate_bytes_per_s", f.rate_bytes_per_s},
          {"slice_bytes", f.slice_bytes},
          {"slice_delay_us", f.slice_delay_us},
          {"corrupt_bytes", f.corrupt_bytes},
          {"reset_after_ms", f.reset_after_ms},
          {"decisions", state.decisions},
          {"fired", state.fired}};
}

json to_json(const ProxyState& state) {
  const ProxyCounters& c = state.counters;
  json faults = json::array();
  for (const FaultState& fault : state.faults) faults.push_back(to_json(fault));
  return {{"name", state.options.name},
          {"listen", state.listen_address},
          {"upstream", state.options.upstream},
          {"seed", state.options.seed},
          {"counters",
           {{"connections_accepted", c.connections_accepted},
            {"connections_open", c.connections_open},
            {"connections_refused", c.connections_refused},
            {"connections_reset", c.connections_reset},
            {"bytes_upstream", c.bytes_upstream},
            {"bytes_downstream", c.bytes_downstream},
            {"bytes_dropped", c.bytes_dropped},
            {"bytes_spliced", c.bytes_spliced},
            {"faults_fired", c.faults_fired}}},
          {"faults", faults}};
}

}  // namespace ordeal::proxy
