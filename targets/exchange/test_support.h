// Helpers for the exchange's own tests: a listener that records everything
// and short builders for requests.
#pragma once

#include <optional>
#include <vector>

#include "targets/exchange/sim_exchange.h"

namespace ordeal::exchange::testing {

struct Recorder : ExchangeListener {
  std::vector<ClientResponse> responses;
  std::vector<Fill> fills;
  std::vector<OrderUpdate> updates;
  std::vector<MetaUpdateResult> metadata_results;

  void on_response(const ClientResponse& r) override { responses.push_back(r); }
  void on_fill(const Fill& f) override { fills.push_back(f); }
  void on_order_update(const OrderUpdate& u) override { updates.push_back(u); }
  void on_metadata_result(const MetaUpdateResult& r) override { metadata_results.push_back(r); }

  std::optional<ClientResponse> response(ClientId client, uint64_t request_id) const {
    for (const auto& r : responses) {
      if (r.client == client && r.request_id == request_id) return r;
    }
    return std::nullopt;
  }
  Qty filled_qty(ClientId client, const std::string& clordid) const {
    Qty total = 0;
    for (const auto& f : fills) {
      if (f.client == client && f.clordid == clordid) total += f.qty;
    }
    return total;
  }
};

inline ClientRequest place(ClientId client, uint64_t request_id, std::string clordid, Side side,
                           Price price, Qty qty, std::string symbol = "BTC-USDT") {
  return ClientRequest{.kind = RequestKind::place,
                       .client = client,
                       .request_id = request_id,
                       .clordid = std::move(clordid),
                       .symbol = std::move(symbol),
                       .side = side,
                       .price = price,
                       .qty = qty};
}

inline ClientRequest about(RequestKind kind, ClientId client, uint64_t request_id,
                           std::string clordid) {
  return ClientRequest{
      .kind = kind, .client = client, .request_id = request_id, .clordid = std::move(clordid)};
}

inline ClientRequest amend(ClientId client, uint64_t request_id, std::string clordid, Price price,
                           Qty qty) {
  ClientRequest request = about(RequestKind::amend, client, request_id, std::move(clordid));
  request.price = price;
  request.qty = qty;
  return request;
}

// An exchange whose metadata has synced everywhere, ready for orders.
inline ExchangeConfig quiet_config(uint64_t seed = 1, DefectSet defects = {}) {
  return ExchangeConfig{.seed = seed, .defects = defects};
}

constexpr int64_t kSettleUs = 500'000;

}  // namespace ordeal::exchange::testing
