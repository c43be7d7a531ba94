#include "framework/history/op_links.h"

#include <fmt/format.h>

#include <algorithm>

namespace ordeal {
namespace {
// Ops up to this many beyond twice the events read so far share the dense
// table: a history's own numbering stays dense, and a file of a few events
// with huge op numbers costs a map entry each, not gigabytes.
constexpr size_t kDenseSlack = 65'536;
}  // namespace

std::optional<FieldError> OpLinks::add(const Event& event, size_t events) {
  if (event.op == 0 || !needs_op(event.type)) return std::nullopt;
  uint8_t& state = state_of(event.op, events);
  const auto kind = static_cast<uint8_t>(static_cast<uint8_t>(event.kind) + 1);
  if (event.type == EventType::invoke) {
    if (state != 0) {
      return FieldError{"op", fmt::format("{} is invoked twice: an op links one request to its "
                                          "answer, so each request needs its own",
                                          event.op)};
    }
    state = kind;
    return std::nullopt;
  }
  if (state == 0) {
    return FieldError{
        "op", fmt::format("{} completes a request never invoked before this line", event.op)};
  }
  if ((state & kCompleted) != 0) {
    return FieldError{"op", fmt::format("{} is completed twice", event.op)};
  }
  if ((state & ~kCompleted) != kind) {
    const auto invoked = static_cast<exchange::RequestKind>((state & ~kCompleted) - 1);
    return FieldError{
        "f", fmt::format("'{}' completes op {}, invoked as '{}'", exchange::to_string(event.kind),
                         event.op, exchange::to_string(invoked))};
  }
  state |= kCompleted;
  return std::nullopt;
}

uint8_t& OpLinks::state_of(uint32_t op, size_t events) {
  if (op < dense_.size()) return dense_[op];
  if (op > 2 * events + kDenseSlack) return sparse_[op];
  const size_t size = std::max<size_t>(size_t{op} + 1, dense_.size() * 2);
  dense_.resize(size, 0);
  // Ops the map took while the table was smaller now belong to it.
  for (auto it = sparse_.begin(); it != sparse_.end();) {
    if (it->first < size) {
      dense_[it->first] = it->second;
      it = sparse_.erase(it);
    } else {
      ++it;
    }
  }
  return dense_[op];
}

}  // namespace ordeal
