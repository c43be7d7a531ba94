// The custom fault point of custom_fault.cc: no effect while disarmed, its
// effect once armed (directly, and from a scenario's nemesis), and the same
// firings for the same seed.
#include "custom_fault.h"

#include <gtest/gtest.h>

#include "custom_target.h"
#include "framework/run/case_run.h"

namespace toy {
namespace {

constexpr const char* kNew = "NEW 1 1 o1 BTC-USDT BUY LIMIT GTC - 50000 1";
constexpr int kLines = 200;

int refusals(std::string_view line) {
  int refused = 0;
  for (int i = 0; i < kLines; ++i) refused += session_refusal(line).has_value() ? 1 : 0;
  return refused;
}

TEST(CustomFault, IsInOrdealsCatalogue) {
  EXPECT_EQ(ordeal::faults::find_point("toy.session.busy"), &session_busy);
}

TEST(CustomFault, DisarmedItNeverFires) {
  EXPECT_EQ(refusals(kNew), 0);
  EXPECT_FALSE(session_busy.armed());
}

TEST(CustomFault, ArmedItRefusesNewOrdersOnly) {
  ordeal::faults::ScopedArm busy("toy.session.busy", {.probability = 1.0, .seed = 3});
  ASSERT_EQ(busy.count(), 1);
  EXPECT_EQ(session_refusal(kNew), std::optional<std::string>("venue busy"));
  EXPECT_EQ(refusals("CANCEL 2 1 o1"), 0);
}

TEST(CustomFault, TheSameSeedFiresTheSameHits) {
  auto pattern = [](uint64_t seed) {
    ordeal::faults::ScopedArm busy("toy.session.busy", {.probability = 0.5, .seed = seed});
    std::string fired;
    for (int i = 0; i < kLines; ++i) fired += session_refusal(kNew) ? '1' : '0';
    return fired;
  };
  const std::string a = pattern(11);
  EXPECT_EQ(a, pattern(11));
  EXPECT_NE(a, pattern(12));
  const auto ones = std::count(a.begin(), a.end(), '1');
  EXPECT_GT(ones, kLines / 4);
  EXPECT_LT(ones, kLines * 3 / 4);
}

// The venue behind its adapter, with the point armed by a case's nemesis: the
// new orders sent inside the window, and only those, may be refused.
TEST(CustomFault, ArmedByTheNemesisItRefusesOrdersInsideTheWindow) {
  ordeal::Scenario scenario;
  scenario.symbols = {"BTC-USDT"};
  scenario.faults = {{.point = "toy.session.busy", .probability = 1.0}};
  ordeal::Case c{.seed = 5};
  c.clients.resize(1);
  for (int32_t i = 0; i < 10; ++i) c.clients[0].push_back({.lots = 1, .at_ms = i * 100});
  c.faults = {{.fault = 0, .start_ms = 450, .duration_ms = 300}};
  auto target = make_toy_target(c);
  const ordeal::History h = ordeal::run_case(*target, scenario, c);
  int refused = 0, accepted = 0, probes = 0;
  for (const ordeal::Event& e : h.events()) {
    if (e.type == ordeal::EventType::fail && h.text(e.text) == "venue busy") ++refused;
    if (e.type != ordeal::EventType::ok || e.kind != ordeal::exchange::RequestKind::place) continue;
    ++(ordeal::is_probe(h, e) ? probes : accepted);
  }
  EXPECT_EQ(refused, 3) << "the places sent at 500, 600 and 700 ms";
  EXPECT_EQ(accepted, 7);
  EXPECT_EQ(probes, 1) << "the recovery probe after the window: the venue came back";
  EXPECT_FALSE(session_busy.armed()) << "the window closed";
}

}  // namespace
}  // namespace toy
