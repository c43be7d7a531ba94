// Failure signatures: equal for cases that differ only in what shrinking
// leaves to chance (counts, times, order, seeds), different when the broken
// property or the kinds of operation, fault or metadata change differ.
#include "framework/report/signature.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

using exchange::RequestKind;

Scenario two_faults() {
  Scenario s;
  s.faults = {{.point = "meta.update.drop"}, {.point = "process.pause", .node = "engine-1"}};
  return s;
}

Case lost_cancel_case() {
  Case c;
  c.seed = 11;
  c.clients = {
      {{.kind = RequestKind::place, .at_ms = 10}, {.kind = RequestKind::cancel, .at_ms = 50}}};
  c.faults = {{.fault = 0, .start_ms = 20, .duration_ms = 300}};
  c.upgrade = true;
  return c;
}

const std::vector<Violation> kLostCancel = {{.property = "no-lost-cancel", .message = "lost"}};

TEST(Signature, NamesPropertyOperationsFaultsAndMetadata) {
  const FailureSignature s = failure_signature(two_faults(), lost_cancel_case(), kLostCancel);
  EXPECT_EQ(s.text,
            "no-lost-cancel | ops cancel place | faults meta.update.drop upgrade | metadata -");
  ASSERT_EQ(s.id.size(), 16u);
  EXPECT_EQ(s.id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Signature, IgnoresCountsTimesOrderAndSeeds) {
  const Scenario s = two_faults();
  Case other = lost_cancel_case();
  other.seed = 99;
  other.upgrade_start_ms = 700;
  other.faults[0].start_ms = 900;
  other.clients = {
      {{.kind = RequestKind::cancel, .at_ms = 5}},
      {{.kind = RequestKind::place, .at_ms = 1}, {.kind = RequestKind::place, .at_ms = 2}}};
  other.faults.push_back({.fault = 0, .start_ms = 40, .duration_ms = 10});
  const std::vector<Violation> more = {kLostCancel[0], {.property = "no-overfill"}};
  EXPECT_EQ(failure_signature(s, lost_cancel_case(), kLostCancel).id,
            failure_signature(s, other, more).id);
}

TEST(Signature, DiffersByPropertyOperationFaultAndMetadataKind) {
  const Scenario s = two_faults();
  const std::string base = failure_signature(s, lost_cancel_case(), kLostCancel).id;
  EXPECT_NE(base, failure_signature(s, lost_cancel_case(), {{.property = "no-lost-amend"}}).id);
  Case amend = lost_cancel_case();
  amend.clients[0][1].kind = RequestKind::amend;
  EXPECT_NE(base, failure_signature(s, amend, kLostCancel).id);
  Case invalid = lost_cancel_case();
  invalid.clients[0][0].invalid = Invalid::off_tick;
  EXPECT_NE(base, failure_signature(s, invalid, kLostCancel).id);
  Case no_upgrade = lost_cancel_case();
  no_upgrade.upgrade = false;
  EXPECT_NE(base, failure_signature(s, no_upgrade, kLostCancel).id);
  Case with_meta = lost_cancel_case();
  with_meta.metadata = {{.at_ms = 30, .kind = MetaChangeKind::tick, .value = 2}};
  EXPECT_NE(base, failure_signature(s, with_meta, kLostCancel).id);
}

TEST(Signature, ProcessFaultsNameTheirNode) {
  Case paused = lost_cancel_case();
  paused.faults = {{.fault = 1, .start_ms = 0, .duration_ms = 100}};
  EXPECT_NE(
      failure_signature(two_faults(), paused, kLostCancel).text.find("process.pause@engine-1"),
      std::string::npos);
}

}  // namespace
}  // namespace ordeal
