#include "framework/report/steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "faults/fault_point.h"

namespace ordeal {
namespace {

using exchange::Instrument;
using exchange::RequestKind;

std::string at(int64_t time_us) { return fmt::format("{:.4f} s", time_us / 1e6); }

// "partially-filled, 4 at 55000, 2 filled": what the exchange said of the order.
std::string order_state(const History& h, const Event& e) {
  if (e.status == exchange::OrdStatus::none) return "unknown to the exchange";
  return fmt::format("{}, {} at {}, {} filled", exchange::to_string(e.status), h.qty_text(e.qty),
                     h.price_text(e.price), h.qty_text(e.filled));
}

std::string request(const History& h, const Event& e) {
  std::string what = fmt::format("client {} {}", e.client, exchange::to_string(e.kind));
  if (!h.text(e.order).empty()) what += fmt::format(" {}", h.text(e.order));
  switch (e.kind) {
    case RequestKind::place:
      what += fmt::format(" {} {} {} @ {}", exchange::to_string(e.side), h.qty_text(e.qty),
                          h.text(e.symbol),
                          e.number & kMarketFlag ? std::string("market") : h.price_text(e.price));
      if (e.number & kIocFlag) what += " IOC";
      if (e.number & kPostOnlyFlag) what += " post-only";
      break;
    case RequestKind::amend:  // 0 leaves a field as it is
      if (e.qty != 0) what += fmt::format(" qty to {}", h.qty_text(e.qty));
      if (e.price != 0) what += fmt::format(" price to {}", h.price_text(e.price));
      break;
    case RequestKind::mass_cancel:
      what +=
          h.text(e.symbol).empty() ? " of every symbol" : fmt::format(" of {}", h.text(e.symbol));
      break;
    default:
      break;
  }
  if (e.flag) what += " (deliberately invalid)";
  return what;
}

std::string answer(const History& h, const Event* done) {
  if (done == nullptr) return "no answer recorded";
  const std::string when = at(done->time_us);
  switch (done->type) {
    case EventType::ok:
      if (done->kind == RequestKind::mass_cancel)
        return fmt::format("accepted at {}: {} cancelled", when, done->number);
      return fmt::format("accepted at {}: {}", when, order_state(h, *done));
    case EventType::fail:
      return fmt::format("rejected at {}: {}", when, h.text(done->text));
    default:
      if (!done->flag) return fmt::format("no answer by {}: outcome unknown", when);
      return fmt::format("outcome unknown at {}: {}", when, h.text(done->text));
  }
}

// What a committed record changed, against the symbol's record before it.
// Prices and quantities in the history's units, as the steps write them.
std::string changes(const History& h, const Instrument* before, const Instrument& after) {
  if (before == nullptr) return "listed";
  std::string out;
  const auto differs = [&out](std::string_view field, const auto& from, const auto& to) {
    if (from == to) return;
    out += fmt::format("{}{} {} -> {}", out.empty() ? "" : ", ", field, from, to);
  };
  const auto prices = [&](std::string_view field, int64_t from, int64_t to) {
    differs(field, h.price_text(from), h.price_text(to));
  };
  const auto quantities = [&](std::string_view field, int64_t from, int64_t to) {
    differs(field, h.qty_text(from), h.qty_text(to));
  };
  differs("shard", before->shard, after.shard);
  differs("status", exchange::to_string(before->status), exchange::to_string(after.status));
  prices("tick size", before->tick_size, after.tick_size);
  quantities("lot size", before->lot_size, after.lot_size);
  quantities("min qty", before->min_qty, after.min_qty);
  quantities("max qty", before->max_qty, after.max_qty);
  prices("min price", before->min_price, after.min_price);
  prices("max price", before->max_price, after.max_price);
  // price times quantity: in units of both
  differs("max notional",
          from_units(before->max_notional, h.units().price_decimals + h.units().qty_decimals),
          from_units(after.max_notional, h.units().price_decimals + h.units().qty_decimals));
  differs("schema", before->schema, after.schema);
  return out.empty() ? "unchanged (the same record as a new version)" : out;
}

const FaultSpec* spec_of(const Scenario& s, std::string_view text) {
  for (const FaultSpec& f : s.faults) {
    const std::string& where = f.node.empty() ? f.link : f.node;
    if (where.empty() ? text == f.point : text == f.point + ":" + where) return &f;
  }
  return nullptr;
}

// A fault's parameter in words, as armed ("default 100 ms") or as a fire
// acted with ("300 ms", "tick size"); "" for a 0 of a point without a
// parameter of its own. A fault that is no point (a process fault) shows
// its number as it is, and a window always shows it.
std::string param_words(const faults::FaultPoint* point, int64_t param, bool armed) {
  if (point == nullptr) return armed || param != 0 ? fmt::format("param {}", param) : "";
  if (param == 0 && point->param_meaning().what.empty()) return "";
  return armed ? point->describe_armed_param(param) : point->describe_param(param);
}

// "fires once, at its check number 3", "fires 3 times, at its checks
// number 3, 9 and 12": where a pinned window (shrinking's) fires.
std::string pinned_words(std::string_view text) {
  const auto pins = faults::parse_pins(text);
  if (!pins) return fmt::format("fires at its checks {}", text);  // as a foreign history says
  if (pins->size() == 1) return fmt::format("fires once, at its check number {}", (*pins)[0].check);
  std::string checks;
  for (size_t i = 0; i < pins->size(); ++i) {
    const char* sep = i == 0 ? "" : i + 1 == pins->size() ? " and " : ", ";
    checks += fmt::format("{}{}", sep, (*pins)[i].check);
  }
  return fmt::format("fires {} times, at its checks number {}", pins->size(), checks);
}

std::string fault(const History& h, const Scenario& s, const Event& e) {
  const std::string_view name = h.text(e.text);
  const bool start = e.type == EventType::fault_start;
  if (name == "rolling-upgrade") {
    return start ? fmt::format(
                       "rolling upgrade of the metadata service begins (a replica every "
                       "{} ms)",
                       e.number)
                 : "rolling upgrade of the metadata service ends";
  }
  if (!start) return fmt::format("fault {} healed", name);
  const std::string param = param_words(faults::find_point(name), e.number, /*armed=*/true);
  // A pinned window (shrinking's) fires once, at a given check: its
  // probability no longer says anything.
  const FaultSpec* spec = spec_of(s, name);
  std::string about;
  if (e.order != 0) {
    about = pinned_words(h.text(e.order));
  } else if (e.qty > 0) {  // fire_at, as histories of earlier versions say
    about = fmt::format("fires once, at its check number {}", e.qty);
  } else if (spec != nullptr) {
    about = fmt::format("probability {}", spec->probability);
  }
  if (!about.empty() && !param.empty()) about += ", ";
  about += param;
  return about.empty() ? fmt::format("fault {} armed", name)
                       : fmt::format("fault {} armed ({})", name, about);
}

// "meta.update.delay fired 3 times in meta-1 (300 ms): a replica holds
// back ...", or "... on meta-1->engine-0" when the site named the node the
// damage was aimed at: the point's own summary says what it was, and its
// parameter's meaning what the fire acted with ("tick size"). A replica
// sends an update to every subscriber at once, so fires of a point in one
// node at one moment are told once, with their count.
std::string fire(const History& h, const Event& e, size_t times) {
  const std::string_view text = h.text(e.text);
  const size_t colon = text.find(':');
  const std::string_view point = text.substr(0, colon);
  std::string what = fmt::format("{} fired", point);
  if (times > 1) what += fmt::format(" {} times", times);
  if (colon != std::string_view::npos) {  // a node, or a link to the node it aimed at
    const std::string_view where = text.substr(colon + 1);
    what += where.find("->") == std::string_view::npos ? fmt::format(" in {}", where)
                                                       : fmt::format(" on {}", where);
  }
  const faults::FaultPoint* p = faults::find_point(point);
  if (const std::string param = param_words(p, e.number, /*armed=*/false); !param.empty()) {
    what += fmt::format(" ({})", param);
  }
  if (p != nullptr) what += fmt::format(": {}", p->summary());
  return what;
}

bool same_fire(const Event& a, const Event& b) {
  return a.type == EventType::fault_fire && b.type == EventType::fault_fire &&
         a.time_us == b.time_us && a.text == b.text && a.number == b.number;
}

class Steps {
 public:
  Steps(const History& h, const Scenario& s) : h_(h), s_(s) {
    for (size_t i = 0; i < h.size(); ++i) {
      if (is_completion(h[i].type)) completion_of_.emplace(h[i].op, i);
    }
  }

