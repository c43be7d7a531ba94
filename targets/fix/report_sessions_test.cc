// The FIX port's directory of report sessions: the last request's session
// wins, and the journal brings the directory back after a restart.
#include "targets/fix/report_sessions.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "framework/base/test_dir.h"

namespace ordeal::fix {
namespace {

// The journal's file, in a folder of the test's own.
struct JournalDir : TestDir {
  JournalDir() : TestDir("report-sessions") { std::filesystem::create_directories(path); }
  std::string file() const { return (path / "fix-sessions.log").string(); }
};

TEST(ReportSessions, AClientNeverHeardFromGoesToTheFirstSession) {
  ReportSessions sessions;
  EXPECT_EQ(sessions.of(7), "");
}

TEST(ReportSessions, TheLastRequestsSessionWins) {
  ReportSessions sessions;
  sessions.heard(1, "FIX.4.2:EXCHANGE->ORDEAL");
  sessions.heard(2, "FIX.4.4:EXCHANGE->ORDEAL");
  EXPECT_EQ(sessions.of(1), "FIX.4.2:EXCHANGE->ORDEAL");
  sessions.heard(1, "FIX.4.4:EXCHANGE->ORDEAL");
  EXPECT_EQ(sessions.of(1), "FIX.4.4:EXCHANGE->ORDEAL");
  EXPECT_EQ(sessions.size(), 2u);
}

TEST(ReportSessions, ARestartKeepsEveryClientsSession) {
  const JournalDir dir;
  const std::string path = dir.file();
  {
    ReportSessions before;
    ASSERT_EQ(before.attach_journal(path, {}).error, "");
    before.heard(1, "FIX.4.2:EXCHANGE->ORDEAL");
    before.heard(2, "FIX.4.4:EXCHANGE->ORDEAL");
    before.heard(1, "FIX.4.4:EXCHANGE->ORDEAL");
    before.heard(3, "FIX.4.2:EXCHANGE->ORDEAL");
    before.heard(3, "FIX.4.2:EXCHANGE->ORDEAL");  // no change: nothing written
  }
  ReportSessions after;
  const exchange::Recovery r = after.attach_journal(path, {});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.records, 4u);
  EXPECT_EQ(after.of(1), "FIX.4.4:EXCHANGE->ORDEAL");
  EXPECT_EQ(after.of(2), "FIX.4.4:EXCHANGE->ORDEAL");
  EXPECT_EQ(after.of(3), "FIX.4.2:EXCHANGE->ORDEAL");
  EXPECT_EQ(after.of(4), "");
}

// Past compact_bytes the journal becomes one snapshot of the directory,
// which restores the same directory.
TEST(ReportSessions, ACompactedJournalRestoresTheSameDirectory) {
  const JournalDir dir;
  const std::string path = dir.file();
  const exchange::JournalLimits limits{.compact_bytes = 128};
  {
    ReportSessions before;
    ASSERT_EQ(before.attach_journal(path, limits).error, "");
    for (int round = 0; round < 12; ++round) {
      for (exchange::ClientId client = 1; client <= 5; ++client) {
        before.heard(client, (round + client) % 2 == 0 ? "FIX.4.2:GW->C" : "FIX.4.4:GW->C");
      }
    }
  }
  ReportSessions after;
  const exchange::Recovery r = after.attach_journal(path, limits);
  ASSERT_EQ(r.error, "");
  EXPECT_LT(r.records, 60u) << "never compacted";
  for (exchange::ClientId client = 1; client <= 5; ++client) {
    EXPECT_EQ(after.of(client), (11 + client) % 2 == 0 ? "FIX.4.2:GW->C" : "FIX.4.4:GW->C");
  }
}

// Records that are not session entries (another journal's file) are
// refused, not guessed at.
TEST(ReportSessions, AJournalOfSomethingElseIsRefused) {
  const JournalDir dir;
  const std::string path = dir.file();
  {
    exchange::EntryJournal other("other");
    ASSERT_EQ(other.open(path, {}, [](std::string_view) { return true; }).error, "");
    ASSERT_EQ(other.append("not a session entry", [] { return std::string(); }), "");
  }
  ReportSessions sessions;
  EXPECT_NE(sessions.attach_journal(path, {}).error, "");
}

}  // namespace
}  // namespace ordeal::fix
