// A shard's log of the fills and updates it sent a gateway: numbered per
// gateway, forgotten once the gateway says it saw them, sent again to a new
// incarnation of the gateway.
#include "targets/exchange/report_log.h"

#include <gtest/gtest.h>

namespace ordeal::exchange {
namespace {

constexpr NodeId kGateway = 7;

// Adds a fill of trade `trade_id` for `gateway`; its number.
uint64_t add_fill(ReportLog& log, uint64_t trade_id, NodeId gateway = kGateway) {
  Fill& fill = log.add<Fill>(gateway);
  fill.trade_id = trade_id;
  return fill.report_seq;
}

// What heard() sends again, by trade id (0 for an update).
std::vector<uint64_t> resent(ReportLog& log, uint64_t boot, uint64_t seen, bool direct = true,
                             bool asked = false) {
  std::vector<uint64_t> trades;
  log.heard(kGateway, boot, seen, direct, asked, [&](const Message& report) {
    const auto* f = std::get_if<Fill>(&report);
    trades.push_back(f != nullptr ? f->trade_id : 0);
  });
  return trades;
}

TEST(ReportLog, NumbersReportsPerGateway) {
  ReportLog log;
  EXPECT_EQ(add_fill(log, 1), 1u);
  EXPECT_EQ(log.add<OrderUpdate>(kGateway).report_seq, 2u);
  EXPECT_EQ(add_fill(log, 2, kGateway + 1), 1u);
  EXPECT_EQ(add_fill(log, 3), 3u);
}

TEST(ReportLog, SendsAgainWhatANewIncarnationHasNotSeen) {
  ReportLog log;
  EXPECT_TRUE(resent(log, 1, 0).empty());  // the gateway's first incarnation
  for (uint64_t trade = 1; trade <= 4; ++trade) add_fill(log, trade);
  log.add<OrderUpdate>(kGateway);
  EXPECT_TRUE(resent(log, 1, 2).empty());                          // saw 1 and 2: forgotten
  EXPECT_EQ(resent(log, 2, 0), (std::vector<uint64_t>{3, 4, 0}));  // restarted
  EXPECT_TRUE(resent(log, 2, 0).empty()) << "sent again once per incarnation";
  EXPECT_TRUE(resent(log, 2, 5).empty());
  EXPECT_TRUE(resent(log, 3, 0).empty()) << "the new incarnation saw everything";
}

TEST(ReportLog, IgnoresWhatAnOlderIncarnationOrAnotherShardLifeSaw) {
  ReportLog log;
  resent(log, 2, 0);
  add_fill(log, 1);
  EXPECT_TRUE(resent(log, 1, 1).empty());  // a request of incarnation 1, late
  // A number beyond the last kept: the gateway counted a shard life before this one.
  EXPECT_TRUE(resent(log, 2, 9).empty());
  EXPECT_EQ(resent(log, 3, 0), std::vector<uint64_t>{1}) << "neither forgot the report";
}

// A request another shard passed on tells the gateway's incarnation, not
// what it saw of this shard's reports.
TEST(ReportLog, ARequestPassedOnTellsARestartButForgetsNothing) {
  ReportLog log;
  resent(log, 1, kReportsUnknown, false);
  add_fill(log, 1);
  add_fill(log, 2);
  EXPECT_TRUE(resent(log, 1, 2, false).empty());
  EXPECT_EQ(resent(log, 2, kReportsUnknown, false), (std::vector<uint64_t>{1, 2}));
}

// A gateway that found a number missing asks: what is held beyond what it
// saw goes again.
TEST(ReportLog, SendsAgainWhatTheGatewayMissedWhenItAsks) {
  ReportLog log;
  resent(log, 1, kReportsUnknown);
  for (uint64_t trade = 1; trade <= 3; ++trade) add_fill(log, trade);
  EXPECT_TRUE(resent(log, 1, 1).empty());
  EXPECT_EQ(resent(log, 1, 1, true, true), (std::vector<uint64_t>{2, 3}));
  EXPECT_TRUE(resent(log, 1, kReportsUnknown).empty()) << "a gateway that saw none forgets none";
  EXPECT_EQ(resent(log, 2, kReportsUnknown), (std::vector<uint64_t>{2, 3}));
}

TEST(ReportLog, HoldsAtMostItsBoundPerGateway) {
  ReportLog log;
  resent(log, 1, 0);
  for (uint64_t trade = 1; trade <= ReportLog::kHeldMax + 3; ++trade) add_fill(log, trade);
  const std::vector<uint64_t> again = resent(log, 2, 0);
  ASSERT_EQ(again.size(), ReportLog::kHeldMax);
  EXPECT_EQ(again.front(), 4u);  // the oldest forgotten first
  EXPECT_EQ(again.back(), ReportLog::kHeldMax + 3);
}

TEST(ReportLog, ClearedItCountsAfreshAndHoldsNothing) {
  ReportLog log;
  resent(log, 1, 0);
  add_fill(log, 1);
  log.clear();
  EXPECT_EQ(add_fill(log, 2), 1u);
  resent(log, 1, 0);  // heard first since the clear: no restart
  EXPECT_EQ(resent(log, 2, 0), std::vector<uint64_t>{2});
}

}  // namespace
}  // namespace ordeal::exchange
