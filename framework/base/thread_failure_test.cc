#include "framework/base/thread_failure.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace ordeal {
namespace {

// An event loop whose second and fourth handlers throw: the loop is called
// again after each, every other handler runs, and both failures are noted.
TEST(ThreadFailure, AThrowingHandlerIsNotedAndTheLoopRunsOn) {
  std::vector<int> ran;
  int next = 0;
  const auto run = [&] {
    while (next < 5) {
      const int handler = next++;
      if (handler == 1) throw std::runtime_error("bad key");
      if (handler == 3) throw 42;
      ran.push_back(handler);
    }
  };
  ThreadFailure failure;
  std::thread thread([&] {
    run_guarded_loop(run, [&](const std::string& what) { failure.note("the loop " + what); });
  });
  thread.join();
  EXPECT_EQ(ran, (std::vector<int>{0, 2, 4}));
  ASSERT_TRUE(failure.failed());
  EXPECT_EQ(failure.what(), "the loop threw: bad key (and 1 failures more)");
}

TEST(ThreadFailure, NamesWhatWasThrown) {
  const auto words = [](auto throw_it) {
    try {
      throw_it();
    } catch (...) {
      return what_was_thrown();
    }
    return std::string("nothing");
  };
  EXPECT_EQ(words([] { throw std::bad_alloc(); }), "ran out of memory");
  EXPECT_EQ(words([] { throw std::logic_error("x"); }), "threw: x");
  EXPECT_EQ(words([] { throw 1; }), "threw something that is not a std::exception");
}

TEST(ThreadFailure, NoneUntilNoted) {
  ThreadFailure failure;
  EXPECT_FALSE(failure.failed());
  EXPECT_EQ(failure.what(), "");
  run_guarded_loop([] {}, [&](const std::string& what) { failure.note(what); });
  EXPECT_FALSE(failure.failed());
}

}  // namespace
}  // namespace ordeal
