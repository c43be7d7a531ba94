// The clients' sessions with the gateway in the simulator, as a FIX client
// sees them in live mode: when the gateway's process dies, every request in
// flight ends unknown ("disconnected before an answer"), and a request sent
// while it is down is rejected without being sent. An answer that comes
// after its request was ended so is dropped: one completion per request.
//
//   ClientSessions sessions(listener);          // the owner's listener pointer
//   ExchangeListener* port_listener = &sessions; // what the client ports report to
//   if (sessions.sending(request, gateway_up)) port.send(gateway, request);
//   sessions.disconnect();                       // the gateway crashed
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "targets/exchange/client_port.h"

namespace ordeal::exchange {

class ClientSessions final : public ExchangeListener {
 public:
  static constexpr size_t kInFlightMax = 1'000'000;
  // Room for the usual handful in flight from the start: the sessions are
  // made afresh for every simulated case, and growing one place at a time
  // cost several allocations per case.
  static constexpr size_t kInFlightReserved = 16;

  explicit ClientSessions(ExchangeListener*& listener) : listener_(listener) {
    in_flight_.reserve(kInFlightReserved);
  }

  // True when the request may go; false when the gateway is down, and the
  // request was answered here.
  bool sending(const ClientRequest& request, bool gateway_up);
  // The gateway died: every request in flight ends unknown.
  void disconnect();

  void on_response(const ClientResponse& response) override;
  void on_fill(const Fill& fill) override;
  void on_order_update(const OrderUpdate& update) override;

 private:
  struct InFlight {
    ClientId client = 0;
    uint64_t request_id = 0;
    RequestKind kind = RequestKind::place;  // what was asked
  };

  void answer(ClientId client, uint64_t request_id, RequestKind kind, Verdict verdict,
              std::string reason);
  // Where the request sits in in_flight_, or would.
  std::vector<InFlight>::iterator place_of(ClientId client, uint64_t request_id);

  ExchangeListener*& listener_;
  // Sorted by (client, request id); a handful at a time, so a sorted vector
  // whose memory is reused beats a tree that allocates per request.
  std::vector<InFlight> in_flight_;
};

}  // namespace ordeal::exchange
