#include "targets/cluster/cluster_target.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "framework/base/interrupt.h"
#include "targets/cluster/process_group.h"
#include "targets/exchange/client_port.h"
#include "targets/exchange/control_client.h"
#include "targets/exchange/layout.h"
#include "targets/exchange/live_network.h"
#include "targets/exchange/sim_exchange.h"
#include "targets/fix/fix_client.h"

namespace ordeal::cluster {
namespace {

using namespace exchange;

constexpr int kPortAttemptsMax = 50;
constexpr int64_t kReadyPollUs = 50'000;

// Whether every port of [base, base + count) can be bound on loopback now.
bool ports_free(int base, int count) {
  for (int p = base; p < base + count; ++p) {
    LiveNetwork probe(0);
    if (!probe.serve_control({"127.0.0.1", static_cast<uint16_t>(p)}, nullptr).empty())
      return false;
  }
  return true;
}

class ClusterTarget final : public Target, private ExchangeListener {
 public:
  ClusterTarget(const Scenario& s, const Case& c, ClusterOptions options)
      : options_(std::move(options)),
        layout_{.replicas = s.replicas,
                .shards = s.shards,
                .clients = static_cast<int>(c.clients.size())},
        metadata_(default_metadata(s.shards)),
        net_(c.seed) {}
  ~ClusterTarget() override {
    net_.stop();
    group_.stop_all();
  }

  std::string start(uint64_t seed);

  void set_listener(ExchangeListener* listener) override { listener_ = listener; }
  int64_t now_us() const override { return net_.now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    net_.at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override {
    if (interrupted()) error_ = "interrupted";
    if (error_.empty()) net_.run_until(time_us);
  }
  // Clients reach the gateway over FIX 4.4, one session for all of them.
  void submit(ClientRequest request) override { fix_client_->submit(std::move(request)); }
  const MetadataState& initial_metadata() const override { return initial_; }
  const Instrument* current_record(std::string_view symbol) override {
    return metadata_.find(symbol);
  }
  void update_metadata(const Instrument& record, uint64_t request_id) override {
    pending_meta_[request_id] = record;
    admin_->send(layout_.replica(0), MetaUpdateRequest{.request_id = request_id, .record = record});
  }
  void arm(const std::string& point, const faults::ArmSpec& spec, int64_t lease_ms) override {
    control_all(fmt::format("arm {} {} {} {} {}", point, spec.probability, spec.param, spec.seed,
                            lease_ms));
  }
  void disarm(const std::string& point) override { control_all("disarm " + point); }
  void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) override;
  std::string error() const override { return error_; }

 private:
  // The records the leader committed for ordeal's changes, so that the next
  // change starts from what is in force.
  void on_metadata_result(const MetaUpdateResult& r) override {
    if (auto it = pending_meta_.find(r.request_id); it != pending_meta_.end()) {
      if (r.ok) metadata_.put(it->second);
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
  void control_all(const std::string& line);
  std::string spawn_nodes(uint64_t seed);
  std::string wait_ready();

  ClusterOptions options_;
  Layout layout_;
  MetadataState metadata_;
  MetadataState initial_ = metadata_;
  LiveNetwork net_;
  ProcessGroup group_;
  int base_port_ = 0;
  ExchangeListener* listener_ = nullptr;
  ExchangeListener* admin_listener_ = this;
  std::unique_ptr<ClientPort> admin_;
  std::unique_ptr<fix::FixClient> fix_client_;
  std::map<uint64_t, Instrument> pending_meta_;
  std::string error_;
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

void ClusterTarget::control_all(const std::string& line) {
  for (NodeId id : server_nodes()) {
    if (std::string e = control(id, line); !e.empty() && error_.empty()) error_ = e;
  }
}

void ClusterTarget::rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) {
  for (int step = 0; step < layout_.replicas; ++step) {
    // Followers first (1, 2, ...), the leader (0) last, as in sim.
    const NodeId replica = layout_.replica((step + 1) % layout_.replicas);
    net_.at(start_us + step * step_us, [this, replica, down_us] {
      const std::string e = control(replica, fmt::format("upgrade 2 {}", down_us / 1000));
      if (!e.empty() && error_.empty()) error_ = e;
    });
  }
}

std::string ClusterTarget::spawn_nodes(uint64_t seed) {
  const int ports = 2 * (layout_.gateway() + 1) + 1;  // + the gateway's FIX port
  Rng rng(seed ^ static_cast<uint64_t>(getpid()));
  for (int attempt = 0; attempt < kPortAttemptsMax && base_port_ == 0; ++attempt) {
    const int base = 20'000 + 2 * static_cast<int>(rng.between(0, 18'999));
    if (ports_free(base, ports)) base_port_ = base;
  }
  if (base_port_ == 0) return "no free range of loopback ports";
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
    if (id == layout_.gateway()) {
      argv.insert(argv.end(), {"--fix-port", std::to_string(fix_port())});
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
        return fmt::format("a node exited at start (see the logs in {})", options_.log_dir);
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
      fix::FixClientConfig{
          .engine = {.port = fix_port(), .sessions = {{"FIX.4.4", "ORDEAL", "EXCHANGE"}}}},
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
