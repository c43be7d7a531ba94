// The failing case in words: one clock, the order things happened, each
// request with its answer, and what a metadata change changed.
#include "framework/report/steps.h"

#include <gtest/gtest.h>

#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

using exchange::Instrument;
using exchange::OrdStatus;
using exchange::RequestKind;

// The reference exchange's BTC-USDT, on shard 0.
const Instrument kBtc = *exchange::default_metadata(2).find("BTC-USDT");

Event meta(History& h, int64_t time_us, int64_t version, const Instrument& record) {
  return {.time_us = time_us,
          .number = version,
          .record = h.add_record(record),
          .type = EventType::meta};
}

Event invoke(Sym order, uint32_t op, int64_t time_us, RequestKind kind) {
  return {.time_us = time_us,
          .price = kind == RequestKind::place ? 55'000 : 0,
          .qty = kind == RequestKind::cancel ? 0 : 1,
          .op = op,
          .client = 3,
          .order = order,
          .type = EventType::invoke,
          .kind = kind};
}

Event accepted(Sym order, uint32_t op, int64_t time_us, RequestKind kind, OrdStatus status) {
  return {.time_us = time_us,
          .price = 55'000,
          .qty = 1,
          .op = op,
          .client = 3,
          .order = order,
          .type = EventType::ok,
          .kind = kind,
          .status = status};
}

