#include "framework/run/generate.h"

#include <rapidcheck.h>

#include <array>
#include <memory>

#include "framework/base/rng.h"
#include "framework/run/seeded_list.h"

namespace ordeal {
namespace {

using exchange::OrdType;
using exchange::RequestKind;
using exchange::Side;
using exchange::TimeInForce;

// Each list of a case (one client's operations, the metadata changes, the
// fault windows) is one RapidCheck draw seeding an Rng (seeded_list.h): a
// case costs a handful of draws instead of about a thousand. The fields keep
// the distributions they had when each was its own draw, and shrinking
// still moves each towards its simplest value.

// A range to draw from, sized once per run rather than at each draw (as
// Rng::between does): a case draws a dozen values per operation. A draw is
// the value Rng::between(lo, hi) gives; whoever draws checks valid() once
// for all its ranges.
struct Range {
  int64_t lo = 0;
  uint64_t span = 1;  // hi - lo + 1

  constexpr Range(int64_t lo_in, int64_t hi)
      : lo(lo_in), span(lo_in <= hi ? static_cast<uint64_t>(hi - lo_in) + 1 : 0) {}

  constexpr bool valid() const { return span != 0; }
  constexpr int64_t draw(Rng& rng) const { return lo + static_cast<int64_t>(rng.next() % span); }
};

// Weights to pick an index by, with their sum taken once: a case picks
// twice per operation.
template <size_t N>
struct Weights {
  std::array<int, N> weights{};
  Range drawn;  // 0 to the sum of the weights - 1

  explicit Weights(const std::array<int, N>& w) : weights(w), drawn(0, sum(w) - 1) {}

  static int sum(const std::array<int, N>& w) {
    int total = 0;
    for (const int weight : w) total += weight;
    return total;
  }

  // An index, picked with probability proportional to its weight.
  size_t pick(Rng& rng) const {
    auto pick = static_cast<int>(drawn.draw(rng));
    for (size_t i = 0; i < N; ++i) {
      if (pick < weights[i]) return i;
      pick -= weights[i];
    }
    return N - 1;
  }
};

constexpr std::array kKinds = {RequestKind::place, RequestKind::amend, RequestKind::cancel,
                               RequestKind::mass_cancel, RequestKind::status};

// What an operation is drawn from: the scenario's workload, in small numbers.
struct OpShape {
  Weights<kKinds.size()> kind_weights;
  Weights<kInvalids.size()> invalid_weights;
  Range symbol;
  Range price_steps;
  Range lots;
  Range think_ms;
  bool drawable = false;  // every range valid, checked once
  static constexpr Range kTargets{0, 63};
  static constexpr Range kSides{0, 1};
  static constexpr Range kTenths{0, 9};

  explicit OpShape(const Scenario& s)
      : kind_weights({s.mix.place, s.mix.amend, s.mix.cancel, s.mix.mass_cancel, s.mix.status}),
        invalid_weights(invalid_per_mille(s.invalid_share)),
        symbol(0, static_cast<int64_t>(s.symbols.size()) - 1),
        price_steps(-s.price_steps_max, s.price_steps_max),
        lots(1, s.lots_max),
        think_ms(0, s.think_ms_max) {
    drawable = kind_weights.drawn.valid() && invalid_weights.drawn.valid() && symbol.valid() &&
               price_steps.valid() && lots.valid() && think_ms.valid();
  }

  // Per mille: the invalid share spread evenly over the six invalid kinds.
  static std::array<int, kInvalids.size()> invalid_per_mille(double invalid_share) {
    std::array<int, kInvalids.size()> weights{};
    const int invalid = static_cast<int>(invalid_share * 1000 / 6);
    weights.fill(invalid);
    weights[0] = 1000 - 6 * invalid;
    return weights;
  }

