// A fresh directory for the running GoogleTest test, removed with all it
// holds when the object goes. Named after a tag, the process and the test
// (with its parameter), so tests run in parallel never share one. For tests
// only: it needs GoogleTest. The directory itself is not created.
//
//   struct Files : TestDir {
//     Files() : TestDir("record-log") {}
//     std::string file() const { return (path / "node" / "state.log").string(); }
//   };
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace ordeal {

struct TestDir {
  explicit TestDir(const std::string& tag) {
    std::string name = "ordeal-" + tag + "-" + std::to_string(getpid());
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
      name += std::string("-") + info->name();
      if (info->value_param() != nullptr) name += std::string("-") + info->value_param();
    }
    std::replace(name.begin(), name.end(), '/', '_');
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path);
  }
  ~TestDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  std::filesystem::path path;
};

}  // namespace ordeal
