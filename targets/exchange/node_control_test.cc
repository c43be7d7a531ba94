#include "targets/exchange/node_control.h"

#include <gtest/gtest.h>

#include "faults/fault_point.h"
#include "targets/exchange/fault_points.h"

namespace ordeal::exchange {
namespace {

class Idle final : public Node {
 public:
  using Node::Node;
  void on_message(NodeId, const Message&) override {}
  void on_timer(uint64_t) override {}
  void on_start() override { ++starts; }
  void on_crash() override { ++crashes; }
  int starts = 0, crashes = 0;
};

struct Fixture : ::testing::Test {
  Fixture() : node(net.env(1), 1) {
    net.attach(1, node);
    EXPECT_EQ(net.start(), "");
    control = node_control(net, {.name = "engine-0", .id = 1, .ready = [this] { return ready; }});
  }
  ~Fixture() override { faults::disarm_all(); }
  LiveNetwork net{5};
  Idle node;
  bool ready = false;
  LiveNetwork::ControlHandler control;
};

using NodeControl = Fixture;

TEST_F(NodeControl, PingAndReady) {
  EXPECT_EQ(control("ping"), "ok engine-0");
  EXPECT_EQ(control("ready"), "ok no");
  ready = true;
  EXPECT_EQ(control("ready"), "ok yes");
}

TEST_F(NodeControl, ArmedPointHealsWhenItsLeaseEnds) {
  EXPECT_EQ(control("arm meta.update.drop 1 0 7 50"), "ok");
  EXPECT_TRUE(points::meta_update_drop.armed());
  net.run_for(20'000);
  EXPECT_TRUE(points::meta_update_drop.armed());
  net.run_for(60'000);
  EXPECT_FALSE(points::meta_update_drop.armed()) << "the lease ended";
}

TEST_F(NodeControl, RearmingRenewsTheLease) {
  EXPECT_EQ(control("arm meta.update.drop 1 0 7 50"), "ok");
  net.run_for(30'000);
  EXPECT_EQ(control("arm meta.update.drop 1 0 7 200"), "ok");
  net.run_for(60'000);
  EXPECT_TRUE(points::meta_update_drop.armed()) << "the first lease must not end the second";
  EXPECT_EQ(control("disarm meta.update.drop"), "ok");
  EXPECT_FALSE(points::meta_update_drop.armed());
}

// A pinned arm, as a shrunk case sends it: it fires at its 2nd and 4th checks.
TEST_F(NodeControl, APinnedArmFiresAtItsChecks) {
  EXPECT_EQ(control("arm meta.update.drop 0 0 7 500 2,4:9"), "ok");
  std::vector<bool> fired;
  for (int i = 0; i < 5; ++i) fired.push_back(points::meta_update_drop.check().fired);
  EXPECT_EQ(fired, (std::vector<bool>{false, true, false, true, false}));
  EXPECT_EQ(control("arm meta.update.drop 0 0 7 500 two"),
            "error pins must be rising checks, as 3,9:10,12 (check or check:as)");
  EXPECT_EQ(control("arm meta.update.drop 0 0 7 500 4,2"),
            "error pins must be rising checks, as 3,9:10,12 (check or check:as)");
}

TEST_F(NodeControl, CrashRestartsTheNodeInPlace) {
  EXPECT_EQ(control("crash 20"), "ok");
  net.run_for(5'000);
  EXPECT_EQ(node.crashes, 1);
  net.run_for(40'000);
  EXPECT_EQ(node.starts, 2);
}

TEST_F(NodeControl, BadCommandsAreExplainedNotObeyed) {
  EXPECT_EQ(control("arm no.such.point 1 0 7 50"), "error no fault point no.such.point");
  EXPECT_EQ(control("arm meta.update.drop 2 0 7 50"),
            "error probability must be a number in [0, 1]");
  EXPECT_EQ(control("arm meta.update.drop 1 0 7 0"), "error lease_ms must be in 1..600000");
  EXPECT_EQ(control("arm meta.update.drop 1 0 7 9999999"), "error lease_ms must be in 1..600000");
  EXPECT_EQ(control("upgrade 2 10"), "error only metadata replicas upgrade");
  EXPECT_EQ(control(""), "error empty command");
  EXPECT_EQ(control("launch missiles").rfind("error unknown command", 0), 0u);
  EXPECT_FALSE(points::meta_update_drop.armed());
}

}  // namespace
}  // namespace ordeal::exchange
