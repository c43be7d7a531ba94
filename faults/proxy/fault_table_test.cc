#include "faults/proxy/fault_table.h"

#include <gtest/gtest.h>

namespace ordeal::proxy {
namespace {

std::vector<bool> fire_pattern(uint64_t seed, std::string name, int segments) {
  FaultTable table(seed);
  EXPECT_EQ(table.add({.name = std::move(name), .kind = FaultKind::blackhole, .probability = 0.5},
                      SteadyTime{}),
            "");
  std::vector<bool> fired;
  for (int i = 0; i < segments; ++i) {
    Segment segment{.bytes = "x"};
    table.apply(Direction::upstream, segment);
    fired.push_back(segment.drop);
  }
  return fired;
}

TEST(FaultTable, SameSeedSameDecisions) {
  const auto first = fire_pattern(7, "drop-half", 200);
  EXPECT_EQ(first, fire_pattern(7, "drop-half", 200));
  EXPECT_NE(first, fire_pattern(8, "drop-half", 200));
  EXPECT_NE(first, fire_pattern(7, "other-name", 200));
  const auto fires = std::count(first.begin(), first.end(), true);
  EXPECT_GT(fires, 60);  // probability 0.5 over 200 decisions
  EXPECT_LT(fires, 140);
}

TEST(FaultTable, DecisionsDoNotDependOnOtherFaults) {
  FaultTable table(7);
  ASSERT_EQ(table.add({.name = "noise", .kind = FaultKind::latency, .probability = 0.3}, {}), "");
  ASSERT_EQ(table.add({.name = "drop-half", .kind = FaultKind::blackhole, .probability = 0.5}, {}),
            "");
  std::vector<bool> fired;
  for (int i = 0; i < 200; ++i) {
    Segment segment{.bytes = "x"};
    table.apply(Direction::upstream, segment);
    fired.push_back(segment.drop);
  }
  EXPECT_EQ(fired, fire_pattern(7, "drop-half", 200));
}

TEST(FaultTable, MaxFiresStopsFiring) {
  FaultTable table(1);
  ASSERT_EQ(table.add({.kind = FaultKind::drop, .max_fires = 2, .fix_types = {"G"}}, {}), "");
  int dropped = 0;
  for (int i = 0; i < 5; ++i) {
    Segment amend{.bytes = "m", .fix_type = "G", .is_fix_message = true};
    Segment order{.bytes = "m", .fix_type = "D", .is_fix_message = true};
    table.apply(Direction::upstream, amend);
    table.apply(Direction::upstream, order);
    EXPECT_FALSE(order.drop);
    dropped += amend.drop;
  }
  EXPECT_EQ(dropped, 2);
}

TEST(FaultTable, BadFaultsAreRefusedNamingTheField) {
  FaultTable table(1);
  EXPECT_NE(table.add({.kind = FaultKind::bandwidth}, {}).find("rate_bytes_per_s"),
            std::string::npos);
  EXPECT_NE(table.add({.kind = FaultKind::drop}, {}).find("fix_types"), std::string::npos);
  EXPECT_NE(table.add({.kind = FaultKind::latency, .probability = 2}, {}).find("probability"),
            std::string::npos);
  ASSERT_EQ(table.add({.name = "a", .kind = FaultKind::latency}, {}), "");
  EXPECT_NE(table.add({.name = "a", .kind = FaultKind::latency}, {}).find("already active"),
            std::string::npos);
}

TEST(FaultTable, LeasesDefaultToSixtySecondsAndZeroMeansNone) {
  FaultTable table(1);
  ActiveFault* leased = nullptr;
  ActiveFault* forever = nullptr;
  const SteadyTime now{};
  ASSERT_EQ(table.add({.name = "leased", .kind = FaultKind::latency}, now, &leased), "");
  ASSERT_EQ(
      table.add({.name = "forever", .kind = FaultKind::latency, .lease_ms = 0}, now, &forever), "");
  EXPECT_EQ(leased->expires_at, now + std::chrono::milliseconds(kDefaultLeaseMs));
  EXPECT_FALSE(forever->expires_at.has_value());
}

}  // namespace
}  // namespace ordeal::proxy
