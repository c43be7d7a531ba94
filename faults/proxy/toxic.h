// What a fault does to the bytes it fires on: one Toxic per fault kind.
//
// The proxy cuts each direction's traffic into segments (a chunk as read, or
// one whole FIX message when a fault filters on message types), decides for
// each fault whether it fires on the segment (seeded), and lets the fault's
// toxic change the segment: drop it, delay it, corrupt it, or shape how it is
// written (slices, bandwidth). The writer then carries the plan out.
//
//   std::unique_ptr<Toxic> toxic = make_toxic(fault);
//   if (fired) toxic->apply(segment, draw);
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "faults/proxy/proxy_fault.h"

namespace ordeal::proxy {

struct Segment {
  std::string bytes;
  std::string fix_type;  // the 35= value when the segment is one FIX message
  bool is_fix_message = false;

  // The plan, filled in by the toxics that fired.
  bool drop = false;
  int64_t delay_us = 0;
  int64_t slice_bytes = 0;
  int64_t slice_delay_us = 0;
  uint64_t slice_seed = 0;
  int64_t rate_bytes_per_s = 0;
};

class Toxic {
 public:
  virtual ~Toxic() = default;
  // Changes a segment the fault fired on; `draw` is the seeded value of that
  // decision, for the toxic's own choices (how long, which byte).
  virtual void apply(Segment& segment, uint64_t draw) const = 0;
};

// Faults that act on connections (half_open, reset) have no toxic: nullptr.
std::unique_ptr<Toxic> make_toxic(const ProxyFault& fault);

// One slice size for the writer of a sliced segment: uniform in
// [1, 2 * average - 1], so slices average `average` bytes. Advances `state`.
int64_t next_slice_bytes(uint64_t& state, int64_t average);

// The per-kind makers behind make_toxic, one file each.
std::unique_ptr<Toxic> make_latency_toxic(const ProxyFault& fault);
std::unique_ptr<Toxic> make_bandwidth_toxic(const ProxyFault& fault);
std::unique_ptr<Toxic> make_slicing_toxic(const ProxyFault& fault);
std::unique_ptr<Toxic> make_corrupt_toxic(const ProxyFault& fault);

}  // namespace ordeal::proxy
