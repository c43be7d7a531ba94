#include "framework/run/sim_target.h"

#include <map>
#include <optional>

#include "framework/base/assert.h"
#include "framework/run/case_run.h"

namespace ordeal {
namespace {

using namespace exchange;

ExchangeConfig exchange_config(const Scenario& s, const Case& c, const DefectSet& defects) {
  return ExchangeConfig{.seed = c.seed,
                        .defects = defects,
                        .replicas = s.replicas,
                        .shards = s.shards,
                        .clients = static_cast<int>(c.clients.size()),
                        .metadata = scenario_metadata(s)};
}

// Also the fault points' fire observer while it lives: a fire in one of
// its nodes goes to the listener with the node's name.
class SimTarget final : public Target, faults::FireObserver {
 public:
  // On an exchange of its own, or on one that the caller reset for the case.
  SimTarget(const Scenario& s, std::unique_ptr<SimExchange> own)
      : own_(std::move(own)),
        exchange_(*own_),
        upgrade_down_us_(int64_t{s.upgrade_down_ms} * 1000) {
    faults::set_fire_observer(this);
  }
  SimTarget(const Scenario& s, SimExchange& exchange)
      : exchange_(exchange), upgrade_down_us_(int64_t{s.upgrade_down_ms} * 1000) {
    faults::set_fire_observer(this);
  }
  ~SimTarget() override {
    faults::set_fire_observer(nullptr);
    faults::disarm_all();
  }

  void set_listener(ExchangeListener* listener) override {
    listener_ = listener;
    exchange_.set_listener(listener);
  }
  void on_fire(const faults::FaultPoint& point, const faults::Hit& hit) override;
  int64_t now_us() const override { return exchange_.now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    exchange_.network().at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override { exchange_.run_until(time_us); }
  void submit(ClientRequest&& request) override { exchange_.submit(request); }
  bool mass_status_supported() const override { return true; }
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
  void live_fault(const FaultSpec& spec, bool start) override;
  std::string error() const override { return error_; }
  bool failed() const override { return !error_.empty(); }

 private:
  std::optional<NodeId> node_id(const std::string& name) const;
  void version_fault(const FaultSpec& spec, NodeId replica, bool start);
  void restart_replica(NodeId replica, uint8_t schema);

  std::unique_ptr<SimExchange> own_;
  SimExchange& exchange_;
  ExchangeListener* listener_ = nullptr;
  int64_t upgrade_down_us_;
  std::map<NodeId, uint64_t> generation_;  // per node: version-fault windows begun
  std::map<NodeId, bool> rolled_back_;
  std::string error_;
};

// The node whose event was running, and the node the site aimed at if it
// named one: "meta-0->engine-1", as a scenario names a link.
void SimTarget::on_fire(const faults::FaultPoint& point, const faults::Hit& hit) {
  if (listener_ == nullptr) return;
  SimNetwork& net = exchange_.network();
  const NodeId node = net.running();
  if (node == SimNetwork::kNoNode)
    return listener_->on_fault_fired(point.name(), "", hit.param, hit.check);
  std::string where = net.name(node);
  if (hit.towards != faults::Hit::kNowhere) {
    where += "->" + net.name(static_cast<NodeId>(hit.towards));
  }
  listener_->on_fault_fired(point.name(), where, hit.param, hit.check);
}

std::optional<NodeId> SimTarget::node_id(const std::string& name) const {
  const Layout layout{.replicas = exchange_.replica_count(), .shards = exchange_.shard_count()};
  for (NodeId id = 0; id <= layout.gateway(); ++id) {
    if (layout.name(id) == name) return id;
  }
  return std::nullopt;
}

// What the simulator can play of the process faults: a restart (the node's
// memory stands for its disk) and a replica's schema going up or back.
void SimTarget::live_fault(const FaultSpec& spec, bool start) {
  const std::optional<NodeId> id = node_id(spec.node);
  if (!id || !faults::runs_in_sim(spec.point)) {
    error_ = spec.point + " needs real processes: run with --target cluster";
    return;
  }
  if (spec.point == "process.restart") {
    const int64_t down_us = (spec.param > 0 ? spec.param : faults::kRestartDownMsDefault) * 1000;
    if (start) exchange_.crash(*id, down_us);
    return;
  }
  version_fault(spec, *id, start);
}

void SimTarget::restart_replica(NodeId replica, uint8_t schema) {
  exchange_.replica(replica).upgrade_on_restart(schema);
  exchange_.network().crash(replica, upgrade_down_us_);
}

// process.mixed_version: schema 2 for the window; process.rollback: schema 2,
// then back to 1 after param ms (or at the window's end).
void SimTarget::version_fault(const FaultSpec& spec, NodeId replica, bool start) {
  if (!start) {
    if (!rolled_back_[replica]) restart_replica(replica, kSchemaV1);
    rolled_back_[replica] = true;
    return;
  }
  const uint64_t generation = ++generation_[replica];
  rolled_back_[replica] = false;
  restart_replica(replica, kSchemaV2);
  if (spec.point != "process.rollback") return;
  const int64_t after_us = (spec.param > 0 ? spec.param : faults::kRollbackAfterMsDefault) * 1000;
  exchange_.network().at(exchange_.now_us() + after_us, [this, replica, generation] {
    if (generation_[replica] != generation || rolled_back_[replica]) return;
    rolled_back_[replica] = true;
    restart_replica(replica, kSchemaV1);
  });
}

// Marks the thread's exchange in use for a case: a case run inside another
// would reset the exchange under the outer one.
class OneAtATime {
 public:
  explicit OneAtATime(bool& running) : running_(running) {
    ORDEAL_ASSERT(!running_, "run_sim_case called from within a case");
    running_ = true;
  }
  ~OneAtATime() { running_ = false; }
  OneAtATime(const OneAtATime&) = delete;
  OneAtATime& operator=(const OneAtATime&) = delete;

