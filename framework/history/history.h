// The history of a case: the ordered, append-only record of everything that
// happened, with the string table its events point into and the instrument
// records of metadata events. Properties read it; history_jsonl.h streams it.
//
//   History history;
//   history.append({.time_us = 10, .op = 1, .client = 1,
//                   .order = history.intern("c1-1"), .type = EventType::invoke});
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "framework/history/event.h"
#include "targets/exchange/instrument.h"

namespace ordeal {

class History {
 public:
  History();

  Sym intern(std::string_view text);
  std::string_view text(Sym sym) const { return strings_[sym]; }

  // Appends and returns the event's index. Events are never changed after.
  uint64_t append(const Event& event);
  uint32_t add_record(const exchange::Instrument& record);

  const std::vector<Event>& events() const { return events_; }
  const Event& operator[](size_t index) const { return events_[index]; }
  size_t size() const { return events_.size(); }
  const exchange::Instrument& record(uint32_t index) const { return records_.at(index); }
  void reserve(size_t events) { events_.reserve(events); }

 private:
  std::vector<Event> events_;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::deque<std::string> strings_;  // a deque: the map's keys point into it
  std::unordered_map<std::string_view, Sym, TextHash, std::equal_to<>> sym_of_;
  std::vector<exchange::Instrument> records_;
};

}  // namespace ordeal
