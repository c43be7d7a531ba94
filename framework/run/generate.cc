#include "framework/run/generate.h"

#include <rapidcheck.h>

namespace ordeal {
namespace {

using exchange::OrdType;
using exchange::RequestKind;
using exchange::Side;
using exchange::TimeInForce;

// RapidCheck scales ranges with the test's "size", which grows from 0 over
// the first cases: at size 0 every draw is the minimum. Values of a case are
// drawn at full size instead; shrinking still moves them towards the minimum.
constexpr int kFullSize = 100;

template <typename T>
rc::Gen<T> uniform(T min, T max_exclusive) {
  return rc::gen::resize(kFullSize, rc::gen::inRange<T>(min, max_exclusive));
}

// Picks by weight; shrinks towards the first choice, so list the simplest first.
template <typename T>
rc::Gen<T> weighted(std::vector<std::pair<int, T>> choices) {
  std::erase_if(choices, [](const auto& c) { return c.first <= 0; });
  int total = 0;
  for (const auto& choice : choices) total += choice.first;
  return rc::gen::map(uniform(0, total), [choices](int pick) {
    for (const auto& [weight, value] : choices) {
      if (pick < weight) return value;
      pick -= weight;
    }
    return choices.back().second;
  });
}

rc::Gen<Invalid> invalid_kind(double share) {
  const int invalid = static_cast<int>(share * 1000 / 6);
  return weighted<Invalid>({{1000 - 6 * invalid, Invalid::none},
                            {invalid, Invalid::off_tick},
                            {invalid, Invalid::zero_qty},
                            {invalid, Invalid::huge_qty},
                            {invalid, Invalid::unknown_symbol},
                            {invalid, Invalid::unknown_order},
                            {invalid, Invalid::reused_clordid}});
}

rc::Gen<Op> op_generator(const Scenario& s) {
  const OperationMix& m = s.mix;
  return rc::gen::exec([s, m] {
    Op op;
    op.kind = *weighted<RequestKind>({{m.place, RequestKind::place},
                                      {m.amend, RequestKind::amend},
                                      {m.cancel, RequestKind::cancel},
                                      {m.mass_cancel, RequestKind::mass_cancel},
                                      {m.status, RequestKind::status}});
    op.target = *uniform<uint16_t>(0, 64);
    op.symbol = *uniform<uint8_t>(0, static_cast<uint8_t>(s.symbols.size()));
    op.side = *weighted<Side>({{1, Side::buy}, {1, Side::sell}});
    op.type = *weighted<OrdType>({{9, OrdType::limit}, {1, OrdType::market}});
    op.tif = *weighted<TimeInForce>({{8, TimeInForce::gtc}, {2, TimeInForce::ioc}});
    op.post_only = *weighted<bool>({{9, false}, {1, true}});
    op.price_steps = *uniform<int16_t>(static_cast<int16_t>(-s.price_steps_max),
                                       static_cast<int16_t>(s.price_steps_max + 1));
    op.lots = *uniform<int16_t>(1, static_cast<int16_t>(s.lots_max + 1));
    op.invalid = *invalid_kind(s.invalid_share);
    op.at_ms = *uniform<int32_t>(0, s.think_ms_max + 1);  // a think time until made absolute
    return op;
  });
}

rc::Gen<MetaChange> meta_change_generator(const Scenario& s) {
  return rc::gen::exec([s] {
    MetaChange change;
    change.at_ms = *uniform<int32_t>(0, s.nemesis_window_ms);
    change.symbol = *uniform<uint8_t>(0, static_cast<uint8_t>(s.symbols.size()));
    change.kind = s.metadata_kinds[*uniform<size_t>(0, s.metadata_kinds.size())];
    switch (change.kind) {
      case MetaChangeKind::tick:
        change.value = *weighted<int>({{1, 1}, {1, 2}, {1, 5}});
        break;
      case MetaChangeKind::band:
        change.value = *uniform(1, s.price_steps_max + 2);
        break;
      case MetaChangeKind::status:
        change.value = *uniform(0, 4);
        break;
      case MetaChangeKind::move:
        change.value = 1;
        break;
      case MetaChangeKind::max_qty:
        change.value = *uniform(1, s.lots_max + 1);
        break;
    }
    return change;
  });
}

rc::Gen<FaultWindow> fault_window_generator(const Scenario& s) {
  return rc::gen::exec([s] {
    FaultWindow window;
    window.fault = *uniform<uint8_t>(0, static_cast<uint8_t>(s.faults.size()));
    window.start_ms = *uniform<int32_t>(0, s.nemesis_window_ms);
    window.duration_ms = *uniform<int32_t>(1, s.nemesis_window_ms + 1);
    return window;
  });
}

}  // namespace

rc::Gen<Case> case_generator(const Scenario& s) {
  return rc::gen::exec([s] {
    Case c;
    // The seed stays as drawn while shrinking, so that shrinking works on the
    // workload and the nemesis rather than on the network's timing.
    c.seed = *rc::gen::noShrink(rc::gen::arbitrary<uint64_t>());
    for (int i = 0; i < s.clients; ++i) {
      auto ops = *rc::gen::resize(s.operations_per_client,
                                  rc::gen::container<std::vector<Op>>(op_generator(s)));
      int32_t at_ms = 0;
      for (Op& op : ops) op.at_ms = at_ms += op.at_ms;  // think times to send times
      normalize_targets(ops);
      c.clients.push_back(std::move(ops));
    }
    if (!s.metadata_kinds.empty()) {
      c.metadata =
          *rc::gen::resize(s.metadata_changes_max,
                           rc::gen::container<std::vector<MetaChange>>(meta_change_generator(s)));
    }
    if (!s.faults.empty()) {
      c.faults = *rc::gen::resize(
          s.faults_max, rc::gen::container<std::vector<FaultWindow>>(fault_window_generator(s)));
    }
    if (s.upgrade) {
      c.upgrade = *rc::gen::arbitrary<bool>();
      c.upgrade_start_ms = *uniform<int32_t>(0, s.nemesis_window_ms / 2 + 1);
    }
    return c;
  });
}

}  // namespace ordeal