 private:
  bool& running_;
};

}  // namespace

std::unique_ptr<Target> make_sim_target(const Scenario& scenario, const Case& c,
                                        const DefectSet& defects, bool absorb_heartbeats) {
  ExchangeConfig config = exchange_config(scenario, c, defects);
  config.network.absorb_heartbeats = absorb_heartbeats;
  return std::make_unique<SimTarget>(scenario, std::make_unique<SimExchange>(std::move(config)));
}

History run_sim_case(const Scenario& scenario, const Case& c, const DefectSet& defects,
                     std::string* error) {
  // One exchange per thread, reset for each case: a run of many cases then
  // builds the network's event pool and queue once, not once per case. Only
  // this function builds it, always with exchange_config(), so an exchange
  // of the same replicas, shards, defects and instruments (the scenario's
  // own, or none: the reference ones) differs only in seed and clients.
  thread_local std::unique_ptr<SimExchange> reused;
  thread_local std::vector<exchange::Instrument> reused_instruments;
  thread_local bool running = false;
  const OneAtATime one_case(running);
  const auto clients = static_cast<int>(c.clients.size());
  if (!reused) {
    reused = std::make_unique<SimExchange>(exchange_config(scenario, c, defects));
    reused_instruments = scenario.instruments;
  } else if (reused->config().replicas == scenario.replicas &&
             reused->config().shards == scenario.shards && reused->config().defects == defects &&
             reused_instruments == scenario.instruments) {
    reused->reset(c.seed, clients);
  } else {
    reused->reset(exchange_config(scenario, c, defects));
    reused_instruments = scenario.instruments;
  }
  SimTarget target(scenario, *reused);
  std::string case_error;
  History history = run_case(target, scenario, c, &case_error);
  if (error != nullptr) *error = target.failed() ? target.error() : case_error;
  return history;
}

}  // namespace ordeal
