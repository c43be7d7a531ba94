// The console report's words for a case.
#include "framework/report/report.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

TEST(Counted, UsesTheSingularForOneOnly) {
  EXPECT_EQ(counted(0, "case"), "0 cases");
  EXPECT_EQ(counted(1, "case"), "1 case");
  EXPECT_EQ(counted(2, "event"), "2 events");
}

TEST(Duration, ShowsMillisecondsBelowASecond) {
  EXPECT_EQ(duration(0.0015), "1.5 ms");
  EXPECT_EQ(duration(0.3612), "361.2 ms");
  EXPECT_EQ(duration(2.3456), "2.35 s");
}

TEST(CaseSize, CountsInWordsWithTheSingularForOne) {
  Case c;
  EXPECT_EQ(case_size(c), "0 operations and 0 faults");
  c.clients = {{Op{}}, {Op{}, Op{}}};
  c.faults = {FaultWindow{}};
  EXPECT_EQ(case_size(c), "3 operations and 1 fault");
  c.clients = {{Op{}}};
  c.faults.clear();
  c.upgrade = true;  // a rolling upgrade counts as a fault
  EXPECT_EQ(case_size(c), "1 operation and 1 fault");
  c.metadata = {MetaChange{}};  // named only when there are some
  EXPECT_EQ(case_size(c), "1 operation, 1 metadata change and 1 fault");
  c.metadata.push_back(MetaChange{});
  EXPECT_EQ(case_size(c), "1 operation, 2 metadata changes and 1 fault");
}

// A replay, a live run or --no-shrink reports the case as it is: "shrunk
// from 56 operations to 56 operations (0.0 ms)" told of a shrink that never ran.
TEST(ShrinkSummary, SaysWhenTheCaseWasNotShrunk) {
  Case original;
  original.clients = {{Op{}, Op{}}, {Op{}}};
  EXPECT_EQ(shrink_summary(original, original, 0),
            "the failing case, not shrunk (3 operations and 0 faults)");
  Case shrunk = original;
  shrunk.clients.pop_back();
  EXPECT_EQ(shrink_summary(original, shrunk, 0.0125),
            "shrunk from 3 operations and 0 faults to 2 operations and 0 faults (12.5 ms)");
  shrunk = original;
  shrunk.clients[0][0].lots = 7;  // other values, as many operations: shrunk
  EXPECT_EQ(shrink_summary(original, shrunk, 0.0125),
            "shrunk from 3 operations and 0 faults to 3 operations and 0 faults (12.5 ms)");
}

}  // namespace
}  // namespace ordeal
