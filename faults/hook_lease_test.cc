// A hook's stop command runs exactly when ordeal does not run it: not after
// a release, but after ordeal dies, after an unreleased lease is dropped,
// and when the lease runs out. Every wait is bounded.
#include "faults/hook_lease.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "framework/base/test_dir.h"

namespace ordeal::faults {
namespace {

namespace fs = std::filesystem;

struct Files : TestDir {
  Files() : TestDir("lease") { fs::create_directories(path); }
  // The stop command: appends its phase to a marker file.
  std::string stop() const {
    return "echo \"$ORDEAL_HOOK_PHASE\" >> " + (path / "stopped").string();
  }
  std::string log() const { return (path / "hooks.log").string(); }
  std::string marker() const {
    std::ifstream in(path / "stopped");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Waits at most 5 s for the marker to appear.
  bool wait_marker() const {
    for (int i = 0; i < 500 && marker().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return !marker().empty();
  }
};

TEST(HookLease, ReleasedLeaseNeverRunsTheStop) {
  Files files;
  {
    HookLease lease;
    ASSERT_EQ(lease.arm(files.stop(), files.log(), 60'000, 5'000), "");
    lease.release();
    EXPECT_EQ(lease.guard_pid(), -1) << "the guard did not exit on release";
  }
  EXPECT_EQ(files.marker(), "");
}

TEST(HookLease, DroppedLeaseRunsTheStopBeforeReturning) {
  Files files;
  {
    HookLease lease;
    ASSERT_EQ(lease.arm(files.stop(), files.log(), 60'000, 5'000), "");
  }
  EXPECT_EQ(files.marker(), "lease-expired\n");
}

TEST(HookLease, ExpiredLeaseRunsTheStopWhileOrdealLives) {
  Files files;
  HookLease lease;
  ASSERT_EQ(lease.arm(files.stop(), files.log(), 100, 5'000), "");
  EXPECT_TRUE(files.wait_marker());
  lease.release();
  EXPECT_EQ(files.marker(), "lease-expired\n");
}

// A process standing for ordeal arms a lease, then is killed with SIGKILL:
// no destructor runs, yet the stop command does.
TEST(HookLease, KilledOrdealStillGetsItsStop) {
  Files files;
  const pid_t ordeal = fork();
  ASSERT_GE(ordeal, 0);
  if (ordeal == 0) {
    static HookLease lease;
    if (!lease.arm(files.stop(), files.log(), 60'000, 5'000).empty()) _exit(1);
    pause();
    _exit(0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(files.marker(), "");
  kill(ordeal, SIGKILL);
  waitpid(ordeal, nullptr, 0);
  EXPECT_TRUE(files.wait_marker());
  EXPECT_EQ(files.marker(), "lease-expired\n");
}

TEST(HookLease, StopCommandThatHangsIsKilledAtItsTimeout) {
  Files files;
  const auto start = std::chrono::steady_clock::now();
  {
    HookLease lease;
    ASSERT_EQ(lease.arm("sleep 30", files.log(), 60'000, 200), "");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(HookLease, UnwritableLogIsAnError) {
  HookLease lease;
  EXPECT_NE(lease.arm("true", "/nonexistent/dir/hooks.log", 1000, 1000), "");
  EXPECT_EQ(lease.guard_pid(), -1);
}

}  // namespace
}  // namespace ordeal::faults
