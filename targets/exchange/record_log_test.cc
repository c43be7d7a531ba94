// The durable record file: what is appended comes back, a torn tail is cut
// off and said so, corruption before the end is refused, and the size bound
// holds.
#include "targets/exchange/record_log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "framework/base/test_dir.h"

namespace ordeal::exchange {
namespace {

namespace fs = std::filesystem;

struct TempDir : TestDir {
  TempDir() : TestDir("record-log") {}
  std::string file() const { return (path / "node" / "state.log").string(); }
};

RecordLogLimits no_fsync() { return {.fsync = false}; }

void append_raw(const std::string& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out << bytes;
}

TEST(RecordLog, AppendedRecordsComeBackInOrder) {
  TempDir dir;
  {
    RecordLog log;
    const LogContents first = log.open(dir.file(), no_fsync());
    ASSERT_EQ(first.error, "");
    EXPECT_TRUE(first.records.empty());
    EXPECT_EQ(log.append("one"), "");
    EXPECT_EQ(log.append(std::string("t\0o", 3)), "");
    EXPECT_EQ(log.append(""), "");
    EXPECT_EQ(log.bytes(), 3 * RecordLog::kHeaderBytes + 6);
  }
  RecordLog again;
  const LogContents got = again.open(dir.file(), no_fsync());
  ASSERT_EQ(got.error, "");
  EXPECT_EQ(got.note, "");
  EXPECT_EQ(got.records, (std::vector<std::string>{"one", std::string("t\0o", 3), ""}));
}

TEST(RecordLog, TornTailIsCutOffAndSaid) {
  TempDir dir;
  {
    RecordLog log;
    ASSERT_EQ(log.open(dir.file(), no_fsync()).error, "");
    ASSERT_EQ(log.append("kept"), "");
  }
  const std::string torn = frame_record("lost in the crash");
  append_raw(dir.file(), torn.substr(0, torn.size() - 4));
  {
    RecordLog log;
    const LogContents got = log.open(dir.file(), no_fsync());
    ASSERT_EQ(got.error, "");
    EXPECT_EQ(got.records, std::vector<std::string>{"kept"});
    EXPECT_NE(got.note.find("torn tail"), std::string::npos) << got.note;
    EXPECT_EQ(fs::file_size(dir.file()), RecordLog::kHeaderBytes + 4);
    ASSERT_EQ(log.append("after"), "");
  }
  RecordLog log;
  EXPECT_EQ(log.open(dir.file(), no_fsync()).records, (std::vector<std::string>{"kept", "after"}));
}

TEST(RecordLog, LastRecordWithBadChecksumIsATornTail) {
  TempDir dir;
  std::string bad = frame_record("half written");
  bad.back() ^= 0x5a;
  fs::create_directories(fs::path(dir.file()).parent_path());
  append_raw(dir.file(), frame_record("good") + bad);
  RecordLog log;
  const LogContents got = log.open(dir.file(), no_fsync());
  ASSERT_EQ(got.error, "");
  EXPECT_EQ(got.records, std::vector<std::string>{"good"});
  EXPECT_NE(got.note.find("checksum"), std::string::npos) << got.note;
}

TEST(RecordLog, CorruptionBeforeMoreDataIsRefusedNamingFileAndOffset) {
  TempDir dir;
  std::string bad = frame_record("flipped");
  bad[RecordLog::kHeaderBytes] ^= 0x01;
  fs::create_directories(fs::path(dir.file()).parent_path());
  append_raw(dir.file(), frame_record("good") + bad + frame_record("later"));
  RecordLog log;
  const LogContents got = log.open(dir.file(), no_fsync());
  EXPECT_NE(got.error.find(dir.file()), std::string::npos) << got.error;
  EXPECT_NE(got.error.find("byte 16"), std::string::npos) << got.error;
  EXPECT_TRUE(got.records.empty());
  EXPECT_FALSE(log.is_open());
}

TEST(RecordLog, SizeBoundRefusesAppendsAndRewriteCompacts) {
  TempDir dir;
  RecordLog log;
  ASSERT_EQ(log.open(dir.file(), {.file_bytes_max = 100, .fsync = false}).error, "");
  int appended = 0;
  for (int i = 0; i < 20 && log.append("0123456789").empty(); ++i) ++appended;
  EXPECT_EQ(appended, 4);  // 4 * 22 bytes fit in 100, a fifth does not
  EXPECT_NE(log.append("0123456789").find("full"), std::string::npos);
  ASSERT_EQ(log.rewrite({"snapshot"}), "");
  EXPECT_EQ(log.bytes(), RecordLog::kHeaderBytes + 8);
  EXPECT_EQ(log.append("next"), "");
  RecordLog again;
  EXPECT_EQ(again.open(dir.file(), no_fsync()).records,
            (std::vector<std::string>{"snapshot", "next"}));
}

TEST(RecordLog, FileOverTheBoundIsRefusedAtOpen) {
  TempDir dir;
  fs::create_directories(fs::path(dir.file()).parent_path());
  append_raw(dir.file(), frame_record(std::string(200, 'x')));
  RecordLog log;
  const LogContents got = log.open(dir.file(), {.file_bytes_max = 100, .fsync = false});
  EXPECT_NE(got.error.find("bound"), std::string::npos) << got.error;
}

}  // namespace
}  // namespace ordeal::exchange
