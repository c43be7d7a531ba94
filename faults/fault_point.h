// Fault points: named places in a target's code where ordeal injects a fault.
//
// A point is declared once (a global FaultPoint with a name and description)
// and checked at its site; when armed and it fires, the site does the damage:
//
//   extern faults::FaultPoint meta_update_drop;        // declared in a header
//   if (meta_update_drop.check()) return;              // at the site: drop it
//
//   faults::ScopedArm armed("meta.update.drop", {.probability = 0.5, .seed = 7});
//
// A disarmed point costs one relaxed atomic load: libfiu's own check costs
// 60-75 ns, so it is only consulted once the point is armed. Armed points go
// through libfiu (fiu_enable_external), so libfiu's tools see them, but the
// decision to fire comes from the arm's seed and the number of the hit, never
// from libfiu's global PRNG: in sim mode the same seed fires the same hits.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "faults/pin.h"

namespace ordeal::faults {

// How an armed point behaves. `param` means what the point says it means
// (a delay in ms, a field to corrupt, a downtime in ms); 0 lets the site pick.
struct ArmSpec {
  double probability = 1.0;
  uint64_t max_fires = std::numeric_limits<uint64_t>::max();
  int64_t param = 0;
  uint64_t seed = 0;
  // Not empty: the point fires at these checks only, whatever the
  // probability (pin.h); valid_pins() must hold. A shrunk case pins the
  // fires its failure needed.
  std::vector<Pin> pins;
};

// The outcome of one check. `draw` is a seeded random value that the site uses
// for its own choices (which field, how long), so those replay too.
struct Hit {
  // What a site may name as the damage's aim: a node id of the target's own
  // numbering (the subscriber an update was for), or nowhere.
  static constexpr uint32_t kNowhere = UINT32_MAX;
  bool fired = false;
  int64_t param = 0;
  uint64_t draw = 0;
  uint64_t check = 0;           // the number of this check since the arm (1 = the first)
  uint32_t towards = kNowhere;  // as the site passed it to check()
  explicit operator bool() const { return fired; }
};

// What a point's `param` means, declared with the point so that the value a
// fire acts with is known where the fire is recorded, not only at the site:
// a quantity with a unit and the value taken when the arm says 0 (a delay in
// ms, default 200), or one of a few named choices drawn from the hit's draw
// when the arm says 0 (the field a corruption damages). With a meaning, a
// fire's Hit::param is the value the site acts with, never 0.
struct ParamMeaning {
  std::string_view what;                  // "delay", "field"
  std::string_view unit;                  // "ms"; empty for choices
  int64_t fallback = 0;                   // taken when the arm says 0, unless there are choices
  std::vector<std::string_view> choices;  // value i + 1 is choices[i]
};

class FaultPoint {
 public:
  // Registers the point in the catalogue; names are unique. The description
  // says what a fire does; `param`, when given, what its parameter means
  // (`ordeal list faults` prints both).
  FaultPoint(std::string_view name, std::string_view description);
  FaultPoint(std::string_view name, std::string_view description, ParamMeaning param);
  FaultPoint(const FaultPoint&) = delete;
  FaultPoint& operator=(const FaultPoint&) = delete;

  // `towards` names what the damage is aimed at, for the fire observer
  // (the subscriber of a dropped update); it changes nothing else.
  Hit check(uint32_t towards = Hit::kNowhere) {
    if (!gate_.load(std::memory_order_relaxed)) [[likely]]
      return {};
    return check_armed(towards);
  }

  const std::string& name() const { return name_; }
  // What a fire does and, for a point with a ParamMeaning, what its
  // parameter means: "a replica holds back ... (param: delay ms, default 200)".
  const std::string& description() const { return description_; }
  // What a fire does, without the notes on the parameter.
  std::string_view summary() const { return summary_; }
  const ParamMeaning& param_meaning() const { return param_; }
  // A fire's parameter in words: "300 ms", "tick size"; "param 7" for a
  // point declared without a meaning.
  std::string describe_param(int64_t param) const;
  // The arm's parameter in words, 0 included: "default 200 ms", "a field
  // drawn per fire".
  std::string describe_armed_param(int64_t param) const;
  // The choices with the values that name them: "1 tick size, 2 lot size".
  std::string numbered_choices() const;
  bool armed() const { return gate_.load(std::memory_order_relaxed); }
  uint64_t fired_count() const { return fires_.load(std::memory_order_relaxed); }

  void arm(const ArmSpec& spec);
  void disarm();

 private:
  Hit check_armed(uint32_t towards);
  // The parameter a fire with this draw acts with (ParamMeaning).
  int64_t acting_param(uint64_t draw) const;
  // The seeded draw of the check numbered `check` (1 = the first).
  uint64_t draw_of(uint64_t check) const;
  static int decide(const char* name, int* failnum, void** failinfo, unsigned* flags);

  std::string name_;
  std::string summary_;
  ParamMeaning param_;
  std::string description_;  // the summary and the notes on param_
  std::atomic<bool> gate_{false};
  ArmSpec spec_;
  uint64_t point_seed_ = 0;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> fires_{0};
};

// Told of every fire of every point, on the thread whose check fired it.
// The simulator records each fire in the history, so that a report can say
// which update was dropped, and when. One observer at a time; the hook costs
// nothing on a check that does not fire.
class FireObserver {
 public:
  virtual ~FireObserver() = default;
  virtual void on_fire(const FaultPoint& point, const Hit& hit) = 0;
};
// Null: nobody listens. The caller keeps `observer` alive until it is
// replaced or cleared.
void set_fire_observer(FireObserver* observer);

// The catalogue of every registered point, sorted by name.
std::span<FaultPoint* const> all_points();
FaultPoint* find_point(std::string_view name);

// Arms every point matching `pattern` (an exact name, or a prefix ending in
// '*', as libfiu allows). Returns the number armed: 0 means no such point.
int arm(std::string_view pattern, const ArmSpec& spec);
int disarm(std::string_view pattern);
void disarm_all();

// Arms on construction, disarms on destruction; for tests and case runs.
class ScopedArm {
 public:
  ScopedArm(std::string_view pattern, const ArmSpec& spec);
  ~ScopedArm();
  ScopedArm(const ScopedArm&) = delete;
  ScopedArm& operator=(const ScopedArm&) = delete;
  int count() const { return count_; }

 private:
  std::string pattern_;
  int count_;
};

}  // namespace ordeal::faults
