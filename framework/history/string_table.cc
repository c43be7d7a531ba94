#include "framework/history/string_table.h"

#include <algorithm>
#include <cstring>

#include "framework/base/assert.h"
#include "framework/base/string_hash.h"

namespace ordeal {
namespace {

// Strings share chunks that double from the smallest size to the largest;
// a string larger than that gets a chunk of its own. A case's history holds
// well under a kilobyte of text: a first chunk of the largest size was most
// of what interning cost it (the allocator sorts its free lists when a block
// that large comes back), while a long history reaches the largest size
// after a few chunks.
constexpr size_t kChunkBytesMin = 512;
constexpr size_t kChunkBytesMax = size_t{64} << 10;
constexpr size_t kSlotsMin = 64;

// Most strings here are order ids and symbols of a dozen bytes, for which
// the standard library's hash (an out-of-line call) cost more than the rest
// of interning. Only slots depend on the hash: a Sym is the string's rank of
// first appearance, whatever the hash.
uint64_t hash_of(std::string_view text) { return hash_string(text); }

}  // namespace

// The list of texts is taken at once as long as the first slots hold them
// (a case's history has a few dozen strings), not grown by doubling.
StringTable::StringTable() : slots_(kSlotsMin) {
  texts_.reserve(kSlotsMin * 3 / 4);
  texts_.emplace_back();  // Sym 0: the empty string
}

StringTable::StringTable(const StringTable& other) : StringTable() {
  for (size_t sym = 1; sym < other.size(); ++sym) intern(other.text(static_cast<Sym>(sym)));
}

StringTable& StringTable::operator=(const StringTable& other) {
  if (this != &other) *this = StringTable(other);
  return *this;
}

// Kept small, the recent slots apart: a case's history interns a string per
// event or so, and saving the registers the recent slots need cost more
// than the hash.
Sym StringTable::intern(std::string_view text) {
  if (text.empty()) return 0;
  const uint64_t hash_full = hash_of(text);
  if (recent_ == nullptr) return intern_new(text, static_cast<uint32_t>(hash_full));
  return intern_recent(text, hash_full);
}

Sym StringTable::intern_recent(std::string_view text, uint64_t hash_full) {
  const auto hash = static_cast<uint32_t>(hash_full);
  Slot& recent = recent_[(hash_full >> 32) % kRecentSlots];
  // Only a hint, checked against the text: a table moved from keeps its
  // recent slots but not its strings.
  if (recent.hash == hash && recent.sym != 0 && recent.sym < texts_.size() &&
      texts_[recent.sym] == text) {
    return recent.sym;
  }
  const Sym sym = intern_new(text, hash);
  recent = Slot{sym, hash};
  return sym;
}

// Linear probing ends at an empty slot: the table is never full.
inline size_t StringTable::slot_of(std::string_view text, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.sym == 0 || (slot.hash == hash && texts_[slot.sym] == text)) return i;
  }
}

std::optional<Sym> StringTable::find(std::string_view text) const {
  if (text.empty()) return 0;
  const Slot& slot = slots_[slot_of(text, static_cast<uint32_t>(hash_of(text)))];
  if (slot.sym == 0) return std::nullopt;
  return slot.sym;
}

// The large table: the string's Sym, found or added.
Sym StringTable::intern_new(std::string_view text, uint32_t hash) {
  Slot& slot = slots_[slot_of(text, hash)];
  if (slot.sym != 0) return slot.sym;
  ORDEAL_ASSERT(texts_.size() < UINT32_MAX, "more than 2^32 distinct strings");
  slot = Slot{static_cast<Sym>(texts_.size()), hash};
  texts_.push_back(store(text));
  if (texts_.size() * 4 > slots_.size() * 3) grow_slots();
  return static_cast<Sym>(texts_.size() - 1);
}

std::string_view StringTable::store(std::string_view text) {
  if (chunk_free_ < text.size()) {
    // The rest of the previous chunk stays unused: less than this string,
    // or up to a whole chunk when this string is a large one (rare).
    chunk_bytes_ = chunks_.empty() ? kChunkBytesMin : std::min(kChunkBytesMax, chunk_bytes_ * 2);
    const size_t bytes = std::max(chunk_bytes_, text.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
    chunk_next_ = chunks_.back().get();
    chunk_free_ = bytes;
  }
  std::memcpy(chunk_next_, text.data(), text.size());
  const std::string_view stored(chunk_next_, text.size());
  chunk_next_ += text.size();
  chunk_free_ -= text.size();
  return stored;
}

void StringTable::grow_slots() {
  LargeVector<Slot> slots(slots_.size() * 2);
  const size_t mask = slots.size() - 1;
  for (const Slot& old : slots_) {
    if (old.sym == 0) continue;
    size_t i = old.hash & mask;
    while (slots[i].sym != 0) i = (i + 1) & mask;
    slots[i] = old;
  }
  slots_ = std::move(slots);
  if (recent_ == nullptr && slots_.size() >= kRecentFromSlots) {
    recent_ = std::make_unique<Slot[]>(kRecentSlots);
  }
}

}  // namespace ordeal
