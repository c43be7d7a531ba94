#include "framework/history/history.h"

#include <array>

#include "framework/base/assert.h"

namespace ordeal {
namespace {
constexpr std::array<std::string_view, 11> kTypeNames = {
    "invoke", "ok",          "fail",       "info", "fill",      "update",
    "read",   "fault_start", "fault_stop", "meta", "fault_fire"};
}

std::string_view to_string(EventType type) { return kTypeNames.at(static_cast<size_t>(type)); }

std::optional<EventType> event_type_from(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

void History::time_went_backwards(int64_t time_us) const {
  ORDEAL_ASSERT(time_us >= events_.back().time_us, "history time went backwards: {} after {}",
                time_us, events_.back().time_us);
}

uint32_t History::add_record(const exchange::Instrument& record) {
  records_.push_back(record);
  return static_cast<uint32_t>(records_.size() - 1);
}

}  // namespace ordeal
