// Every property: a hand-built history it must catch, and a correct one
// (including unknown outcomes) it must pass.
#include <gtest/gtest.h>

#include <fstream>

#include "framework/base/test_dir.h"
#include "framework/check/history_builder.h"
#include "framework/check/property.h"
#include "framework/history/history_jsonl.h"

namespace ordeal {
namespace {

using exchange::OrdStatus;
using exchange::RequestKind;
using exchange::Side;

std::vector<Violation> check(const std::string& property, HistoryBuilder& b,
                             CheckLimits limits = {}) {
  EXPECT_NE(find_property(property), nullptr) << property;
  const std::vector<std::string> names = {property};
  return check_history(b.history(), names, limits);
}

exchange::Instrument btc(int64_t tick = 10) {
  return exchange::Instrument{.symbol = "BTC-USDT",
                              .tick_size = tick,
                              .lot_size = 1,
                              .min_qty = 1,
                              .max_qty = 1000,
                              .min_price = 10'000,
                              .max_price = 100'000};
}

// A resting order o1 of client 1, accepted at 2 ms.
HistoryBuilder with_resting_order() {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).ok(place, OrdStatus::new_order);
  return b;
}

TEST(Properties, AllTwelveAreRegistered) {
  for (const char* name :
       {"no-lost-cancel", "no-lost-order", "no-lost-amend", "no-overfill", "no-phantom",
        "order-state-machine", "metadata-conformance", "every-request-answered",
        "bounded-unavailability", "trade-conservation", "clordid-idempotence", "no-newer-schema"}) {
    ASSERT_NE(find_property(name), nullptr) << name;
    EXPECT_FALSE(find_property(name)->description().empty());
  }
}

// ---- no-lost-cancel ----------------------------------------------------------

TEST(NoLostCancel, CatchesAnAcceptedCancelWhoseOrderStaysOpen) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(cancel, OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  auto v = check("no-lost-cancel", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o1"});
  EXPECT_NE(v[0].message.find("at the end the order is new"), std::string::npos) << v[0].message;
}

TEST(NoLostCancel, CatchesAFillAfterTheCancelWasAccepted) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(cancel, OrdStatus::cancelled);
  b.at(5).fill(1, "o1", Side::buy, 50'000, 5, 77, 5);
  EXPECT_EQ(check("no-lost-cancel", b).size(), 1u);
}

TEST(NoLostCancel, CatchesAMassCancelThatLeftAnOrderOpen) {
  auto b = with_resting_order();
  auto mass = b.at(3).request(RequestKind::mass_cancel, 1, "");
  b.at(4).ok(mass, OrdStatus::none);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  EXPECT_EQ(check("no-lost-cancel", b).size(), 1u);
}

// Clients 1 and 2 use the same order id: the mass-cancel of client 1 holds
// for its own two orders only, whichever order they appear in.
TEST(NoLostCancel, HoldsAMassCancelToItsOwnClientsOrdersOnly) {
  auto b = with_resting_order();
  auto other = b.at(2).place(2, "o1", Side::sell, 60'000, 1);
  b.at(2).ok(other, OrdStatus::new_order);
  auto second = b.at(2).place(1, "o2", Side::sell, 60'000, 1);
  b.at(2).ok(second, OrdStatus::new_order);
  auto mass = b.at(3).request(RequestKind::mass_cancel, 1, "");
  b.at(4).ok(mass, OrdStatus::none);
  b.at(9).read(2, "o1", OrdStatus::new_order);
  b.at(9).read(1, "o2", OrdStatus::new_order);
  b.at(9).read(1, "o1", OrdStatus::new_order);
  auto v = check("no-lost-cancel", b);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o1"});
  EXPECT_EQ(v[1].orders, std::vector<std::string>{"1/o2"});
}

TEST(NoLostCancel, PassesHonouredCancelsAndUnknownOutcomes) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(cancel, OrdStatus::cancelled);
  auto p2 = b.at(5).place(1, "o2", Side::sell, 60'000, 1);
  b.at(6).ok(p2, OrdStatus::new_order);
  auto unknown = b.at(7).request(RequestKind::cancel, 1, "o2");
  b.at(8).info(unknown);  // may or may not have happened: the order stays open
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  b.at(9).read(1, "o2", OrdStatus::new_order);
  EXPECT_TRUE(check("no-lost-cancel", b).empty());
}

// ---- no-lost-order -----------------------------------------------------------

TEST(NoLostOrder, CatchesAnAcceptedOrderUnknownAtTheEnd) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::none);
  EXPECT_EQ(check("no-lost-order", b).size(), 1u);
}

TEST(NoLostOrder, PassesKnownOrdersAndUnknownPlacesThatNeverHappened) {
  auto b = with_resting_order();
  auto maybe = b.at(3).place(1, "o2", Side::buy, 50'000, 1);
  b.at(4).info(maybe);
  b.at(9).read(1, "o1", OrdStatus::new_order);
  b.at(9).read(1, "o2", OrdStatus::none);  // the unknown place did not happen: fine
  EXPECT_TRUE(check("no-lost-order", b).empty());
}

// ---- no-lost-amend -----------------------------------------------------------

TEST(NoLostAmend, CatchesAnAcceptedAmendThatDidNotTakeEffect) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 49'000, 5);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  EXPECT_EQ(check("no-lost-amend", b).size(), 1u);
}

TEST(NoLostAmend, CatchesARejectedAmendThatChangedTheOrder) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 3);
  b.at(4).fail(amend, "shard metadata older than the gateway's");
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 3);
  EXPECT_EQ(check("no-lost-amend", b).size(), 1u);
}

