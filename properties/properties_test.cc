// Every property: a hand-built history it must catch, and a correct one
// (including unknown outcomes) it must pass.
#include <fmt/format.h>
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

// A resting order o1 of client 1 (a buy of `qty` at 50,000), accepted at 2 ms.
HistoryBuilder with_resting_order(int64_t qty = 5) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, qty);
  b.at(2).ok(place, OrdStatus::new_order);
  return b;
}

TEST(Properties, AllFifteenAreRegistered) {
  for (const char* name :
       {"no-lost-cancel", "no-lost-order", "no-lost-amend", "no-overfill", "no-phantom",
        "order-state-machine", "metadata-conformance", "every-request-answered",
        "bounded-unavailability", "trade-conservation", "clordid-idempotence", "no-newer-schema",
        "no-phantom-cancel", "recovers-after-faults", "no-lost-fill"}) {
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

// An unknown cancel may not have happened: the order may still fill.
TEST(NoLostCancel, PassesFillsOfAnUnknownCancel) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).info(cancel);
  b.at(5).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_TRUE(check("no-lost-cancel", b).empty());
}

// A fill between the cancel's invocation and its acceptance came before it.
TEST(NoLostCancel, PassesAFillBeforeTheCancelWasAcknowledged) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(4).ok(cancel, OrdStatus::cancelled, 2);
  b.at(9).read(1, "o1", OrdStatus::cancelled, 50'000, 5, 2);
  EXPECT_TRUE(check("no-lost-cancel", b).empty());
  EXPECT_TRUE(check("order-state-machine", b).empty());
}

