// Builds histories by hand, event by event: for property tests, and for test
// authors who want to show a property catching a violation.
//
//   HistoryBuilder b;
//   auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 2);
//   b.at(2).ok(place, OrdStatus::new_order);
//   auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
//   b.at(4).ok(cancel, OrdStatus::cancelled);
//   b.at(9).read(1, "o1", OrdStatus::cancelled);
#pragma once

#include <string>

#include "framework/history/history.h"

namespace ordeal {

class HistoryBuilder {
 public:
  HistoryBuilder& at(int64_t ms) {
    now_us_ = ms * 1000;
    return *this;
  }

  uint32_t place(int32_t client, const std::string& order, exchange::Side side, int64_t price,
                 int64_t qty, const std::string& symbol = "BTC-USDT", int64_t flags = 0,
                 bool invalid = false) {
    return invoke({.price = price,
                   .qty = qty,
                   .number = flags,
                   .client = client,
                   .order = h_.intern(order),
                   .symbol = h_.intern(symbol),
                   .kind = exchange::RequestKind::place,
                   .side = side,
                   .flag = invalid});
  }

  uint32_t request(exchange::RequestKind kind, int32_t client, const std::string& order,
                   int64_t price = 0, int64_t qty = 0) {
    return invoke(
        {.price = price, .qty = qty, .client = client, .order = h_.intern(order), .kind = kind});
  }

  // A mass-cancel of the client's orders in `symbol` (empty: every symbol).
  uint32_t mass_cancel(int32_t client, const std::string& symbol = "") {
    return invoke({.client = client,
                   .symbol = h_.intern(symbol),
                   .kind = exchange::RequestKind::mass_cancel});
  }

  // An accepted request, with the order's state after it. price and qty -1
  // mean: as requested by the place.
  void ok(uint32_t op, exchange::OrdStatus status, int64_t filled = 0, int64_t price = -1,
          int64_t qty = -1) {
    Event e = completion(op, EventType::ok);
    e.status = status;
    e.filled = filled;
    if (price >= 0) e.price = price;
    if (qty >= 0) e.qty = qty;
    h_.append(e);
  }
  void fail(uint32_t op, const std::string& reason) {
    Event e = completion(op, EventType::fail);
    e.text = h_.intern(reason);
    h_.append(e);
  }
  void info(uint32_t op, bool answered = true) {
    Event e = completion(op, EventType::info);
    e.flag = answered;
    h_.append(e);
  }
  void fill(int32_t client, const std::string& order, exchange::Side side, int64_t price,
            int64_t qty, int64_t trade, int64_t filled, const std::string& symbol = "BTC-USDT") {
    h_.append({.time_us = now_us_,
               .price = price,
               .qty = qty,
               .filled = filled,
               .number = trade,
               .client = client,
               .order = h_.intern(order),
               .symbol = h_.intern(symbol),
               .type = EventType::fill,
               .side = side});
  }
  void read(int32_t client, const std::string& order, exchange::OrdStatus status, int64_t price = 0,
            int64_t qty = 0, int64_t filled = 0) {
    h_.append({.time_us = now_us_,
               .price = price,
               .qty = qty,
               .filled = filled,
               .client = client,
               .order = h_.intern(order),
               .type = EventType::read,
               .status = status});
  }
  // A final read that got no answer about its order: refused for `reason`.
  void unanswered_read(int32_t client, const std::string& order, const std::string& reason) {
    h_.append({.time_us = now_us_,
               .client = client,
               .order = h_.intern(order),
               .text = h_.intern(reason),
               .type = EventType::read,
               .flag = true});
  }
  void update(int32_t client, const std::string& order, exchange::OrdStatus status,
              int64_t filled = 0) {
    h_.append({.time_us = now_us_,
               .filled = filled,
               .client = client,
               .order = h_.intern(order),
               .type = EventType::update,
               .status = status});
  }
  void fault(bool start, const std::string& name, int64_t param = 0) {
    h_.append({.time_us = now_us_,
               .number = param,
               .text = h_.intern(name),
               .type = start ? EventType::fault_start : EventType::fault_stop});
  }
  // replica_schema: the schema the committing replica runs (0: not said).
  void meta(int64_t version, const exchange::Instrument& record, int64_t replica_schema = 0) {
    h_.append({.time_us = now_us_,
               .qty = replica_schema,
               .number = version,
               .record = h_.add_record(record),
               .type = EventType::meta});
  }

  History& history() { return h_; }

 private:
  uint32_t invoke(Event e) {
    e.time_us = now_us_;
    e.type = EventType::invoke;
    e.op = ++next_op_;
    h_.append(e);
    return e.op;
  }
  Event completion(uint32_t op, EventType type) {
    for (const Event& e : h_.events()) {
      if (e.op != op || e.type != EventType::invoke) continue;
      Event done = e;
      done.time_us = now_us_;
      done.type = type;
      done.flag = false;
      done.number = 0;
      done.text = 0;  // a completion's reason, not its request's symbol
      return done;
    }
    return Event{.time_us = now_us_, .op = op, .type = type};
  }

  History h_;
  int64_t now_us_ = 0;
  uint32_t next_op_ = 0;
};

}  // namespace ordeal
