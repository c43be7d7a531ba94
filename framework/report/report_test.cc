// The console report's words for a case.
#include "framework/report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

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

// How many times the console draws its progress line for these updates
// (stderr caught in a file for the while).
size_t progress_draws(const std::vector<Progress>& updates) {
  const std::string path = ::testing::TempDir() + "ordeal-progress.txt";
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  FILE* caught = std::fopen(path.c_str(), "w");
  dup2(fileno(caught), STDERR_FILENO);
  {
    const auto console = console_report(/*progress=*/true);
    for (const Progress& p : updates) console->on_progress(p);
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::fclose(caught);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\r'));
}

// A case a millisecond: a redraw for each sent the terminal a thousand
// lines a second. A new violation or the start of shrinking shows at once.
TEST(ConsoleProgress, RedrawsAFewTimesASecondNotForEveryCase) {
  std::vector<Progress> updates;
  for (uint64_t i = 1; i <= 1000; ++i) {
    updates.push_back({.cases = i, .operations = 40 * i, .wall_s = static_cast<double>(i) / 1000});
  }
  const size_t draws = progress_draws(updates);
  EXPECT_GE(draws, 9u);
  EXPECT_LE(draws, 11u);
  const Progress first{.cases = 1, .wall_s = 0.5};
  Progress violated = first;
  violated.violations = 2;
  Progress shrinking = violated;
  shrinking.shrinking = true;
  EXPECT_EQ(progress_draws({first, violated, shrinking}), 3u);
  EXPECT_EQ(progress_draws({first, first, first}), 1u);
}

}  // namespace
}  // namespace ordeal
