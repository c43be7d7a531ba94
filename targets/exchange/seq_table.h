// A table of entries keyed by ids handed out in increasing order, each
// entry short-lived: the gateway's requests waiting for a shard. Entries
// sit in a ring in id order, so a lookup is an index, not a hash, and the
// places of finished entries are reused instead of freed and allocated.
//
//   SeqTable<Pending> pending;
//   pending.emplace(id, Pending{...});
//   if (Pending* p = pending.find(id)) { ...; pending.erase(id); }
//   if (Pending* first = pending.oldest()) { ...; pending.erase(pending.oldest_id()); }
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "framework/base/assert.h"

namespace ordeal::exchange {

template <typename T>
class SeqTable {
 public:
  // `id` must be above every id added before (gaps are allowed, and cost
  // one place each).
  T& emplace(uint64_t id, T value) {
    if (span_ == 0) base_ = id;
    ORDEAL_ASSERT(id >= base_ + span_, "id {} not above the last", id);
    // A jump in the ids (a new numbering after a restart) needs clear() first.
    ORDEAL_ASSERT(id - base_ < kSpanMax, "id {} is {} past the oldest live one", id, id - base_);
    while (base_ + span_ <= id) {  // the skipped ids, then id itself
      if (ring_.empty() || span_ > mask_) grow();
      at(span_++).live = false;
    }
    Slot& slot = at(span_ - 1);
    slot.value = std::move(value);
    slot.live = true;
    ++live_;
    return slot.value;
  }

  T* find(uint64_t id) {
    if (id < base_ || id - base_ >= span_) return nullptr;
    Slot& slot = at(id - base_);
    return slot.live ? &slot.value : nullptr;
  }

  void erase(uint64_t id) {
    if (find(id) == nullptr) return;
    at(id - base_).live = false;
    --live_;
    // Places free up from the oldest end only: the ring spans the ids from
    // the oldest live entry to the newest.
    while (span_ > 0 && !at(0).live) {
      head_ = (head_ + 1) & mask_;
      ++base_;
      --span_;
    }
  }

  size_t size() const { return live_; }

  // The live entry with the lowest id, or null: the oldest end of the ring
  // is always live (erase frees places from there).
  T* oldest() { return span_ == 0 ? nullptr : &at(0).value; }
  uint64_t oldest_id() const { return base_; }

  // Forgets every entry; the next id may be anything.
  void clear() {
    for (uint64_t i = 0; i < span_; ++i) at(i) = Slot{};
    head_ = base_ = span_ = 0;
    live_ = 0;
  }

  static constexpr uint64_t kSpanMax = uint64_t{1} << 24;

 private:
  struct Slot {
    T value{};
    bool live = false;
  };

  Slot& at(uint64_t offset) { return ring_[(head_ + offset) & mask_]; }

  // Doubles the ring (a power of two), keeping the entries in id order.
  void grow() {
    std::vector<Slot> bigger(ring_.empty() ? 16 : ring_.size() * 2);
    for (uint64_t i = 0; i < span_; ++i) bigger[i] = std::move(at(i));
    ring_ = std::move(bigger);
    mask_ = ring_.size() - 1;
    head_ = 0;
  }

  std::vector<Slot> ring_;
  // ring_.size() - 1, kept: the size of a vector of Slots is a division by
  // the Slot's size, and every lookup took one.
  uint64_t mask_ = 0;
  uint64_t head_ = 0;  // where the entry for base_ sits
  uint64_t base_ = 0;  // the oldest id still spanned
  uint64_t span_ = 0;  // ids spanned, from base_
  size_t live_ = 0;
};

}  // namespace ordeal::exchange
