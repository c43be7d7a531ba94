#include "targets/cluster/cluster_target.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "faults/process_faults.h"
#include "faults/proxy/fault_proxy.h"
#include "framework/base/interrupt.h"
#include "targets/cluster/process_group.h"
#include "targets/exchange/client_port.h"
#include "targets/exchange/control_client.h"
#include "targets/exchange/layout.h"
#include "targets/exchange/live_network.h"
#include "targets/exchange/sim_exchange.h"
#include "targets/fix/fix_client.h"
#include "targets/live_target.h"

namespace ordeal::cluster {
namespace {

using namespace exchange;

constexpr int kPortAttemptsMax = 50;
constexpr int64_t kReadyPollUs = 50'000;
constexpr int64_t kRestartPollUs = 20'000;

constexpr int kPortMin = 10'000;

// The first port the kernel hands out for outgoing connections.
int ephemeral_port_min() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32'768;
  range >> low;
  return low > kPortMin + 1'000 ? low : 32'768;
}

// Whether every port of [base, base + count) can be bound on loopback now.
bool ports_free(int base, int count) {
  for (int p = base; p < base + count; ++p) {
    LiveNetwork probe(0);
    if (!probe.serve_control({"127.0.0.1", static_cast<uint16_t>(p)}, nullptr).empty())
      return false;
  }
  return true;
}

class ClusterTarget final : public LiveTarget, private ExchangeListener {
 public:
  ClusterTarget(const Scenario& s, const Case& c, ClusterOptions options)
      : LiveTarget(c.seed),
        scenario_(s),
        options_(std::move(options)),
        layout_{.replicas = s.replicas,
                .shards = s.shards,
                .clients = static_cast<int>(c.clients.size())},
        metadata_(scenario_metadata(s)) {}
  ~ClusterTarget() override {
    net_.stop();
    group_.stop_all();
    proxy_.reset();
  }

  std::string start(uint64_t seed);

  // Clients reach the gateway over FIX 4.4, one session for all of them.
  void submit(ClientRequest&& request) override { fix_client_->submit(std::move(request)); }
  const MetadataState& initial_metadata() const override { return initial_; }
  const Instrument* current_record(std::string_view symbol) override {
    return metadata_.find(symbol);
  }
  void update_metadata(const Instrument& record, uint64_t request_id) override {
    pending_meta_[request_id] = record;
    admin_->send(layout_.replica(0), MetaUpdateRequest{.request_id = request_id, .record = record});
  }
  void arm(const std::string& point, const faults::ArmSpec& spec, int64_t lease_ms) override {
    // A pinned arm (a shrunk case's) fires at those checks of each node.
    const std::string pin = spec.pins.empty() ? "" : " " + faults::format_pins(spec.pins);
    control_all(fmt::format("arm {} {} {} {} {}{}", point, spec.probability, spec.param, spec.seed,
                            lease_ms, pin));
  }
  void disarm(const std::string& point) override { control_all("disarm " + point); }
  void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) override;
  void live_fault(const FaultSpec& spec, bool start) override;
  std::string log_dir() const override { return options_.log_dir; }
  bool threads_failed() const override {
    return (fix_client_ && fix_client_->engine_failed()) || (proxy_ && proxy_->failed());
  }
  std::string threads_failure() const override {
    if (fix_client_ && fix_client_->engine_failed()) return fix_client_->engine_failure();
    return proxy_ && proxy_->failed() ? proxy_->failure() : "";
  }
  // The reference gateway answers OrderMassStatusRequest (fix_codec.h).
  bool mass_status_supported() const override { return true; }
  CaseCleanUp cancel_open_orders(const CleanUpLimits& limits) override {
    end_case();
    if (!fix_client_) return {};
    return fix_client_->cancel_open_orders(limits);
  }

