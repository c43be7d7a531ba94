// Test support: waits, 10 s at most, for what another thread (a FIX
// engine's) makes true, looking every 10 ms. Returns whether it came true.
//
//   ASSERT_TRUE(wait_until([&] { return engine.logged_on(""); }));
#pragma once

#include <chrono>
#include <thread>

namespace ordeal::fix {

template <typename Done>
bool wait_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace ordeal::fix