  Op operator()(Rng& rng) const {
    ORDEAL_ASSERT(drawable);
    Op op;
    op.kind = kKinds[kind_weights.pick(rng)];
    op.target = static_cast<uint16_t>(kTargets.draw(rng));
    op.symbol = static_cast<uint8_t>(symbol.draw(rng));
    op.side = kSides.draw(rng) == 0 ? Side::buy : Side::sell;
    op.type = kTenths.draw(rng) < 9 ? OrdType::limit : OrdType::market;
    op.tif = kTenths.draw(rng) < 8 ? TimeInForce::gtc : TimeInForce::ioc;
    op.post_only = kTenths.draw(rng) == 9;
    op.price_steps = static_cast<int16_t>(price_steps.draw(rng));
    op.lots = static_cast<int16_t>(lots.draw(rng));
    op.invalid = kInvalids[invalid_weights.pick(rng)];
    op.at_ms = static_cast<int32_t>(think_ms.draw(rng));  // made absolute later
    return op;
  }
};

// One field at a time, in the order the fields are drawn.
rc::Seq<Op> simpler_ops(const Op& op) {
  return rc::seq::concat(
      field_to(op, &Op::kind, RequestKind::place), field_towards(op, &Op::target, uint16_t{0}),
      field_towards(op, &Op::symbol, uint8_t{0}), field_to(op, &Op::side, Side::buy),
      field_to(op, &Op::type, OrdType::limit), field_to(op, &Op::tif, TimeInForce::gtc),
      field_to(op, &Op::post_only, false), field_towards(op, &Op::price_steps, int16_t{0}),
      field_towards(op, &Op::lots, int16_t{1}), field_to(op, &Op::invalid, Invalid::none),
      field_towards(op, &Op::at_ms, 0));
}

// The simplest value of a metadata change of each kind.
int32_t simplest_value(MetaChangeKind kind) { return kind == MetaChangeKind::status ? 0 : 1; }

struct MetaChangeShape {
  std::vector<MetaChangeKind> kinds;
  int symbols = 1;
  int window_ms = 1;
  int price_steps_max = 0;
  int lots_max = 1;

  MetaChange operator()(Rng& rng) const {
    MetaChange change;
    change.at_ms = static_cast<int32_t>(rng.between(0, window_ms - 1));
    change.symbol = static_cast<uint8_t>(rng.between(0, symbols - 1));
    change.kind =
        kinds[static_cast<size_t>(rng.between(0, static_cast<int64_t>(kinds.size()) - 1))];
    static constexpr std::array kTickMultipliers = {1, 2, 5};  // keep prices on the grid
    switch (change.kind) {
      case MetaChangeKind::tick:
        change.value = kTickMultipliers[static_cast<size_t>(rng.between(0, 2))];
        break;
      case MetaChangeKind::band:
        change.value = static_cast<int32_t>(rng.between(1, price_steps_max + 1));
        break;
      case MetaChangeKind::status:
        change.value = static_cast<int32_t>(rng.between(0, 3));
        break;
      case MetaChangeKind::move:
        change.value = 1;
        break;
      case MetaChangeKind::max_qty:
        change.value = static_cast<int32_t>(rng.between(1, lots_max));
        break;
    }
    return change;
  }

  // A simpler kind takes that kind's simplest value: values mean different
  // things for different kinds.
  rc::Seq<MetaChange> simpler(const MetaChange& change) const {
    MetaChange first_kind = change;
    first_kind.kind = kinds.front();
    first_kind.value = simplest_value(first_kind.kind);
    return rc::seq::concat(
        field_towards(change, &MetaChange::at_ms, 0),
        field_towards(change, &MetaChange::symbol, uint8_t{0}),
        change.kind == first_kind.kind ? rc::Seq<MetaChange>() : rc::seq::just(first_kind),
        field_to(change, &MetaChange::value, simplest_value(change.kind)));
  }
};

struct FaultWindowShape {
  int faults = 1;
  int window_ms = 1;

  FaultWindow operator()(Rng& rng) const {
    return FaultWindow{.fault = static_cast<uint8_t>(rng.between(0, faults - 1)),
                       .start_ms = static_cast<int32_t>(rng.between(0, window_ms - 1)),
                       .duration_ms = static_cast<int32_t>(rng.between(1, window_ms))};
  }
};

rc::Seq<FaultWindow> simpler_windows(const FaultWindow& w) {
  return rc::seq::concat(field_towards(w, &FaultWindow::fault, uint8_t{0}),
                         field_towards(w, &FaultWindow::start_ms, 0),
                         field_towards(w, &FaultWindow::duration_ms, 1));
}

// What a case is drawn from, made once per run. RapidCheck moves the
// function that draws a case several times per case: it holds these behind
// one pointer, not a copy of each generator (each carries its name).
struct CaseDraws {
  int clients = 0;
  SeededList<Op> ops;
  bool metadata = false;
  SeededList<MetaChange> changes;
  bool faults = false;
  SeededList<FaultWindow> windows;
  bool upgrade = false;
  rc::Gen<int32_t> upgrade_start_ms;
  // The seed stays as drawn while shrinking, so that shrinking works on the
  // workload and the nemesis rather than on the network's timing.
  rc::Gen<uint64_t> seed = rc::gen::noShrink(rc::gen::arbitrary<uint64_t>());
  rc::Gen<bool> upgrade_drawn = rc::gen::arbitrary<bool>();