 private:
  // The records the leader committed for ordeal's changes, so that the next
  // change starts from what is in force.
  void on_metadata_result(const MetaUpdateResult& r) override {
    if (auto it = pending_meta_.find(r.request_id); it != pending_meta_.end()) {
      if (r.ok) metadata_.put(r.record.symbol.empty() ? it->second : r.record);
      pending_meta_.erase(it);
    }
    if (listener_ != nullptr) listener_->on_metadata_result(r);
  }
  std::vector<NodeId> server_nodes() const;
  LiveAddress data_address(NodeId id) const {
    return {"127.0.0.1", static_cast<uint16_t>(base_port_ + 2 * id)};
  }
  LiveAddress control_address(NodeId id) const {
    return {"127.0.0.1", static_cast<uint16_t>(base_port_ + 2 * id + 1)};
  }
  // The gateway's FIX port: the first port after the nodes' data and control ports.
  int fix_port() const { return base_port_ + 2 * (layout_.gateway() + 1); }
  std::string connect_clients();
  std::string control(NodeId id, const std::string& line);
  void command(NodeId id, const std::string& line);
  void control_all(const std::string& line);
  void back_up(NodeId id);
  void await_restart(NodeId id, int64_t deadline_us);
  std::string pick_ports(uint64_t seed);
  std::string spawn_nodes(uint64_t seed);
  std::string start_proxies(uint64_t seed);
  int child_index(const std::string& node) const;
  void process_fault(const FaultSpec& spec, bool start);
  bool respawn(int index);
  void version_fault(const FaultSpec& spec, NodeId replica, int index, uint64_t generation,
                     bool start);
  void network_fault(const FaultSpec& spec, bool start);
  std::string wait_ready();

  const Scenario& scenario_;
  ClusterOptions options_;
  Layout layout_;
  MetadataState metadata_;
  MetadataState initial_ = metadata_;
  ProcessGroup group_;
  int base_port_ = 0;
  ExchangeListener* admin_listener_ = this;
  std::unique_ptr<ClientPort> admin_;
  std::unique_ptr<fix::FixClient> fix_client_;
  std::map<uint64_t, Instrument> pending_meta_;
  std::set<NodeId> down_;  // paused or killed by the nemesis
  // Links of the scenario's network faults, each through its own proxy:
  // link ("gateway->engine-1") -> the proxy's listening port.
  std::unique_ptr<proxy::FaultProxy> proxy_;
  std::map<std::string, uint16_t> proxied_;
  std::map<NodeId, std::vector<std::string>> deferred_;
  std::map<int, uint64_t> fault_generation_;  // per child: windows of process faults begun
  std::map<int, bool> rolled_back_;           // per child: its version fault was undone
};

std::vector<NodeId> ClusterTarget::server_nodes() const {
  std::vector<NodeId> ids;
  for (int i = 0; i < layout_.replicas; ++i) ids.push_back(layout_.replica(i));
  for (int i = 0; i < layout_.shards; ++i) ids.push_back(layout_.shard(i));
  ids.push_back(layout_.gateway());
  return ids;
}

std::string ClusterTarget::control(NodeId id, const std::string& line) {
  const ControlReply reply = control_call(control_address(id), line, options_.control_timeout_ms);
  if (!reply.ok) return fmt::format("{}: {}", layout_.name(id), reply.text);
  if (reply.text.rfind("ok", 0) != 0) return fmt::format("{}: {}", layout_.name(id), reply.text);
  return "";
}

// A node that is paused or killed cannot answer: what the nemesis asks of it
// waits until it is back (a restarted node starts with every point disarmed,
// so the arms still in force reach it then).
void ClusterTarget::command(NodeId id, const std::string& line) {
  if (down_.contains(id)) {
    deferred_[id].push_back(line);
    return;
  }
  if (std::string e = control(id, line); !e.empty() && error_.empty()) error_ = e;
}

void ClusterTarget::control_all(const std::string& line) {
  for (NodeId id : server_nodes()) command(id, line);
}

void ClusterTarget::back_up(NodeId id) {
  down_.erase(id);
  std::vector<std::string> lines = std::move(deferred_[id]);
  deferred_.erase(id);
  for (const std::string& line : lines) command(id, line);
}

// Polls a restarted node's control endpoint without stalling the clients.
void ClusterTarget::await_restart(NodeId id, int64_t deadline_us) {
  if (control_call(control_address(id), "ping", 100).ok) return back_up(id);
  if (net_.now_us() > deadline_us) {
    if (error_.empty())
      error_ = fmt::format("{} did not come back after a restart", layout_.name(id));
    return;
  }
  at(net_.now_us() + kRestartPollUs, [this, id, deadline_us] { await_restart(id, deadline_us); });
}

void ClusterTarget::rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) {
  for (int step = 0; step < layout_.replicas; ++step) {
    // Followers first (1, 2, ...), the leader (0) last, as in sim.
    const NodeId replica = layout_.replica((step + 1) % layout_.replicas);
    at(start_us + step * step_us,
       [this, replica, down_us] { command(replica, fmt::format("upgrade 2 {}", down_us / 1000)); });
  }
}