  std::vector<std::string> lines() {
    std::vector<std::string> out;
    for (size_t i = 0; i < h_.size(); ++i) {
      const Event& e = h_[i];
      std::optional<std::string> line;
      if (e.type == EventType::fault_fire) {
        size_t times = 1;
        for (; i + 1 < h_.size() && same_fire(e, h_[i + 1]); ++i) ++times;
        line = fire(h_, e, times);
      } else {
        line = describe(e);
      }
      if (line) out.push_back(fmt::format("{}  {}", at(e.time_us), *line));
    }
    return out;
  }

 private:
  std::optional<std::string> describe(const Event& e) {
    switch (e.type) {
      case EventType::invoke:
        return fmt::format("{} -> {}", request(h_, e), answer(h_, completion(e.op)));
      case EventType::fill:
        return fmt::format("client {} {} filled {} at {} ({}, trade {}), {} of the order filled",
                           e.client, h_.text(e.order), h_.qty_text(e.qty), h_.price_text(e.price),
                           e.flag ? "maker" : "taker", e.number, h_.qty_text(e.filled));
      case EventType::update:
        return fmt::format("client {} {} changed by the exchange: {} ({})", e.client,
                           h_.text(e.order), order_state(h_, e), h_.text(e.text));
      case EventType::read:
        if (e.flag) {
          return fmt::format("final read of client {} {}: no answer about the order ({})", e.client,
                             h_.text(e.order), h_.text(e.text));
        }
        return fmt::format("final read of client {} {}: {}", e.client, h_.text(e.order),
                           order_state(h_, e));
      case EventType::fault_start:
      case EventType::fault_stop:
        return fault(h_, s_, e);
      case EventType::meta:
        return metadata(e);
      default:  // completions are told with their requests, fires in lines()
        return std::nullopt;
    }
  }

