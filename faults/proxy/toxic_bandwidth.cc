// bandwidth: the writer paces the segment so the direction delivers at most
// rate_bytes_per_s. Bytes are late, never lost.
#include "faults/proxy/toxic.h"

namespace ordeal::proxy {
namespace {

class BandwidthToxic final : public Toxic {
 public:
  explicit BandwidthToxic(int64_t rate_bytes_per_s) : rate_bytes_per_s_(rate_bytes_per_s) {}

  void apply(Segment& segment, uint64_t /*draw*/) const override {
    // Two bandwidth faults on one segment: the narrower one wins.
    if (segment.rate_bytes_per_s == 0 || segment.rate_bytes_per_s > rate_bytes_per_s_)
      segment.rate_bytes_per_s = rate_bytes_per_s_;
  }

 private:
  int64_t rate_bytes_per_s_;
};

}  // namespace

std::unique_ptr<Toxic> make_bandwidth_toxic(const ProxyFault& fault) {
  return std::make_unique<BandwidthToxic>(fault.rate_bytes_per_s);
}

}  // namespace ordeal::proxy