void ClusterTarget::live_fault(const FaultSpec& spec, bool start) {
  if (!spec.link.empty()) return network_fault(spec, start);
  process_fault(spec, start);
}

// The proxy's name for a link: "gateway->engine-1" -> "gateway-engine-1".
std::string proxy_name(const std::string& link) {
  std::string name = link;
  name.replace(name.find("->"), 2, "-");
  return name;
}

// `param` is the kind's main parameter; latency gets a jitter of half of it.
void ClusterTarget::network_fault(const FaultSpec& spec, bool start) {
  const std::string fault_name = fmt::format("w{}", spec.line);
  proxy::Result<proxy::Done> removed;
  if (!start) {
    removed = proxy_->remove_fault(proxy_name(spec.link), fault_name);
    if (!removed && error_.empty()) error_ = "proxy: " + removed.error.message;
    return;
  }
  proxy::ProxyFault f{.name = fault_name,
                      .kind = *proxy::parse_kind(spec.point.substr(8)),
                      .probability = spec.probability,
                      // Until the window's end removes it, and then some, if ordeal dies.
                      .lease_ms = int64_t{scenario_.nemesis_window_ms} + 10'000};
  const int64_t p = spec.param;
  switch (f.kind) {
    case proxy::FaultKind::latency:
      f.latency_ms = p > 0 ? p : 100;
      f.jitter_ms = f.latency_ms / 2;
      break;
    case proxy::FaultKind::bandwidth:
      f.rate_bytes_per_s = p > 0 ? p : 10'000;
      break;
    case proxy::FaultKind::slicing:
      f.slice_bytes = p > 0 ? p : 8;
      f.slice_delay_us = 1'000;
      break;
    case proxy::FaultKind::corrupt:
      f.corrupt_bytes = p > 0 ? p : 1;
      break;
    case proxy::FaultKind::reset:
      f.reset_after_ms = p;
      break;
    default:
      break;
  }
  const auto added = proxy_->add_fault(proxy_name(spec.link), f);
  if (!added && error_.empty()) error_ = "proxy: " + added.error.message;
}

std::string ClusterTarget::start_proxies(uint64_t seed) {
  for (const FaultSpec& spec : scenario_.faults) {
    if (spec.link.empty() || proxied_.contains(spec.link)) continue;
    if (!proxy_) proxy_ = std::make_unique<proxy::FaultProxy>(seed);
    const std::string to = spec.link.substr(spec.link.find("->") + 2);
    NodeId upstream = 0;
    for (NodeId id : server_nodes()) {
      if (layout_.name(id) == to) upstream = id;
    }
    // Clients speak FIX to the gateway's FIX port; nodes reach data ports.
    const int port = spec.link == "client->gateway" ? fix_port() : data_address(upstream).port;
    const auto added = proxy_->add_proxy(
        {.name = proxy_name(spec.link), .upstream = fmt::format("127.0.0.1:{}", port)});
    if (!added) return "proxy: " + added.error.message;
    const std::string& bound = added.value.listen_address;
    proxied_[spec.link] = static_cast<uint16_t>(std::stoi(bound.substr(bound.rfind(':') + 1)));
  }
  return "";
}

// The group's children are the server nodes in server_nodes() order.
int ClusterTarget::child_index(const std::string& node) const {
  const std::vector<NodeId> ids = server_nodes();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (layout_.name(ids[i]) == node) return static_cast<int>(i);
  }
  return -1;
}

void ClusterTarget::process_fault(const FaultSpec& spec, bool start) {
  const int index = child_index(spec.node);
  if (index < 0) {
    if (error_.empty()) error_ = fmt::format("{}: no node {}", spec.point, spec.node);
    return;
  }
  const NodeId id = server_nodes()[index];
  // A timer of an earlier window must not act on a later one.
  const uint64_t generation = start ? ++fault_generation_[index] : fault_generation_[index];
  bool done = true;
  // Two process faults' windows on one node may overlap (a kill during a
  // restart's down time): pausing or killing a node the nemesis already
  // killed is a no-op, not a failure; its own window brings it back.
  const bool killed = down_.contains(id) && !group_.alive(index);
  if (spec.point == "process.pause") {
    if (killed) return;
    done = start ? group_.pause(index) : group_.resume(index);
    if (done && !start) back_up(id);
  } else if (spec.point == "process.kill") {
    done = start ? killed || group_.kill(index) : respawn(index);
  } else if (spec.point == "process.restart") {
    done = start ? killed || group_.kill(index) : respawn(index);
    const int64_t delay_us = (spec.param > 0 ? spec.param : faults::kRestartDownMsDefault) * 1000;
    if (done && start) {
      net_.at(net_.now_us() + delay_us, [this, index, generation] {
        if (fault_generation_[index] == generation) respawn(index);
      });
    }
  } else {
    version_fault(spec, id, index, generation, start);
  }
  if (done && start && spec.point != "process.mixed_version" && spec.point != "process.rollback")
    down_.insert(id);
  if (!done && error_.empty()) {
    error_ = fmt::format("{} {} of {} failed (is the node alive? logs in {})", spec.point,
                         start ? "start" : "end", spec.node, options_.log_dir);
  }
}