// The acceptance said 2 had filled: a report of that fill arriving after it
// is late, not a fill after the cancel; one beyond the 2 is.
TEST(NoLostCancel, PassesALateReportOfAFillTheAcceptanceCounted) {
  for (const bool beyond : {false, true}) {
    auto b = with_resting_order();
    auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
    b.at(4).ok(cancel, OrdStatus::cancelled, 2);
    b.at(5).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
    if (beyond) b.at(6).fill(1, "o1", Side::buy, 50'000, 1, 2, 3);
    b.at(9).read(1, "o1", OrdStatus::cancelled, 50'000, 5, 2);
    EXPECT_EQ(check("no-lost-cancel", b).size(), beyond ? 1u : 0u) << beyond;
  }
}

// A mass-cancel of one symbol concerns that symbol's orders only.
TEST(NoLostCancel, HoldsAMassCancelToItsSymbol) {
  auto b = with_resting_order();
  auto eth = b.at(2).place(1, "o2", Side::buy, 2'000, 5, "ETH-USDT");
  b.at(3).ok(eth, OrdStatus::new_order);
  auto mass = b.at(4).mass_cancel(1, "ETH-USDT");
  b.at(5).ok(mass, OrdStatus::none);
  b.at(6).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);  // BTC: not concerned
  b.at(9).read(1, "o1", OrdStatus::partially_filled, 50'000, 5, 1);
  b.at(9).read(1, "o2", OrdStatus::new_order, 2'000, 5);
  const auto v = check("no-lost-cancel", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o2"});
}

// A mass-cancel concerns its own client's orders only, whatever the clients'
// ids (a history from a file may use negative ones).
TEST(NoLostCancel, HoldsAMassCancelToItsClient) {
  for (const int32_t client : {-7, -1, 0, 1, 2'000'000'000}) {
    HistoryBuilder b;
    std::vector<uint32_t> places;
    for (const int32_t owner : {client, -3, 5}) {
      places.push_back(b.at(1).place(owner, "o" + std::to_string(owner), Side::buy, 50'000, 5));
    }
    for (const uint32_t place : places) b.at(2).ok(place, OrdStatus::new_order);
    auto mass = b.at(4).mass_cancel(client);
    b.at(5).ok(mass, OrdStatus::none);
    for (const int32_t owner : {client, -3, 5}) {
      b.at(9).read(owner, "o" + std::to_string(owner), OrdStatus::new_order, 50'000, 5);
    }
    const auto v = check("no-lost-cancel", b);
    ASSERT_EQ(v.size(), 1u) << client;
    EXPECT_EQ(v[0].orders,
              std::vector<std::string>{std::to_string(client) + "/o" + std::to_string(client)});
  }
}

// The unknown place took effect before the mass-cancel was sent (the order
// traded): the mass-cancel must cancel it.
TEST(NoLostCancel, CatchesAMassCancelThatLeftAnUnknownPlaceOpen) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).info(place);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);
  auto mass = b.at(4).mass_cancel(1);
  b.at(5).ok(mass, OrdStatus::none);
  b.at(9).read(1, "o1", OrdStatus::partially_filled, 50'000, 5, 1);
  EXPECT_EQ(check("no-lost-cancel", b).size(), 1u);
}

// Nothing shows that an unknown place took effect before the mass-cancel:
// it may have arrived after it, and stay open.
TEST(NoLostCancel, PassesAnUnknownPlaceOpenAfterAMassCancel) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).info(place);
  auto mass = b.at(4).mass_cancel(1);
  b.at(5).ok(mass, OrdStatus::none);
  b.at(6).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);
  b.at(9).read(1, "o1", OrdStatus::partially_filled, 50'000, 5, 1);
  EXPECT_TRUE(check("no-lost-cancel", b).empty());
}

// The exchange said 2 had filled before the mass-cancel was accepted (here
// in a status answer): a report of that fill arriving after the acceptance
// is late, not a fill after the mass-cancel; one beyond the 2 is.
TEST(NoLostCancel, PassesALateReportOfAFillReportedBeforeAMassCancel) {
  for (const bool beyond : {false, true}) {
    auto b = with_resting_order();
    auto status = b.at(3).request(RequestKind::status, 1, "o1");
    b.at(4).ok(status, OrdStatus::partially_filled, 2);
    auto mass = b.at(5).mass_cancel(1);
    b.at(6).ok(mass, OrdStatus::none);
    b.at(7).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
    if (beyond) b.at(8).fill(1, "o1", Side::buy, 50'000, 1, 2, 3);
    b.at(9).read(1, "o1", OrdStatus::cancelled, 50'000, 5, 2);
    EXPECT_EQ(check("no-lost-cancel", b).size(), beyond ? 1u : 0u) << beyond;
  }
}

// The order filled after the mass-cancel was accepted, as its states say
// though no fill report came: the final read "filled" is final, but the
// cancel was lost all the same. A cancel's acceptance counts the same way.
TEST(NoLostCancel, CatchesAFillAfterTheCancelThatOnlyAStateReports) {
  for (const bool mass : {true, false}) {
    auto b = with_resting_order();
    auto cancel = mass ? b.at(3).mass_cancel(1) : b.at(3).request(RequestKind::cancel, 1, "o1");
    b.at(4).ok(cancel, mass ? OrdStatus::none : OrdStatus::cancelled);
    b.at(5).update(1, "o1", OrdStatus::filled, 5);
    b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
    auto v = check("no-lost-cancel", b);
    ASSERT_EQ(v.size(), 1u) << mass;
    EXPECT_EQ(v[0].events, (std::vector<uint64_t>{3, 4})) << mass;
    EXPECT_NE(v[0].message.find("is reported filled with 5 filled"), std::string::npos)
        << v[0].message;
  }
}

// Each of many mass-cancels against every order of its client it may
// concern: not one that ended before it (o1), not one placed after it (o2
// and o3 after the first), and in the order of the mass-cancels, then of
// the orders.
TEST(NoLostCancel, ChecksEachOfManyMassCancelsAgainstTheOrdersOfItsTime) {
  HistoryBuilder b;
  auto o1 = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).ok(o1, OrdStatus::new_order);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  auto first = b.at(4).mass_cancel(1);
  b.at(5).ok(first, OrdStatus::none);
  int64_t ms = 6;
  for (const char* order : {"o2", "o3"}) {
    auto place = b.at(ms++).place(1, order, Side::buy, 50'000, 5);
    b.at(ms++).ok(place, OrdStatus::new_order);
  }
  for (int i = 0; i < 2; ++i) {
    auto mass = b.at(10 + i).mass_cancel(1);
    b.at(10 + i).ok(mass, OrdStatus::none);  // events 10 and 12
  }
  b.at(14).fill(1, "o2", Side::buy, 50'000, 5, 2, 5);  // event 13
  b.at(20).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  b.at(20).read(1, "o2", OrdStatus::filled, 50'000, 5, 5);
  b.at(20).read(1, "o3", OrdStatus::new_order, 50'000, 5);  // event 16
  const auto v = check("no-lost-cancel", b);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{10, 13}));
  EXPECT_EQ(v[1].events, (std::vector<uint64_t>{10, 16}));
  EXPECT_EQ(v[2].events, (std::vector<uint64_t>{12, 13}));
  EXPECT_EQ(v[3].events, (std::vector<uint64_t>{12, 16}));
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o2"});
  EXPECT_EQ(v[1].orders, std::vector<std::string>{"1/o3"});
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

// An unknown place took effect once the order traded: it must not vanish.
TEST(NoLostOrder, CatchesAnUnknownPlaceThatTradedThenVanished) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 3);
  b.at(2).info(place);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);
  b.at(9).read(1, "o1", OrdStatus::none);
  EXPECT_EQ(check("no-lost-order", b).size(), 1u);
}

// ---- no-lost-amend -----------------------------------------------------------

TEST(NoLostAmend, CatchesAnAcceptedAmendThatDidNotTakeEffect) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 49'000, 5);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  EXPECT_EQ(check("no-lost-amend", b).size(), 1u);
}

// The message allows for an amend of unknown outcome only when there was one.
TEST(NoLostAmend, MentionsAmendsOfUnknownOutcomeOnlyWhenThereAreSome) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 49'000, 5);
  auto plain = b;
  plain.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  const auto without = check("no-lost-amend", plain);
  ASSERT_EQ(without.size(), 1u);
  EXPECT_EQ(without[0].message.find("unknown outcome"), std::string::npos) << without[0].message;
  auto unknown = b.at(5).request(RequestKind::amend, 1, "o1", 0, 3);
  b.at(6).info(unknown);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  const auto with = check("no-lost-amend", b);
  ASSERT_EQ(with.size(), 1u);
  EXPECT_NE(with[0].message.find("(or as an amend of unknown outcome asked)"), std::string::npos)
      << with[0].message;
}

TEST(NoLostAmend, CatchesARejectedAmendThatChangedTheOrder) {
  auto b = with_resting_order();
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 3);
  b.at(4).fail(amend, "shard metadata older than the gateway's");
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 3);
  EXPECT_EQ(check("no-lost-amend", b).size(), 1u);
}

// Two amends in flight at once, answered in the other order: they take
// effect in the order they were acknowledged, so the final read must show
// the one acknowledged last, and the message names its acknowledgement.
TEST(NoLostAmend, ReplaysAcceptedAmendsInTheOrderTheyWereAcknowledged) {
  for (const int64_t final_price : {49'000, 48'000}) {
    auto b = with_resting_order();
    auto first = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
    auto second = b.at(4).request(RequestKind::amend, 1, "o1", 48'000, 0);
    b.at(5).ok(second, OrdStatus::new_order, 0, 48'000, 5);
    b.at(6).ok(first, OrdStatus::new_order, 0, 49'000, 5);
    b.at(9).read(1, "o1", OrdStatus::new_order, final_price, 5);
    const auto v = check("no-lost-amend", b);
    ASSERT_EQ(v.size(), final_price == 49'000 ? 0u : 1u) << final_price;
    if (final_price == 48'000) {
      EXPECT_EQ(v[0].message,
                "order 1/o1: after its last amend was accepted (event 5 at 0.006 s), it should be "
                "5 at 49000, but at the end it is 5 at 48000");
    }
  }
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

// The final read finds the order: its unknown place took effect, so its accepted amend must show.
TEST(NoLostAmend, CatchesALostAmendOfAnUnknownPlaceThatTookEffect) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).info(place);
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 3);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 50'000, 3);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  EXPECT_EQ(check("no-lost-amend", b).size(), 1u);
}

// The amend of unknown outcome may or may not have taken effect, but the
// accepted one before it must have: its price cannot be lost.
TEST(NoLostAmend, CatchesALostAmendBesideOneOfUnknownOutcome) {
  auto final_read = [](int64_t price, int64_t qty) {
    auto b = with_resting_order();
    auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 0);
    b.at(4).ok(amend, OrdStatus::new_order, 0, 49'000, 5);
    auto unknown = b.at(5).request(RequestKind::amend, 1, "o1", 0, 3);
    b.at(6).info(unknown);
    b.at(9).read(1, "o1", OrdStatus::new_order, price, qty);
    return check("no-lost-amend", b).size();
  };
  EXPECT_EQ(final_read(50'000, 5), 1u);  // the accepted price lost
  EXPECT_EQ(final_read(50'000, 3), 1u);
  EXPECT_EQ(final_read(49'000, 4), 1u);  // a quantity nobody asked
  EXPECT_EQ(final_read(49'000, 5), 0u);  // the unknown amend did not happen
  EXPECT_EQ(final_read(49'000, 3), 0u);  // it did
}

// An amend of unknown outcome takes effect whole or not at all: its price
// without its quantity is an amend half applied.
TEST(NoLostAmend, CatchesAnAmendOfUnknownOutcomeHalfApplied) {
  auto final_read = [](int64_t price, int64_t qty) {
    auto b = with_resting_order();
    auto unknown = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 3);
    b.at(4).info(unknown);
    b.at(9).read(1, "o1", OrdStatus::new_order, price, qty);
    return check("no-lost-amend", b).size();
  };
  EXPECT_EQ(final_read(50'000, 5), 0u);  // it did not happen
  EXPECT_EQ(final_read(49'000, 3), 0u);  // it did
  EXPECT_EQ(final_read(49'000, 5), 1u);  // its price only
  EXPECT_EQ(final_read(50'000, 3), 1u);  // its quantity only
}

// An amend of unknown outcome may take effect before an accepted amend
// acknowledged after it was sent, and that one then overrides what it
// states; it cannot take effect before one acknowledged before it was sent.
TEST(NoLostAmend, OrdersAnAmendOfUnknownOutcomeAfterItsInvocation) {
  auto final_read = [](bool unknown_first, int64_t price, int64_t qty) {
    auto b = with_resting_order();
    uint32_t unknown = 0;
    if (unknown_first) unknown = b.at(3).request(RequestKind::amend, 1, "o1", 49'000, 3);
    auto qty_only = b.at(4).request(RequestKind::amend, 1, "o1", 0, 4);
    b.at(5).ok(qty_only, OrdStatus::new_order, 0, 50'000, 4);
    if (!unknown_first) unknown = b.at(6).request(RequestKind::amend, 1, "o1", 49'000, 3);
    b.at(7).info(unknown);
    b.at(9).read(1, "o1", OrdStatus::new_order, price, qty);
    return check("no-lost-amend", b).size();
  };
  EXPECT_EQ(final_read(true, 50'000, 4), 0u);   // the unknown one did not happen
  EXPECT_EQ(final_read(true, 49'000, 4), 0u);   // it did, then the accepted one
  EXPECT_EQ(final_read(true, 49'000, 3), 0u);   // it did, after the accepted one
  EXPECT_EQ(final_read(true, 50'000, 3), 1u);   // its quantity without its price
  EXPECT_EQ(final_read(false, 49'000, 4), 1u);  // sent after the accepted one: not before it
  EXPECT_EQ(final_read(false, 49'000, 3), 0u);
}

// The order's repeat with the same id was rejected as a duplicate: the
// accepted place still tells what the amends apply to.
TEST(NoLostAmend, ChecksAnOrderWhoseRepeatedPlaceWasRejected) {
  auto final_read = [](int64_t price, int64_t qty) {
    auto b = with_resting_order();
    auto again = b.at(3).place(1, "o1", Side::buy, 51'000, 7);
    b.at(4).fail(again, "duplicate client order id");
    auto amend = b.at(5).request(RequestKind::amend, 1, "o1", 49'000, 0);
    b.at(6).ok(amend, OrdStatus::new_order, 0, 49'000, 5);
    b.at(9).read(1, "o1", OrdStatus::new_order, price, qty);
    return check("no-lost-amend", b).size();
  };
  EXPECT_EQ(final_read(49'000, 5), 0u);
  EXPECT_EQ(final_read(50'000, 5), 1u);  // the accepted amend lost
  EXPECT_EQ(final_read(49'000, 7), 1u);  // the rejected repeat's quantity
}

// No amend was sent, yet the order changed: replaying no amend over the
// place gives the place, and the final read must find it so.
TEST(NoLostAmend, CatchesAnOrderChangedWithoutAnAmend) {
  auto b = with_resting_order(10);
  b.at(9).read(1, "o1", OrdStatus::new_order, 48'000, 6);
  auto v = check("no-lost-amend", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(v[0].message,
            "order 1/o1 was placed at 10 at 50000 (event 0 at 0.001 s) and never amended, but at "
            "the end it is 6 at 48000");
  auto as_placed = with_resting_order(10);
  as_placed.at(9).read(1, "o1", OrdStatus::partially_filled, 50'000, 10, 4);
  EXPECT_TRUE(check("no-lost-amend", as_placed).empty());
}

// A history of a run with its own instruments counts prices and quantities
// in units of 10^-d: its messages write the venue's decimals.
TEST(NoLostAmend, WritesTheVenuesDecimalsWhenTheHistoryHasUnits) {
  auto b = with_resting_order(10);
  b.history().set_units({.price_decimals = 2, .qty_decimals = 1});
  b.at(9).read(1, "o1", OrdStatus::new_order, 48'005, 6);
  auto v = check("no-lost-amend", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message,
            "order 1/o1 was placed at 1 at 500 (event 0 at 0.001 s) and never amended, but at "
            "the end it is 0.6 at 480.05");
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

// Amended down to 3 and accepted: 6 filled after it is an overfill, though it was placed for 8.
TEST(NoOverfill, CatchesFillsBeyondAQuantityAmendedDown) {
  auto b = with_resting_order(8);
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 3);
  b.at(4).ok(amend, OrdStatus::new_order, 0, 50'000, 3);
  b.at(5).fill(1, "o1", Side::buy, 50'000, 3, 1, 3);
  b.at(6).fill(1, "o1", Side::buy, 50'000, 3, 2, 6);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

TEST(NoOverfill, CatchesFillsBeyondTheLastAcceptedAmend) {
  auto b = with_resting_order(3);
  auto up = b.at(3).request(RequestKind::amend, 1, "o1", 0, 8);
  b.at(4).ok(up, OrdStatus::new_order, 0, 50'000, 8);
  auto down = b.at(5).request(RequestKind::amend, 1, "o1", 0, 4);
  b.at(6).ok(down, OrdStatus::new_order, 0, 50'000, 4);
  b.at(7).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

// A rejected amend never takes effect: its larger quantity allows nothing.
TEST(NoOverfill, CatchesFillsBeyondARejectedAmendsQuantity) {
  auto b = with_resting_order(3);
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 8);
  b.at(4).fail(amend, "metadata unavailable");
  b.at(5).fill(1, "o1", Side::buy, 50'000, 6, 1, 6);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

// An amend not yet acknowledged, or of unknown outcome, may be in force.
// Two amends in flight at once, answered in the other order: the one
// acknowledged last is in force, and a fill beyond its quantity overfills,
// though the other, acknowledged first, asked for more.
TEST(NoOverfill, TheAmendAcknowledgedLastIsInForce) {
  for (const bool beyond : {true, false}) {
    auto b = with_resting_order(10);
    auto up = b.at(3).request(RequestKind::amend, 1, "o1", 0, 20);
    auto less = b.at(4).request(RequestKind::amend, 1, "o1", 0, 15);
    b.at(5).ok(up, OrdStatus::new_order, 0, 50'000, 20);
    b.at(6).ok(less, OrdStatus::new_order, 0, 50'000, 15);
    b.at(7).fill(1, "o1", Side::buy, 50'000, beyond ? 20 : 15, 1, beyond ? 20 : 15);
    const auto v = check("no-overfill", b);
    ASSERT_EQ(v.size(), beyond ? 1u : 0u) << beyond;
    if (beyond) {
      EXPECT_NE(v[0].message.find("more than its quantity 15"), std::string::npos) << v[0].message;
    }
  }
}

TEST(NoOverfill, PassesQuantitiesOfAmendsInFlightOrUnknown) {
  auto b = with_resting_order(3);
  auto up = b.at(3).request(RequestKind::amend, 1, "o1", 0, 8);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 6, 1, 6);  // the amend applied, not yet acknowledged
  b.at(5).ok(up, OrdStatus::partially_filled, 6, 50'000, 8);
  auto unknown = b.at(6).request(RequestKind::amend, 1, "o1", 0, 10);
  b.at(7).info(unknown);
  auto down = b.at(8).request(RequestKind::amend, 1, "o1", 0, 7);
  b.at(9).ok(down, OrdStatus::partially_filled, 6, 50'000, 7);
  b.at(10).fill(1, "o1", Side::buy, 50'000, 3, 2, 9);  // 9 > 7, but the unknown 10 may be in force
  EXPECT_TRUE(check("no-overfill", b).empty());
  auto price_only = b.at(11).request(RequestKind::amend, 1, "o1", 49'000, 0);
  b.at(12).ok(price_only, OrdStatus::partially_filled, 9, 49'000, 10);
  b.at(13).fill(1, "o1", Side::buy, 49'000, 1, 3, 10);
  EXPECT_TRUE(check("no-overfill", b).empty());
  b.at(14).fill(1, "o1", Side::buy, 49'000, 1, 4, 11);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
}

// An exchange may accept an amend down to what has filled (the order is
// then done, as over FIX). The acceptance said 6 had filled: a report of
// that fill arriving after it is late, a fill under the quantity before
// the amend, not one beyond the amended 5.
TEST(NoOverfill, PassesALateReportOfAFillTheAmendsAcceptanceCounted) {
  for (const bool counted : {true, false}) {
    auto b = with_resting_order(8);
    auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 0, 5);
    b.at(4).ok(amend, counted ? OrdStatus::filled : OrdStatus::new_order, counted ? 6 : 0, 50'000,
               5);
    b.at(5).fill(1, "o1", Side::buy, 50'000, 6, 1, 6);
    EXPECT_EQ(check("no-overfill", b).size(), counted ? 0u : 1u) << counted;
  }
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

// The exchange says 12 have filled of an order of 10: fills ordeal did not
// see were fills all the same.
TEST(NoOverfill, CatchesAFillWhoseCumulativeQuantityIsBeyondTheQuantity) {
  auto b = with_resting_order(10);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 4, 1, 12);
  auto v = check("no-overfill", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("has filled 12"), std::string::npos) << v[0].message;
}

// A state (here the final read) saying more has filled than any quantity
// the order had is an overfill, with or without fill reports; an amend of
// unknown outcome may have raised the quantity, a rejected one did not.
TEST(NoOverfill, CatchesAStateReportingMoreFilledThanAnyQuantity) {
  for (const bool rejected : {true, false}) {
    auto b = with_resting_order(10);
    auto up = b.at(3).request(RequestKind::amend, 1, "o1", 0, 12);
    if (rejected) {
      b.at(4).fail(up, "metadata unavailable");
    } else {
      b.at(4).info(up);
    }
    b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 10, 12);
    auto v = check("no-overfill", b);
    ASSERT_EQ(v.size(), rejected ? 1u : 0u) << rejected;
    if (!rejected) continue;
    EXPECT_EQ(v[0].events, (std::vector<uint64_t>{0, 4}));
    EXPECT_NE(v[0].message.find("reported filled with 12 filled"), std::string::npos)
        << v[0].message;
  }
}

// An amend down to what has filled leaves the order done with a quantity
// below its filled one (as over FIX): it had the larger quantity when it
// filled.
TEST(NoOverfill, PassesAStateAfterAnAmendDownToWhatHasFilled) {
  auto b = with_resting_order(10);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 6, 1, 6);
  auto down = b.at(4).request(RequestKind::amend, 1, "o1", 0, 4);
  b.at(5).ok(down, OrdStatus::filled, 6, 50'000, 4);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 4, 6);
  EXPECT_TRUE(check("no-overfill", b).empty());
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

// A rejected place must not take effect: the order must not be found resting.
TEST(NoPhantom, CatchesARejectedOrderTheExchangeHolds) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 3);
  b.at(2).fail(place, "metadata unavailable");
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 3, 0);
  EXPECT_EQ(check("no-phantom", b).size(), 1u);
}

TEST(NoPhantom, PassesARejectedOrderReadAsRejected) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 3);
  b.at(2).fail(place, "metadata unavailable");
  b.at(9).read(1, "o1", OrdStatus::rejected, 50'000, 3, 0);
  EXPECT_TRUE(check("no-phantom", b).empty());
}

// A fill, or a state, of an order before its client sent the place is of
// no request: the order's id only names it later.
// A state reported while the only place sent so far had been rejected is a
// phantom, though a retry of the id is accepted later; one after the
// accepted retry is not.
TEST(NoPhantom, CatchesAReportBetweenARejectedPlaceAndAnAcceptedRetry) {
  for (const bool before_retry : {true, false}) {
    HistoryBuilder b;
    auto first = b.at(1).place(1, "a", Side::buy, 50'000, 5);
    b.at(2).fail(first, "metadata unavailable");
    if (before_retry) b.at(3).update(1, "a", OrdStatus::new_order, 0);
    auto retry = b.at(4).place(1, "a", Side::buy, 50'000, 5);
    b.at(5).ok(retry, OrdStatus::new_order);
    if (!before_retry) b.at(6).update(1, "a", OrdStatus::new_order, 0);
    const auto v = check("no-phantom", b);
    ASSERT_EQ(v.size(), before_retry ? 1u : 0u) << before_retry;
    if (before_retry) {
      EXPECT_EQ(v[0].message,
                "order 1/a was rejected, yet the exchange reports it new (event 2 at 0.003 s)");
    }
  }
}

TEST(NoPhantom, CatchesAReportBeforeThePlaceWasSent) {
  for (const bool traded : {true, false}) {
    HistoryBuilder b;
    if (traded) {
      b.at(1).fill(1, "o1", Side::buy, 50'000, 1, 9, 1);
    } else {
      b.at(1).update(1, "o1", OrdStatus::new_order);
    }
    auto place = b.at(2).place(1, "o1", Side::buy, 50'000, 5);
    b.at(3).ok(place, OrdStatus::partially_filled, traded ? 1 : 0);
    auto v = check("no-phantom", b);
    ASSERT_EQ(v.size(), 1u) << traded;
    EXPECT_EQ(v[0].events, (std::vector<uint64_t>{0, 1}));
    EXPECT_NE(v[0].message.find("before its client placed it"), std::string::npos) << v[0].message;
  }
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

// Cancelled by an unsolicited update, the order fills again and reads
// cancelled at the end, with more filled: its final state changed.
TEST(OrderStateMachine, CatchesAFinalOrderFillingOn) {
  auto b = with_resting_order();
  b.at(3).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);
  b.at(4).update(1, "o1", OrdStatus::cancelled, 1);
  b.at(5).fill(1, "o1", Side::buy, 50'000, 2, 2, 3);
  EXPECT_EQ(check("order-state-machine", b).size(), 1u);
  auto c = with_resting_order();
  c.at(4).update(1, "o1", OrdStatus::cancelled, 1);
  c.at(9).read(1, "o1", OrdStatus::cancelled, 50'000, 5, 3);
  EXPECT_EQ(check("order-state-machine", c).size(), 1u);
}

// A fill reported after the order was seen final, but already counted in
// it (its cumulative quantity no higher), is a late report, not a change.
TEST(OrderStateMachine, PassesALateReportOfAFillBeforeTheFinalState) {
  auto b = with_resting_order();
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(cancel, OrdStatus::cancelled, 2);
  b.at(5).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(9).read(1, "o1", OrdStatus::cancelled, 50'000, 5, 2);
  EXPECT_TRUE(check("order-state-machine", b).empty());
}

// An order the exchange accepted (new) is never rejected later; an order
// reported rejected from the start stays so.
TEST(OrderStateMachine, CatchesAnAcceptedOrderReportedRejectedLater) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::rejected, 50'000, 5);
  EXPECT_EQ(check("order-state-machine", b).size(), 1u);
  HistoryBuilder c;
  auto place = c.at(1).place(1, "o1", Side::buy, 50'000, 5);
  c.at(2).fail(place, "metadata unavailable");
  c.at(3).update(1, "o1", OrdStatus::rejected);
  c.at(9).read(1, "o1", OrdStatus::rejected, 50'000, 5);
  EXPECT_TRUE(check("order-state-machine", c).empty());
}

// An order that traded was accepted: reported rejected after it traded,
// its state went back.
TEST(OrderStateMachine, CatchesAnOrderReportedRejectedAfterItTraded) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).info(place);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(9).read(1, "o1", OrdStatus::rejected, 50'000, 5);
  const auto v = check("order-state-machine", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("traded"), std::string::npos) << v[0].message;
}

// The exchange reported the whole order filled, then reads it new with
// nothing filled: the fill was lost, the state went back, though no two
// states the exchange reported say so.
TEST(OrderStateMachine, CatchesAStateSayingLessFilledThanAFillReportedBefore) {
  auto b = with_resting_order();
  b.at(3).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5, 0);
  auto v = check("order-state-machine", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(v[0].message,
            "order 1/o1 traded to 5 filled (event 2 at 0.003 s), yet the exchange reports it new "
            "with 0 filled (event 3 at 0.009 s)");
}

// An answer may have been made before a fill recorded while it was on its
// way: it is held to the fills recorded before its request was sent.
TEST(OrderStateMachine, PassesAnAnswerMadeBeforeAFillRecordedOnItsWay) {
  auto b = with_resting_order();
  auto status = b.at(3).request(RequestKind::status, 1, "o1");
  b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(5).ok(status, OrdStatus::new_order, 0);
  EXPECT_TRUE(check("order-state-machine", b).empty());
  auto again = b.at(6).request(RequestKind::status, 1, "o1");
  b.at(7).ok(again, OrdStatus::new_order, 0);  // sent after the fill: it went back
  EXPECT_EQ(check("order-state-machine", b).size(), 1u);
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

// The window's edges: a version committed exactly `metadata_staleness_ms`
// before the invocation has replaced the one before it; one recorded within
// `metadata_notice_ms` after the completion may have been in force.
TEST(MetadataConformance, HoldsTheWindowsEdges) {
  auto wide = btc(20);
  wide.max_price = 120'000;
  // Version 2 (ticks of 20, a wider band) recorded at 1000 ms.
  auto at_edges = [&](int64_t invoke_ms, int64_t price, int64_t done_ms) {
    HistoryBuilder b;
    b.at(0).meta(1, btc(10));
    if (invoke_ms >= 1000) b.at(1000).meta(2, wide);
    auto place = b.at(invoke_ms).place(1, "o", Side::buy, price, 1);
    b.at(done_ms).ok(place, OrdStatus::new_order);
    if (invoke_ms < 1000) b.at(1000).meta(2, wide);
    return check("metadata-conformance", b).size();
  };
  EXPECT_EQ(at_edges(2999, 50'010, 3000), 0u);  // version 1 still in force at 999 ms
  EXPECT_EQ(at_edges(3000, 50'010, 3001), 1u);  // at 1000 ms version 2 had replaced it
  EXPECT_EQ(at_edges(900, 110'000, 990), 0u);   // version 2 heard of 10 ms after: allowed
  EXPECT_EQ(at_edges(900, 110'000, 989), 1u);   // 11 ms after: committed after the answer
}

// An amend changes the order: the price it moves to must keep the tick in
// force too, and one that keeps every rule must not be rejected as invalid.
TEST(MetadataConformance, JudgesAmendsLikePlaces) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto place = b.at(5000).place(1, "o", Side::buy, 50'000, 1);
  b.at(5001).ok(place, OrdStatus::new_order);
  auto off_tick = b.at(5002).request(RequestKind::amend, 1, "o", 50'005, 0);
  b.at(5003).ok(off_tick, OrdStatus::new_order, 0, 50'005, 1);
  auto valid = b.at(5004).request(RequestKind::amend, 1, "o", 50'000, 2);
  b.at(5005).fail(valid, "quantity above the maximum");
  auto qty_only = b.at(5006).request(RequestKind::amend, 1, "o", 0, 3);  // price unchanged
  b.at(5007).ok(qty_only, OrdStatus::new_order, 0, 50'000, 3);
  const auto v = check("metadata-conformance", b);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_NE(v[0].message.find("tick size"), std::string::npos) << v[0].message;
  EXPECT_NE(v[1].message.find("quantity above the maximum"), std::string::npos) << v[1].message;
}

// An amend of the quantity only may be judged with the order's price
// restated (over FIX it is sent again): once the band moved away from that
// price, rejecting it is right too.
TEST(MetadataConformance, PassesAQuantityAmendRejectedForThePriceItKeeps) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto place = b.at(1000).place(1, "o", Side::buy, 50'000, 1);
  b.at(1001).ok(place, OrdStatus::new_order);
  auto narrow = btc(10);
  narrow.max_price = 40'000;
  b.at(1002).meta(2, narrow);
  auto amend = b.at(5000).request(RequestKind::amend, 1, "o", 0, 2);
  b.at(5001).fail(amend, "price outside the price band");
  EXPECT_TRUE(check("metadata-conformance", b).empty());
}

// A halted instrument takes no amend, whatever its terms.
TEST(MetadataConformance, CatchesAnAmendAcceptedWhileHalted) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto place = b.at(1000).place(1, "o", Side::buy, 50'000, 1);
  b.at(1001).ok(place, OrdStatus::new_order);
  auto halted = btc(10);
  halted.status = exchange::TradingStatus::halted;
  b.at(1002).meta(2, halted);
  auto amend = b.at(5000).request(RequestKind::amend, 1, "o", 0, 2);
  b.at(5001).ok(amend, OrdStatus::new_order, 0, 50'000, 2);
  EXPECT_EQ(check("metadata-conformance", b).size(), 1u);
}

// Client order id o reused in another symbol: which order the amend
// concerns is not known, so it is not judged.
TEST(MetadataConformance, LeavesAmendsOfAnIdReusedAcrossSymbols) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto eth = btc(5);
  eth.symbol = "ETH-USDT";
  eth.lot_size = 10;
  b.at(0).meta(1, eth);
  auto first = b.at(1000).place(1, "o", Side::buy, 50'000, 1);
  b.at(1001).fail(first, "metadata unavailable");
  auto second = b.at(1002).place(1, "o", Side::buy, 50'005, 10, "ETH-USDT");
  b.at(1003).ok(second, OrdStatus::new_order);
  auto amend = b.at(1004).request(RequestKind::amend, 1, "o", 0, 3);  // fine for BTC, not ETH
  b.at(1005).fail(amend, "quantity not a multiple of the lot size");
  EXPECT_TRUE(check("metadata-conformance", b).empty());
}

// The order's id repeated in another symbol and side, rejected as a
// duplicate: the repeat never was the order, so its amends are still judged
// against the order's symbol.
TEST(MetadataConformance, JudgesAmendsOfAnOrderWhoseRepeatWasRejected) {
  HistoryBuilder b;
  b.at(0).meta(1, btc(10));
  auto eth = btc(5);
  eth.symbol = "ETH-USDT";
  b.at(0).meta(1, eth);
  auto place = b.at(1000).place(1, "o", Side::buy, 50'000, 1);
  b.at(1001).ok(place, OrdStatus::new_order);
  auto again = b.at(1002).place(1, "o", Side::sell, 50'005, 1, "ETH-USDT");
  b.at(1003).fail(again, "duplicate client order id");
  auto off_tick = b.at(1004).request(RequestKind::amend, 1, "o", 50'005, 0);  // on ETH's tick
  b.at(1005).ok(off_tick, OrdStatus::new_order, 0, 50'005, 1);
  const auto v = check("metadata-conformance", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("tick size"), std::string::npos) << v[0].message;
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

// An accepted amend that raises the order's notional above the maximum
// breaks the record as a place of those terms would: a quantity raised at
// the price kept, or a price raised at the quantity kept. One within it
// passes.
TEST(MetadataConformance, CatchesAnAmendThatRaisesTheNotionalAboveTheMaximum) {
  for (const bool within : {false, true}) {
    for (const bool price_only : {false, true}) {
      exchange::Instrument record = btc(1);
      record.schema = exchange::kSchemaV2;
      record.max_notional = 300'000;
      HistoryBuilder b;
      b.at(0).meta(1, record);
      auto place = b.at(5000).place(1, "o", Side::buy, 50'000, 5);
      b.at(5001).ok(place, OrdStatus::new_order);
      const int64_t price = price_only ? (within ? 60'000 : 90'000) : 0;
      const int64_t qty = price_only ? 0 : (within ? 6 : 10);
      auto amend = b.at(5002).request(RequestKind::amend, 1, "o", price, qty);
      b.at(5003).ok(amend, OrdStatus::new_order, 0, price_only ? price : 50'000,
                    price_only ? 5 : qty);
      const auto v = check("metadata-conformance", b);
      ASSERT_EQ(v.size(), within ? 0u : 1u) << within << price_only;
      if (!within) {
        EXPECT_NE(v[0].message.find("notional above the maximum"), std::string::npos)
            << v[0].message;
      }
    }
  }
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
  b.at(3002).request(RequestKind::mass_cancel, 2, "");
  const auto violations = check("every-request-answered", b);
  ASSERT_EQ(violations.size(), 3u);
  // Orders named as every property names them; a mass-cancel by its client.
  EXPECT_EQ(violations[0].message,
            "the place of order 1/a (event 0 at 0.001 s) was never answered");
  EXPECT_EQ(violations[2].message,
            "the mass-cancel of client 2 (event 3 at 3.002 s) was never answered");
  // A mass-cancel is of no order: it names none ("2/" is not an order).
  EXPECT_EQ(violations[0].orders, std::vector<std::string>{"1/a"});
  EXPECT_TRUE(violations[2].orders.empty());
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

// `total` orders during a fault, the first `failed` of them failed; the
// fault stops after them unless `heal` is false.
HistoryBuilder orders_during_fault(int failed, int total, bool heal = true) {
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
  if (heal) b.at(10 + total * 100).fault(false, "meta.replica.restart");
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

// A live venue's own rules (self-trade prevention here) are the client's
// doing only when the scenario names them: the reference exchange's
// reasons are known, a venue's are not.
TEST(BoundedUnavailability, IgnoresRejectsTheScenarioNamesAsTheClientsDoing) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  for (int i = 0; i < 10; ++i) {
    auto place = b.at(10 + i * 100).place(1, "o" + std::to_string(i), Side::buy, 50'000, 1);
    b.at(20 + i * 100).fail(place, "35=8 rejected: self-trade prevention (STP) on account 7");
  }
  b.at(2000).fault(false, "meta.replica.restart");
  CheckLimits limits{.failed_share_max = 0.5, .outage_ms_max = 500};
  EXPECT_FALSE(check("bounded-unavailability", b, limits).empty());
  limits.client_reject_reasons = {"price band", "self-trade prevention"};
  EXPECT_TRUE(check("bounded-unavailability", b, limits).empty());
}

// A venue that sends reason codes alone has them in the history as
// "OrdRejReason 16": naming code 1 (unknown symbol) names neither 16 (a
// price band) nor 13, whose texts begin with it; a code is matched whole.
TEST(BoundedUnavailability, ANamedReasonCodeIsNoPrefixOfAnother) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  for (int i = 0; i < 10; ++i) {
    auto place = b.at(10 + i * 100).place(1, "o" + std::to_string(i), Side::buy, 50'000, 1);
    b.at(20 + i * 100).fail(place, i % 2 == 0 ? "OrdRejReason 16" : "OrdRejReason 13");
  }
  b.at(2000).fault(false, "meta.replica.restart");
  CheckLimits limits{
      .failed_share_max = 0.5, .outage_ms_max = 500, .client_reject_reasons = {"OrdRejReason 1"}};
  EXPECT_FALSE(check("bounded-unavailability", b, limits).empty());
  limits.client_reject_reasons = {"OrdRejReason 16", "OrdRejReason 13"};
  EXPECT_TRUE(check("bounded-unavailability", b, limits).empty());
  limits.client_reject_reasons = {"RejReason 16", "Reason 13"};  // words may be cut, not numbers
  EXPECT_TRUE(check("bounded-unavailability", b, limits).empty());
}

// Client 2's order, accepted 40 ms after client 1's failed, ends the outage, though client 1's next
// one (a lower op id) is accepted only 2.5 s later.
TEST(BoundedUnavailability, MeasuresOutagesInTimeNotInOpOrder) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  auto f = b.at(10).place(1, "a", Side::buy, 50'000, 1);
  b.at(20).fail(f, "metadata unavailable");
  auto slow = b.at(30).place(1, "b", Side::buy, 50'000, 1);
  auto fast = b.at(40).place(2, "c", Side::buy, 50'000, 1);
  b.at(50).ok(fast, OrdStatus::new_order);
  b.at(2500).ok(slow, OrdStatus::new_order);
  b.at(3000).fault(false, "meta.replica.restart");
  EXPECT_TRUE(
      check("bounded-unavailability", b, {.failed_share_max = 0.5, .outage_ms_max = 1000}).empty());
}

// Places never answered at all (another tool's history) count as failed,
// as the ones its target rejected do: they were not accepted.
TEST(BoundedUnavailability, CountsRequestsNeverAnsweredAsFailed) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  for (int i = 0; i < 40; ++i) {
    auto place = b.at(10 + i * 100).place(1, "o" + std::to_string(i), Side::buy, 50'000, 1);
    if (i >= 32) b.at(20 + i * 100).ok(place, OrdStatus::new_order);
  }
  b.at(4010).fault(false, "meta.replica.restart");
  const auto v =
      check("bounded-unavailability", b, {.failed_share_max = 0.5, .outage_ms_max = 1000});
  ASSERT_EQ(v.size(), 2u);  // 80% not accepted, and out for about 3.2 s
  EXPECT_NE(v[0].message.find("32 of 40"), std::string::npos) << v[0].message;
}

// A fault that never heals stays active to the end of the history.
TEST(BoundedUnavailability, CountsAFaultNeverHealedToTheEnd) {
  auto b = orders_during_fault(40, 40, /*heal=*/false);
  EXPECT_EQ(check("bounded-unavailability", b).size(), 2u);  // all failed, out for 3.9 s
}

// The outage is measured while faults are active: a failure just before
// the fault stops ends with it, whether the next acceptance comes long
// after (a slow answer) or never.
TEST(BoundedUnavailability, EndsAnOutageWhenTheFaultsStop) {
  for (const bool slow_acceptance : {false, true}) {
    HistoryBuilder b;
    b.at(0).fault(true, "meta.replica.restart");
    auto failed = b.at(2900).place(1, "a", Side::buy, 50'000, 1);
    b.at(2910).fail(failed, "metadata unavailable");
    auto slow = b.at(2950).place(2, "b", Side::buy, 50'000, 1);
    b.at(3000).fault(false, "meta.replica.restart");
    if (slow_acceptance) {
      b.at(6500).ok(slow, OrdStatus::new_order);
    } else {
      b.at(6500).fail(slow, "metadata unavailable");
    }
    EXPECT_TRUE(check("bounded-unavailability", b, {.failed_share_max = 0.5, .outage_ms_max = 1000})
                    .empty())
        << slow_acceptance;
  }
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

// A trade is its id within a symbol: a venue numbering its trades per
// symbol has a trade 1 in each, and each has its own two sides. A fill that
// names no symbol is in its order's, and pairs with the side that names it.
TEST(TradeConservation, PairsTheSidesOfATradeWithinASymbol) {
  for (const bool mismatch : {false, true}) {
    HistoryBuilder b;
    int64_t ms = 1;
    for (const std::string symbol : {"BTC-USDT", "ETH-USDT"}) {
      auto buy = b.at(ms++).place(1, "b" + symbol, Side::buy, 50'000, 2, symbol);
      b.at(ms++).ok(buy, OrdStatus::new_order);
      auto sell = b.at(ms++).place(2, "s" + symbol, Side::sell, 50'000, 2, symbol);
      b.at(ms).fill(1, "b" + symbol, Side::buy, 50'000, 2, 1, 2, symbol);
      const bool short_side = mismatch && symbol == "ETH-USDT";
      b.at(ms).fill(2, "s" + symbol, Side::sell, 50'000, short_side ? 1 : 2, 1, 2,
                    symbol == "BTC-USDT" ? "" : symbol);
      b.at(ms++).ok(sell, OrdStatus::filled, 2);
    }
    auto v = check("trade-conservation", b);
    ASSERT_EQ(v.size(), mismatch ? 1u : 0u) << mismatch;
    if (!mismatch) continue;
    EXPECT_EQ(v[0].message, "trade 1 is 2 on one side and 1 on the other");
    EXPECT_EQ(v[0].orders, (std::vector<std::string>{"1/bETH-USDT", "2/sETH-USDT"}));
  }
}

// A fill beyond the limit says where it happened and which limit it broke:
// of the limits the order may have had, the one letting most prices through.
TEST(TradeConservation, NamesTheLimitAFillBroke) {
  auto b = with_resting_order();
  auto up = b.at(3).request(RequestKind::amend, 1, "o1", 50'020, 0);
  b.at(4).info(up);
  b.at(5).fill(1, "o1", Side::buy, 50'030, 1, 1, 1);
  auto v = check("trade-conservation", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message,
            "order 1/o1 (buy) filled at 50030 (event 4 at 0.005 s), beyond its limit price 50020");
}

// A fill of a buy of BTC-USDT must be a buy of BTC-USDT.
TEST(TradeConservation, CatchesAFillInAnotherSymbolOrOnTheOtherSide) {
  for (const bool wrong_symbol : {false, true}) {
    for (const bool wrong_side : {false, true}) {
      HistoryBuilder b;
      auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
      b.at(2).ok(place, OrdStatus::new_order);
      b.at(5).fill(1, "o1", wrong_side ? Side::sell : Side::buy, 50'000, 1, 1, 1,
                   wrong_symbol ? "ETH-USDT" : "BTC-USDT");
      const auto violations = check("trade-conservation", b);
      ASSERT_EQ(violations.size(), wrong_symbol || wrong_side ? 1u : 0u)
          << wrong_symbol << wrong_side;
      if (wrong_symbol && wrong_side) {
        EXPECT_EQ(violations[0].message,
                  "order 1/o1 (buy BTC-USDT) filled 1 at 50000 as a sell in ETH-USDT (event 2 at "
                  "0.005 s)");
      }
    }
  }
}

// One trade matched across two books: a lone side in each of two symbols,
// opposite, of one quantity and price. Alike sides, or another quantity,
// are two trades a venue numbers per symbol, each with a side ordeal does
// not see.
TEST(TradeConservation, CatchesATradeMatchedAcrossTwoSymbols) {
  for (const bool alike : {true, false}) {
    HistoryBuilder b;
    auto buy = b.at(1).place(1, "b", Side::buy, 50'000, 2, "BTC-USDT");
    b.at(2).ok(buy, OrdStatus::new_order);
    auto sell = b.at(3).place(2, "s", Side::sell, 50'000, 2, "ETH-USDT");
    b.at(4).fill(1, "b", Side::buy, 50'000, 2, 7, 2, "BTC-USDT");
    b.at(4).fill(2, "s", Side::sell, 50'000, alike ? 2 : 1, 7, alike ? 2 : 1, "ETH-USDT");
    b.at(4).ok(sell, OrdStatus::filled, 2);
    const auto v = check("trade-conservation", b);
    ASSERT_EQ(v.size(), alike ? 1u : 0u) << alike;
    if (alike) {
      EXPECT_EQ(v[0].message, "trade 7 is in BTC-USDT on one side and ETH-USDT on the other");
    }
  }
}

// Two amends in flight, answered in the other order: the one acknowledged
// last sets the limit (as no-lost-amend replays them), and the message
// names it.
TEST(TradeConservation, TheAmendAcknowledgedLastSetsTheLimit) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'100, 5);
  b.at(2).ok(place, OrdStatus::new_order);
  auto to_90 = b.at(3).request(RequestKind::amend, 1, "o1", 49'900, 0);
  auto to_95 = b.at(4).request(RequestKind::amend, 1, "o1", 49'950, 0);
  b.at(5).ok(to_95, OrdStatus::new_order, 0);
  b.at(6).ok(to_90, OrdStatus::new_order, 0);
  b.at(7).fill(1, "o1", Side::buy, 49'950, 1, 1, 1);
  const auto v = check("trade-conservation", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("beyond its limit price 49900"), std::string::npos) << v[0].message;
}

// An accepted amend replaces the limit: a fill it did not count (its answer
// said less filled) happened under the amend's price, not the place's. One
// it counted is a late report of a fill under the place's. Both sides.
TEST(TradeConservation, CatchesAFillBeyondTheLimitAnAcceptedAmendSet) {
  for (const Side side : {Side::buy, Side::sell}) {
    for (const bool counted : {false, true}) {
      const bool buy = side == Side::buy;
      HistoryBuilder b;
      auto place = b.at(1).place(1, "o1", side, buy ? 50'100 : 49'900, 5);
      b.at(2).ok(place, OrdStatus::new_order);
      b.at(3).fill(1, "o1", side, 50'000, 1, 1, 1);
      auto amend = b.at(4).request(RequestKind::amend, 1, "o1", buy ? 49'900 : 50'100, 0);
      b.at(5).ok(amend, OrdStatus::partially_filled, counted ? 2 : 1);
      b.at(6).fill(1, "o1", side, 50'000, 1, 2, 2);  // within the place's limit only
      auto v = check("trade-conservation", b);
      ASSERT_EQ(v.size(), counted ? 0u : 1u) << buy << counted;
      if (counted) continue;
      EXPECT_EQ(v[0].message, fmt::format("order 1/o1 ({}) filled at 50000 (event 5 at 0.006 s), "
                                          "beyond its limit price {}",
                                          buy ? "buy" : "sell", buy ? 49'900 : 50'100));
    }
  }
}

// A rejected amend never gave the order its price.
TEST(TradeConservation, CatchesAFillWithinOnlyARejectedAmendsLimit) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).ok(place, OrdStatus::new_order);
  auto amend = b.at(3).request(RequestKind::amend, 1, "o1", 51'000, 0);
  b.at(4).fail(amend, "metadata unavailable");
  b.at(5).fill(1, "o1", Side::buy, 50'500, 1, 1, 1);
  EXPECT_EQ(check("trade-conservation", b).size(), 1u);
}

// A repeat of the order's id rejected as a duplicate never was the order:
// its limit, its market type, its symbol and side are not the order's.
TEST(TradeConservation, JudgesFillsByThePlaceNotByARejectedRepeat) {
  for (int repeat = 0; repeat < 3; ++repeat) {
    HistoryBuilder b;
    auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
    b.at(2).ok(place, OrdStatus::new_order);
    const uint32_t again = repeat == 0 ? b.at(3).place(1, "o1", Side::buy, 51'000, 5)
                           : repeat == 1
                               ? b.at(3).place(1, "o1", Side::buy, 0, 5, "BTC-USDT", kMarketFlag)
                               : b.at(3).place(1, "o1", Side::sell, 50'000, 5, "ETH-USDT");
    b.at(4).fail(again, "duplicate client order id");
    if (repeat < 2) {
      b.at(5).fill(1, "o1", Side::buy, 50'500, 1, 1, 1);  // beyond the place's limit
    } else {
      b.at(5).fill(1, "o1", Side::sell, 50'000, 1, 1, 1, "ETH-USDT");  // the repeat's terms
    }
    EXPECT_EQ(check("trade-conservation", b).size(), 1u) << repeat;
  }
}

// A fill recorded before an amend was sent happened under the limit before
// it: the amend's price does not excuse it. One recorded after may have
// happened under it.
TEST(TradeConservation, CatchesAFillBeyondTheLimitBeforeAnAmendRaisedIt) {
  for (const bool fill_first : {true, false}) {
    HistoryBuilder b;
    auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
    b.at(2).ok(place, OrdStatus::new_order);
    if (fill_first) b.at(3).fill(1, "o1", Side::buy, 50'500, 1, 1, 1);
    auto amend = b.at(4).request(RequestKind::amend, 1, "o1", 51'000, 0);
    if (!fill_first) b.at(5).fill(1, "o1", Side::buy, 50'500, 1, 1, 1);
    b.at(6).ok(amend, OrdStatus::partially_filled, 1, 51'000, 5);
    EXPECT_EQ(check("trade-conservation", b).size(), fill_first ? 1u : 0u) << fill_first;
  }
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

// The place timed out, but the order traded before the client sent it
// again: the first place took effect, and accepting the repeat made a
// second order with the id. Without that evidence the first may never have
// happened, and the repeat is the order.
TEST(ClordidIdempotence, CatchesARepeatAcceptedAfterAnUnknownPlaceTookEffect) {
  for (const bool traded : {true, false}) {
    HistoryBuilder b;
    auto first = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
    b.at(2).info(first);
    if (traded) b.at(3).fill(1, "o1", Side::buy, 50'000, 1, 1, 1);
    auto again = b.at(4).place(1, "o1", Side::buy, 50'000, 5);
    b.at(5).ok(again, OrdStatus::new_order);
    b.at(6).fill(1, "o1", Side::buy, 50'000, 1, 2, 2);  // of either: proves nothing more
    EXPECT_EQ(check("clordid-idempotence", b).size(), traded ? 1u : 0u) << traded;
  }
}

// ---- no-phantom-cancel ---------------------------------------------------------

// Client 2's kill switch (a mass-cancel of every symbol) pulls client 1's order.
TEST(NoPhantomCancel, CatchesAnOrderCancelledByAnotherClientsMassCancel) {
  auto b = with_resting_order();
  auto mass = b.at(3).mass_cancel(2);
  b.at(4).ok(mass, OrdStatus::none);
  b.at(4).update(1, "o1", OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  auto v = check("no-phantom-cancel", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o1"});
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{0, 4, 2})) << v[0].message;
  EXPECT_NE(v[0].message.find("client 2 sent a mass-cancel of every symbol"), std::string::npos)
      << v[0].message;
}

TEST(NoPhantomCancel, CatchesACancelledOrderNobodyAskedAbout) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  auto v = check("no-phantom-cancel", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("its client never asked"), std::string::npos) << v[0].message;
}

// A rejected cancel must not take effect; one sent after the order was
// reported cancelled explains nothing; nor does a mass-cancel of another
// symbol.
TEST(NoPhantomCancel, CatchesCancelsThatAreNoReason) {
  auto b = with_resting_order();
  auto rejected = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).fail(rejected, "metadata is stale");
  auto other_symbol = b.at(5).mass_cancel(1, "ETH-USDT");
  b.at(6).ok(other_symbol, OrdStatus::none);
  b.at(7).update(1, "o1", OrdStatus::cancelled);
  auto late = b.at(8).request(RequestKind::cancel, 1, "o1");
  b.at(8).ok(late, OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  EXPECT_EQ(check("no-phantom-cancel", b).size(), 1u);
}

// A mass-cancel the exchange answered before the order was placed cannot
// have cancelled it: client 1's kill switch at 1 ms explains nothing of an
// order it placed at 3 ms and client 2's kill switch pulled.
TEST(NoPhantomCancel, CatchesAnOrderPlacedAfterItsClientsMassCancelWasDone) {
  HistoryBuilder b;
  auto own = b.at(1).mass_cancel(1);
  b.at(2).ok(own, OrdStatus::none);
  auto place = b.at(3).place(1, "o1", Side::buy, 50'000, 5);
  b.at(4).ok(place, OrdStatus::new_order);
  auto foreign = b.at(5).mass_cancel(2);
  b.at(6).ok(foreign, OrdStatus::none);
  b.at(6).update(1, "o1", OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  auto v = check("no-phantom-cancel", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{2, 6, 4})) << v[0].message;
}

// One still unanswered when the order was placed may have reached it.
TEST(NoPhantomCancel, PassesAnOrderPlacedWhileItsClientsMassCancelWasInFlight) {
  HistoryBuilder b;
  auto own = b.at(1).mass_cancel(1);
  auto place = b.at(2).place(1, "o1", Side::buy, 50'000, 5);
  b.at(3).ok(own, OrdStatus::none);
  b.at(3).ok(place, OrdStatus::new_order);
  b.at(4).update(1, "o1", OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::cancelled);
  EXPECT_TRUE(check("no-phantom-cancel", b).empty());
}

// Its own cancel (accepted or unknown), its own mass-cancel (of the symbol,
// of every one, or unknown), and the exchange expiring an IOC or market
// order's rest are all reasons; an open order is never judged.
TEST(NoPhantomCancel, PassesCancelsTheOwnerAskedForAndExpiries) {
  HistoryBuilder b;
  auto place = [&](int32_t client, const char* order, int64_t flags = 0) {
    auto p = b.at(1).place(client, order, Side::buy, 50'000, 5, "BTC-USDT", flags);
    b.at(1).ok(p, flags == 0 ? OrdStatus::new_order : OrdStatus::cancelled);
  };
  place(1, "accepted");
  place(1, "unknown");
  place(1, "ioc", kIocFlag);
  place(1, "market", kMarketFlag);
  place(1, "open");
  place(2, "mine");
  place(3, "all");
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "accepted");
  b.at(4).ok(cancel, OrdStatus::cancelled);
  auto maybe = b.at(4).request(RequestKind::cancel, 1, "unknown");
  b.at(4).info(maybe);
  auto of_symbol = b.at(5).mass_cancel(2, "BTC-USDT");
  b.at(6).ok(of_symbol, OrdStatus::none);
  b.at(6).update(2, "mine", OrdStatus::cancelled);
  auto every = b.at(6).mass_cancel(3);
  b.at(7).info(every);
  for (const char* order : {"accepted", "unknown", "ioc", "market"}) {
    b.at(9).read(1, order, OrdStatus::cancelled);
  }
  b.at(9).read(1, "open", OrdStatus::new_order);
  b.at(9).read(2, "mine", OrdStatus::cancelled);
  b.at(9).read(3, "all", OrdStatus::cancelled);
  EXPECT_TRUE(check("no-phantom-cancel", b).empty());
}

// ---- recovers-after-faults -----------------------------------------------------

// The faults stopped at 5 ms; at the end the exchange still refuses to say
// anything of o2, though it answered about o1.
TEST(RecoversAfterFaults, CatchesAFinalReadNeverAnswered) {
  auto b = with_resting_order();
  auto p2 = b.at(2).place(1, "o2", Side::sell, 60'000, 1);
  b.at(3).ok(p2, OrdStatus::new_order);
  b.at(4).fault(true, "meta.subscriber.resync-fail");
  b.at(5).fault(false, "meta.subscriber.resync-fail");
  b.at(1005).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  b.at(4005).unanswered_read(1, "o2", "metadata unavailable");
  auto v = check("recovers-after-faults", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o2"});
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{5, 7})) << v[0].message;
  EXPECT_NE(v[0].message.find("1 of 2 final reads got no answer"), std::string::npos)
      << v[0].message;
  EXPECT_NE(v[0].message.find("metadata unavailable"), std::string::npos) << v[0].message;
}

// Reads answered, "unknown order" among them, pass; so do unanswered ones
// while a fault never stopped: there was nothing to recover from yet.
TEST(RecoversAfterFaults, PassesAnsweredReadsAndFaultsThatNeverHealed) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  b.at(9).read(1, "never-placed", OrdStatus::none);
  EXPECT_TRUE(check("recovers-after-faults", b).empty());
  b.at(10).fault(true, "meta.subscriber.resync-fail");
  b.at(11).unanswered_read(1, "o1", "metadata unavailable");
  EXPECT_TRUE(check("recovers-after-faults", b).empty());
}

// A read refused for a reason the scenario names as the client's doing (a
// venue that takes no status request) is not the target failing to come
// back; one refused for another reason still is.
TEST(RecoversAfterFaults, AReadRefusedForTheClientsDoingIsNotCounted) {
  auto b = with_resting_order();
  b.at(9).unanswered_read(1, "o1", "BusinessRejectReason 3");
  const CheckLimits named{.client_reject_reasons = {"BusinessRejectReason 3"}};
  EXPECT_EQ(check("recovers-after-faults", b).size(), 1u);
  EXPECT_TRUE(check("recovers-after-faults", b, named).empty());
  b.at(10).unanswered_read(1, "o1", "metadata unavailable");
  EXPECT_EQ(check("recovers-after-faults", b, named).size(), 1u);
}

// An unanswered read is no final read: it tells no other property that the
// exchange does not know the order.
TEST(RecoversAfterFaults, AnUnansweredReadIsNoFinalRead) {
  auto b = with_resting_order();
  b.at(9).unanswered_read(1, "o1", "no answer in time");
  EXPECT_TRUE(check("no-lost-order", b).empty());
  EXPECT_EQ(check("recovers-after-faults", b).size(), 1u);
}

// A new order refused after the faults for a venue's own rule (a price
// band) is the client's doing once the scenario says so; until then it is
// order entry still down.
TEST(RecoversAfterFaults, ARejectTheScenarioNamesIsTheClientsDoing) {
  HistoryBuilder b;
  b.at(0).fault(true, "meta.replica.restart");
  b.at(100).fault(false, "meta.replica.restart");
  auto late = b.at(3200).place(1, "probe1-1", Side::buy, 50'000, 1);
  b.at(3210).fail(late, "price outside the band [49000, 49900]");
  EXPECT_EQ(check("recovers-after-faults", b).size(), 1u);
  EXPECT_TRUE(
      check("recovers-after-faults", b, {.client_reject_reasons = {"outside the band"}}).empty());
}

// ---- no-lost-fill --------------------------------------------------------------

TEST(NoLostFill, CatchesAFilledOrderWhoseOwnerGotNoFillReport) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  const auto v = check("no-lost-fill", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].orders, std::vector<std::string>{"1/o1"});
  EXPECT_NE(v[0].message.find("reports 5 filled"), std::string::npos) << v[0].message;
  EXPECT_NE(v[0].message.find("no fill report reached its owner"), std::string::npos);
  // No fill at all in the history: perhaps a tool that records none.
  EXPECT_NE(v[0].message.find("if the tool that wrote it does not record fill reports"),
            std::string::npos);
}

TEST(NoLostFill, CatchesFillReportsShortOfWhatTheExchangeSaysFilled) {
  auto b = with_resting_order();
  b.at(3).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  const auto v = check("no-lost-fill", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("the 1 fill its owner received adds up to 2: 3 filled without a "
                              "fill report"),
            std::string::npos)
      << v[0].message;
  EXPECT_EQ(v[0].message.find("does not record"), std::string::npos) << "the history has a fill";
  EXPECT_EQ(v[0].events, (std::vector<uint64_t>{2, 3}));  // the fill, then the read
}

TEST(NoLostFill, PassesFillReportsThatAddUpToTheFilledQuantity) {
  auto b = with_resting_order();
  b.at(3).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 3, 2, 5);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_TRUE(check("no-lost-fill", b).empty());
}

// The filled quantity a fill or an update reports counts as much as the
// final read's: here the order was read before it filled.
TEST(NoLostFill, CatchesAFillWhoseCumulativeQuantitySaysOneBeforeItWasLost) {
  auto b = with_resting_order();
  b.at(3).read(1, "o1", OrdStatus::new_order, 50'000, 5, 0);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 2, 5);  // 3 filled before it, never reported
  EXPECT_EQ(check("no-lost-fill", b).size(), 1u);
  auto updated = with_resting_order();
  updated.at(3).update(1, "o1", OrdStatus::partially_filled, 3);
  EXPECT_EQ(check("no-lost-fill", updated).size(), 1u);
}

// Only the end is compared: a venue may send the state before the fill.
TEST(NoLostFill, PassesAStateThatRanAheadOfItsFillReport) {
  auto b = with_resting_order();
  b.at(3).update(1, "o1", OrdStatus::filled, 5);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_TRUE(check("no-lost-fill", b).empty());
}

// A trade reported again on the same terms is one fill: it cannot make up
// for one that was lost.
TEST(NoLostFill, CountsAFillReportedAgainOnce) {
  // Trade 7 of 2 reported twice, then a final read of `filled`.
  const auto reported_twice = [](int64_t filled) {
    auto b = with_resting_order();
    b.at(3).fill(1, "o1", Side::buy, 50'000, 2, 7, 2);
    b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 7, 2);
    b.at(9).read(1, "o1", OrdStatus::partially_filled, 50'000, 5, filled);
    return check("no-lost-fill", b);
  };
  const auto v = reported_twice(4);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("the 1 fill its owner received adds up to 2"), std::string::npos)
      << v[0].message;
  EXPECT_TRUE(reported_twice(2).empty());
}

// A place of unknown outcome that the exchange later reports filled took
// effect, and its fills are owed to the client all the same.
TEST(NoLostFill, JudgesAnOrderWhosePlaceHadAnUnknownOutcome) {
  HistoryBuilder lost;
  auto place = lost.at(1).place(1, "o1", Side::buy, 50'000, 5);
  lost.at(2).info(place, false);
  lost.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_EQ(check("no-lost-fill", lost).size(), 1u);

  HistoryBuilder reported;
  place = reported.at(1).place(1, "o1", Side::buy, 50'000, 5);
  reported.at(2).info(place, false);
  reported.at(3).fill(1, "o1", Side::buy, 50'000, 5, 1, 5);
  reported.at(9).read(1, "o1", OrdStatus::filled, 50'000, 5, 5);
  EXPECT_TRUE(check("no-lost-fill", reported).empty());
}

TEST(NoLostFill, PassesOrdersThatNeverFilledOrWereNeverPlaced) {
  auto b = with_resting_order();
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5, 0);
  b.at(9).read(2, "ghost", OrdStatus::filled, 50'000, 5, 5);  // no-phantom's business
  b.at(9).unanswered_read(1, "o2", "metadata unavailable");
  EXPECT_TRUE(check("no-lost-fill", b).empty());
}

// ---- fills reported twice ------------------------------------------------------

// Trade 7 between o1 (client 1) and o2 (client 2), o1's side reported a
// second time as a venue resends an execution: `repeat` the same report,
// or another quantity for the same trade.
// Trade 7: o1 (client 1) buys 2 from o2 (client 2), both sides reported.
HistoryBuilder with_trade_7() {
  auto b = with_resting_order(2);
  auto sell = b.at(2).place(2, "o2", Side::sell, 50'000, 2);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 2, 7, 2);
  b.at(3).fill(2, "o2", Side::sell, 50'000, 2, 7, 2);
  b.at(3).ok(sell, OrdStatus::filled, 2);
  return b;
}

HistoryBuilder with_trade_reported_twice(int64_t repeat_qty, int64_t repeat_filled) {
  auto b = with_trade_7();
  b.at(4).fill(1, "o1", Side::buy, 50'000, repeat_qty, 7, repeat_filled);
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 2, 2);
  b.at(9).read(2, "o2", OrdStatus::filled, 50'000, 2, 2);
  return b;
}

TEST(FillsReportedTwice, AnExactRepeatIsOneFillAndOneSide) {
  auto b = with_trade_reported_twice(2, 2);
  EXPECT_TRUE(check("no-overfill", b).empty());
  EXPECT_TRUE(check("trade-conservation", b).empty());
}

TEST(FillsReportedTwice, ARepeatOnOtherTermsIsCaught) {
  auto b = with_trade_reported_twice(1, 3);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
  auto v = check("trade-conservation", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("trade 7 is reported twice for order 1/o1"), std::string::npos)
      << v[0].message;
}

// A resend that leaves the symbol out (the schema allows it) leaves it
// unsaid: the same report again to both properties, as an exact repeat is.
TEST(FillsReportedTwice, ARepeatWithoutItsSymbolIsTheSameReport) {
  auto b = with_trade_7();
  b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 7, 2, "");
  EXPECT_TRUE(check("no-overfill", b).empty());
  EXPECT_TRUE(check("trade-conservation", b).empty());
}

// A repeat that differs only in its side is no resend: both properties
// share one definition of a repeat (reports_again), so no-overfill counts
// it as the second fill it claims to be and trade-conservation names it.
TEST(FillsReportedTwice, ARepeatOnTheOtherSideIsNoRepeatToEither) {
  auto b = with_trade_7();
  b.at(4).fill(1, "o1", Side::sell, 50'000, 2, 7, 2);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
  const auto v = check("trade-conservation", b);
  EXPECT_TRUE(std::any_of(v.begin(), v.end(), [](const Violation& one) {
    return one.message.find("trade 7 is reported twice for order 1/o1") != std::string::npos;
  }));
}

// Fills naming no trade (0: a history that leaves `trade` out) and no
// cumulative filled quantity say nothing that makes them one trade: two of
// them filling o1's 5 twice over are an overfill, not a resend. Nor do
// they say they are one trade's sides: trade-conservation pairs none of
// them (no "trade 0" reported twice), and still checks each one's terms.
TEST(FillsReportedTwice, FillsNamingNoTradeAreNeverRepeats) {
  auto b = with_resting_order(5);
  b.at(3).fill(1, "o1", Side::buy, 50'000, 5, 0, 0);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 5, 0, 0);
  EXPECT_EQ(check("no-overfill", b).size(), 1u);
  EXPECT_TRUE(check("trade-conservation", b).empty());
  b.at(5).fill(1, "o1", Side::sell, 50'000, 1, 0, 0);
  const auto v = check("trade-conservation", b);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("as a sell"), std::string::npos) << v[0].message;
}

// A history without trade ids: o1 fills 2 against o2, then 3 against o3,
// each trade on matching terms. Nothing is wrong; nothing pairs o1's two
// fills into one trade told two ways, nor the four into a trade of four
// sides.
TEST(FillsReportedTwice, PartialFillsNamingNoTradeAreNoTradeToldTwice) {
  auto b = with_resting_order(5);
  auto o2 = b.at(3).place(2, "o2", Side::sell, 50'000, 2);
  b.at(4).fill(1, "o1", Side::buy, 50'000, 2, 0, 0);
  b.at(4).fill(2, "o2", Side::sell, 50'000, 2, 0, 0);
  b.at(4).ok(o2, OrdStatus::filled, 2);
  auto o3 = b.at(5).place(3, "o3", Side::sell, 50'000, 3);
  b.at(6).fill(1, "o1", Side::buy, 50'000, 3, 0, 0);
  b.at(6).fill(3, "o3", Side::sell, 50'000, 3, 0, 0);
  b.at(6).ok(o3, OrdStatus::filled, 3);
  EXPECT_TRUE(check("trade-conservation", b).empty());
  EXPECT_TRUE(check("no-overfill", b).empty());
}

}  // namespace
}  // namespace ordeal
