// Test support: ordeal's side of a FIX session on a network the test
// thread runs, recording what the client hands to ordeal, with bounded
// waits (kWaitUsMax at most each).
//
//   Client c(port);
//   ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
//   const exchange::ClientResponse* r = c.ask(place(1, "c1-1", Side::buy, 50'000, 5));
#pragma once

#include <string>
#include <vector>

#include "targets/exchange/live_network.h"
#include "targets/fix/fix_client.h"

namespace ordeal::fix {

using namespace exchange;

constexpr int64_t kWaitUsMax = 5'000'000;

// Whatever the client hands to ordeal.
struct Recorder final : ExchangeListener {
  std::vector<ClientResponse> responses;
  std::vector<Fill> fills;
  std::vector<OrderUpdate> updates;
  void on_response(const ClientResponse& r) override { responses.push_back(r); }
  void on_fill(const Fill& f) override { fills.push_back(f); }
  void on_order_update(const OrderUpdate& u) override { updates.push_back(u); }
};

// ordeal's side: a FIX client on a network the test thread runs.
struct Client {
  explicit Client(int port, std::string version = "FIX.4.4", int reconnect_s = 1,
                  int64_t mass_status_timeout_us = 3'000'000, TradeUnits units = {})
      : client(net,
               FixClientConfig{.engine = {.port = port,
                                          .sessions = {{version, "ORDEAL", "EXCHANGE"}},
                                          .heartbeat_s = 5,
                                          .reconnect_s = reconnect_s},
                               .clordid_prefix = "t-",
                               .mass_status_timeout_us = mass_status_timeout_us,
                               .units = units},
               listener) {
    listener = &recorder;
    net.start();
    client.start();
  }
  template <typename Done>
  bool run_until(Done done) {
    const int64_t deadline_us = net.now_us() + kWaitUsMax;
    while (!done() && net.now_us() < deadline_us) net.run_for(5'000);
    return done();
  }
  // Sends a request and waits for its answer.
  const ClientResponse* ask(ClientRequest r) {
    r.request_id = ++next_id;
    client.submit(r);
    const uint64_t id = r.request_id;
    auto answered = [&] {
      for (const auto& response : recorder.responses)
        if (response.request_id == id) return true;
      return false;
    };
    if (!run_until(answered)) return nullptr;
    for (const auto& response : recorder.responses)
      if (response.request_id == id) return &response;
    return nullptr;
  }
  LiveNetwork net{3};
  Recorder recorder;
  ExchangeListener* listener = nullptr;
  FixClient client;
  uint64_t next_id = 0;
};

inline ClientRequest place(ClientId client, std::string clordid, Side side, Price price, Qty qty) {
  return {.kind = RequestKind::place,
          .client = client,
          .clordid = std::move(clordid),
          .symbol = "BTC-USDT",
          .side = side,
          .price = price,
          .qty = qty};
}
inline ClientRequest about(RequestKind kind, ClientId client, std::string clordid) {
  return {.kind = kind, .client = client, .clordid = std::move(clordid)};
}

// Places an order on the reference gateway, retrying while the gateway's
// metadata is not fresh yet; the answer, or null.
inline const ClientResponse* place_when_ready(Client& c, ClientRequest request) {
  const ClientResponse* r = nullptr;
  for (int attempt = 0; attempt < 50; ++attempt) {
    r = c.ask(request);
    if (r != nullptr && r->verdict == Verdict::ack) break;
    c.net.run_for(100'000);
  }
  return r;
}

}  // namespace ordeal::fix
