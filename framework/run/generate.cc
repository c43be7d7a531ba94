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

// Every generator below is built once per scenario and captures only small
// values: a case draws hundreds of values, and building a generator (or
// copying the scenario) per draw cost more than the draws themselves. The
// draws, their order and their ranges are what they were, so a seed gives
// the same cases.
rc::Gen<Op> op_generator(const Scenario& s) {
  const OperationMix& m = s.mix;
  const auto kind = weighted<RequestKind>({{m.place, RequestKind::place},
                                           {m.amend, RequestKind::amend},
                                           {m.cancel, RequestKind::cancel},
                                           {m.mass_cancel, RequestKind::mass_cancel},
                                           {m.status, RequestKind::status}});
  const auto target = uniform<uint16_t>(0, 64);
  const auto symbol = uniform<uint8_t>(0, static_cast<uint8_t>(s.symbols.size()));
  const auto side = weighted<Side>({{1, Side::buy}, {1, Side::sell}});
  const auto type = weighted<OrdType>({{9, OrdType::limit}, {1, OrdType::market}});
  const auto tif = weighted<TimeInForce>({{8, TimeInForce::gtc}, {2, TimeInForce::ioc}});
  const auto post_only = weighted<bool>({{9, false}, {1, true}});
  const auto price_steps = uniform<int16_t>(static_cast<int16_t>(-s.price_steps_max),
                                            static_cast<int16_t>(s.price_steps_max + 1));
  const auto lots = uniform<int16_t>(1, static_cast<int16_t>(s.lots_max + 1));
  const auto invalid = invalid_kind(s.invalid_share);
  const auto think_ms = uniform<int32_t>(0, s.think_ms_max + 1);
  return rc::gen::exec([=] {
    Op op;
    op.kind = *kind;
    op.target = *target;
    op.symbol = *symbol;
    op.side = *side;
    op.type = *type;
    op.tif = *tif;
    op.post_only = *post_only;
    op.price_steps = *price_steps;
    op.lots = *lots;
    op.invalid = *invalid;
    op.at_ms = *think_ms;  // a think time until made absolute
    return op;
  });
}

rc::Gen<MetaChange> meta_change_generator(const Scenario& s) {
  const auto at_ms = uniform<int32_t>(0, s.nemesis_window_ms);
  const auto symbol = uniform<uint8_t>(0, static_cast<uint8_t>(s.symbols.size()));
  const std::vector<MetaChangeKind> kinds = s.metadata_kinds;
  const auto kind_index = uniform<size_t>(0, kinds.size());
  const auto tick = weighted<int>({{1, 1}, {1, 2}, {1, 5}});
  const auto band = uniform(1, s.price_steps_max + 2);
  const auto status = uniform(0, 4);
  const auto max_qty = uniform(1, s.lots_max + 1);
  return rc::gen::exec([=] {
    MetaChange change;
    change.at_ms = *at_ms;
    change.symbol = *symbol;
    change.kind = kinds[*kind_index];
    switch (change.kind) {
      case MetaChangeKind::tick:
        change.value = *tick;
        break;
      case MetaChangeKind::band:
        change.value = *band;
        break;
      case MetaChangeKind::status:
        change.value = *status;
        break;
      case MetaChangeKind::move:
        change.value = 1;
        break;
      case MetaChangeKind::max_qty:
        change.value = *max_qty;
        break;
    }
    return change;
  });
}

rc::Gen<FaultWindow> fault_window_generator(const Scenario& s) {
  const auto fault = uniform<uint8_t>(0, static_cast<uint8_t>(s.faults.size()));
  const auto start_ms = uniform<int32_t>(0, s.nemesis_window_ms);
  const auto duration_ms = uniform<int32_t>(1, s.nemesis_window_ms + 1);
  return rc::gen::exec([=] {
    FaultWindow window;
    window.fault = *fault;
    window.start_ms = *start_ms;
    window.duration_ms = *duration_ms;
    return window;
  });
}

}  // namespace

rc::Gen<Case> case_generator(const Scenario& s) {
  const int clients = s.clients;
  const auto ops = rc::gen::resize(s.operations_per_client,
                                   rc::gen::container<std::vector<Op>>(op_generator(s)));
  const bool metadata = !s.metadata_kinds.empty();
  const auto changes =
      rc::gen::resize(s.metadata_changes_max,
                      rc::gen::container<std::vector<MetaChange>>(meta_change_generator(s)));
  const bool faults = !s.faults.empty();
  const auto windows = rc::gen::resize(
      s.faults_max, rc::gen::container<std::vector<FaultWindow>>(fault_window_generator(s)));
  const bool upgrade = s.upgrade;
  const auto upgrade_start_ms = uniform<int32_t>(0, s.nemesis_window_ms / 2 + 1);
  return rc::gen::exec([=] {
    Case c;
    // The seed stays as drawn while shrinking, so that shrinking works on the
    // workload and the nemesis rather than on the network's timing.
    c.seed = *rc::gen::noShrink(rc::gen::arbitrary<uint64_t>());
    for (int i = 0; i < clients; ++i) {
      auto client_ops = *ops;
      int32_t at_ms = 0;
      for (Op& op : client_ops) op.at_ms = at_ms += op.at_ms;  // think times to send times
      normalize_targets(client_ops);
      c.clients.push_back(std::move(client_ops));
    }
    if (metadata) c.metadata = *changes;
    if (faults) c.faults = *windows;
    if (upgrade) {
      c.upgrade = *rc::gen::arbitrary<bool>();
      c.upgrade_start_ms = *upgrade_start_ms;
    }
    return c;
  });
}

}  // namespace ordeal
