#include "framework/check/history_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "framework/check/history_builder.h"

namespace ordeal {
namespace {

using exchange::OrdStatus;
using exchange::RequestKind;
using exchange::Side;

std::vector<uint32_t> as_vector(std::span<const uint32_t> list) {
  return {list.begin(), list.end()};
}

// An order's lists hold its events in history order, whatever kind of
// event comes between them.
TEST(HistoryIndex, ListsEachOrdersEventsInHistoryOrder) {
  HistoryBuilder b;
  const uint32_t place = b.at(1).place(1, "a", Side::buy, 50'000, 2);        // event 0
  b.at(2).ok(place, OrdStatus::new_order);                                   // 1
  b.at(3).place(2, "b", Side::sell, 50'000, 1);                              // 2
  b.at(4).fill(1, "a", Side::buy, 50'000, 1, 7, 1);                          // 3
  const uint32_t amend = b.at(5).request(RequestKind::amend, 1, "a", 0, 3);  // 4
  b.at(6).fill(1, "a", Side::buy, 50'000, 1, 8, 2);                          // 5
  b.at(7).ok(amend, OrdStatus::partially_filled, 2);                         // 6
  b.at(9).read(1, "a", OrdStatus::partially_filled);                         // 7
  const HistoryIndex index(b.history());
  ASSERT_EQ(index.orders().size(), 2u);
  const OrderFacts a = *index.order({1, b.history().intern("a")});
  EXPECT_EQ(as_vector(a.places), std::vector<uint32_t>{0});
  EXPECT_EQ(as_vector(a.requests), std::vector<uint32_t>{4});
  EXPECT_EQ(as_vector(a.fills), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(as_vector(a.observations), (std::vector<uint32_t>{1, 6, 7}));
  EXPECT_EQ(a.final_read, 7u);
  EXPECT_EQ(index.completion_index_of(4), 6u);
  EXPECT_EQ(index.completion_index_of(2), kNone);
  EXPECT_FALSE(index.order({2, b.history().intern("a")}).has_value());
}

// A history from another tool may answer an operation twice: the first
// answer is its completion.
TEST(HistoryIndex, LinksAnOperationToItsFirstCompletion) {
  HistoryBuilder b;
  const uint32_t place = b.at(1).place(1, "a", Side::buy, 50'000, 2);  // event 0
  b.at(2).info(place);                                                 // 1
  b.at(3).ok(place, OrdStatus::new_order);                             // 2
  const HistoryIndex index(b.history());
  EXPECT_EQ(index.operation(place)->invoke, 0u);
  EXPECT_EQ(index.operation(place)->completion, 1u);
}

TEST(HistoryIndex, ListsFaultsMetadataAndMassCancelsInOrder) {
  HistoryBuilder b;
  b.at(1).meta(1, exchange::Instrument{.symbol = "BTC-USDT"});  // event 0
  b.at(2).fault(true, "meta.update.delay");                     // 1
  b.at(3).mass_cancel(1);                                       // 2
  b.at(4).meta(2, exchange::Instrument{.symbol = "BTC-USDT"});  // 3
  b.at(5).mass_cancel(2, "BTC-USDT");                           // 4
  b.at(6).fault(false, "meta.update.delay");                    // 5
  const HistoryIndex index(b.history());
  EXPECT_EQ(index.metadata(), (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(index.faults(), (std::vector<uint32_t>{1, 5}));
  EXPECT_EQ(index.mass_cancels(), (std::vector<uint32_t>{2, 4}));
}

// Op ids far sparser than the events are looked up through a sorted list.
TEST(HistoryIndex, PairsSparseOpIds) {
  History h;
  const Sym a = h.intern("a");
  h.append({.time_us = 1, .op = 4'000'000'000, .client = 1, .order = a});
  h.append({.time_us = 2, .op = 9, .client = 1, .order = a});
  h.append({.time_us = 3, .op = 4'000'000'000, .client = 1, .order = a, .type = EventType::fail});
  const HistoryIndex index(h);
  ASSERT_NE(index.operation(4'000'000'000), nullptr);
  EXPECT_EQ(index.operation(4'000'000'000)->completion, 2u);
  EXPECT_EQ(index.operation(9)->completion, kNone);
  EXPECT_EQ(index.operation(10), nullptr);
}

// Everything an index tells of a history, to compare two indexes by.
std::vector<std::vector<uint32_t>> contents(const HistoryIndex& index) {
  std::vector<std::vector<uint32_t>> all = {index.faults(), index.metadata(), index.mass_cancels()};
  for (const OrderFacts& order : index.orders()) {
    all.push_back({static_cast<uint32_t>(order.key.client), order.key.order, order.final_read});
    for (auto list : {order.places, order.requests, order.fills, order.observations}) {
      all.push_back(as_vector(list));
    }
  }
  for (const Operation& op : index.operations()) all.push_back({op.invoke, op.completion});
  for (uint32_t i = 0; i < index.history().size(); ++i) {
    all.push_back({index.completion_index_of(i)});
  }
  return all;
}

// Buffers other histories filled (more orders, ids of two clients, marks,
// then sparse op ids) leave nothing of them in an index built over them.
TEST(HistoryIndex, BuiltOverReusedBuffersSeesOnlyItsHistory) {
  HistoryBuilder first;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "c" + std::to_string(i);
    const uint32_t place = first.at(1 + i).place(1 + i % 2, id, Side::buy, 50'000, 2);
    first.at(1 + i).ok(place, OrdStatus::new_order);
    first.at(1 + i).read(2 - i % 2, id, OrdStatus::new_order);  // the other client
  }
  first.at(30).fault(true, "meta.update.delay");
  first.at(31).meta(1, exchange::Instrument{.symbol = "BTC-USDT"});
  first.at(32).mass_cancel(1);
  History sparse;
  const Sym x = sparse.intern("x");
  sparse.append({.time_us = 1, .op = 4'000'000'000, .client = 1, .order = x});
  sparse.append(
      {.time_us = 2, .op = 4'000'000'000, .client = 1, .order = x, .type = EventType::fail});
  HistoryIndex::Buffers buffers = HistoryIndex(first.history()).release();
  buffers = HistoryIndex(sparse, std::move(buffers)).release();

  HistoryBuilder b;
  b.at(1).meta(1, exchange::Instrument{.symbol = "BTC-USDT"});           // the ops' events move on
  const uint32_t place = b.at(2).place(1, "c0", Side::sell, 50'000, 1);  // the same Sym as first's
  b.at(3).ok(place, OrdStatus::new_order);
  b.at(4).fill(1, "c0", Side::sell, 50'000, 1, 7, 1);
  b.at(5).read(1, "c0", OrdStatus::filled);
  const HistoryIndex fresh(b.history());
  const HistoryIndex reused(b.history(), std::move(buffers));
  EXPECT_EQ(contents(reused), contents(fresh));
  EXPECT_FALSE(reused.order({2, b.history().intern("c0")}).has_value());
}

}  // namespace
}  // namespace ordeal
