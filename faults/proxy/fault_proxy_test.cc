// Each fault kind through a real proxy on loopback, in front of an echo
// server: its effect, and that removing it (or its lease running out) heals.
#include "faults/proxy/fault_proxy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "faults/proxy/loopback.h"

namespace ordeal::proxy {
namespace {

using Clock = std::chrono::steady_clock;

std::string fix_message(std::string_view type, std::string_view id) {
  std::string body = "35=" + std::string(type) + "|11=" + std::string(id) + "|";
  std::string message = "8=FIX.4.4|9=" + std::to_string(body.size()) + "|" + body + "10=000|";
  for (char& c : message) {
    if (c == '|') c = '\x01';
  }
  return message;
}

// Bytes in which any loss, repeat or reordering shows: a seeded sequence.
std::string pattern(size_t bytes) {
  std::string out(bytes, '\0');
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (char& c : out) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    c = static_cast<char>(state >> 56);
  }
  return out;
}

int differing_bytes(const std::string& sent, const std::string& back) {
  int differing = 0;
  for (size_t i = 0; i < std::min(sent.size(), back.size()); ++i) differing += back[i] != sent[i];
  return differing;
}

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto added = hub_.add_proxy({.name = "gw", .upstream = upstream_.address()});
    ASSERT_TRUE(added) << added.error.message;
    port_ = static_cast<uint16_t>(std::stoi(added.value.listen_address.substr(10)));
  }

  void add(ProxyFault fault) {
    auto added = hub_.add_fault("gw", fault);
    ASSERT_TRUE(added) << added.error.message;
  }

  void remove(std::string_view name) { ASSERT_TRUE(hub_.remove_fault("gw", name)); }

  ProxyCounters counters() { return hub_.proxy("gw").value.counters; }

  // Counters move when a write completes, a moment after the peer has the
  // bytes: wait (at most a second) for them to settle at what is expected.
  ProxyCounters counters_once(auto settled) {
    ProxyCounters c = counters();
    for (int i = 0; i < 100 && !settled(c); ++i) {
      std::this_thread::sleep_for(milliseconds(10));
      c = counters();
    }
    return c;
  }

  // With a one-shot corrupt fault named "flip" armed: 1000 bytes come back
  // with exactly one changed; once the fault is removed they come back whole.
  void expect_one_flip_then_healed(LoopbackClient& client, char fill) {
    const std::string sent(1000, fill);
    ASSERT_TRUE(client.send(sent));
    const std::string back = client.receive(sent.size(), milliseconds(1000));
    ASSERT_EQ(back.size(), sent.size());
    EXPECT_EQ(differing_bytes(sent, back), 1);
    remove("flip");
    round_trip(client, sent);
  }

  // Sends `bytes` and times how long their echo takes to come back whole.
  static Clock::duration round_trip(LoopbackClient& client, const std::string& bytes,
                                    milliseconds timeout = milliseconds(2000)) {
    const auto start = Clock::now();
    EXPECT_TRUE(client.send(bytes));
    EXPECT_EQ(client.receive(bytes.size(), timeout), bytes);
    return Clock::now() - start;
  }

  EchoServer upstream_;
  FaultProxy hub_{42};
  uint16_t port_ = 0;
};

TEST_F(ProxyTest, PassesBytesBothWaysAndCountsThem) {
  LoopbackClient client(port_);
  ASSERT_TRUE(client.connected());
  round_trip(client, "hello");
  const ProxyCounters c =
      counters_once([](const ProxyCounters& now) { return now.bytes_downstream == 5; });
  EXPECT_EQ(c.connections_accepted, 1u);
  EXPECT_EQ(c.connections_open, 1u);
  EXPECT_EQ(c.bytes_upstream, 5u);
  EXPECT_EQ(c.bytes_downstream, 5u);
}

