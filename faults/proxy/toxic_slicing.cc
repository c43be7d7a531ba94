// slicing: the writer sends the segment as small slices (seeded sizes around
// slice_bytes) with slice_delay_us between them, so the receiver sees a
// message arrive in pieces: the test of its framing across reads.
#include <algorithm>

#include "faults/proxy/toxic.h"
#include "framework/base/rng.h"

namespace ordeal::proxy {
namespace {

class SlicingToxic final : public Toxic {
 public:
  SlicingToxic(int64_t slice_bytes, int64_t slice_delay_us)
      : slice_bytes_(slice_bytes), slice_delay_us_(slice_delay_us) {}

  void apply(Segment& segment, uint64_t draw) const override {
    segment.slice_bytes = slice_bytes_;
    segment.slice_delay_us = slice_delay_us_;
    segment.slice_seed = draw;
  }

 private:
  int64_t slice_bytes_;
  int64_t slice_delay_us_;
};

}  // namespace

int64_t next_slice_bytes(uint64_t& state, int64_t average) {
  Rng rng(state);
  const int64_t bytes = rng.between(1, std::max<int64_t>(2 * average - 1, 1));
  state = rng.next();
  return bytes;
}

std::unique_ptr<Toxic> make_slicing_toxic(const ProxyFault& fault) {
  return std::make_unique<SlicingToxic>(fault.slice_bytes, fault.slice_delay_us);
}

}  // namespace ordeal::proxy