  // The records the case starts from are not steps: only what changed them.
  std::optional<std::string> metadata(const Event& e) {
    const Instrument& record = h_.record(e.record);
    const Instrument* before = nullptr;
    if (auto it = last_.find(record.symbol); it != last_.end()) before = &h_.record(it->second);
    const bool initial = first_version_ ? e.number == *first_version_ : true;
    if (!first_version_) first_version_ = e.number;
    last_[record.symbol] = e.record;
    if (initial) return std::nullopt;
    return fmt::format("metadata version {}: {} {}", e.number, record.symbol,
                       changes(h_, before, record));
  }

  const Event* completion(uint32_t op) const {
    const auto it = completion_of_.find(op);
    return it == completion_of_.end() ? nullptr : &h_[it->second];
  }

  const History& h_;
  const Scenario& s_;
  std::unordered_map<uint32_t, size_t> completion_of_;
  std::map<std::string, uint32_t, std::less<>> last_;  // symbol -> its latest record
  std::optional<int64_t> first_version_;
};

}  // namespace

std::vector<std::string> describe_steps(const History& history, const Scenario& scenario) {
  return Steps(history, scenario).lines();
}

std::vector<std::string> first_steps(std::vector<std::string> steps, size_t shown) {
  if (steps.size() <= shown) return steps;
  const size_t more = steps.size() - shown;
  steps.resize(shown);
  steps.push_back(fmt::format("... and {} more step{} (report.html, history.jsonl)", more,
                              more == 1 ? "" : "s"));
  return steps;
}

}  // namespace ordeal
