#include "targets/exchange/client_sessions.h"

#include <algorithm>

#include "framework/base/assert.h"

namespace ordeal::exchange {

std::vector<ClientSessions::InFlight>::iterator ClientSessions::place_of(ClientId client,
                                                                         uint64_t request_id) {
  return std::lower_bound(in_flight_.begin(), in_flight_.end(), InFlight{client, request_id},
                          [](const InFlight& a, const InFlight& b) {
                            return a.client != b.client ? a.client < b.client
                                                        : a.request_id < b.request_id;
                          });
}

bool ClientSessions::sending(const ClientRequest& request, bool gateway_up) {
  if (!gateway_up) {
    answer(request.client, request.request_id, request.kind, Verdict::reject,
           "not connected to the gateway (not sent)");
    return false;
  }
  ORDEAL_ASSERT(in_flight_.size() < kInFlightMax, "{} requests in flight", in_flight_.size());
  auto at = place_of(request.client, request.request_id);
  if (at != in_flight_.end() && at->client == request.client &&
      at->request_id == request.request_id) {
    at->kind = request.kind;  // a repeated request id: the latest ask counts
  } else {
    in_flight_.insert(at, InFlight{request.client, request.request_id, request.kind});
  }
  return true;
}

void ClientSessions::disconnect() {
  const std::vector<InFlight> lost = std::move(in_flight_);
  in_flight_.clear();
  for (const InFlight& request : lost) {
    answer(request.client, request.request_id, request.kind, Verdict::unknown,
           "disconnected before an answer");
  }
}

void ClientSessions::answer(ClientId client, uint64_t request_id, RequestKind kind, Verdict verdict,
                            std::string reason) {
  if (listener_ == nullptr) return;
  listener_->on_response(ClientResponse{.client = client,
                                        .request_id = request_id,
                                        .kind = kind,
                                        .verdict = verdict,
                                        .reason = std::move(reason)});
}

void ClientSessions::on_response(const ClientResponse& response) {
  auto at = place_of(response.client, response.request_id);
  if (at == in_flight_.end() || at->client != response.client ||
      at->request_id != response.request_id) {
    return;  // ended already (disconnected): one completion per request
  }
  in_flight_.erase(at);
  if (listener_ != nullptr) listener_->on_response(response);
}

void ClientSessions::on_fill(const Fill& fill) {
  if (listener_ != nullptr) listener_->on_fill(fill);
}

void ClientSessions::on_order_update(const OrderUpdate& update) {
  if (listener_ != nullptr) listener_->on_order_update(update);
}

}  // namespace ordeal::exchange
