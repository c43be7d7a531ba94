// A RapidCheck generator for a list whose elements come from one draw: the
// draw seeds ordeal's Rng, which decides the length and every element. A
// case has hundreds of values, and drawing each from RapidCheck (which
// splits its random stream per draw) cost more than running the case.
// Shrinking works on the list, not on the draw: it removes chunks of
// elements, then simplifies single elements with the given function.
// Include only where RapidCheck is included (generate.cc).
//
//   auto lots = seeded_list<int>(20, [](Rng& rng) { return int(rng.between(1, 9)); },
//                                [](int v) { return rc::shrink::towards(v, 1); }).gen;
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <functional>
#include <vector>

#include "framework/base/rng.h"

namespace ordeal {

// A list drawn from one RapidCheck draw, two ways: `gen`, the shrinkable
// draw, and `values`, the list `gen` makes from the same random stream
// without the shrinkable (for a caller that splits the stream itself, as
// generate.cc does for a case's first, unshrunk values).
template <typename T>
struct SeededList {
  rc::Gen<std::vector<T>> gen;
  std::function<std::vector<T>(const rc::Random&)> values;
};

// Lists of 0..length_max elements, the length uniform. `make(Rng&)` returns
// one element; `simplify(element)` returns an rc::Seq of simpler variants of
// it, simplest first (an empty Seq: nothing simpler).
template <typename T, typename Make, typename Simplify>
SeededList<T> seeded_list(int length_max, Make make, Simplify simplify) {
  ORDEAL_ASSERT(length_max >= 0);
  auto values = [length_max, make](const rc::Random& random) {
    rc::Random stream = random;
    Rng rng(stream.next());
    const auto length = static_cast<size_t>(rng.between(0, length_max));
    std::vector<T> list;
    list.reserve(length);
    for (size_t i = 0; i < length; ++i) list.push_back(make(rng));
    return list;
  };
  auto gen = rc::Gen<std::vector<T>>([values, simplify](const rc::Random& random, int /*size*/) {
    return rc::shrinkable::shrinkRecur(values(random), [simplify](const std::vector<T>& l) {
      return rc::seq::concat(rc::shrink::removeChunks(l), rc::shrink::eachElement(l, simplify));
    });
  });
  return {std::move(gen), std::move(values)};
}

// The variants of `value` whose `field` moves towards `simplest` (halving the
// distance first, as RapidCheck shrinks integers).
template <typename T, typename F>
rc::Seq<T> field_towards(const T& value, F T::*field, F simplest) {
  return rc::seq::map(rc::shrink::towards(value.*field, simplest), [value, field](F v) {
    T simpler = value;
    simpler.*field = v;
    return simpler;
  });
}

// The variant of `value` whose `field` is `simplest`, if it is not already.
template <typename T, typename F>
rc::Seq<T> field_to(const T& value, F T::*field, F simplest) {
  if (value.*field == simplest) return rc::Seq<T>();
  T simpler = value;
  simpler.*field = simplest;
  return rc::seq::just(simpler);
}

}  // namespace ordeal
