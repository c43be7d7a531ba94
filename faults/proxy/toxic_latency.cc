// latency: each segment the fault fires on waits latency_ms, plus or minus a
// seeded jitter. Segments stay in order (as on one TCP link), so a delayed
// segment also holds back the ones behind it.
#include <algorithm>

#include "faults/proxy/toxic.h"
#include "framework/base/rng.h"

namespace ordeal::proxy {
namespace {

class LatencyToxic final : public Toxic {
 public:
  LatencyToxic(int64_t latency_ms, int64_t jitter_ms)
      : latency_us_(latency_ms * 1000), jitter_us_(jitter_ms * 1000) {}

  void apply(Segment& segment, uint64_t draw) const override {
    int64_t delay_us = latency_us_;
    if (jitter_us_ > 0) delay_us += Rng(draw).between(-jitter_us_, jitter_us_);
    segment.delay_us += std::max<int64_t>(delay_us, 0);
  }

 private:
  int64_t latency_us_;
  int64_t jitter_us_;
};

}  // namespace

std::unique_ptr<Toxic> make_latency_toxic(const ProxyFault& fault) {
  return std::make_unique<LatencyToxic>(fault.latency_ms, fault.jitter_ms);
}

}  // namespace ordeal::proxy
