#include "framework/base/write_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/base/test_dir.h"

namespace ordeal {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(WriteFile, WritesTheWholeContentReplacingWhatWasThere) {
  const TestDir dir("write-file");
  std::filesystem::create_directories(dir.path);
  const std::string path = (dir.path / "report.json").string();
  ASSERT_EQ(write_file(path, "a longer first version\n"), "");
  ASSERT_EQ(write_file(path, "{}\n"), "");
  EXPECT_EQ(read_all(path), "{}\n");
}

TEST(WriteFile, AFullDiskOrAMissingFolderIsAnErrorNamingTheFile) {
  // /dev/full accepts the open and fails the write with ENOSPC, as a full
  // disk does: the error shows at the latest at the close.
  EXPECT_EQ(write_file("/dev/full", std::string(100'000, 'x')),
            "/dev/full: cannot write: No space left on device");
  EXPECT_EQ(write_file("/dev/full", "{}\n"), "/dev/full: cannot write: No space left on device");
  EXPECT_EQ(write_file("/nonexistent-ordeal-dir/report.json", "{}"),
            "/nonexistent-ordeal-dir/report.json: cannot write: No such file or directory");
}

}  // namespace
}  // namespace ordeal
