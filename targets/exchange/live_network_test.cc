#include "targets/exchange/live_network.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "targets/exchange/control_client.h"
#include "targets/exchange/wire.h"

namespace ordeal::exchange {
namespace {

constexpr NodeId kServer = 1, kClient = 2;

// Answers every request with a response that carries its id back.
class Echo final : public Node {
 public:
  using Node::Node;
  void on_message(NodeId from, const Message& m) override {
    if (const auto* r = std::get_if<ClientRequest>(&m)) {
      env_.send(from, ClientResponse{.client = r->client, .request_id = r->request_id});
    }
  }
  void on_timer(uint64_t) override {}
};

class Collector final : public Node {
 public:
  using Node::Node;
  void on_message(NodeId, const Message& m) override {
    if (const auto* r = std::get_if<ClientResponse>(&m)) ids.push_back(r->request_id);
  }
  void on_timer(uint64_t id) override { timers.push_back(id); }
  void send(uint64_t id, int64_t delay_us = 0) {
    env_.send(kServer, ClientRequest{.client = 1, .request_id = id}, delay_us);
  }
  std::vector<uint64_t> ids;
  std::vector<uint64_t> timers;
};

// Serves until `count` answers arrived, at most 5 s.
void serve_until_answered(LiveNetwork& net, const Collector& node, size_t count) {
  const int64_t deadline_us = net.now_us() + 5'000'000;
  while (node.ids.size() < count && net.now_us() < deadline_us) net.run_for(2'000);
}

// A server network on its own thread, serving until stopped (at most 20 s).
struct Server {
  explicit Server(uint16_t port) : net(1), echo(net.env(kServer), kServer) {
    net.set_address(kServer, {"127.0.0.1", port});
    net.attach(kServer, echo);
    error = net.start();
    thread = std::thread([this] { net.run_for(20'000'000); });
  }
  ~Server() {
    net.stop();
    thread.join();
  }
  LiveNetwork net;
  Echo echo;
  std::string error;
  std::thread thread;
};

struct Client {
  explicit Client(uint16_t port) : net(2), node(net.env(kClient), kClient) {
    net.set_address(kServer, {"127.0.0.1", port});
    net.attach(kClient, node);
    EXPECT_EQ(net.start(), "");
  }
  void wait_for(size_t count) { serve_until_answered(net, node, count); }
  LiveNetwork net;
  Collector node;
};

TEST(LiveNetwork, RequestsAndAnswersCrossTcpInOrder) {
  const uint16_t port = free_loopback_port();
  Server server(port);
  ASSERT_EQ(server.error, "");
  Client client(port);
  client.wait_for(0);
  // The first sends may race the connection: they wait on the link, not drop.
  for (uint64_t id = 1; id <= 2000; ++id) client.node.send(id, id == 10 ? 30'000 : 0);
  client.wait_for(2000);
  ASSERT_EQ(client.node.ids.size(), 2000u);
  // Frame 10 was held back 30 ms, and everything after it waited behind it.
  for (uint64_t i = 0; i < 2000; ++i) EXPECT_EQ(client.node.ids[i], i + 1);
  EXPECT_EQ(client.net.counters().frames_dropped, 0u);
}

TEST(LiveNetwork, UnreachablePeerDropsAndRecovers) {
  const uint16_t port = free_loopback_port();
  Client client(port);
  client.node.send(1);
  client.net.run_for(100'000);
  EXPECT_TRUE(client.node.ids.empty());
  EXPECT_GE(client.net.counters().frames_dropped, 1u);
  Server server(port);
  ASSERT_EQ(server.error, "");
  client.net.run_for(LiveNetwork::kReconnectUs + 10'000);
  client.node.send(2);
  client.wait_for(1);
  EXPECT_EQ(client.node.ids, std::vector<uint64_t>{2});
}

TEST(LiveNetwork, TimersFireAndDieWithACrash) {
  LiveNetwork net(3);
  Collector node(net.env(kClient), kClient);
  net.attach(kClient, node);
  ASSERT_EQ(net.start(), "");
  net.env(kClient).set_timer(1'000, 7);
  net.env(kClient).set_timer(200'000, 8);
  net.run_for(50'000);
  net.crash(kClient, 10'000);
  net.run_for(300'000);
  EXPECT_EQ(node.timers, std::vector<uint64_t>{7});
}

// Both nodes in one process, as in a test harness: no sockets between them.
struct InProcess {
  InProcess() : net(4), echo(net.env(kServer), kServer), node(net.env(kClient), kClient) {
    net.attach(kServer, echo);
    net.attach(kClient, node);
    EXPECT_EQ(net.start(), "");
  }
  void wait_for(size_t count) { serve_until_answered(net, node, count); }
  LiveNetwork net;
  Echo echo;
  Collector node;
};

TEST(LiveNetwork, DelayedMessageInProcessHoldsBackTheOnesAfterIt) {
  InProcess pair;
  pair.node.send(1, 30'000);
  pair.node.send(2);
  pair.node.send(3);
  pair.wait_for(3);
  EXPECT_EQ(pair.node.ids, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(LiveNetwork, CrashLosesWhatTheNodeHeldBackInProcess) {
  InProcess pair;
  pair.node.send(1, 30'000);
  pair.node.send(2);
  pair.net.crash(kClient, 10'000);
  pair.net.run_for(60'000);
  pair.node.send(3);
  pair.wait_for(1);
  pair.net.run_for(40'000);
  EXPECT_EQ(pair.node.ids, std::vector<uint64_t>{3});
  EXPECT_EQ(pair.net.counters().frames_dropped, 2u);
}

// Nodes of one process that only ever sent without a delay held nothing:
// a crash of either (the gateway beside its FIX port) loses nothing.
TEST(LiveNetwork, CrashOfANodeThatHeldNothingInProcess) {
  InProcess pair;
  pair.node.send(1);
  pair.wait_for(1);
  pair.net.crash(kServer, 10'000);  // the echo answered without a delay too
  pair.net.crash(kClient, 10'000);
  pair.net.run_for(30'000);
  pair.node.send(2);
  pair.wait_for(2);
  EXPECT_EQ(pair.node.ids, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(pair.net.counters().frames_dropped, 0u);
}

TEST(LiveNetwork, GarbageOnTheWireClosesOnlyThatConnection) {
  const uint16_t port = free_loopback_port();
  Server server(port);
  ASSERT_EQ(server.error, "");
  // A length far beyond the frame limit, from a raw socket: the server hangs up.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval timeout{.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const char junk[] = "\xff\xff\xff\x7fjunk";
  ASSERT_EQ(write(fd, junk, sizeof junk), static_cast<ssize_t>(sizeof junk));
  char byte = 0;
  // Closed with our junk unread: an orderly close or a reset, not a timeout.
  const ssize_t n = read(fd, &byte, 1);
  EXPECT_TRUE(n == 0 || (n < 0 && errno == ECONNRESET)) << "read " << n << " errno " << errno;
  close(fd);
  Client client(port);
  client.node.send(5);
  client.wait_for(1);
  EXPECT_EQ(client.node.ids, std::vector<uint64_t>{5});
}

}  // namespace
}  // namespace ordeal::exchange

namespace ordeal::exchange {
namespace {

TEST(LiveNetwork, ControlEndpointAnswersLinesAndTimesOut) {
  const uint16_t port = free_loopback_port();
  LiveNetwork net(4);
  ASSERT_EQ(net.serve_control({"127.0.0.1", port},
                              [](const std::string& line) { return "echo " + line; }),
            "");
  std::thread serving([&] { net.run_for(5'000'000); });
  const ControlReply reply = control_call({"127.0.0.1", port}, "ping", 2000);
  EXPECT_TRUE(reply.ok) << reply.text;
  EXPECT_EQ(reply.text, "echo ping");
  net.stop();
  serving.join();
  // Nobody serves now: a clear error, quickly.
  const ControlReply refused = control_call({"127.0.0.1", port}, "ping", 2000);
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.text.find(std::to_string(port)), std::string::npos) << refused.text;
}

}  // namespace
}  // namespace ordeal::exchange

namespace ordeal::exchange {
namespace {

// A send refused during the reconnect back-off, then a crash: the crash
// closes every dialed link and must find no empty one.
TEST(LiveNetwork, CrashAfterRefusedSendsDuringBackoff) {
  const uint16_t port = free_loopback_port();
  Client client(port);
  client.node.send(1);
  client.net.run_for(20'000);  // the connection is refused; back-off starts
  // Another peer, first contacted within the back-off: refused at once.
  client.net.set_address(7, {"127.0.0.1", port});
  client.net.env(kClient).send(7, MetaHeartbeat{});
  client.net.crash(kClient, 1'000);
  client.net.run_for(20'000);
  EXPECT_GE(client.net.counters().frames_dropped, 2u);
}

}  // namespace
}  // namespace ordeal::exchange

namespace ordeal::exchange {
namespace {

// A peer that reads what it is sent and, after `junk_after_bytes`, answers
// with a frame whose checksum is wrong: the sender closes the link while
// its own writes are completing. Serves `rounds` connections, at most 10 s.
void junk_answering_peer(int listener, int rounds, size_t junk_after_bytes) {
  timeval timeout{.tv_sec = 10};
  for (int round = 0; round < rounds; ++round) {
    const int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[65536];
    size_t seen = 0;
    while (seen < junk_after_bytes) {
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      seen += static_cast<size_t>(n);
    }
    const char junk[] = "\x08\x00\x00\x00junkjunk";
    (void)!write(fd, junk, sizeof junk - 1);
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
  }
}

// A link closed by a bad incoming frame while a write of it completes: the
// write's completion must not touch the emptied queue (it did, and the node
// crashed later in the heap). Every frame is either sent or dropped, once.
TEST(LiveNetwork, LinkClosedWhileWritingCountsEachFrameOnce) {
  const uint16_t port = free_loopback_port();
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  constexpr int kRounds = 20;
  std::thread peer(junk_answering_peer, listener, kRounds, 200'000);
  Client client(port);
  uint64_t submitted = 0;
  const std::string padding(4'000, 'p');
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < 200; ++i, ++submitted) {
      client.net.env(kClient).send(
          kServer, ClientRequest{.client = 1, .request_id = submitted, .clordid = padding});
    }
    const uint64_t closed_before = client.net.counters().bad_frames;
    const int64_t deadline_us = client.net.now_us() + 3'000'000;
    while (client.net.counters().bad_frames == closed_before && client.net.now_us() < deadline_us)
      client.net.run_for(1'000);
    client.net.run_for(LiveNetwork::kReconnectUs + 5'000);
  }
  shutdown(listener, SHUT_RDWR);
  close(listener);
  peer.join();
  const auto& c = client.net.counters();
  EXPECT_GE(c.bad_frames, 1u);
  EXPECT_LE(c.frames_sent + c.frames_dropped, submitted);
}

}  // namespace
}  // namespace ordeal::exchange
