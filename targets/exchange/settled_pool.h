// Exchanges that start where settling left off: an exchange of a given shape
// (replicas, shards, clients, defects, ...) is built and run for settle_us
// once per thread under a fixed seed, and every case then starts from a copy
// of that settled state, reseeded with the case's seed. A case skips the
// build and the settle, and what follows the settle depends on its seed
// (and the shape) alone: never on the cases run before it.
//
//   std::unique_ptr<SimExchange> exchange = SettledPool::take(config, 300'000);
//   ... run the case from exchange->now_us() ...
//   SettledPool::give_back(std::move(exchange));
#pragma once

#include <cstdint>
#include <memory>

#include "targets/exchange/sim_exchange.h"

namespace ordeal::exchange {

class SettledPool {
 public:
  // The seed every settle runs under.
  static constexpr uint64_t kSettleSeed = 0x5e771ed;

  // An exchange of `config`'s shape as it stands after settle_us from its
  // start under kSettleSeed, then reseeded with config.seed. Settles without
  // keeping the result while a fault point is armed (it could act on the
  // settle).
  static std::unique_ptr<SimExchange> take(const ExchangeConfig& config, int64_t settle_us);
  // Keeps `exchange` (taken before) for a later take to reuse its memory.
  static void give_back(std::unique_ptr<SimExchange> exchange);
};

}  // namespace ordeal::exchange
