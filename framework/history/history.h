// The history of a case: the ordered, append-only record of everything that
// happened, with the string table its events point into and the instrument
// records of metadata events. Properties read it; history_jsonl.h streams it.
//
//   History history;
//   history.append({.time_us = 10, .op = 1, .client = 1,
//                   .order = history.intern("c1-1"), .type = EventType::invoke});
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "framework/base/decimal.h"
#include "framework/base/large_vector.h"
#include "framework/history/event.h"
#include "framework/history/string_table.h"
#include "targets/exchange/instrument.h"

namespace ordeal {

class History {
 public:
  Sym intern(std::string_view text) { return strings_.intern(text); }
  std::string_view text(Sym sym) const { return strings_.text(sym); }
  // The Sym of a string some event names, if any does (StringTable::find).
  std::optional<Sym> find(std::string_view text) const { return strings_.find(text); }
  // Every Sym of this history is below this.
  size_t string_count() const { return strings_.size(); }

  // Appends and returns the event's index. Events are never changed after.
  // Inline: a case appends a few events per operation.
  uint64_t append(const Event& event) {
    if (!events_.empty() && event.time_us < events_.back().time_us) [[unlikely]] {
      time_went_backwards(event.time_us);
    }
    events_.push_back(event);
    return events_.size() - 1;
  }
  uint32_t add_record(const exchange::Instrument& record);

  const LargeVector<Event>& events() const { return events_; }
  const Event& operator[](size_t index) const { return events_[index]; }
  size_t size() const { return events_.size(); }
  const exchange::Instrument& record(uint32_t index) const { return records_.at(index); }
  void reserve(size_t events) { events_.reserve(events); }
  void reserve_records(size_t records) { records_.reserve(records); }

  // What the events' whole numbers of price and quantity count: the run's
  // units (Scenario::units; whole units unless the scenario declared its
  // own instruments). Reports write them as the venue's decimals.
  void set_units(TradeUnits units) { units_ = units; }
  TradeUnits units() const { return units_; }
  std::string price_text(int64_t price) const { return from_units(price, units_.price_decimals); }
  std::string qty_text(int64_t qty) const { return from_units(qty, units_.qty_decimals); }

 private:
  // Aborts: a history's time never goes backwards.
  void time_went_backwards(int64_t time_us) const;

  LargeVector<Event> events_;
  StringTable strings_;
  std::vector<exchange::Instrument> records_;
  TradeUnits units_;
};

}  // namespace ordeal
