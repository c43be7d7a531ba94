// The toxic of each fault kind; the simple ones (swallowing) live here.
#include "faults/proxy/toxic.h"

namespace ordeal::proxy {
namespace {

// blackhole and drop: the segment is read and never delivered. They differ in
// what they select (every byte, or chosen FIX messages), not in what they do.
class SwallowToxic final : public Toxic {
 public:
  void apply(Segment& segment, uint64_t /*draw*/) const override { segment.drop = true; }
};

}  // namespace

std::unique_ptr<Toxic> make_toxic(const ProxyFault& fault) {
  switch (fault.kind) {
    case FaultKind::latency:
      return make_latency_toxic(fault);
    case FaultKind::bandwidth:
      return make_bandwidth_toxic(fault);
    case FaultKind::slicing:
      return make_slicing_toxic(fault);
    case FaultKind::corrupt:
      return make_corrupt_toxic(fault);
    case FaultKind::blackhole:
    case FaultKind::drop:
      return std::make_unique<SwallowToxic>();
    case FaultKind::half_open:
    case FaultKind::reset:
      return nullptr;
  }
  return nullptr;
}

}  // namespace ordeal::proxy
