// corrupt: flips corrupt_bytes bytes of the segment, at positions and with
// masks drawn from the decision's seed, so the same traffic and seed corrupt
// the same bytes. The receiver must reject the garbage (checksum, parse
// error) rather than act on it.
#include "faults/proxy/toxic.h"
#include "framework/base/rng.h"

namespace ordeal::proxy {
namespace {

class CorruptToxic final : public Toxic {
 public:
  explicit CorruptToxic(int64_t corrupt_bytes) : corrupt_bytes_(corrupt_bytes) {}

  void apply(Segment& segment, uint64_t draw) const override {
    if (segment.bytes.empty()) return;
    Rng rng(draw);
    // The same position may come up twice; flips are then fewer, never more.
    for (int64_t i = 0; i < corrupt_bytes_; ++i) {
      const auto at =
          static_cast<size_t>(rng.between(0, static_cast<int64_t>(segment.bytes.size()) - 1));
      const auto mask = static_cast<unsigned char>(rng.between(1, 255));
      segment.bytes[at] = static_cast<char>(static_cast<unsigned char>(segment.bytes[at]) ^ mask);
    }
  }

 private:
  int64_t corrupt_bytes_;
};

}  // namespace

std::unique_ptr<Toxic> make_corrupt_toxic(const ProxyFault& fault) {
  return std::make_unique<CorruptToxic>(fault.corrupt_bytes);
}

}  // namespace ordeal::proxy