TEST(NoLostAmend, PassesAppliedAmendsAndSkipsUnknownOnes) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 4);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 49'000, 4);
  b.at(9).read(1, "o1", OrdStatus::new_order, 49'000, 4);
  EXPECT_TRUE(check("no-lost-amend", b).empty());
  auto c = with_resting_order();
  auto unknown = c.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
  c.at(4).info(unknown);
  c.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  EXPECT_TRUE(check("no-lost-amend", c).empty());
}

// ---- no-overfill -------------------------------------------------------------

TEST(NoOverfill, CatchesFillsBeyondTheQuantity) {
  auto b = with_resting_order();
  b.at(3).fill(1, "o1", Side::buy, 50'000, 4, 1, 4);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 4, 2, 8);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

TEST(NoOverfill, PassesFillsUpToTheAmendedQuantity) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 8);
  b.at(4).info(amend);  // unknown: the larger quantity may be in force
  b.at(5).fill(1, "o1", Side::buy, 50'000, 8, 1, 8);
  EXPECT_TRUE(check("no-overfill", b).empty());
}

// Quantities from a file may be any integers: their sum stops at the largest
// one instead of wrapping around to a negative number that passes.
TEST(NoOverfill, CatchesFillsWhoseSumIsBeyondSixtyFourBits) {
  HistoryBuilder b;
  const int64_t half = int64_t{1} << 62;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, INT64_MAX - 1);
  b.at(2).ok(place, OrdStatus::new_order);
  b.at(3).fill(1, "o1", Side::buy, 50'000, half, 1, half);
  b.at(4).fill(1, "o1", Side::buy, 50'000, half, 2, INT64_MAX);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

// ---- no-phantom ---------------------------------------------------------------

TEST(NoPhantom, CatchesFillsOfOrdersNobodyPlacedOrThatWereRejected) {
  HistoryBuilder b;
  b.at(1).fill(3, "ghost", Side::sell, 50'000, 1, 9, 1);
  auto rejected = b.at(2).place(1, "r", Side::buy, 50'000, 1);
  b.at(3).fail(rejected, "instrument halted");
  b.at(4).fill(1, "r", Side::buy, 50'000, 1, 10, 1);
  EXPECT_EQ(check("no-phantom", b).size(), 2u);
}

TEST(NoPhantom, PassesFillsOfPlacedOrdersIncludingUnknownPlaces) {
  HistoryBuilder b;
  auto maybe = b.at(1).place(1, "m", Side::buy, 50'000, 1);
  b.at(2).info(maybe);
  b.at(3).fill(1, "m", Side::buy, 50'000, 1, 1, 1);
  EXPECT_TRUE(check("no-phantom", b).empty());
}

// ---- order-state-machine -----------------------------------------------------

TEST(OrderStateMachine, CatchesAStateGoingBackwards) {
  auto b = with_resting_order();
  auto status = b.at(3).request(RequestKind::status, 1, "o1");
  b.at(4).ok(status, OrdStatus::filled, 5);
  auto again = b.at(5).request(RequestKind::status, 1, "o1");
  b.at(6).ok(again, OrdStatus::new_order, 0);
  EXPECT_EQ(check("order-state-machine", b).size(), 1u);
}

TEST(OrderStateMachine, CatchesAFinalStateChanging) {
  auto b = with_resting_order();
  b.at(3).update(1, "o1", OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_EQ(check("order-state-machine", b).size(), 1u);
}

TEST(OrderStateMachine, PassesForwardMoves) {
  auto b = with_resting_order();
  auto status = b.at(3).request(RequestKind::status, 1, "o1");
  b.at(4).ok(status, OrdStatus::partially_filled, 2);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_TRUE(check("order-state-machine", b).empty());
}

// ---- metadata-conformance ----------------------------------------------------

TEST(MetadataConformance, CatchesAnOrderAcceptedOffTheTickInForce) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  b.at(1000).meta(2, btc(20));
  auto place = b.at(5000).place(1, "o", Side::buy, 50'010, 1);
  b.at(5001).ok(place, OrdStatus::new_order);
  EXPECT_EQ(check("metadata-conformance", b).size(), 1u);
}

TEST(MetadataConformance, CatchesAValidOrderRejectedAsInvalid) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto place = b.at(5000).place(1, "o", Side::buy, 50'000, 1);
  b.at(5001).fail(place, "price outside the price band");
  EXPECT_EQ(check("metadata-conformance", b).size(), 1u);
}

TEST(MetadataConformance, PassesOrdersUnderAVersionStillPropagating) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  b.at(1000).meta(2, btc(20));
  auto place = b.at(1500).place(1, "o", Side::buy, 50'010, 1);  // valid under version 1
  b.at(1501).ok(place, OrdStatus::new_order);
  auto bad = b.at(1600).place(1, "p", Side::buy, 50'005, 1);
  b.at(1601).fail(bad, "price not a multiple of the tick size");
  EXPECT_TRUE(check("metadata-conformance", b).empty());
}

// A price times a quantity beyond 64 bits is above every maximum notional,
// not a wrapped product under it.
TEST(MetadataConformance, CatchesANotionalBeyondSixtyFourBits) {
  exchange::Instrument record = btc(1);
  record.max_qty = record.max_price = INT64_MAX;
  record.schema = exchange::kSchemaV2;
  record.max_notional = 1'000'000;
  HistoryBuilder b;
  b.at(0).meta(1, record);
  auto place = b.at(5000).place(1, "o", Side::buy, int64_t{1} << 62, 4);
  b.at(5001).ok(place, OrdStatus::new_order);
  EXPECT_EQ(check("metadata-conformance", b).size(), 1u);
}

// At the very end of time, a version committed just after an order is still
// in force for it: the window's end stops at the largest time.
TEST(MetadataConformance, PassesAVersionCommittedAtTheEndOfTime) {
  const int64_t end_ms = INT64_MAX / 1000;  // the builder's times are in ms
  HistoryBuilder b;
  b.at(0).meta(1, btc(20));
  auto place = b.at(end_ms - 5).place(1, "o", Side::buy, 50'010, 1);  // on version 2's tick
  b.at(end_ms - 4).ok(place, OrdStatus::new_order);
  b.at(end_ms - 3).meta(2, btc(10));
  EXPECT_TRUE(check("metadata-conformance", b).empty());
}

// ---- no-newer-schema ---------------------------------------------------------

using exchange::in_schema;

TEST(NoNewerSchema, CatchesASchema2RecordCommittedByASchema1Replica) {
  HistoryBuilder b;
  b.at(0).meta(1, btc());
  b.at(1000).meta(2, in_schema(btc(), 2), 2);    // upgraded: the migration
  b.at(2000).meta(3, in_schema(btc(20), 2), 1);  // rolled back, still schema 2
  const std::vector<Violation> found = check("no-newer-schema", b);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("version 3"), std::string::npos) << found[0].message;
}

TEST(NoNewerSchema, PassesARollbackThatMigratedBackAndUnsaidSchemas) {
  HistoryBuilder b;
  b.at(0).meta(1, btc());
  b.at(1000).meta(2, in_schema(btc(), 2), 2);
  b.at(2000).meta(3, in_schema(btc(20), 1), 1);  // migrated back to schema 1
  b.at(3000).meta(4, in_schema(btc(30), 2));     // the target did not say
  EXPECT_TRUE(check("no-newer-schema", b).empty());
}

// ---- every-request-answered ---------------------------------------------------

TEST(EveryRequestAnswered, CatchesSilentDrops) {
  HistoryBuilder b;
  auto dropped = b.at(1).place(1, "a", Side::buy, 50'000, 1);
  b.at(3000).info(dropped, /*answered=*/false);
  b.at(3001).place(1, "b", Side::buy, 50'000, 1);  // the history ends: never answered
  EXPECT_EQ(check("every-request-answered", b).size(), 2u);
}

TEST(EveryRequestAnswered, PassesRejectsAndExplicitUnknowns) {
  HistoryBuilder b;
  auto rejected = b.at(1).place(1, "a", Side::buy, 50'000, 1);
  b.at(2).fail(rejected, "metadata unavailable");
  auto unknown = b.at(3).place(1, "b", Side::buy, 50'000, 1);
  b.at(4).info(unknown, /*answered=*/true);
  EXPECT_TRUE(check("every-request-answered", b).empty());
}

// Another tool's numbering: op ids near 2^32 and far apart. The checker
// pairs them all the same and still sees the one never answered.
TEST(EveryRequestAnswered, PairsSparseOpIdsFromAnotherTool) {
  TestDir dir("sparse-ops");
  std::filesystem::create_directories(dir.path);
  const std::string path = (dir.path / "history.jsonl").string();
  std::ofstream(path)
      << R"({"time_us":1,"type":"invoke","client":1,"op":4000000000,"f":"place","order":"a","symbol":"BTC-USDT","side":"buy","price":50000,"qty":1})"
      << "\n"
      << R"({"time_us":2,"type":"fail","client":1,"op":4000000000,"f":"place","order":"a","reason":"no"})"
      << "\n"
      << R"({"time_us":3,"type":"invoke","client":1,"op":7,"f":"place","order":"b","symbol":"BTC-USDT","side":"buy","price":50000,"qty":1})"
      << "\n";
  const HistoryLoad loaded = read_history_jsonl(path);
  ASSERT_TRUE(loaded) << loaded.error;
  const std::vector<std::string> names = {"every-request-answered"};
  const std::vector<Violation> found = check_history(loaded.history, names, CheckLimits{});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].events, std::vector<uint64_t>{2});
}

// ---- bounded-unavailability ---------------------------------------------------

HistoryBuilder orders_during_fault(int failed, int total) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  for (int i = 0; i < total; ++i) {
    auto place = b.at(10 + i * 100).place(1, "o" + std::to_string(i), Side::buy, 50'000, 1);
    if (i < failed) {
      b.at(20 + i * 100).fail(place, "metadata unavailable");
    } else {
      b.at(20 + i * 100).ok(place, OrdStatus::new_order);
    }
  }
  b.at(10 + total * 100).fault(false, "meta.replica.restart");
  return b;
}

TEST(BoundedUnavailability, CatchesTooManyFailuresAndTooLongAnOutage) {
  auto b = orders_during_fault(32, 40);
  const auto v =
      check("bounded-unavailability", b, {.failed_share_max = 0.5, .outage_ms_max = 1000});
  EXPECT_EQ(v.size(), 2u);  // 80% failed, and out for about 3.2 s
}

TEST(BoundedUnavailability, PassesWithinTheLimitsAndIgnoresTheClientsOwnMistakes) {
  auto b = orders_during_fault(8, 40);
  auto invalid = b.at(4100).place(1, "bad", Side::buy, 50'005, 1);
  b.at(4101).fail(invalid, "price not a multiple of the tick size");
  EXPECT_TRUE(
      check("bounded-unavailability", b, {.failed_share_max = 0.5, .outage_ms_max = 1000}).empty());
}

// ---- trade-conservation --------------------------------------------------------

TEST(TradeConservation, CatchesMismatchedSidesAndBrokenLimits) {
  HistoryBuilder b;
  auto buy = b.at(1).place(1, "b", Side::buy, 50'000, 2);
  b.at(2).ok(buy, OrdStatus::new_order);
  auto sell = b.at(3).place(2, "s", Side::sell, 50'000, 2);
  b.at(4).ok(sell, OrdStatus::filled, 2);
  b.at(5).fill(1, "b", Side::buy, 50'000, 2, 1, 2);
  b.at(5).fill(2, "s", Side::sell, 50'000, 1, 1, 1);  // quantities differ
  b.at(6).fill(1, "b", Side::buy, 50'100, 0, 2, 2);   // above the buy limit
  EXPECT_EQ(check("trade-conservation", b).size(), 2u);
}

TEST(TradeConservation, PassesMatchingSidesAndOneSidedTrades) {
  HistoryBuilder b;
  auto buy = b.at(1).place(1, "b", Side::buy, 50'100, 2);
  b.at(2).ok(buy, OrdStatus::new_order);
  auto sell = b.at(3).place(2, "s", Side::sell, 50'000, 2);
  b.at(4).ok(sell, OrdStatus::filled, 2);
  b.at(5).fill(1, "b", Side::buy, 50'100, 2, 1, 2);
  b.at(5).fill(2, "s", Side::sell, 50'100, 2, 1, 2);
  b.at(6).fill(1, "b", Side::buy, 50'000, 1, 2, 3);  // the other side is not ours to see
  EXPECT_TRUE(check("trade-conservation", b).empty());
}

// ---- clordid-idempotence -------------------------------------------------------

TEST(ClordidIdempotence, CatchesASecondOrderWithTheSameId) {
  auto b = with_resting_order();
  auto again = b.at(3).place(1, "o1", Side::buy, 50'000, 5);
  b.at(4).ok(again, OrdStatus::new_order);
  EXPECT_EQ(check("clordid-idempotence", b).size(), 1u);
}

TEST(ClordidIdempotence, PassesARejectedOrUnknownRepeat) {
  auto b = with_resting_order();
  auto again = b.at(3).place(1, "o1", Side::buy, 50'000, 5);
  b.at(4).fail(again, "duplicate client order id");
  auto third = b.at(5).place(1, "o1", Side::buy, 50'000, 5);
  b.at(6).info(third);
  b.at(7).place(2, "o1", Side::buy, 50'000, 5);  // another client's id is another order
  EXPECT_TRUE(check("clordid-idempotence", b).empty());
}

}  // namespace
}  // namespace ordeal
