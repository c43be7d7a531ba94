// A shard's log of the fills and updates it sent a gateway: numbered per
// gateway, forgotten once the gateway says it saw them, sent again to a new
// incarnation of the gateway, and held again after the shard's own restart.
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

// What a log holds, as its journal would give it back.
ReportLog restored_from(const ReportLog& before) {
  ReportLog after;
  before.for_each_held(
      [&](NodeId gateway, const Message& report) { after.restore(gateway, report); });
  return after;
}

// A shard killed with reports its gateway had not all seen (1 seen, 2-4
// not, 4 perhaps never sent): the restarted shard holds 2-4 again, sends
// them at the gateway's first request, and numbers on from 5.
TEST(ReportLog, HeldAgainAfterARestartAndSentAtTheGatewaysFirstRequest) {
  ReportLog before;
  resent(before, 1, kReportsUnknown);
  for (uint64_t trade = 1; trade <= 4; ++trade) add_fill(before, trade);
  EXPECT_TRUE(resent(before, 1, 1).empty());
  before.add<OrderUpdate>(kGateway + 1);  // another gateway's

  ReportLog after = restored_from(before);
  EXPECT_EQ(resent(after, 1, 1), (std::vector<uint64_t>{2, 3, 4}))
      << "the same incarnation of the gateway, which does not know the shard restarted";
  EXPECT_TRUE(resent(after, 1, 1).empty()) << "sent again once";
  EXPECT_EQ(add_fill(after, 5), 5u);
  EXPECT_TRUE(resent(after, 1, 5).empty());
  std::vector<uint64_t> other;
  after.heard(kGateway + 1, 1, kReportsUnknown, true, false,
              [&](const Message& m) { other.push_back(std::get<OrderUpdate>(m).report_seq); });
  EXPECT_EQ(other, std::vector<uint64_t>{1});
}

// Passed on by another shard, the first request tells nothing of what the
// gateway saw of this shard: everything held goes.
TEST(ReportLog, AfterARestartARequestPassedOnSendsEverythingHeld) {
  ReportLog before;
  for (uint64_t trade = 1; trade <= 2; ++trade) add_fill(before, trade);
  ReportLog after = restored_from(before);
  EXPECT_EQ(resent(after, 1, 2, false), (std::vector<uint64_t>{1, 2}));
}

// A journal whose reports do not follow one another (one lost to a torn
// write, or a snapshot's after older entries) holds from the break on.
TEST(ReportLog, ARestoredReportOutOfSequenceStartsTheHeldOnesAnew) {
  ReportLog log;
  Fill fill;
  for (uint64_t number : {1, 2, 5, 6}) {
    fill.trade_id = number * 10;
    fill.report_seq = number;
    log.restore(kGateway, fill);
  }
  EXPECT_EQ(resent(log, 1, kReportsUnknown), (std::vector<uint64_t>{50, 60}));
  EXPECT_EQ(add_fill(log, 70), 7u);
}

// Restarted in place with its memory (the control port's crash, with a
// journal): the same as read back from the journal.
TEST(ReportLog, HeldAgainInPlaceIsSentAtTheFirstRequest) {
  ReportLog log;
  resent(log, 1, kReportsUnknown);
  for (uint64_t trade = 1; trade <= 3; ++trade) add_fill(log, trade);
  EXPECT_TRUE(resent(log, 1, 1).empty());
  log.hold_again();
  EXPECT_EQ(resent(log, 1, 2), std::vector<uint64_t>{3});
  EXPECT_TRUE(resent(log, 1, 2).empty());
}

}  // namespace
}  // namespace ordeal::exchange
