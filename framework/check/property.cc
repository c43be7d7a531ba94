#include "framework/check/property.h"

#include <fmt/format.h>

#include <algorithm>
#include <new>
#include <stdexcept>

#include "framework/base/assert.h"
#include "framework/base/thread_failure.h"
#include "targets/exchange/messages.h"

namespace ordeal {
namespace {
std::vector<std::unique_ptr<Property>>& owned() {
  static std::vector<std::unique_ptr<Property>> properties;
  return properties;
}
std::vector<const Property*>& sorted() {
  static std::vector<const Property*> properties;
  return properties;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `part` is in `text` with a number at either end of it whole
// there: a venue's codes are numbers, and "OrdRejReason 1" (unknown
// symbol) must not name "OrdRejReason 13" or "OrdRejReason 16".
bool holds_whole_numbers(std::string_view text, std::string_view part) {
  if (part.empty()) return false;
  for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) {
    const size_t end = at + part.size();
    const bool cut_before = is_digit(part.front()) && at > 0 && is_digit(text[at - 1]);
    const bool cut_after = is_digit(part.back()) && end < text.size() && is_digit(text[end]);
    if (!cut_before && !cut_after) return true;
  }
  return false;
}
}  // namespace

bool CheckLimits::clients_doing(std::string_view reject) const {
  return exchange::is_clients_doing(reject) ||
         std::any_of(
             client_reject_reasons.begin(), client_reject_reasons.end(),
             [reject](const std::string& reason) { return holds_whole_numbers(reject, reason); });
}

std::string_view client_reject_reason_problem(std::string_view reason) {
  if (reason.empty()) return "an empty reason would be in every reject's text: name a part of one";
  if (reason.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos) {
    return "a reason of white space alone would be in nearly every reject's text: name a part "
           "of one";
  }
  return {};
}

std::string CheckContext::order_name(OrderKey key) const {
  return fmt::format("{}/{}", key.client, history().text(key.order));
}

void detail::register_property(std::unique_ptr<Property> property) {
  ORDEAL_ASSERT(find_property(property->name()) == nullptr, "property {} registered twice",
                property->name());
  auto& list = sorted();
  list.insert(std::upper_bound(list.begin(), list.end(), property.get(),
                               [](auto* a, auto* b) { return a->name() < b->name(); }),
              property.get());
  owned().push_back(std::move(property));
}

std::span<const Property* const> all_properties() { return sorted(); }

const Property* find_property(std::string_view name) {
  for (const Property* p : sorted()) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

std::vector<const Property*> checked_properties(std::span<const std::string> names) {
  std::vector<const Property*> checked;
  checked.reserve(all_properties().size());  // one allocation: this runs for every case
  for (const Property* property : all_properties()) {
    if (names.empty() || std::find(names.begin(), names.end(), property->name()) != names.end()) {
      checked.push_back(property);
    }
  }
  return checked;
}

// A history longer than a case's (a file given to `ordeal check`) gives its
// index's arrays back rather than keep them (a few bytes per event) for a
// next check: what follows it (the reports) has the memory as before.
constexpr size_t kKeptBuffersEventsMax = size_t{1} << 16;

std::vector<Violation> check_history(const History& history, std::span<const std::string> names,
                                     const CheckLimits& limits) {
  // A run checks every case it runs, one after the other on a thread: the
  // index's arrays are taken once and reused (HistoryIndex::Buffers).
  thread_local HistoryIndex::Buffers kept;
  HistoryIndex index(history, std::move(kept));
  const CheckContext context{index, limits};
  std::vector<Violation> violations;
  // All of them (as scenarios usually ask) straight from the catalogue,
  // without a list made per case.
  // A property that throws is a bug in it, and says which one threw.
  auto check_all = [&](std::span<const Property* const> properties) {
    for (const Property* property : properties) {
      try {
        property->check(context, violations);
      } catch (const std::bad_alloc&) {
        throw;  // memory, not the property: said as such where it is caught
      } catch (...) {
        throw PropertyThrew(fmt::format("property {} {}", property->name(), what_was_thrown()));
      }
    }
  };
  if (names.empty()) {
    check_all(all_properties());
  } else {
    check_all(checked_properties(names));
  }
  if (history.size() <= kKeptBuffersEventsMax) kept = std::move(index).release();
  return violations;
}

}  // namespace ordeal
