#include "targets/exchange/node_control.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "faults/fault_point.h"

namespace ordeal::exchange {
namespace {

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w && words.size() < 8;) words.push_back(w);
  return words;
}

template <typename T>
bool parse(const std::string& text, T& value) {
  if constexpr (std::is_floating_point_v<T>) {
    try {
      size_t used = 0;
      value = std::stod(text, &used);
      return used == text.size();
    } catch (const std::exception&) {
      return false;
    }
  } else {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
  }
}

class Control {
 public:
  Control(LiveNetwork& net, NodeHandle handle) : net_(net), handle_(std::move(handle)) {}

  std::string handle(const std::string& line) {
    const std::vector<std::string> w = words_of(line);
    if (w.empty()) return "error empty command";
    if (w[0] == "ping" && w.size() == 1) return "ok " + handle_.name;
    if (w[0] == "ready" && w.size() == 1) return handle_.ready() ? "ok yes" : "ok no";
    if (w[0] == "arm" && (w.size() == 6 || w.size() == 7)) return arm(w);
    if (w[0] == "disarm" && w.size() == 2) {
      ++generation_[w[1]];
      return faults::disarm(w[1]) > 0 ? "ok" : "error no fault point " + w[1];
    }
    if (w[0] == "disarm-all" && w.size() == 1) {
      for (auto& [point, generation] : generation_) ++generation;
      faults::disarm_all();
      return "ok";
    }
    if (w[0] == "crash" && w.size() == 2) return crash(w[1]);
    if (w[0] == "upgrade" && w.size() == 3) return upgrade(w[1], w[2]);
    return fmt::format("error unknown command or wrong arguments: {}", line.substr(0, 80));
  }

 private:
  std::string arm(const std::vector<std::string>& w) {
    faults::ArmSpec spec;
    int64_t lease_ms = 0;
    if (!parse(w[2], spec.probability) || spec.probability < 0 || spec.probability > 1)
      return "error probability must be a number in [0, 1]";
    if (!parse(w[3], spec.param)) return "error param must be an integer";
    if (!parse(w[4], spec.seed)) return "error seed must be an unsigned integer";
    if (!parse(w[5], lease_ms) || lease_ms <= 0 || lease_ms > kFaultLeaseMsMax)
      return fmt::format("error lease_ms must be in 1..{}", kFaultLeaseMsMax);
    if (w.size() == 7) {
      auto pins = faults::parse_pins(w[6]);
      if (!pins) return "error pins must be rising checks, as 3,9:10,12 (check or check:as)";
      spec.pins = std::move(*pins);
    }
    if (faults::arm(w[1], spec) == 0) return "error no fault point " + w[1];
    const uint64_t generation = ++generation_[w[1]];
    net_.at(net_.now_us() + lease_ms * 1000, [this, point = w[1], generation] {
      if (generation_[point] == generation) faults::disarm(point);
    });
    return "ok";
  }

  std::string crash(const std::string& down) {
    int64_t down_ms = 0;
    if (!parse(down, down_ms) || down_ms < 0 || down_ms > kFaultLeaseMsMax)
      return "error down_ms out of range";
    net_.post([this, down_ms] { net_.crash(handle_.id, down_ms * 1000); });
    return "ok";
  }

  std::string upgrade(const std::string& schema_text, const std::string& down) {
    if (handle_.replica == nullptr) return "error only metadata replicas upgrade";
    int schema = 0;
    if (!parse(schema_text, schema) || (schema != kSchemaV1 && schema != kSchemaV2))
      return "error schema must be 1 or 2";
    handle_.replica->upgrade_on_restart(static_cast<uint8_t>(schema));
    return crash(down);
  }

  LiveNetwork& net_;
  NodeHandle handle_;
  std::map<std::string, uint64_t> generation_;  // an old lease must not end a newer arm
};

}  // namespace

LiveNetwork::ControlHandler node_control(LiveNetwork& net, NodeHandle handle) {
  auto control = std::make_shared<Control>(net, std::move(handle));
  return [control](const std::string& line) { return control->handle(line); };
}

}  // namespace ordeal::exchange