// With no fault the bytes are spliced; a fault added while they stream takes
// the bytes read after it (copied), and removing it hands the stream back to
// splice. Across both switches nothing is lost, repeated or reordered: the
// echo differs from what was sent in the one byte the fault corrupted.
TEST_F(ProxyTest, SwitchesBetweenSpliceAndCopyMidStream) {
  constexpr int kChunks = 48;
  constexpr size_t kChunkBytes = 64 * 1024;
  const std::string sent = pattern(kChunks * kChunkBytes);
  LoopbackClient client(port_);
  std::atomic<int> allowed{16};  // the sender runs this many chunks ahead at most
  std::thread sender([&] {
    for (int i = 0; i < kChunks; ++i) {
      for (int wait = 0; wait < 500 && allowed.load() <= i; ++wait)
        std::this_thread::sleep_for(milliseconds(10));
      if (!client.send(std::string_view(sent).substr(i * kChunkBytes, kChunkBytes))) break;
    }
  });
  auto receive_chunks = [&](int chunks) {
    return client.receive(chunks * kChunkBytes, milliseconds(5000));
  };
  std::string back = receive_chunks(8);  // 8 chunks still in flight at each switch
  const uint64_t spliced_before_fault = counters().bytes_spliced;
  add({.name = "flip", .kind = FaultKind::corrupt, .max_fires = 1});
  allowed = 32;
  back += receive_chunks(16);
  const uint64_t spliced_while_faulted = counters().bytes_spliced;
  remove("flip");
  allowed = kChunks;
  back += receive_chunks(24);
  sender.join();
  ASSERT_EQ(back.size(), sent.size());
  EXPECT_EQ(differing_bytes(sent, back), 1);
  const ProxyCounters end =
      counters_once([&](const ProxyCounters& now) { return now.bytes_downstream == sent.size(); });
  EXPECT_EQ(end.faults_fired, 1u);
#if defined(__linux__)
  EXPECT_GT(spliced_before_fault, 0u);
  // Most of the last 24 chunks (1.5 MiB each way) were spliced, not copied.
  EXPECT_GT(end.bytes_spliced - spliced_while_faulted, 16 * kChunkBytes);
#endif
  EXPECT_EQ(end.bytes_upstream, sent.size());
}

// A connection that has carried bytes waits for more on the straight path;
// a fault added then takes the very next bytes.
TEST_F(ProxyTest, AFaultAddedWhileIdleTakesTheNextBytes) {
  LoopbackClient client(port_);
  round_trip(client, "warm");
  add({.name = "flip", .kind = FaultKind::corrupt, .max_fires = 1});
  expect_one_flip_then_healed(client, 'i');
}

TEST_F(ProxyTest, LatencyDelaysAndRemovingItHeals) {
  LoopbackClient client(port_);
  add({.name = "slow",
       .kind = FaultKind::latency,
       .direction = Direction::downstream,
       .latency_ms = 150});
  EXPECT_GE(round_trip(client, "ping"), milliseconds(150));
  remove("slow");
  EXPECT_LT(round_trip(client, "ping"), milliseconds(100));
}

