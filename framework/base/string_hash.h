// A fast hash of short strings: order ids, symbols, names of a dozen bytes.
// The standard library's hash of a string is an out-of-line call that reads
// a byte at a time at the end; here eight bytes go in at a time, the last
// one to eight with loads that may overlap bytes already mixed in, and one
// full mix ends it. Not stable across versions of ordeal: use it for hash
// tables, never for anything stored or compared between runs.
//
//   std::unordered_map<std::string, int, StringHash, std::equal_to<>> ids;
//   ids.find(std::string_view("BTC-USDT"));  // no std::string made
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "framework/base/rng.h"

namespace ordeal {
namespace detail {

inline uint64_t load64(const char* at) {
  uint64_t word;
  std::memcpy(&word, at, sizeof(word));
  return word;
}

inline uint64_t load32(const char* at) {
  uint32_t word;
  std::memcpy(&word, at, sizeof(word));
  return word;
}

// A string of under eight bytes, as one word.
inline uint64_t short_word(const char* at, size_t left) {
  if (left >= 4) return load32(at) << 32 | load32(at + left - 4);
  if (left == 0) return 0;
  const auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(at[i])}; };
  return byte(0) << 16 | byte(left / 2) << 8 | byte(left - 1);
}

}  // namespace detail

inline uint64_t hash_string(std::string_view text) {
  constexpr uint64_t kMultiplier = 0xbf58476d1ce4e5b9ULL;
  uint64_t h = text.size();
  const char* at = text.data();
  size_t left = text.size();
  for (; left > 8; at += 8, left -= 8) h = std::rotl((h ^ detail::load64(at)) * kMultiplier, 29);
  const uint64_t tail = text.size() >= 8 ? detail::load64(text.data() + text.size() - 8)
                                         : detail::short_word(at, left);
  return mix64(h ^ tail);
}

// For hash tables keyed by strings; transparent, so that a string_view
// looks a key up without a std::string made for it.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return hash_string(text); }
  size_t operator()(const std::string& text) const { return hash_string(text); }
  size_t operator()(const char* text) const { return hash_string(text); }
};

}  // namespace ordeal
