// The whole reference exchange in one process on the simulated network:
// metadata replicas, engine shards, a gateway, and one port per client.
// This is what the `inproc` target drives, and what the exchange's own tests
// and benchmark use.
//
//   SimExchange exchange({.seed = 7, .defects = DefectSet::parse("none").value()});
//   exchange.set_listener(&recorder);
//   exchange.run_for(300'000);  // let metadata sync
//   exchange.submit({.kind = RequestKind::place, .client = 1, .request_id = 1, ...});
//   exchange.run_for(100'000);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "framework/base/kept_place.h"
#include "targets/exchange/client_port.h"
#include "targets/exchange/client_sessions.h"
#include "targets/exchange/layout.h"
#include "targets/exchange/sim_network.h"

namespace ordeal::exchange {

// Three symbols over the shards: BTC-USDT, ETH-USDT, SOL-USDT.
MetadataState default_metadata(int shards);
// `records` as version 1, spread over the shards in their order (the first
// on shard 0); none gives default_metadata.
MetadataState metadata_of(const std::vector<Instrument>& records, int shards);

struct ExchangeConfig {
  uint64_t seed = 1;
  DefectSet defects;
  int replicas = 3;
  int shards = 2;
  int clients = 4;  // client ids 1..clients
  SimNetworkConfig network;
  MetadataState metadata = default_metadata(2);
  int64_t request_timeout_us = 400'000;
  size_t mass_status_part_max = 10'000;  // GatewayConfig's
};

class SimExchange {
 public:
  explicit SimExchange(ExchangeConfig config);
  ~SimExchange();
  SimExchange(const SimExchange&) = delete;
  SimExchange& operator=(const SimExchange&) = delete;

  // Makes this exchange what SimExchange(config) would build, keeping
  // memory that a run of many cases would otherwise allocate per case. A
  // case run after reset() has the same history as on a new exchange.
  void reset(ExchangeConfig config);
  // The same for a configuration that differs only in seed and clients.
  void reset(uint64_t seed, int clients);

  void set_listener(ExchangeListener* listener) { listener_ = listener; }
  // Sends a request from its client's port (client ids 1..clients).
  void submit(const ClientRequest& request);
  // Sends an instrument update to the metadata leader; the result comes to
  // the listener's on_metadata_result.
  void update_metadata(const Instrument& record, uint64_t request_id);
  // Restarts every replica in turn with schema 2, followers first, the leader
  // last: one every step_us from start_us, each down for down_us.
  void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us);
  // The node's process dies now and starts again after down_us (what it
  // keeps: its on_crash()). The gateway's death ends its clients' sessions.
  void crash(NodeId node, int64_t down_us);

  bool run_until(int64_t until_us) { return net_.run_until(until_us); }
  bool run_for(int64_t duration_us) { return net_.run_until(net_.now_us() + duration_us); }
  int64_t now_us() const { return net_.now_us(); }

  SimNetwork& network() { return net_; }
  Gateway& gateway() { return *gateway_; }
  EngineShard& shard(int index) { return *shards_.at(index); }
  MetadataReplica& replica(int index) { return *replicas_.at(index); }
  int shard_count() const { return static_cast<int>(shards_.size()); }
  int replica_count() const { return static_cast<int>(replicas_.size()); }
  const ExchangeConfig& config() const { return config_; }

 private:
  // Whether the replicas, shards and gateway are built anew or renewed in
  // place; the client ports are always built anew.
  enum class Servers { built, renewed };
  void build(Servers servers);  // the nodes, on a network with none
  void drop_nodes(Servers servers);
  void attach_servers(const Layout& layout, Servers servers);

  ExchangeConfig config_;
  SimNetwork net_;
  ExchangeListener* listener_ = nullptr;
  ClientSessions sessions_{listener_};
  ExchangeListener* client_listener_ = &sessions_;  // what the client ports report to
  // Each node is built in the memory of the one the case before had (one
  // place per node of the layout): reset() then allocates no node. A reset
  // for another seed renews the servers instead of building them.
  std::vector<KeptPlace<MetadataReplica>> replicas_;
  std::vector<KeptPlace<EngineShard>> shards_;
  KeptPlace<Gateway> gateway_;
  KeptPlace<ClientPort> admin_;
  std::vector<KeptPlace<ClientPort>> clients_;
  std::vector<std::string> node_names_;  // by node id, as far as built
};

}  // namespace ordeal::exchange
