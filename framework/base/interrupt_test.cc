#include "framework/base/interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

namespace ordeal {
namespace {

// The signal is raised in this process: the handler runs before raise returns.
TEST(Interrupt, ARepeatWithinASecondIsTheSameInterrupt) {
  install_interrupt_handler();
  ASSERT_FALSE(interrupted());
  std::raise(SIGINT);
  std::raise(SIGTERM);  // as `timeout` does: the child, then the whole group
  EXPECT_TRUE(interrupted());
  EXPECT_FALSE(interrupted_twice());
  g_first_interrupt_ms -= kRepeatMs;  // the user presses Ctrl-C again later
  std::raise(SIGINT);
  EXPECT_TRUE(interrupted_twice());
  g_interrupted = 0;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace
}  // namespace ordeal
