#include "faults/fault_point.h"

#include <fiu-control.h>
#include <fiu.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "framework/base/assert.h"
#include "framework/base/rng.h"

namespace ordeal::faults {
namespace {

std::vector<FaultPoint*>& registry() {
  static std::vector<FaultPoint*> points;
  return points;
}

void init_libfiu() {
  static std::once_flag once;
  std::call_once(once, [] { ORDEAL_ASSERT(fiu_init(0) == 0); });
}

bool matches(std::string_view pattern, std::string_view name) {
  if (!pattern.empty() && pattern.back() == '*') {
    return name.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  }
  return name == pattern;
}

// The draw and the number of the hit being decided, handed from decide()
// (called by libfiu inside fiu_fail) back to check_armed() on the same thread.
thread_local uint64_t current_draw = 0;
thread_local uint64_t current_check = 0;
std::atomic<FireObserver*> fire_observer{nullptr};

// "1 tick size, 2 lot size": each choice with the value that names it.
std::string numbered(const ParamMeaning& param) {
  std::string out;
  for (size_t i = 0; i < param.choices.size(); ++i) {
    out += fmt::format("{}{} {}", i == 0 ? "" : ", ", i + 1, param.choices[i]);
  }
  return out;
}

// "(param: delay ms, default 200)", or ": 1 tick size, 2 lot size (param;
// 0 = drawn)": the form `ordeal list faults` has always printed.
std::string notes_on(const ParamMeaning& param) {
  if (!param.choices.empty()) return fmt::format(": {} (param; 0 = drawn)", numbered(param));
  if (param.what.empty()) return "";
  return fmt::format(" (param: {} {}, default {})", param.what, param.unit, param.fallback);
}

}  // namespace

FaultPoint::FaultPoint(std::string_view name, std::string_view description)
    : FaultPoint(name, description, ParamMeaning{}) {}

FaultPoint::FaultPoint(std::string_view name, std::string_view description, ParamMeaning param)
    : name_(name),
      summary_(description),
      param_(std::move(param)),
      description_(summary_ + notes_on(param_)) {
  ORDEAL_ASSERT(param_.choices.empty() || param_.unit.empty(),
                "fault point {}: a parameter has a unit or choices, not both", name_);
  ORDEAL_ASSERT(find_point(name) == nullptr, "fault point {} registered twice", name_);
  auto& points = registry();
  points.insert(std::upper_bound(
                    points.begin(), points.end(), this,
                    [](const FaultPoint* a, const FaultPoint* b) { return a->name_ < b->name_; }),
                this);
}

void FaultPoint::arm(const ArmSpec& spec) {
  init_libfiu();
  ORDEAL_ASSERT(spec.probability >= 0.0 && spec.probability <= 1.0);
  ORDEAL_ASSERT(valid_pins(spec.pins), "fault point {}: pins must rise, within 1..{}", name_,
                kPinCheckMax);
  // Armed again: libfiu's entry for the point goes first, since enabling a
  // point it has enabled already leaks a copy of the name.
  if (gate_.exchange(false)) fiu_disable(name_.c_str());
  spec_ = spec;
  point_seed_ = mix64(spec.seed ^ hash_name(name_));
  hits_.store(0, std::memory_order_relaxed);
  fires_.store(0, std::memory_order_relaxed);
  ORDEAL_ASSERT(fiu_enable_external(name_.c_str(), 1, this, 0, &FaultPoint::decide) == 0);
  gate_.store(true, std::memory_order_release);
}

void FaultPoint::disarm() {
  if (!gate_.exchange(false)) return;
  fiu_disable(name_.c_str());
}

Hit FaultPoint::check_armed(uint32_t towards) {
  if (fiu_fail(name_.c_str()) == 0) return {};
  const Hit hit{.fired = true,
                .param = acting_param(current_draw),
                .draw = current_draw,
                .check = current_check,
                .towards = towards};
  if (FireObserver* observer = fire_observer.load(std::memory_order_acquire)) {
    observer->on_fire(*this, hit);
  }
  return hit;
}

uint64_t FaultPoint::draw_of(uint64_t check) const { return mix64(point_seed_ ^ mix64(check - 1)); }

// Sites read a parameter above 0 as given and anything else as "pick your
// own", so that is what decides here too.
int64_t FaultPoint::acting_param(uint64_t draw) const {
  if (spec_.param > 0) return spec_.param;
  if (!param_.choices.empty()) return 1 + static_cast<int64_t>(draw % param_.choices.size());
  return param_.what.empty() ? spec_.param : param_.fallback;
}

std::string FaultPoint::describe_param(int64_t param) const {
  if (!param_.choices.empty()) {
    if (param >= 1 && static_cast<size_t>(param) <= param_.choices.size()) {
      return std::string(param_.choices[param - 1]);
    }
    return fmt::format("{} {}", param_.what, param);
  }
  if (param_.what.empty()) return fmt::format("param {}", param);
  return fmt::format("{} {}", param, param_.unit);
}

std::string FaultPoint::numbered_choices() const { return numbered(param_); }

std::string FaultPoint::describe_armed_param(int64_t param) const {
  if (param > 0 || param_.what.empty()) return describe_param(param);
  if (!param_.choices.empty()) return fmt::format("a {} drawn per fire", param_.what);
  return fmt::format("default {}", describe_param(param_.fallback));
}

// Called by libfiu under its read lock: must not call back into libfiu.
int FaultPoint::decide(const char* /*name*/, int* /*failnum*/, void** failinfo,
                       unsigned* /*flags*/) {
  auto* point = static_cast<FaultPoint*>(*failinfo);
  const uint64_t hit = point->hits_.fetch_add(1, std::memory_order_relaxed);
  uint64_t draw = point->draw_of(hit + 1);
  if (!point->spec_.pins.empty()) {
    const Pin* pin = pin_at(point->spec_.pins, hit + 1);
    if (pin == nullptr) return 0;
    draw = point->draw_of(pin->as);  // a moved pin does the damage it did where it was found
  } else if (unit_interval(draw) >= point->spec_.probability) {
    return 0;
  }
  uint64_t fired = point->fires_.load(std::memory_order_relaxed);
  do {
    if (fired >= point->spec_.max_fires) return 0;
  } while (!point->fires_.compare_exchange_weak(fired, fired + 1, std::memory_order_relaxed));
  current_draw = mix64(draw);
  current_check = hit + 1;
  return 1;
}

void set_fire_observer(FireObserver* observer) {
  fire_observer.store(observer, std::memory_order_release);
}

std::span<FaultPoint* const> all_points() { return registry(); }

FaultPoint* find_point(std::string_view name) {
  for (FaultPoint* point : registry()) {
    if (point->name() == name) return point;
  }
  return nullptr;
}

int arm(std::string_view pattern, const ArmSpec& spec) {
  int count = 0;
  for (FaultPoint* point : registry()) {
    if (!matches(pattern, point->name())) continue;
    point->arm(spec);
    ++count;
  }
  return count;
}

int disarm(std::string_view pattern) {
  int count = 0;
  for (FaultPoint* point : registry()) {
    if (!matches(pattern, point->name())) continue;
    point->disarm();
    ++count;
  }
  return count;
}

void disarm_all() { disarm("*"); }

ScopedArm::ScopedArm(std::string_view pattern, const ArmSpec& spec)
    : pattern_(pattern), count_(arm(pattern, spec)) {}

ScopedArm::~ScopedArm() { disarm(pattern_); }

}  // namespace ordeal::faults
