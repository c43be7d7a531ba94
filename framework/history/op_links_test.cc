#include "framework/history/op_links.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

Event op_event(EventType type, uint32_t op, exchange::RequestKind kind) {
  Event e;
  e.type = type;
  e.op = op;
  e.kind = kind;
  return e;
}

// Ops far beyond the events read so far go to the map; once the table has
// grown past them they are found in it, with what was recorded.
TEST(OpLinks, KeepsOpsFarApartAndFindsThemOnceTheTableHasGrown) {
  using exchange::RequestKind;
  OpLinks links;
  const uint32_t far = 4'000'000'000U, later_dense = 200'000;
  EXPECT_FALSE(links.add(op_event(EventType::invoke, far, RequestKind::cancel), 0));
  EXPECT_FALSE(links.add(op_event(EventType::invoke, later_dense, RequestKind::amend), 0));
  EXPECT_FALSE(links.add(op_event(EventType::invoke, 1, RequestKind::place), 1));
  // The table grows to cover later_dense, taken by the map while small.
  EXPECT_FALSE(links.add(op_event(EventType::invoke, 150'000, RequestKind::status), 100'000));
  const auto again = links.add(op_event(EventType::invoke, later_dense, RequestKind::amend), 100'000);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->field, "op");
  const auto kind = links.add(op_event(EventType::ok, far, RequestKind::place), 100'000);
  ASSERT_TRUE(kind);
  EXPECT_EQ(kind->message, "'place' completes op 4000000000, invoked as 'cancel'");
  EXPECT_FALSE(links.add(op_event(EventType::info, far, RequestKind::cancel), 100'000));
  EXPECT_FALSE(links.add(op_event(EventType::fail, later_dense, RequestKind::amend), 100'000));
  // Events without an op are not linked.
  EXPECT_FALSE(links.add(op_event(EventType::read, 0, RequestKind::place), 100'000));
}

}  // namespace
}  // namespace ordeal