TEST_F(ProxyTest, BandwidthPacesDelivery) {
  LoopbackClient client(port_);
  add({.name = "narrow",
       .kind = FaultKind::bandwidth,
       .direction = Direction::upstream,
       .rate_bytes_per_s = 100'000});
  const std::string block(20'000, 'b');
  EXPECT_GE(round_trip(client, block), milliseconds(150));  // 200 ms at that rate
  remove("narrow");
  EXPECT_LT(round_trip(client, block), milliseconds(100));
}

TEST_F(ProxyTest, BlackholeSwallowsAndHeals) {
  LoopbackClient client(port_);
  add({.name = "hole", .kind = FaultKind::blackhole, .direction = Direction::upstream});
  ASSERT_TRUE(client.send("lost"));
  EXPECT_EQ(client.receive(4, milliseconds(200)), "");
  EXPECT_FALSE(client.ended());
  EXPECT_EQ(counters().bytes_dropped, 4u);
  remove("hole");
  round_trip(client, "back");  // what was swallowed stays lost
}

TEST_F(ProxyTest, HalfOpenHoldsOneDirectionThenDelivers) {
  LoopbackClient client(port_);
  add({.name = "half", .kind = FaultKind::half_open, .direction = Direction::downstream});
  ASSERT_TRUE(client.send("held"));
  EXPECT_EQ(client.receive(4, milliseconds(200)), "");
  EXPECT_FALSE(client.ended());
  EXPECT_EQ(upstream_.bytes_received(), 4u);  // the other direction still flows
  remove("half");
  EXPECT_EQ(client.receive(4, milliseconds(1000)), "held");  // held, not lost
}

TEST_F(ProxyTest, ResetSendsRstToOpenAndNewConnections) {
  LoopbackClient open_before(port_);
  round_trip(open_before, "up");
  add({.name = "rst", .kind = FaultKind::reset});
  EXPECT_EQ(open_before.receive(1, milliseconds(1000)), "");
  EXPECT_TRUE(open_before.ended());
  EXPECT_EQ(open_before.last_error(), ECONNRESET);
  LoopbackClient opened_after(port_);
  EXPECT_EQ(opened_after.receive(1, milliseconds(1000)), "");
  EXPECT_EQ(opened_after.last_error(), ECONNRESET);
  EXPECT_EQ(counters().connections_reset, 2u);
  remove("rst");
  LoopbackClient healed(port_);
  round_trip(healed, "fine");
}

TEST_F(ProxyTest, SlicingDeliversInPiecesIntact) {
  LoopbackClient client(port_);
  add({.name = "slices",
       .kind = FaultKind::slicing,
       .direction = Direction::upstream,
       .slice_bytes = 10,
       .slice_delay_us = 20'000});
  const std::string message(60, 's');
  EXPECT_GE(round_trip(client, message), milliseconds(40));
  EXPECT_GE(upstream_.read_sizes().size(), 3u);  // the server saw it arrive in pieces
}

TEST_F(ProxyTest, CorruptFlipsOneByteAndHeals) {
  LoopbackClient client(port_);
  add({.name = "flip",
       .kind = FaultKind::corrupt,
       .direction = Direction::upstream,
       .max_fires = 1});
  expect_one_flip_then_healed(client, 'c');
}

TEST_F(ProxyTest, LeaseExpiryHealsByItself) {
  LoopbackClient client(port_);
  add({.name = "brief", .kind = FaultKind::blackhole, .lease_ms = 200});
  EXPECT_EQ(hub_.proxy("gw").value.faults.size(), 1u);
  ASSERT_TRUE(client.send("gone"));
  EXPECT_EQ(client.receive(4, milliseconds(100)), "");
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_TRUE(hub_.proxy("gw").value.faults.empty());
  round_trip(client, "healed");
}

TEST_F(ProxyTest, FixLatencyActsOnlyOnChosenTypes) {
  LoopbackClient client(port_);
  add({.name = "slow-cancels",
       .kind = FaultKind::latency,
       .direction = Direction::upstream,
       .fix_types = {"F"},
       .latency_ms = 300});
  EXPECT_LT(round_trip(client, fix_message("D", "o1")), milliseconds(200));
  EXPECT_GE(round_trip(client, fix_message("F", "c1")), milliseconds(300));
  round_trip(client, "not fix at all");
}

TEST_F(ProxyTest, FixDropTakesTheFirstAmendEvenWhenSplit) {
  LoopbackClient client(port_);
  add({.name = "drop-amend",
       .kind = FaultKind::drop,
       .direction = Direction::upstream,
       .max_fires = 1,
       .fix_types = {"G"}});
  const std::string first = fix_message("G", "a1");
  for (size_t at = 0; at < first.size(); at += 9) {  // arrives in pieces
    ASSERT_TRUE(client.send(first.substr(at, 9)));
    std::this_thread::sleep_for(milliseconds(5));
  }
  const std::string rest = fix_message("G", "a2") + fix_message("D", "o1") + "raw";
  ASSERT_TRUE(client.send(rest));
  EXPECT_EQ(client.receive(rest.size(), milliseconds(1000)), rest);
  EXPECT_EQ(counters().bytes_dropped, first.size());
}

TEST_F(ProxyTest, SeededCorruptionReplays) {
  auto corrupted = [&](uint64_t seed) {
    FaultProxy hub(seed);
    auto gw = hub.add_proxy({.name = "gw", .upstream = upstream_.address()});
    EXPECT_TRUE(hub.add_fault("gw", {.kind = FaultKind::corrupt,
                                     .direction = Direction::upstream,
                                     .probability = 0.5,
                                     .fix_types = {"D"}}));
    LoopbackClient client(static_cast<uint16_t>(std::stoi(gw.value.listen_address.substr(10))));
    std::string sent;
    for (int i = 0; i < 8; ++i) sent += fix_message("D", "o" + std::to_string(i));
    EXPECT_TRUE(client.send(sent));
    return client.receive(sent.size(), milliseconds(1000));
  };
  const std::string first = corrupted(5);
  EXPECT_EQ(first, corrupted(5));
  EXPECT_NE(first, corrupted(6));
}

TEST_F(ProxyTest, RemovingTheProxyClosesItsConnections) {
  LoopbackClient client(port_);
  round_trip(client, "x");
  ASSERT_TRUE(hub_.remove_proxy("gw"));
  EXPECT_EQ(client.receive(1, milliseconds(1000)), "");
  EXPECT_TRUE(client.ended());
  EXPECT_EQ(hub_.proxy("gw").error.kind, ErrorKind::not_found);
}

TEST_F(ProxyTest, BadProxiesAndFaultsAreRefusedClearly) {
  auto bad_upstream = hub_.add_proxy({.name = "x", .upstream = "nowhere"});
  EXPECT_NE(bad_upstream.error.message.find("field 'upstream'"), std::string::npos);
  auto duplicate = hub_.add_proxy({.name = "gw", .upstream = upstream_.address()});
  EXPECT_EQ(duplicate.error.kind, ErrorKind::conflict);
  auto bad_fault = hub_.add_fault("gw", {.kind = FaultKind::slicing});
  EXPECT_NE(bad_fault.error.message.find("slice_bytes"), std::string::npos);
  EXPECT_EQ(hub_.add_fault("nope", {.kind = FaultKind::latency}).error.kind, ErrorKind::not_found);
}

}  // namespace
}  // namespace ordeal::proxy