  // The draws in the order they always had: a case's values depend on it.
  // `take` makes each draw (RecordedDraws or DirectDraws below).
  template <typename Take>
  Case draw(Take& take) const {
    Case c;
    c.seed = take(seed);
    c.clients.reserve(static_cast<size_t>(clients));
    for (int i = 0; i < clients; ++i) {
      auto client_ops = take(ops);
      int32_t at_ms = 0;
      for (Op& op : client_ops) op.at_ms = at_ms += op.at_ms;  // think times to send times
      normalize_targets(client_ops);
      c.clients.push_back(std::move(client_ops));
    }
    if (metadata) c.metadata = take(changes);
    if (faults) c.faults = take(windows);
    if (upgrade) {
      c.upgrade = take(upgrade_drawn);
      c.upgrade_start_ms = take(upgrade_start_ms);
    }
    return c;
  }
};

// Draws inside gen::exec: RapidCheck splits its random stream for each and
// records it, so that it can shrink the draws one by one.
struct RecordedDraws {
  template <typename T>
  T operator()(const rc::Gen<T>& gen) const {
    return *gen;
  }
  template <typename T>
  std::vector<T> operator()(const SeededList<T>& list) const {
    return *list.gen;
  }
};

// The values RecordedDraws gives for the stream `random` at `size`, without
// the records: the stream split as gen::exec splits it (once per draw, in
// order), each value computed from its part. The records cost more than
// the values (about 25,000 instructions a case) and only shrinking reads
// them.
struct DirectDraws {
  rc::Random random;
  int size = 0;

  template <typename T>
  T operator()(const rc::Gen<T>& gen) {
    return gen(random.split(), size).value();
  }
  template <typename T>
  std::vector<T> operator()(const SeededList<T>& list) {
    return list.values(random.split());
  }
};

// A case as RapidCheck gets it: its value drawn directly, its shrinks those
// of the same draws made inside gen::exec (`recorded`), asked for only when
// a case fails. The value is that of `recorded` for the same stream and
// size, so shrinking starts from the very case that failed.
class CaseShrinkable {
 public:
  CaseShrinkable(std::shared_ptr<const CaseDraws> draws, rc::Gen<Case> recorded,
                 const rc::Random& random, int size)
      : draws_(std::move(draws)), recorded_(std::move(recorded)), random_(random), size_(size) {}

  Case value() const {
    DirectDraws take{.random = random_, .size = size_};
    return draws_->draw(take);
  }
  rc::Seq<rc::Shrinkable<Case>> shrinks() const { return recorded_(random_, size_).shrinks(); }

 private:
  std::shared_ptr<const CaseDraws> draws_;
  rc::Gen<Case> recorded_;
  rc::Random random_;
  int size_ = 0;
};

std::shared_ptr<const CaseDraws> case_draws(const Scenario& s) {
  const bool metadata = !s.metadata_kinds.empty() && !s.symbols.empty();
  const auto change_shape = std::make_shared<const MetaChangeShape>(
      MetaChangeShape{.kinds = s.metadata_kinds,
                      .symbols = static_cast<int>(s.symbols.size()),
                      .window_ms = s.nemesis_window_ms,
                      .price_steps_max = s.price_steps_max,
                      .lots_max = s.lots_max});
  const bool faults = !s.faults.empty();
  return std::make_shared<const CaseDraws>(CaseDraws{
      .clients = s.clients,
      .ops = seeded_list<Op>(s.operations_per_client, OpShape(s), &simpler_ops),
      .metadata = metadata,
      // Shared: a list's simplifying function is copied with every draw.
      .changes = seeded_list<MetaChange>(
          metadata ? s.metadata_changes_max : 0, *change_shape,
          [change_shape](const MetaChange& c) { return change_shape->simpler(c); }),
      .faults = faults,
      .windows =
          seeded_list<FaultWindow>(faults ? s.faults_max : 0,
                                   FaultWindowShape{.faults = static_cast<int>(s.faults.size()),
                                                    .window_ms = s.nemesis_window_ms},
                                   &simpler_windows),
      .upgrade = s.upgrade,
      .upgrade_start_ms =
          rc::gen::resize(100, rc::gen::inRange<int32_t>(0, s.nemesis_window_ms / 2 + 1))});
}

rc::Gen<Case> recorded(std::shared_ptr<const CaseDraws> draws) {
  return rc::gen::exec([draws = std::move(draws)] {
    RecordedDraws take;
    return draws->draw(take);
  });
}

}  // namespace

rc::Gen<Case> recorded_case_generator(const Scenario& s) { return recorded(case_draws(s)); }

rc::Gen<Case> case_generator(const Scenario& s) {
  auto draws = case_draws(s);
  return rc::Gen<Case>([draws, shrinks_from = recorded(draws)](const rc::Random& random, int size) {
    return rc::makeShrinkable<CaseShrinkable>(draws, shrinks_from, random, size);
  });
}

}  // namespace ordeal
