// A property: an invariant checked over a whole history (and its final
// reads). One per file in properties/, registered by name with one line:
//
//   class NoOverfill final : public Property { ... };
//   ORDEAL_REGISTER_PROPERTY(NoOverfill);
//
// A violation names the property, the orders and the event indices involved,
// in words a trader would understand. An `info` (unknown) outcome is never a
// violation by itself: final reads decide where they can.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "framework/check/history_index.h"

namespace ordeal {

struct Violation {
  std::string property;
  std::string message;
  std::vector<std::string> orders;  // "client/clordid"
  std::vector<uint64_t> events;     // history indices
};

// Limits some properties take from the scenario (or `ordeal check`'s
// options), each within its range: below, the outage and staleness limits.
inline constexpr int64_t kOutageMsMaxCeiling = 3'600'000;
inline constexpr int64_t kMetadataStalenessMsCeiling = 600'000;
inline constexpr int64_t kRecoveryMsMaxCeiling = 600'000;

struct CheckLimits {
  double failed_share_max = 0.5;          // bounded-unavailability
  int64_t outage_ms_max = 3'000;          // bounded-unavailability
  int64_t metadata_staleness_ms = 2'000;  // metadata-conformance: how old a version may be in force
  // recovers-after-faults: how long after the last fault stopped order
  // entry may stay down (ordeal's runs send orders to probe it then)
  int64_t recovery_ms_max = 3'000;
  // metadata-conformance: how long after a commit the history may record it
  // (the runner hears of it one network hop later)
  int64_t metadata_notice_ms = 10;
  // Reject texts, or parts of them, that a target sends when a request broke
  // a rule of the venue's own (self-trade prevention, a price band): the
  // client's doing, as the reference exchange's reasons are, not the target
  // failing to serve it. bounded-unavailability, recovers-after-faults and
  // the recovery probes read them so; each is looked for anywhere in a
  // reject's text, case as written, a number at either end of it whole
  // ("OrdRejReason 1" is not in "OrdRejReason 13"). At most
  // kClientRejectReasonsMax, none empty or blank (client_reject_reason_problem).
  std::vector<std::string> client_reject_reasons;
  // Whether a reject was the client's own doing: one of the reference
  // exchange's reasons (exchange::is_clients_doing: a metadata rule,
  // post-only crossing, a duplicate id), or one named above.
  bool clients_doing(std::string_view reject) const;
};
inline constexpr size_t kClientRejectReasonsMax = 64;
// What is wrong with `reason` as one of client_reject_reasons, or "": empty,
// or white space alone, it would be in every reject's text, or in nearly
// every one, and excuse every refusal. The scenario and `ordeal check` both
// ask it.
std::string_view client_reject_reason_problem(std::string_view reason);

struct CheckContext {
  const HistoryIndex& index;
  CheckLimits limits;
  const History& history() const { return index.history(); }
  std::string order_name(OrderKey key) const;
  std::string order_name(const Event& e) const { return order_name(OrderKey{e.client, e.order}); }
};

class Property {
 public:
  virtual ~Property() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  virtual void check(const CheckContext& context, std::vector<Violation>& out) const = 0;
};

// The catalogue of properties, sorted by name.
std::span<const Property* const> all_properties();
const Property* find_property(std::string_view name);

namespace detail {
void register_property(std::unique_ptr<Property> property);
template <typename P>
struct PropertyRegistrar {
  PropertyRegistrar() { register_property(std::make_unique<P>()); }
};
}  // namespace detail

#define ORDEAL_REGISTER_PROPERTY(Class) \
  static const ::ordeal::detail::PropertyRegistrar<Class> ordeal_registrar_##Class

// The named properties (all of them when `names` is empty), sorted by name;
// unknown names are left out (scenarios are validated before they get here).
std::vector<const Property*> checked_properties(std::span<const std::string> names);

// A property's check threw: a bug in it. Says which one ("property NAME
// threw: ..."); running out of memory is left as std::bad_alloc.
struct PropertyThrew : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Checks the named properties (all of them when `names` is empty).
std::vector<Violation> check_history(const History& history, std::span<const std::string> names,
                                     const CheckLimits& limits);

}  // namespace ordeal
