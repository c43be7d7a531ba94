// The one random number generator of ordeal's sim mode.
//
// Every random choice of a case (workload, fault firing, message delays) comes
// from an Rng seeded from the case's seed, so a case replays exactly. It is
// splitmix64: tiny, fast, and the same on every platform and standard library
// (std::uniform_int_distribution is not).
//
//   Rng rng(seed);
//   int64_t delay_us = rng.between(100, 900);
//   if (rng.chance(0.25)) { ... }
#pragma once

#include <cstdint>
#include <string_view>

#include "framework/base/assert.h"

namespace ordeal {

// One splitmix64 step: a good 64-bit mix of any input. Also used to derive
// independent seeds (seed of fault point X = mix(case seed ^ hash(X))).
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a: a stable hash of a name, for deriving per-name seeds.
constexpr uint64_t hash_name(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Maps a 64-bit draw onto [0, span) by its high bits: draw * span / 2^64, a
// multiplication where a remainder takes a division (tens of cycles; the
// simulator draws a latency per message). Each value gets floor or ceil of
// 2^64 / span draws, so the bias is span / 2^64. span > 0.
constexpr uint64_t scaled(uint64_t draw, uint64_t span) {
  __extension__ using U128 = unsigned __int128;
  return static_cast<uint64_t>((U128{draw} * span) >> 64);
}

// Maps a 64-bit draw onto [0, 1).
constexpr double unit_interval(uint64_t draw) {
  return static_cast<double>(draw >> 11) * 0x1.0p-53;
}

class Rng {
 public:
  explicit constexpr Rng(uint64_t seed) : state_(seed) {}

  constexpr uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [lo, hi], both included. The modulo bias is below 2^-40 for
  // the ranges ordeal uses (delays, indices), far under anything observable.
  constexpr int64_t between(int64_t lo, int64_t hi) {
    ORDEAL_ASSERT(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return span == 0 ? static_cast<int64_t>(next()) : lo + static_cast<int64_t>(next() % span);
  }

  // True with the given probability.
  constexpr bool chance(double probability) { return unit_interval(next()) < probability; }

  // An independent generator for a sub-stream (e.g. one per node).
  constexpr Rng fork(uint64_t stream) { return Rng(mix64(next() ^ mix64(stream))); }

 private:
  uint64_t state_;
};

}  // namespace ordeal
