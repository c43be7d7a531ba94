// Checks, while a history is read, that each op links one invocation to
// at most one completion of the same request kind, as the schema says.
//
// A file written by another tool that numbers two requests alike, or
// completes a request twice or as another kind, would otherwise load:
// the checker would follow one of the two and report the other as never
// answered, or judge a cancel's answer as a place's. The reader names the
// line instead.
//
//   OpLinks links;
//   if (auto error = links.add(event, history.size())) ...  // nothing recorded
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "framework/history/event.h"
#include "framework/history/event_fields.h"

namespace ordeal {

class OpLinks {
 public:
  // The error if `event` breaks the links; otherwise records it. Events
  // without an op pass. `events` is how many the history holds so far: it
  // bounds the memory a dense table may take.
  std::optional<FieldError> add(const Event& event, size_t events);

 private:
  // One byte per op: the invocation's kind plus one (0: not invoked), and
  // whether it completed.
  static constexpr uint8_t kCompleted = 0x80;
  uint8_t& state_of(uint32_t op, size_t events);

  // Ops are usually numbered densely from 1, so a byte per op indexed by
  // op; one far beyond the events read so far goes to the map instead.
  std::vector<uint8_t> dense_;
  std::unordered_map<uint32_t, uint8_t> sparse_;
};

}  // namespace ordeal
