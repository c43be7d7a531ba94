// A Target for a venue ordeal has never heard of: the "toy venue", a small
// in-process matching venue that speaks its own line-based text protocol. The
// adapter turns ordeal's requests into protocol lines and the venue's reply
// lines back into responses, fills and updates, on a virtual clock seeded
// from the case, so a toy case replays exactly and shrinks like an inproc one.
//
//   RunOptions options{.seed = 7, .cases = 30, .make_target = toy::target_factory()};
//   RunOutcome outcome = ordeal::run_scenario(scenario, options);
//
// The protocol, one request or reply per line, fields separated by spaces:
//
//   NEW <req> <client> <clordid> <symbol> BUY|SELL LIMIT|MARKET GTC|IOC PO|- <price> <qty>
//   AMEND <req> <client> <clordid> <price> <qty>         (0: unchanged)
//   CANCEL <req> <client> <clordid>
//   MASSCANCEL <req> <client> <symbol>|*
//   STATUS <req> <client> <clordid>
//   ACK <kind> <req> <client> <clordid> <state> <price> <qty> <filled> <cancelled>
//   REJECT <kind> <req> <client> <clordid> <reason, to the end of the line>
//   FILL <client> <clordid> <symbol> BUY|SELL <price> <qty> <trade> <filled> <order qty>
//   MAKER|TAKER UPDATE <client> <clordid> <state> <price> <qty> <filled> <reason>
//
// where <kind> is NEW, AMEND, ... and <state> one of NEW PARTIAL FILLED
// CANCELED NONE.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framework/run/runner.h"
#include "targets/exchange/order_book.h"

namespace toy {

struct ToyOptions {
  // The planted bug: a cancel of an order that already filled is answered
  // ACK CANCELED, though the order stays filled. Properties must catch it.
  bool ack_cancel_of_filled = false;
  int64_t latency_us_min = 100;  // one way, drawn per line from the case's seed
  int64_t latency_us_max = 900;
};

// The venue: protocol lines in, protocol lines out.
class ToyVenue {
 public:
  ToyVenue(ordeal::exchange::MetadataState metadata, bool ack_cancel_of_filled);

  // Answers one request line: its ACK or REJECT first, then FILL and UPDATE
  // lines for whichever clients they concern.
  std::vector<std::string> handle(std::string_view line);

  const ordeal::exchange::MetadataState& metadata() const { return metadata_; }
  // The venue's admin interface: replaces an instrument, returns the version.
  uint64_t set_instrument(const ordeal::exchange::Instrument& record);

  static constexpr size_t kOrdersMax = 100'000;

 private:
  struct Order {
    uint64_t id = 0;
    uint32_t client = 0;
    std::string clordid;
    std::string symbol;
    ordeal::exchange::Side side = ordeal::exchange::Side::buy;
    ordeal::exchange::OrdStatus state = ordeal::exchange::OrdStatus::new_order;
    bool ioc = false;
    bool post_only = false;
    int64_t price = 0;  // 0: a market order
    int64_t qty = 0;
    int64_t filled = 0;
  };
  struct Request;
  static std::optional<Request> parse(std::string_view line);
  using Key = std::pair<uint32_t, std::string>;  // client, clordid
  std::vector<std::string> place(const Request& r);
  std::vector<std::string> amend(const Request& r);
  std::vector<std::string> cancel(const Request& r);
  std::vector<std::string> mass_cancel(const Request& r);
  Order* find(const Request& r);
  void trade(Order& taker, std::vector<std::string>& out);

  ordeal::exchange::MetadataState metadata_;
  bool ack_cancel_of_filled_;
  std::map<uint64_t, Order> orders_;  // by order id: iteration in arrival order
  std::map<Key, uint64_t> ids_;
  std::map<std::string, ordeal::exchange::OrderBook> books_;
  uint64_t next_order_id_ = 1;
  uint64_t next_trade_id_ = 1;
};

// The adapter for one case (a fresh venue per case).
std::unique_ptr<ordeal::Target> make_toy_target(const ordeal::Case& c,
                                                const ToyOptions& options = {});
// For RunOptions::make_target and the gtest integration's options.
ordeal::TargetFactory target_factory(ToyOptions options = {});

}  // namespace toy
