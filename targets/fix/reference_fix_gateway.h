// Test and benchmark support: the whole reference exchange (one replica, two
// shards, the gateway) and its FIX port in one live network on its own
// thread, serving for at most a minute or until destroyed.
//
//   ReferenceGateway gateway(free_loopback_port());
//   ASSERT_EQ(gateway.error, "");
#pragma once

#include <thread>

#include "targets/exchange/layout.h"
#include "targets/exchange/sim_exchange.h"
#include "targets/fix/fix_gateway_port.h"

namespace ordeal::fix {

class ReferenceGateway {
 public:
  explicit ReferenceGateway(int fix_port) {
    const exchange::MetadataState metadata = exchange::default_metadata(layout_.shards);
    for (int i = 0; i < layout_.replicas; ++i)
      add(exchange::make_replica(layout_, i, net_.env(layout_.replica(i)), defects_, metadata));
    for (int i = 0; i < layout_.shards; ++i)
      add(exchange::make_shard(layout_, i, net_.env(layout_.shard(i)), defects_));
    add(exchange::make_gateway(layout_, net_.env(layout_.gateway()), defects_));
    port_ =
        std::make_unique<FixGatewayPort>(net_, layout_.gateway(), FixPortConfig{.port = fix_port});
    net_.attach(port_->id(), *port_);
    error = net_.start();
    if (error.empty()) error = port_->start();
    thread_ = std::thread([this] { net_.run_for(60'000'000); });
  }
  ~ReferenceGateway() {
    net_.post([this] { net_.stop(); });
    thread_.join();
    port_.reset();
  }
  // Kills the gateway node in place; it starts again after down_us with
  // what a restart keeps (its orders). The FIX port and its sessions stay.
  void crash_gateway(int64_t down_us) {
    net_.post([this, down_us] { net_.crash(layout_.gateway(), down_us); });
  }
  // Mass statuses the port answered.
  uint64_t mass_statuses() const { return port_->mass_statuses(); }
  std::string error;

 private:
  void add(std::unique_ptr<exchange::Node> node) {
    net_.attach(node->id(), *node);
    nodes_.push_back(std::move(node));
  }
  exchange::Layout layout_{.replicas = 1, .shards = 2, .clients = 2};
  exchange::DefectSet defects_;
  exchange::LiveNetwork net_{7};
  std::vector<std::unique_ptr<exchange::Node>> nodes_;
  std::unique_ptr<FixGatewayPort> port_;
  std::thread thread_;
};

}  // namespace ordeal::fix
