#include "targets/exchange/order_book.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace ordeal::exchange {
namespace {

TEST(OrderBook, MatchesBestPriceFirstThenTime) {
  OrderBook book;
  book.add(1, Side::sell, 101, 5);
  book.add(2, Side::sell, 100, 5);
  book.add(3, Side::sell, 100, 5);
  const auto matches = book.match(Side::buy, 101, 12);
  ASSERT_EQ(matches.size(), 3u);
  EXPECT_EQ(matches[0].maker, 2u);
  EXPECT_EQ(matches[0].price, 100);
  EXPECT_EQ(matches[1].maker, 3u);
  EXPECT_EQ(matches[2].maker, 1u);
  EXPECT_EQ(matches[2].qty, 2);
  EXPECT_EQ(book.open_qty(1), 3);
  EXPECT_EQ(book.size(), 1u);
}

TEST(OrderBook, LimitStopsMatching) {
  OrderBook book;
  book.add(1, Side::buy, 99, 5);
  book.add(2, Side::buy, 98, 5);
  const auto matches = book.match(Side::sell, 99, 8);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].qty, 5);
  EXPECT_EQ(book.best_bid(), 98);
}

TEST(OrderBook, MarketOrderTakesAnyPrice) {
  OrderBook book;
  book.add(1, Side::sell, 100, 1);
  book.add(2, Side::sell, 500, 1);
  EXPECT_EQ(book.match(Side::buy, std::nullopt, 5).size(), 2u);
  EXPECT_EQ(book.size(), 0u);
}

TEST(OrderBook, PartialFillKeepsMakerAtFront) {
  OrderBook book;
  book.add(1, Side::sell, 100, 10);
  book.add(2, Side::sell, 100, 10);
  book.match(Side::buy, 100, 4);
  EXPECT_EQ(book.queue(Side::sell), (std::vector<OrderId>{1, 2}));
  EXPECT_EQ(book.open_qty(1), 6);
}

TEST(OrderBook, ReduceKeepsPriorityRemoveAndReaddLosesIt) {
  OrderBook book;
  book.add(1, Side::buy, 100, 10);
  book.add(2, Side::buy, 100, 10);
  ASSERT_TRUE(book.reduce(1, 3));
  EXPECT_EQ(book.queue(Side::buy), (std::vector<OrderId>{1, 2}));
  ASSERT_TRUE(book.remove(1));
  book.add(1, Side::buy, 100, 3);
  EXPECT_EQ(book.queue(Side::buy), (std::vector<OrderId>{2, 1}));
}

TEST(OrderBook, WouldCross) {
  OrderBook book;
  book.add(1, Side::sell, 100, 1);
  book.add(2, Side::buy, 90, 1);
  EXPECT_TRUE(book.would_cross(Side::buy, 100));
  EXPECT_FALSE(book.would_cross(Side::buy, 99));
  EXPECT_TRUE(book.would_cross(Side::sell, 90));
  EXPECT_FALSE(book.would_cross(Side::sell, 91));
}

TEST(OrderBook, RemoveUnknownIsFalseAndEmptyLevelsVanish) {
  OrderBook book;
  EXPECT_FALSE(book.remove(42));
  book.add(1, Side::buy, 100, 1);
  EXPECT_TRUE(book.remove(1));
  EXPECT_FALSE(book.best_bid().has_value());
}

// A copy would share the source's level iterators; only moves are allowed,
// and a moved-to book still finds, reduces and removes its orders.
static_assert(!std::is_copy_constructible_v<OrderBook>);
static_assert(!std::is_copy_assignable_v<OrderBook>);

TEST(OrderBook, MovedBookKeepsItsIndex) {
  OrderBook source;
  source.add(1, Side::sell, 100, 5);
  source.add(2, Side::sell, 100, 4);
  OrderBook book = std::move(source);
  EXPECT_TRUE(book.reduce(1, 2));
  EXPECT_TRUE(book.remove(2));
  OrderBook assigned;
  assigned = std::move(book);
  const auto matches = assigned.match(Side::buy, 100, 5);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].maker, 1u);
  EXPECT_EQ(matches[0].qty, 2);
  EXPECT_EQ(assigned.size(), 0u);
}

// A book's nodes return to the node pool when it goes and serve the next
// book (as every simulated case builds its books anew): the new book starts
// empty and knows nothing of the old one's orders.
TEST(OrderBook, ABookOnReusedNodesHoldsOnlyItsOwnOrders) {
  {
    OrderBook old;
    for (OrderId id = 1; id <= 20; ++id)
      old.add(id, id % 2 ? Side::buy : Side::sell, id % 2 ? 90 - Price(id) : 110 + Price(id), 5);
  }
  OrderBook book;
  EXPECT_EQ(book.size(), 0u);
  EXPECT_TRUE(book.queue(Side::buy).empty());
  EXPECT_TRUE(book.queue(Side::sell).empty());
  EXPECT_FALSE(book.open_qty(1));
  EXPECT_FALSE(book.remove(2));
  book.add(7, Side::sell, 100, 4);
  book.add(3, Side::sell, 100, 2);
  const auto matches = book.match(Side::buy, 200, 10);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].maker, 7u);
  EXPECT_EQ(matches[1].maker, 3u);
  EXPECT_EQ(book.size(), 0u);
}

}  // namespace
}  // namespace ordeal::exchange