// The shape of a shrunk 2023-08-14 case: the symbol moves to another shard
// while the cancel is on its way, and an amend of the cancelled order is
// then accepted.
History incident() {
  History h;
  const Sym order = h.intern("c3-1");
  h.append(meta(h, 300'000, 1, kBtc));
  Event place = invoke(order, 1, 398'000, RequestKind::place);
  place.symbol = h.intern("BTC-USDT");
  h.append(place);
  h.append(accepted(order, 1, 399'081, RequestKind::place, OrdStatus::new_order));
  h.append(invoke(order, 2, 717'000, RequestKind::cancel));
  Instrument moved = kBtc;
  moved.shard = 1;
  h.append(meta(h, 717'514, 2, moved));
  h.append(accepted(order, 2, 717'775, RequestKind::cancel, OrdStatus::cancelled));
  h.append(invoke(order, 3, 1'306'000, RequestKind::amend));
  h.append({.time_us = 2'311'129,
            .price = 55'000,
            .qty = 1,
            .client = 3,
            .order = order,
            .type = EventType::read,
            .status = OrdStatus::cancelled});
  return h;
}

TEST(Steps, TellTheCaseOnTheHistorysClockInTheOrderItHappened) {
  const std::vector<std::string> steps = describe_steps(incident(), Scenario{});
  const std::vector<std::string> expected = {
      "0.3980 s  client 3 place c3-1 buy 1 BTC-USDT @ 55000 -> accepted at 0.3991 s: new, 1 at "
      "55000, 0 filled",
      "0.7170 s  client 3 cancel c3-1 -> accepted at 0.7178 s: cancelled, 1 at 55000, 0 filled",
      "0.7175 s  metadata version 2: BTC-USDT shard 0 -> 1",
      "1.3060 s  client 3 amend c3-1 qty to 1 -> no answer recorded",
      "2.3111 s  final read of client 3 c3-1: cancelled, 1 at 55000, 0 filled"};
  EXPECT_EQ(steps, expected);
}

TEST(Steps, TellRejectsUnknownOutcomesFillsAndFaults) {
  History h;
  const Sym order = h.intern("c1-1");
  Scenario s;
  s.faults.push_back({.point = "meta.update.delay", .probability = 0.5, .param = 300});
  const Sym delay = h.intern("meta.update.delay");
  const Sym upgrade = h.intern("rolling-upgrade");
  h.append({.time_us = 100, .number = 300, .text = delay, .type = EventType::fault_start});
  h.append({.time_us = 150, .number = 300, .text = upgrade, .type = EventType::fault_start});
  Event place = invoke(order, 1, 200, RequestKind::place);
  place.symbol = h.intern("ETH-USDT");
  place.number = kIocFlag;
  h.append(place);
  h.append({.time_us = 300,
            .op = 1,
            .client = 3,
            .order = order,
            .text = h.intern("off tick"),
            .type = EventType::fail});
  h.append(invoke(order, 2, 400, RequestKind::cancel));
  h.append({.time_us = 500,
            .op = 2,
            .client = 3,
            .order = order,
            .text = h.intern("no answer in time"),
            .type = EventType::info});
  h.append({.time_us = 600,
            .price = 55'000,
            .qty = 2,
            .filled = 2,
            .number = 7,
            .client = 3,
            .order = order,
            .type = EventType::fill,
            .flag = true});
  for (int subscriber = 0; subscriber < 3; ++subscriber) {  // told once, with the count
    h.append({.time_us = 660,
              .number = 300,
              .text = h.intern("meta.update.delay:meta-1"),
              .type = EventType::fault_fire});
  }
  h.append({.time_us = 680,
            .text = h.intern("meta.update.drop:meta-0->engine-1"),
            .type = EventType::fault_fire});
  h.append({.time_us = 700, .number = 300, .text = delay, .type = EventType::fault_stop});
  const std::vector<std::string> steps = describe_steps(h, s);
  ASSERT_EQ(steps.size(), 8u);
  EXPECT_EQ(steps[0], "0.0001 s  fault meta.update.delay armed (probability 0.5, 300 ms)");
  EXPECT_EQ(steps[1],
            "0.0001 s  rolling upgrade of the metadata service begins (a replica every 300 ms)");
  EXPECT_EQ(steps[2],
            "0.0002 s  client 3 place c1-1 buy 1 ETH-USDT @ 55000 IOC -> rejected at 0.0003 s: "
            "off tick");
  EXPECT_EQ(steps[3], "0.0004 s  client 3 cancel c1-1 -> no answer by 0.0005 s: outcome unknown");
  EXPECT_EQ(steps[4],
            "0.0006 s  client 3 c1-1 filled 2 at 55000 (maker, trade 7), 2 of the order filled");
  EXPECT_EQ(steps[5],
            "0.0007 s  meta.update.delay fired 3 times in meta-1 (300 ms): a replica holds "
            "back a metadata update to a subscriber");
  EXPECT_EQ(steps[6],
            "0.0007 s  meta.update.drop fired on meta-0->engine-1: a replica never sends a "
            "metadata update to a subscriber");
  EXPECT_EQ(steps[7], "0.0007 s  fault meta.update.delay healed");
}

// A fire records the value it acted with, so a corruption names its field
// and an arm left at 0 says what that means.
TEST(Steps, FaultsSayWhatTheirParameterWas) {
  History h;
  Scenario s;
  s.faults.push_back({.point = "meta.update.corrupt", .probability = 0.3});
  s.faults.push_back({.point = "meta.update.drop", .probability = 0.3});
  s.faults.push_back({.point = "engine.shard.crash", .probability = 0.1});
  h.append(
      {.time_us = 100, .text = h.intern("meta.update.corrupt"), .type = EventType::fault_start});
  h.append({.time_us = 100,
            .order = h.intern("2,5:9,7"),  // pinned while shrinking
            .text = h.intern("meta.update.drop"),
            .type = EventType::fault_start});
  h.append({.time_us = 100,
            .order = h.intern("3"),
            .text = h.intern("engine.shard.crash"),
            .type = EventType::fault_start});
  h.append({.time_us = 200,
            .number = 3,
            .text = h.intern("meta.update.corrupt:meta-2->engine-0"),
            .type = EventType::fault_fire});
  h.append({.time_us = 300,
            .number = 100,
            .text = h.intern("engine.shard.crash:engine-1"),
            .type = EventType::fault_fire});
  const std::vector<std::string> steps = describe_steps(h, s);
  const std::vector<std::string> expected = {
      "0.0001 s  fault meta.update.corrupt armed (probability 0.3, a field drawn per fire)",
      "0.0001 s  fault meta.update.drop armed (fires 3 times, at its checks number 2, 5 and 7)",
      "0.0001 s  fault engine.shard.crash armed (fires once, at its check number 3, default 100 "
      "ms)",
      "0.0002 s  meta.update.corrupt fired on meta-2->engine-0 (routing shard): a metadata "
      "update arrives with one field damaged",
      "0.0003 s  engine.shard.crash fired in engine-1 (100 ms): an engine shard crashes while "
      "applying a request"};
  EXPECT_EQ(steps, expected);
}

TEST(Steps, AMetadataChangeNamesEveryFieldItChanged) {
  History h;
  h.append(meta(h, 100, 4, kBtc));
  Instrument changed = kBtc;
  changed.tick_size = 20;
  changed.status = exchange::TradingStatus::halted;
  h.append(meta(h, 200, 5, changed));
  h.append(meta(h, 300, 6, changed));
  const std::vector<std::string> steps = describe_steps(h, Scenario{});
  ASSERT_EQ(steps.size(), 2u);  // the starting records are not steps
  EXPECT_EQ(steps[0],
            "0.0002 s  metadata version 5: BTC-USDT status open -> halted, tick size "
            "10 -> 20");
  EXPECT_EQ(steps[1],
            "0.0003 s  metadata version 6: BTC-USDT unchanged (the same record as a new version)");
}

// A run with its own instruments writes its whole numbers as the venue's
// decimals: prices to 1 decimal, quantities to 3 (55000 is 5500.0 and 1 is
// 0.001), in orders, answers, reads and metadata changes alike.
TEST(Steps, WriteTheVenuesDecimalsWhenTheRunHadItsUnits) {
  History h = incident();
  h.set_units({.price_decimals = 1, .qty_decimals = 3});
  Instrument wider = kBtc;
  wider.shard = 1;  // as version 2 moved it
  wider.max_qty = 2'500;
  h.append(meta(h, 2'400'000, 3, wider));
  const std::vector<std::string> steps = describe_steps(h, Scenario{});
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0],
            "0.3980 s  client 3 place c3-1 buy 0.001 BTC-USDT @ 5500 -> accepted at 0.3991 s: new, "
            "0.001 at 5500, 0 filled");
  EXPECT_EQ(steps[3], "1.3060 s  client 3 amend c3-1 qty to 0.001 -> no answer recorded");
  EXPECT_EQ(steps[4], "2.3111 s  final read of client 3 c3-1: cancelled, 0.001 at 5500, 0 filled");
  EXPECT_EQ(steps[5], "2.4000 s  metadata version 3: BTC-USDT max qty 1 -> 2.5");
}

TEST(Steps, ALongCaseIsCutWithACountOfTheRest) {
  const std::vector<std::string> steps = {"a", "b", "c", "d"};
  EXPECT_EQ(first_steps(steps, 4), steps);
  EXPECT_EQ(first_steps(steps, 2), (std::vector<std::string>{"a", "b",
                                                             "... and 2 more steps (report.html, "
                                                             "history.jsonl)"}));
  EXPECT_EQ(first_steps(steps, 3).back(), "... and 1 more step (report.html, history.jsonl)");
}

}  // namespace
}  // namespace ordeal
