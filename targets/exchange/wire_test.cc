#include "targets/exchange/wire.h"

#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <utility>
#include <variant>

#include "targets/exchange/shard_journal.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal::exchange {
namespace {

std::string body_of(const std::string& frame) {
  EXPECT_EQ(wire::body_length(frame.data()), frame.size() - wire::kLengthBytes);
  return frame.substr(wire::kLengthBytes);
}

TEST(Wire, EveryMessageTypeRoundTrips) {
  const Instrument record = default_metadata(2).instruments.front();
  const OrderView view{.order_id = 9,
                       .client = 2,
                       .clordid = "c2-1",
                       .symbol = "BTC-USDT",
                       .side = Side::sell,
                       .status = OrdStatus::partially_filled,
                       .price = 50'000,
                       .qty = 7,
                       .filled = 3};
  const std::vector<Message> messages = {
      ClientRequest{.kind = RequestKind::amend,
                    .client = 3,
                    .request_id = 1ull << 41,
                    .clordid = "c3-7",
                    .symbol = "ETH-USDT",
                    .side = Side::sell,
                    .type = OrdType::market,
                    .tif = TimeInForce::ioc,
                    .post_only = true,
                    .price = -5,
                    .qty = 12},
      ClientResponse{.client = 2,
                     .request_id = 4,
                     .kind = RequestKind::mass_cancel,
                     .verdict = Verdict::unknown,
                     .reason = "timeout",
                     .order = view,
                     .meta_version = 17,
                     .cancelled_count = 3,
                     .orders = {view, OrderView{.clordid = "c2-9"}}},
      Fill{.client = 2,
           .order_id = 9,
           .clordid = "c2-1",
           .symbol = "BTC-USDT",
           .price = 50'000,
           .qty = 2,
           .trade_id = 77,
           .maker = true,
           .order_filled = 3,
           .order_qty = 7},
      OrderUpdate{.order = view, .reason = "mass cancel"},
      ShardRequest{.gateway_request_id = 5,
                   .order_id = 9,
                   .clordid = "c2-1",
                   .gateway = 4,
                   .hops = 2,
                   .order_ids = {9, 1ull << 41}},
      ShardResponse{.gateway_request_id = 5,
                    .ok = true,
                    .order = view,
                    .shard_version = 3,
                    .orders = {OrderView{.order_id = 1ull << 41}, view}},
      MetaUpdateRequest{.request_id = 8, .record = record},
      MetaUpdateResult{.request_id = 8, .ok = false, .version = 4, .reason = "not leader"},
      MetaPublish{.version = 5, .record = record, .checksum = checksum(record, 5)},
      MetaHeartbeat{.version = 5},
      MetaSubscribe{},
      MetaSnapshot{.state = default_metadata(3), .checksum = 42},
  };
  ASSERT_EQ(messages.size(), std::variant_size_v<Message>);
  for (const Message& m : messages) {
    const std::string frame = wire::encode(6, m);
    const wire::Decoded d = wire::decode(body_of(frame));
    ASSERT_EQ(d.error, "") << "type " << m.index();
    EXPECT_EQ(d.from, 6);
    EXPECT_EQ(d.message.index(), m.index());
    EXPECT_EQ(wire::encode(6, d.message), frame) << "type " << m.index();
  }
  const auto snapshot =
      std::get<MetaSnapshot>(wire::decode(body_of(wire::encode(1, messages.back()))).message);
  EXPECT_EQ(snapshot.state, default_metadata(3));
  const auto request =
      std::get<ClientRequest>(wire::decode(body_of(wire::encode(1, messages[0]))).message);
  EXPECT_EQ(request.clordid, "c3-7");
  EXPECT_EQ(request.price, -5);
  EXPECT_EQ(request.tif, TimeInForce::ioc);
  const auto listing =
      std::get<ClientResponse>(wire::decode(body_of(wire::encode(1, messages[1]))).message);
  ASSERT_EQ(listing.orders.size(), 2u);
  EXPECT_EQ(listing.orders[0].filled, 3);
  EXPECT_EQ(listing.orders[1].clordid, "c2-9");
  const auto asked =
      std::get<ShardRequest>(wire::decode(body_of(wire::encode(1, messages[4]))).message);
  EXPECT_EQ(asked.order_ids, (std::vector<OrderId>{9, 1ull << 41}));
}

// A damaged body with its checksum made right again.
std::string resealed(std::string body) {
  body.resize(body.size() - wire::kChecksumBytes);
  const uint32_t crc = wire::checksum(body);
  body.append(reinterpret_cast<const char*>(&crc), sizeof crc);
  return body;
}

// Env::send_built() builds a message default-initialised (transport.h),
// the same as value-initialised only while every field of every message
// has a member initialiser: one without would carry whatever the memory
// held, and histories would depend on it. Built in memory full of 0xA5,
// each message type must encode as its value-initialised self.
template <typename M>
std::string default_initialised_encoding() {
  alignas(M) unsigned char memory[sizeof(M)];
  std::memset(memory, 0xA5, sizeof memory);
  // The fill must happen: without this the compiler may drop it as a
  // store to an object whose lifetime has not begun.
  asm volatile("" : : "r"(memory) : "memory");
  M* message = new (memory) M;
  std::string bytes = wire::encode(1, Message{*message});
  message->~M();
  return bytes;
}

template <typename M>
void expect_default_initialised_is_value_initialised(size_t index) {
  EXPECT_EQ(default_initialised_encoding<M>(), wire::encode(1, Message{M{}}))
      << "message type " << index;
}

// A shard's journal entry keeps the reports the request made; an entry of
// a journal written before that (no reports' count at its end) still reads,
// as an entry without reports.
TEST(Wire, AShardEntryKeepsItsReportsAndAnEarlierOneStillReads) {
  ShardEntry entry{
      .next_trade_id = 77,
      .orders = {DurableOrder{
          .view = {.order_id = 5, .clordid = "c1-1"}, .gateway = 9, .resting_qty = 3}}};
  entry.reports.push_back(
      {.gateway = 9, .is_fill = true, .fill = {.client = 1, .trade_id = 4, .report_seq = 2}});
  entry.reports.push_back({.gateway = 9, .update = {.reason = "mass-cancel", .report_seq = 3}});
  ShardEntry back;
  ASSERT_TRUE(decode_shard_entry(encode_shard_entry(entry), back));
  ASSERT_EQ(back.reports.size(), 2u);
  EXPECT_EQ(back.reports[0].fill.trade_id, 4u);
  EXPECT_EQ(back.reports[1].update.reason, "mass-cancel");
  EXPECT_EQ(back.reports[1].update.report_seq, 3u);

  entry.reports.clear();
  std::string earlier = encode_shard_entry(entry);
  earlier.resize(earlier.size() - sizeof(uint32_t));  // the empty list's count, which it lacked
  ASSERT_TRUE(decode_shard_entry(earlier, back));
  EXPECT_EQ(back.next_trade_id, 77u);
  ASSERT_EQ(back.orders.size(), 1u);
  EXPECT_EQ(back.orders[0].view.clordid, "c1-1");
  EXPECT_TRUE(back.reports.empty());
  EXPECT_FALSE(decode_shard_entry(earlier.substr(0, earlier.size() - 1), back));
}

TEST(Wire, EveryMessageDefaultInitialisedIsItsValueInitialisedSelf) {
  []<size_t... I>(std::index_sequence<I...>) {
    (expect_default_initialised_is_value_initialised<std::variant_alternative_t<I, Message>>(I),
     ...);
  }
  (std::make_index_sequence<std::variant_size_v<Message>>{});
}

TEST(Wire, DamagedFramesAreErrorsNotCrashes) {
  const std::string body =
      body_of(wire::encode(1, MetaSnapshot{.state = default_metadata(2), .checksum = 1}));
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_NE(wire::decode(std::string_view(body).substr(0, cut)).error, "") << cut;
  }
  EXPECT_NE(wire::decode(body + "x").error, "");
  // Damage that keeps the checksum right (a sender's bug, not the link's)
  // is still refused by the decoder.
  std::string unknown_type = body;
  unknown_type[2] = 99;
  EXPECT_EQ(wire::decode(resealed(unknown_type)).error, "unknown message type 99");
  // A count that claims more items than bytes remain is refused before allocating.
  std::string huge_count = body;
  huge_count[3 + 8] = '\xff';
  huge_count[3 + 9] = '\xff';
  EXPECT_NE(wire::decode(resealed(huge_count)).error, "");
}

// What the fault proxy's `corrupt` does to a link: any byte XORed with any
// mask. None of these may decode into a (different) message.
TEST(Wire, EveryCorruptedByteIsCaughtByTheChecksum) {
  const std::string body = body_of(wire::encode(
      3, ClientRequest{.kind = RequestKind::place, .clordid = "c1-2", .price = 54500, .qty = 3}));
  for (size_t at = 0; at < body.size(); ++at) {
    for (int mask = 1; mask < 256; ++mask) {
      std::string damaged = body;
      damaged[at] = static_cast<char>(damaged[at] ^ mask);
      ASSERT_NE(wire::decode(damaged).error, "") << "byte " << at << " mask " << mask;
    }
  }
  EXPECT_EQ(wire::decode(body).error, "");
}

}  // namespace
}  // namespace ordeal::exchange
