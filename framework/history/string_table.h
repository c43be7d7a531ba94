// The history's interned strings: client order ids, symbols, reasons, fault
// names. Each distinct string is stored once, in large chunks that never
// move, and named by a small integer (a Sym); an open-addressing table finds
// a string's Sym without a node or a std::string per entry, so that a history
// of millions of orders costs tens of bytes per order id, not a hundred.
//
//   StringTable strings;
//   const Sym a = strings.intern("c1-1");   // 0 is always the empty string
//   assert(strings.intern("c1-1") == a && strings.text(a) == "c1-1");
//   assert(strings.find("c1-1") == a && !strings.find("c1-2"));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "framework/base/large_vector.h"

namespace ordeal {

using Sym = uint32_t;  // an interned string; 0 is the empty string

class StringTable {
 public:
  StringTable();
  // A copy holds its own chunks, with the same Syms.
  StringTable(const StringTable& other);
  StringTable& operator=(const StringTable& other);
  StringTable(StringTable&&) noexcept = default;  // chunks never move: views stay valid
  StringTable& operator=(StringTable&&) noexcept = default;

  Sym intern(std::string_view text);
  // The string's Sym if it was interned (0 for the empty string), without
  // adding it: a reader of a finished history looks strings up this way.
  std::optional<Sym> find(std::string_view text) const;
  std::string_view text(Sym sym) const { return texts_[sym]; }
  // How many strings there are, the empty one included: every Sym is below it.
  size_t size() const { return texts_.size(); }

 private:
  struct Slot {
    Sym sym = 0;  // 0: empty slot
    // The hash's lower half: most mismatches never touch the text, and
    // growing the table needs no hashing (it is never 2^32 slots).
    uint32_t hash = 0;
  };

  static constexpr size_t kRecentSlots = 1024;
  static constexpr size_t kRecentFromSlots = 8192;

  [[gnu::noinline]] Sym intern_recent(std::string_view text, uint64_t hash_full);
  Sym intern_new(std::string_view text, uint32_t hash);
  // The slot holding `text`, or the empty one where it would go.
  [[gnu::always_inline]] inline size_t slot_of(std::string_view text, uint32_t hash) const;
  // Inlined in intern_new(), its one caller, which runs once per new string.
  [[gnu::always_inline]] inline std::string_view store(std::string_view text);
  void grow_slots();

  LargeVector<std::string_view> texts_;  // by Sym, pointing into chunks_
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* chunk_next_ = nullptr;  // where the next string goes in the last chunk
  size_t chunk_free_ = 0;       // bytes left there
  size_t chunk_bytes_ = 0;      // the size of the last shared chunk
  LargeVector<Slot> slots_;     // a power of two in size, at most 3/4 full
  // The strings met lately, by other bits of their hash: a client order id
  // comes back a few events after it was first seen, and here it is found
  // without a cache miss in the large table (a tenth of reading a history).
  // Made once the large table outgrows the caches: a case's small table
  // gains nothing from it, and would pay for clearing and moving it.
  std::unique_ptr<Slot[]> recent_;
};

}  // namespace ordeal
