#include "faults/fault_point.h"

#include <fiu-control.h>
#include <fiu.h>

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

// The draw of the hit being decided, handed from decide() (called by libfiu
// inside fiu_fail) back to check_armed() on the same thread.
thread_local uint64_t current_draw = 0;
std::atomic<FireObserver*> fire_observer{nullptr};

}  // namespace

FaultPoint::FaultPoint(std::string_view name, std::string_view description)
    : name_(name), description_(description) {
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
  gate_.store(false, std::memory_order_relaxed);
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
  const Hit hit{.fired = true, .param = spec_.param, .draw = current_draw, .towards = towards};
  if (FireObserver* observer = fire_observer.load(std::memory_order_acquire)) {
    observer->on_fire(*this, hit);
  }
  return hit;
}

// Called by libfiu under its read lock: must not call back into libfiu.
int FaultPoint::decide(const char* /*name*/, int* /*failnum*/, void** failinfo,
                       unsigned* /*flags*/) {
  auto* point = static_cast<FaultPoint*>(*failinfo);
  const uint64_t hit = point->hits_.fetch_add(1, std::memory_order_relaxed);
  const uint64_t draw = mix64(point->point_seed_ ^ mix64(hit));
  if (unit_interval(draw) >= point->spec_.probability) return 0;
  uint64_t fired = point->fires_.load(std::memory_order_relaxed);
  do {
    if (fired >= point->spec_.max_fires) return 0;
  } while (!point->fires_.compare_exchange_weak(fired, fired + 1, std::memory_order_relaxed));
  current_draw = mix64(draw);
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
