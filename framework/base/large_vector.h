// A vector for the few arrays that grow to hundreds of megabytes: a
// history's events, its string table, the checker's index. Blocks of 4 MiB
// or more are mapped directly and marked for transparent huge pages, so that
// filling them takes one page fault per 2 MiB instead of one per 4 KiB (on
// the development machine the faults were a fifth of `ordeal check`'s time).
// As with malloc, pages never written cost address space, not memory.
//
//   LargeVector<Event> events;
//   events.reserve(10'000'000);  // one mapping; memory grows as events are written
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace ordeal {

template <typename T>
struct LargeAllocator {
  using value_type = T;
  static constexpr size_t kMappedBytesMin = size_t{4} << 20;

  LargeAllocator() = default;
  template <typename U>
  explicit LargeAllocator(const LargeAllocator<U>&) {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kMappedBytesMin) return std::allocator<T>{}.allocate(n);
    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc();
    madvise(block, bytes, MADV_HUGEPAGE);  // advice: without huge pages, ordinary ones
    return static_cast<T*>(block);
  }

  void deallocate(T* block, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kMappedBytesMin) {
      std::allocator<T>{}.deallocate(block, n);
    } else {
      munmap(block, bytes);
    }
  }

  bool operator==(const LargeAllocator&) const { return true; }
};

template <typename T>
using LargeVector = std::vector<T, LargeAllocator<T>>;

}  // namespace ordeal
