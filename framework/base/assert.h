// Invariant checks that stay on in every build type.
//
// A broken invariant inside ordeal itself is a bug, not an expected error: it
// aborts with the condition and its location. Expected errors (bad input, an
// unreachable target) are values, never ORDEAL_ASSERT.
//
//   ORDEAL_ASSERT(qty > 0);
//   ORDEAL_ASSERT(leaves <= qty, "leaves {} > qty {}", leaves, qty);
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace ordeal::detail {

[[noreturn]] inline void assert_failed(const char* condition, const char* file, int line,
                                       const std::string& detail) {
  std::fprintf(stderr, "ordeal: assertion failed: %s at %s:%d%s%s\n", condition, file, line,
               detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

inline std::string assert_detail() { return {}; }

template <typename... Args>
std::string assert_detail(fmt::format_string<Args...> format, Args&&... args) {
  return fmt::format(format, std::forward<Args>(args)...);
}

}  // namespace ordeal::detail

#define ORDEAL_ASSERT(condition, ...)                                                \
  do {                                                                               \
    if (!(condition)) [[unlikely]] {                                                 \
      ::ordeal::detail::assert_failed(#condition, __FILE__, __LINE__,                \
                                      ::ordeal::detail::assert_detail(__VA_ARGS__)); \
    }                                                                                \
  } while (false)
