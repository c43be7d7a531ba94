#include "framework/run/sim_target.h"

#include "framework/run/case_run.h"

namespace ordeal {
namespace {

using namespace exchange;

class SimTarget final : public Target {
 public:
  SimTarget(const Scenario& s, const Case& c, const DefectSet& defects)
      : exchange_(ExchangeConfig{.seed = c.seed,
                                 .defects = defects,
                                 .replicas = s.replicas,
                                 .shards = s.shards,
                                 .clients = static_cast<int>(c.clients.size()),
                                 .metadata = default_metadata(s.shards)}) {}
  ~SimTarget() override { faults::disarm_all(); }

  void set_listener(ExchangeListener* listener) override { exchange_.set_listener(listener); }
  int64_t now_us() const override { return exchange_.now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    exchange_.network().at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override { exchange_.run_until(time_us); }
  void submit(ClientRequest request) override { exchange_.submit(std::move(request)); }
  const MetadataState& initial_metadata() const override { return exchange_.config().metadata; }
  // The leader's record: what a change made now would be based on.
  const Instrument* current_record(std::string_view symbol) override {
    return exchange_.replica(0).state().find(symbol);
  }
  void update_metadata(const Instrument& record, uint64_t request_id) override {
    exchange_.update_metadata(record, request_id);
  }
  void arm(const std::string& point, const faults::ArmSpec& spec, int64_t /*lease_ms*/) override {
    faults::arm(point, spec);
  }
  void disarm(const std::string& point) override { faults::disarm(point); }
  void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) override {
    exchange_.rolling_upgrade(start_us, step_us, down_us);
  }
  void live_fault(const FaultSpec& spec, bool /*start*/) override {
    error_ = spec.point + " needs real processes: run with --target cluster";
  }
  std::string error() const override { return error_; }

 private:
  SimExchange exchange_;
  std::string error_;
};

}  // namespace

std::unique_ptr<Target> make_sim_target(const Scenario& scenario, const Case& c,
                                        const DefectSet& defects) {
  return std::make_unique<SimTarget>(scenario, c, defects);
}

History run_sim_case(const Scenario& scenario, const Case& c, const DefectSet& defects) {
  SimTarget target(scenario, c, defects);
  return run_case(target, scenario, c);
}

}  // namespace ordeal
