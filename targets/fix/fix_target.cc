#include "targets/fix/fix_target.h"

#include <fmt/format.h>

#include <chrono>

#include "framework/base/interrupt.h"
#include "targets/exchange/sim_exchange.h"
#include "targets/fix/fix_client.h"
#include "targets/live_target.h"

namespace ordeal::fix {
namespace {

using namespace exchange;

constexpr int64_t kLogonPollUs = 20'000;

// A ClOrdID prefix no earlier run on the same gateway used: the time in
// milliseconds, base 36.
std::string run_prefix() {
  auto ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  std::string digits;
  for (int i = 0; i < 13 && ms > 0; ++i, ms /= 36)
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[ms % 36]);
  return "o" + digits + "-";
}

class FixTarget final : public LiveTarget {
 public:
  FixTarget(const Scenario& s, const Case& c, const FixUri& uri, const FixTargetOptions& options)
      : LiveTarget(c.seed),
        metadata_(scenario_metadata(s)),
        client_(net_,
                FixClientConfig{.engine = {.host = uri.host,
                                           .port = uri.port,
                                           .sessions = {{uri.version, uri.sender, uri.target}},
                                           .username = options.username,
                                           .password = options.password,
                                           .heartbeat_s = uri.heartbeat_s,
                                           .reset_on_logon = uri.reset,
                                           .keep_store = true},
                                .clordid_prefix = run_prefix(),
                                .mass_status_timeout_us = int64_t{s.answer_bound_ms} * 1000,
                                .units = s.units},
                listener_),
        mass_status_(uri.mass_status) {}

  std::string start(int logon_timeout_ms) {
    if (std::string e = net_.start(); !e.empty()) return e;
    if (std::string e = client_.start(); !e.empty()) return e;
    const int64_t deadline_us = net_.now_us() + int64_t{logon_timeout_ms} * 1000;
    while (!client_.logged_on() && net_.now_us() < deadline_us && !interrupted()) {
      net_.run_for(kLogonPollUs);
    }
    if (interrupted()) return "interrupted";
    if (!client_.logged_on()) return fmt::format("no FIX logon within {} ms", logon_timeout_ms);
    return "";
  }

  void submit(ClientRequest&& request) override { client_.submit(std::move(request)); }
  bool threads_failed() const override { return client_.engine_failed(); }
  std::string threads_failure() const override { return client_.engine_failure(); }
  const MetadataState& initial_metadata() const override { return metadata_; }
  const Instrument* current_record(std::string_view symbol) override {
    return metadata_.find(symbol);
  }
  // A foreign gateway's metadata, fault points and processes are not ordeal's.
  bool nemesis_supported() const override { return false; }
  // The URI's mass_status=Y: the venue answers OrderMassStatusRequest.
  bool mass_status_supported() const override { return mass_status_; }
  void update_metadata(const Instrument&, uint64_t) override {}
  void arm(const std::string&, const faults::ArmSpec&, int64_t) override {}
  void disarm(const std::string&) override {}
  void rolling_upgrade(int64_t, int64_t, int64_t) override {}
  void live_fault(const FaultSpec&, bool) override {}
  CaseCleanUp cancel_open_orders(const CleanUpLimits& limits) override {
    end_case();
    return client_.cancel_open_orders(limits);
  }

 private:
  MetadataState metadata_;
  FixClient client_;
  bool mass_status_;
};

}  // namespace

std::string check_fix_scenario(const Scenario& scenario) {
  const MetadataState known = scenario_metadata(scenario);
  for (const std::string& symbol : scenario.symbols) {
    if (known.find(symbol) == nullptr) {
      return fmt::format(
          "{}: workload symbol {} has no instrument to size and price orders from (declare it "
          "in [[instruments]])",
          scenario.name, symbol);
    }
  }
  return "";
}

std::unique_ptr<Target> make_fix_target(const Scenario& scenario, const Case& c, const FixUri& uri,
                                        const FixTargetOptions& options, std::string& error) {
  auto target = std::make_unique<FixTarget>(scenario, c, uri, options);
  error = target->start(options.logon_timeout_ms);
  if (!error.empty()) {
    error = fmt::format("{}:{} ({} {}->{}): {}", uri.host, uri.port, uri.version, uri.sender,
                        uri.target, error);
    return nullptr;
  }
  return target;
}

}  // namespace ordeal::fix
