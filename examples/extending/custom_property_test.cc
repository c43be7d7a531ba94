// The custom property of custom_property.cc: a hand-built history it must
// catch, correct ones it must pass, and its place among ordeal's properties.
#include <gtest/gtest.h>

#include "framework/check/history_builder.h"
#include "framework/gtest/ordeal_gtest.h"

namespace toy {
namespace {

using ordeal::HistoryBuilder;
using ordeal::exchange::OrdStatus;
using ordeal::exchange::RequestKind;
using ordeal::exchange::Side;

constexpr const char* kProperty = "cancel-of-final-order-rejected";

// Client 1's buy o1 crosses a resting sell and fills at once: the client
// sees it filled in the answer to its place.
HistoryBuilder with_filled_order() {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 2);
  b.at(2).fill(1, "o1", Side::buy, 50'000, 2, 1, 2);
  b.at(2).ok(place, OrdStatus::filled, 2);
  return b;
}

TEST(CustomProperty, IsRegisteredBesideTheFifteenOfOrdeal) {
  for (const char* name :
       {"no-lost-cancel", "no-lost-order", "no-lost-amend", "no-overfill", "no-phantom",
        "order-state-machine", "metadata-conformance", "every-request-answered",
        "bounded-unavailability", "trade-conservation", "clordid-idempotence", "no-newer-schema",
        "no-phantom-cancel", "recovers-after-faults", "no-lost-fill", kProperty}) {
    EXPECT_NE(ordeal::find_property(name), nullptr) << name;
  }
  EXPECT_EQ(ordeal::all_properties().size(), 16u);
}

TEST(CustomProperty, CatchesAnAcceptedCancelOfAFilledOrder) {
  auto b = with_filled_order();
  auto cancel = b.at(5).request(RequestKind::cancel, 1, "o1");
  b.at(6).ok(cancel, OrdStatus::cancelled, 2);
  std::vector<ordeal::Violation> violations;
  EXPECT_TRUE(ordeal::gtest::property_violated(kProperty, b.history(), {}, &violations));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].orders, std::vector<std::string>{"1/o1"});
  EXPECT_NE(violations[0].message.find("had seen the order filled"), std::string::npos)
      << violations[0].message;
}

TEST(CustomProperty, CatchesAnAcceptedSecondCancel) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 2);
  b.at(2).ok(place, OrdStatus::new_order);
  auto first = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(first, OrdStatus::cancelled);
  auto second = b.at(5).request(RequestKind::cancel, 1, "o1");
  b.at(6).ok(second, OrdStatus::cancelled);
  ORDEAL_EXPECT_VIOLATED(kProperty, b.history());
}

TEST(CustomProperty, PassesARejectedCancelOfAFilledOrder) {
  auto b = with_filled_order();
  auto cancel = b.at(5).request(RequestKind::cancel, 1, "o1");
  b.at(6).fail(cancel, "order is final");
  b.at(9).read(1, "o1", OrdStatus::filled, 50'000, 2, 2);
  ORDEAL_EXPECT_HOLDS(kProperty, b.history());
}

// The fill is a race the client could not have seen: the cancel was sent
// before the client heard of it, so accepting it is not this property's
// business (no-lost-cancel judges what the order did afterwards).
TEST(CustomProperty, PassesACancelSentBeforeTheClientSawTheFill) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 2);
  b.at(2).ok(place, OrdStatus::new_order);
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).update(1, "o1", OrdStatus::filled, 2);
  b.at(5).ok(cancel, OrdStatus::cancelled);
  ORDEAL_EXPECT_HOLDS(kProperty, b.history());
}

TEST(CustomProperty, PassesAnUnknownOutcome) {
  auto b = with_filled_order();
  auto cancel = b.at(5).request(RequestKind::cancel, 1, "o1");
  b.at(6).info(cancel);
  ORDEAL_EXPECT_HOLDS(kProperty, b.history());
}

}  // namespace
}  // namespace toy
