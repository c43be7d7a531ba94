// Failure signatures: equal for cases that differ only in what varies from
// seed to seed for one bug (counts, times, order, seeds, which metadata
// trigger), different when the broken property or the components disturbed
// differ.
#include "framework/report/signature.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

using exchange::RequestKind;

Scenario three_faults() {
  Scenario s;
  s.faults = {{.point = "meta.update.drop"},
              {.point = "process.pause", .node = "engine-1"},
              {.point = "engine.shard.crash"}};
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

TEST(Signature, NamesPropertyAndComponentsAndShowsTheShape) {
  const FailureSignature s = failure_signature(three_faults(), lost_cancel_case(), kLostCancel);
  EXPECT_EQ(s.text, "no-lost-cancel | disturbs meta");
  EXPECT_EQ(s.shape, "ops cancel place | faults meta.update.drop upgrade | metadata -");
  ASSERT_EQ(s.id.size(), 16u);
  EXPECT_EQ(s.id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Signature, IgnoresCountsTimesOrderSeedsAndTheMetadataTrigger) {
  const Scenario s = three_faults();
  Case other = lost_cancel_case();
  other.seed = 99;
  other.upgrade = false;  // a tick change instead of the upgrade and a dropped update
  other.faults.clear();
  other.metadata = {{.at_ms = 30, .kind = MetaChangeKind::tick, .value = 2}};
  other.clients = {{{.kind = RequestKind::cancel, .at_ms = 5}},
                   {{.kind = RequestKind::place, .at_ms = 1},
                    {.kind = RequestKind::amend, .at_ms = 2},
                    {.kind = RequestKind::place, .at_ms = 3}}};
  const std::vector<Violation> more = {kLostCancel[0], {.property = "no-overfill"}};
  const FailureSignature a = failure_signature(s, lost_cancel_case(), kLostCancel);
  const FailureSignature b = failure_signature(s, other, more);
  EXPECT_EQ(a.id, b.id);
  EXPECT_NE(a.shape, b.shape);
}

TEST(Signature, DiffersByPropertyAndByComponent) {
  const Scenario s = three_faults();
  const std::string base = failure_signature(s, lost_cancel_case(), kLostCancel).id;
  EXPECT_NE(base, failure_signature(s, lost_cancel_case(), {{.property = "no-lost-amend"}}).id);
  Case also_engine = lost_cancel_case();
  also_engine.faults.push_back({.fault = 2, .start_ms = 0, .duration_ms = 100});
  EXPECT_NE(base, failure_signature(s, also_engine, kLostCancel).id);
  Case undisturbed = lost_cancel_case();
  undisturbed.faults.clear();
  undisturbed.upgrade = false;
  const FailureSignature none = failure_signature(s, undisturbed, kLostCancel);
  EXPECT_NE(base, none.id);
  EXPECT_EQ(none.text, "no-lost-cancel | disturbs -");
}

TEST(Signature, ProcessFaultsNameTheRoleOfTheirNode) {
  Case paused = lost_cancel_case();
  paused.upgrade = false;
  paused.faults = {{.fault = 1, .start_ms = 0, .duration_ms = 100}};
  const FailureSignature s = failure_signature(three_faults(), paused, kLostCancel);
  EXPECT_EQ(s.text, "no-lost-cancel | disturbs process@engine");
  EXPECT_NE(s.shape.find("process.pause@engine-1"), std::string::npos);
}

}  // namespace
}  // namespace ordeal