// Starts a killed node again, once: true when it was not killed or came back.
bool ClusterTarget::respawn(int index) {
  if (group_.alive(index)) return true;
  if (!group_.respawn(index)) return false;
  await_restart(server_nodes()[index], net_.now_us() + int64_t{options_.startup_timeout_ms} * 1000);
  return true;
}

// One replica on schema 2 among replicas on schema 1; mixed_version undoes it
// at the window's end, rollback sooner, while orders still flow.
void ClusterTarget::version_fault(const FaultSpec& spec, NodeId replica, int index,
                                  uint64_t generation, bool start) {
  const int64_t down_ms = scenario_.upgrade_down_ms;
  if (start) {
    command(replica, fmt::format("upgrade 2 {}", down_ms));
    rolled_back_[index] = false;
  }
  if (spec.point == "process.rollback" && start) {
    const int64_t after_us = (spec.param > 0 ? spec.param : faults::kRollbackAfterMsDefault) * 1000;
    net_.at(net_.now_us() + after_us, [this, replica, index, generation, down_ms] {
      if (fault_generation_[index] != generation || rolled_back_[index]) return;
      rolled_back_[index] = true;
      command(replica, fmt::format("upgrade 1 {}", down_ms));
    });
  }
  if (!start && !rolled_back_[index]) {
    rolled_back_[index] = true;
    command(replica, fmt::format("upgrade 1 {}", down_ms));
  }
}

std::string ClusterTarget::pick_ports(uint64_t seed) {
  const int ports = 2 * (layout_.gateway() + 1) + 1;  // + the gateway's FIX port
  Rng rng(seed ^ static_cast<uint64_t>(getpid()));
  for (int attempt = 0; attempt < kPortAttemptsMax && base_port_ == 0; ++attempt) {
    // Below the kernel's ephemeral range, where any outgoing connection on
    // the machine may take a port between our check and the node's bind.
    const int span = std::max(2, ephemeral_port_min() - kPortMin - ports);
    const int base = kPortMin + 2 * static_cast<int>(rng.between(0, span / 2 - 1));
    if (ports_free(base, ports)) base_port_ = base;
  }
  return base_port_ == 0 ? "no free range of loopback ports" : "";
}

std::string ClusterTarget::spawn_nodes(uint64_t seed) {
  std::error_code ec;
  std::filesystem::create_directories(options_.log_dir, ec);
  for (NodeId id : server_nodes()) {
    const std::string name = layout_.name(id);
    const bool replica = id < layout_.shard(0);
    const bool shard = !replica && id < layout_.gateway();
    std::vector<std::string> argv = {options_.node_binary,
                                     "--role",
                                     replica ? "meta"
                                     : shard ? "engine"
                                             : "gateway",
                                     "--index",
                                     std::to_string(replica ? id
                                                    : shard ? id - layout_.shard(0)
                                                            : 0),
                                     "--replicas",
                                     std::to_string(layout_.replicas),
                                     "--shards",
                                     std::to_string(layout_.shards),
                                     "--clients",
                                     std::to_string(layout_.clients),
                                     "--base-port",
                                     std::to_string(base_port_),
                                     "--seed",
                                     std::to_string(seed),
                                     "--defect",
                                     options_.defect,
                                     "--parent-pid",
                                     std::to_string(getpid())};
    if (id == layout_.gateway())
      argv.insert(argv.end(), {"--fix-port", std::to_string(fix_port())});
    // The scenario's own instruments, in the order that spreads them over
    // the shards as scenario_metadata() does.
    if (replica) {
      for (const Instrument& record : scenario_.instruments) {
        argv.insert(argv.end(), {"--instrument", instrument_arg(record)});
      }
    }
    // Each case starts a fresh cluster: no state from the case before.
    const std::string state_dir = options_.log_dir + "/" + name;
    std::filesystem::remove_all(state_dir, ec);
    argv.insert(argv.end(), {"--state-dir", state_dir});
    // A faulted link "A->B": node A reaches B through the link's proxy.
    for (const auto& [link, proxy_port] : proxied_) {
      const size_t arrow = link.find("->");
      if (link.substr(0, arrow) != name) continue;
      argv.insert(argv.end(),
                  {"--peer", fmt::format("{}=127.0.0.1:{}", link.substr(arrow + 2), proxy_port)});
    }
    if (group_.spawn(argv, options_.log_dir + "/" + name + ".log") < 0) return group_.error();
  }
  return "";
}

