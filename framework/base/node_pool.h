// An allocator for node-based containers (std::map, std::list,
// std::unordered_map) that keeps freed nodes, per thread and per node size,
// and hands them out again: a simulator builds the exchange's books and
// order tables anew for every case and drops them at its end, so from the
// second case on their nodes come from this free list instead of malloc.
// Allocations of more than one element (hash buckets) go to the heap as
// usual. The free list of a size holds at most kNodePoolFreeMax nodes;
// beyond that a freed node goes back to the heap.
//
//   std::map<Price, Level, std::less<Price>, MapNodePool<Price, Level>> levels;
//
// The allocator has no state: every instance is equal, so containers move
// and swap their nodes freely, and a node may be freed on another thread
// than the one that took it (it joins that thread's list). Under
// AddressSanitizer nodes are not kept, so that a use after free is caught.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace ordeal {

inline constexpr size_t kNodePoolFreeMax = 4096;

namespace detail {

inline void* raw_new(size_t bytes, size_t align) {
  if (align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) return ::operator new(bytes);
  return ::operator new (bytes, std::align_val_t{align});
}

inline void raw_delete(void* p, size_t align) {
  if (align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) return ::operator delete(p);
  ::operator delete (p, std::align_val_t{align});
}

// The free nodes of one size and alignment on this thread, linked through
// their first bytes. The list itself is plain data, so it stays usable
// while other thread-local and static objects are destroyed; a second
// object frees its nodes when the thread ends, after which freed nodes go
// straight back to the heap.
template <size_t kBytes, size_t kAlign>
class NodeFreeList {
 public:
  static void* take() {
    List& list = mine();
    if (list.head == nullptr) return raw_new(kBytes, kAlign);
    Free* node = list.head;
    list.head = node->next;
    --list.count;
    return node;
  }

  static void give(void* node) {
    List& list = mine();
    if (!kKeep || list.closed || list.count >= kNodePoolFreeMax) {
      raw_delete(node, kAlign);
      return;
    }
    if (!list.reaper_set) set_reaper(list);
    list.head = ::new (node) Free{list.head};
    ++list.count;
  }

  // Nodes kept for reuse on this thread.
  static size_t kept() { return mine().count; }

 private:
  struct Free {
    Free* next;
  };
  struct List {
    Free* head = nullptr;
    size_t count = 0;
    bool reaper_set = false;
    bool closed = false;
  };
  struct Reaper {
    ~Reaper() {
      List& list = mine();
      list.closed = true;
      while (list.head != nullptr) {
        Free* next = list.head->next;
        raw_delete(list.head, kAlign);
        list.head = next;
      }
      list.count = 0;
    }
  };
  static_assert(kBytes >= sizeof(Free) && kAlign >= alignof(Free));
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool kKeep = false;
#else
  static constexpr bool kKeep = true;
#endif

  static List& mine() {
    thread_local constinit List list;
    return list;
  }
  static void set_reaper(List& list) {
    thread_local Reaper reaper;
    list.reaper_set = true;
  }
};

}  // namespace detail

template <typename T>
struct NodePoolAllocator {
  using value_type = T;
  // Nodes are rounded up to hold the free list's link.
  static constexpr size_t kAlign = alignof(T) < alignof(void*) ? alignof(void*) : alignof(T);
  static constexpr size_t kBytes = sizeof(T) < sizeof(void*) ? sizeof(void*) : sizeof(T);
  using FreeList = detail::NodeFreeList<kBytes, kAlign>;

  NodePoolAllocator() = default;
  template <typename U>
  NodePoolAllocator(const NodePoolAllocator<U>&) {}  // NOLINT: rebinding is implicit

  T* allocate(size_t n) {
    if (n == 1) return static_cast<T*>(FreeList::take());
    return std::allocator<T>{}.allocate(n);
  }

  void deallocate(T* p, size_t n) {
    if (n == 1) {
      FreeList::give(p);
      return;
    }
    std::allocator<T>{}.deallocate(p, n);
  }

  template <typename U>
  bool operator==(const NodePoolAllocator<U>&) const {
    return true;
  }
};

// The allocator of a map from Key to Value.
template <typename Key, typename Value>
using MapNodePool = NodePoolAllocator<std::pair<const Key, Value>>;

}  // namespace ordeal
