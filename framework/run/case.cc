#include "framework/run/case.h"

namespace ordeal {

void normalize_targets(std::vector<Op>& ops) {
  size_t orders = 0;
  for (Op& op : ops) {
    if (orders > 0 && !adds_order(op, orders))
      op.target = static_cast<uint16_t>(op.target % orders);
    if (adds_order(op, orders)) ++orders;
  }
}

std::vector<Op> without_op(const std::vector<Op>& ops, size_t index) {
  size_t removed_order = SIZE_MAX;
  size_t orders = 0;
  for (size_t i = 0; i < index; ++i) orders += adds_order(ops[i], orders);
  if (adds_order(ops[index], orders)) removed_order = orders;
  std::vector<Op> kept;
  kept.reserve(ops.size() - 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i == index) continue;
    Op op = ops[i];
    if (i > index && op.kind != exchange::RequestKind::place && op.target > removed_order &&
        removed_order != SIZE_MAX) {
      --op.target;
    }
    kept.push_back(op);
  }
  return kept;
}

}  // namespace ordeal