std::string ClusterTarget::wait_ready() {
  const int64_t deadline_us = net_.now_us() + int64_t{options_.startup_timeout_ms} * 1000;
  std::string last = "not started";
  while (net_.now_us() < deadline_us && !interrupted()) {
    last.clear();
    for (NodeId id : server_nodes()) {
      const ControlReply r = control_call(control_address(id), "ready", 200);
      if (!r.ok || r.text != "ok yes") {
        last = fmt::format("{}: {}", layout_.name(id), r.ok ? "no metadata yet" : r.text);
        break;
      }
    }
    if (last.empty()) return "";
    for (size_t i = 0; i < group_.size(); ++i) {
      if (!group_.alive(static_cast<int>(i)))
        return fmt::format("{} exited at start ({}; see the logs in {})",
                           layout_.name(server_nodes()[i]), group_.ended(static_cast<int>(i)),
                           options_.log_dir);
    }
    net_.run_until(net_.now_us() + kReadyPollUs);
  }
  return interrupted() ? "interrupted"
                       : fmt::format("cluster not ready after {} ms ({}; logs in {})",
                                     options_.startup_timeout_ms, last, options_.log_dir);
}

std::string ClusterTarget::start(uint64_t seed) {
  if (access(options_.node_binary.c_str(), X_OK) != 0)
    return fmt::format("cannot run {}", options_.node_binary);
  if (std::string e = pick_ports(seed); !e.empty()) return e;
  if (std::string e = start_proxies(seed); !e.empty()) return e;
  if (std::string e = spawn_nodes(seed); !e.empty()) return e;
  for (NodeId id : server_nodes()) net_.set_address(id, data_address(id));
  admin_ =
      std::make_unique<ClientPort>(net_.env(layout_.admin()), layout_.admin(), admin_listener_);
  net_.attach(layout_.admin(), *admin_);
  if (std::string e = net_.start(); !e.empty()) return e;
  if (std::string e = wait_ready(); !e.empty()) return e;
  return connect_clients();
}

std::string ClusterTarget::connect_clients() {
  fix_client_ = std::make_unique<fix::FixClient>(
      net_,
      fix::FixClientConfig{.engine = {.port = proxied_.contains("client->gateway")
                                                  ? proxied_.at("client->gateway")
                                                  : static_cast<uint16_t>(fix_port()),
                                      .sessions = {{"FIX.4.4", "ORDEAL", "EXCHANGE"}}},
                           .mass_status_timeout_us = int64_t{scenario_.answer_bound_ms} * 1000},
      listener_);
  if (std::string e = fix_client_->start(); !e.empty()) return e;
  const int64_t deadline_us = net_.now_us() + int64_t{options_.startup_timeout_ms} * 1000;
  while (!fix_client_->logged_on() && net_.now_us() < deadline_us && !interrupted()) {
    net_.run_until(net_.now_us() + kReadyPollUs);
  }
  if (fix_client_->logged_on()) return "";
  return interrupted() ? "interrupted"
                       : fmt::format("no FIX logon at the gateway's port {} within {} ms",
                                     fix_port(), options_.startup_timeout_ms);
}

}  // namespace

std::unique_ptr<Target> make_cluster_target(const Scenario& scenario, const Case& c,
                                            const ClusterOptions& options, std::string& error) {
  auto target = std::make_unique<ClusterTarget>(scenario, c, options);
  error = target->start(c.seed);
  if (!error.empty()) return nullptr;
  return target;
}

std::string default_node_binary() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "exchange-node";
  return (self.parent_path() / "exchange-node").string();
}

}  // namespace ordeal::cluster
