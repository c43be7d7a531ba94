// The system under test as a case run drives it. A case run (case_run.h)
// sends the clients' requests, the metadata changes and the nemesis through
// this interface and records what comes back; the target decides what the
// clock and the network are: virtual time in process (sim_target.h) or real
// processes and sockets (the cluster and FIX targets).
//
//   std::unique_ptr<Target> target = make_sim_target(scenario, c, defects);
//   History h = run_case(*target, scenario, c);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "faults/fault_point.h"
#include "framework/run/case_clean_up.h"
#include "framework/run/scenario.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {

class Target {
 public:
  virtual ~Target() = default;

  // Where responses, fills, unsolicited updates and metadata results go.
  virtual void set_listener(exchange::ExchangeListener* listener) = 0;
  virtual int64_t now_us() const = 0;
  // Runs `action` at `time_us` on the target's clock, on the run's thread.
  virtual void at(int64_t time_us, std::function<void()> action) = 0;
  // Lets the target work until `time_us`: virtual time jumps, real time passes.
  virtual void run_until(int64_t time_us) = 0;

  // Sends a request from its client (ids 1..clients). An rvalue: a case
  // sends one per operation, and a by-value parameter of a virtual call
  // cost a move of the request more (its strings copied, being short).
  virtual void submit(exchange::ClientRequest&& request) = 0;
  // The metadata the exchange starts from, and the record in force now (to
  // derive a change from); null when the target does not know the symbol.
  virtual const exchange::MetadataState& initial_metadata() const = 0;
  virtual const exchange::Instrument* current_record(std::string_view symbol) = 0;
  virtual void update_metadata(const exchange::Instrument& record, uint64_t request_id) = 0;

  // The nemesis. A live target leases every arm for `lease_ms`, so that the
  // fault heals even if ordeal dies; sim needs no lease.
  virtual void arm(const std::string& point, const faults::ArmSpec& spec, int64_t lease_ms) = 0;
  virtual void disarm(const std::string& point) = 0;
  virtual void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) = 0;
  // A fault on the target's processes or network (process.*, network.*:
  // spec.acts_on_target()), at its window's start and end. Targets that
  // cannot do it set error().
  virtual void live_fault(const FaultSpec& spec, bool start) = 0;

  // Where hooks and nodes write their logs; empty: nowhere.
  virtual std::string log_dir() const { return ""; }

  // False for a target ordeal cannot break or reconfigure (a foreign FIX
  // gateway): the case then runs without metadata changes and nemesis, and
  // the history records none.
  virtual bool nemesis_supported() const { return true; }

  // Whether the target answers a mass-status request (every order of a
  // client at once, ClientResponse::orders): the final reads then ask once
  // per client instead of once per order. A venue without it is read order
  // by order.
  virtual bool mass_status_supported() const { return false; }

  // After the case (its final reads done, or interrupted) and before the
  // target stops: cancels every order the case may have left open, no
  // faster than the rate cap, waiting at most `timeout_ms` for the answers.
  // Nothing reaches the listener. A target that is thrown away whole (the
  // simulator) has nothing to do.
  virtual CaseCleanUp cancel_open_orders(const CleanUpLimits& /*limits*/) { return {}; }

  // Set when the target itself failed (could not start, lost a node's
  // control link): the run stops and ordeal exits 3.
  virtual std::string error() const { return ""; }
  // Whether error() is set. A case run asks at every step: a target that
  // holds its error can answer without copying it.
  virtual bool failed() const { return !error().empty(); }
};

}  // namespace ordeal
