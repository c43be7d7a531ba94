#include "targets/exchange/client_sessions.h"

#include "framework/base/assert.h"

namespace ordeal::exchange {

bool ClientSessions::sending(const ClientRequest& request, bool gateway_up) {
  if (!gateway_up) {
    answer(request.client, request.request_id, request.kind, Verdict::reject,
           "not connected to the gateway (not sent)");
    return false;
  }
  ORDEAL_ASSERT(in_flight_.size() < kInFlightMax, "{} requests in flight", in_flight_.size());
  in_flight_[{request.client, request.request_id}] = request.kind;
  return true;
}

void ClientSessions::disconnect() {
  const auto lost = std::move(in_flight_);
  in_flight_.clear();
  for (const auto& [request, kind] : lost) {
    answer(request.first, request.second, kind, Verdict::unknown, "disconnected before an answer");
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
  if (in_flight_.erase({response.client, response.request_id}) == 0) return;
  if (listener_ != nullptr) listener_->on_response(response);
}

void ClientSessions::on_fill(const Fill& fill) {
  if (listener_ != nullptr) listener_->on_fill(fill);
}

void ClientSessions::on_order_update(const OrderUpdate& update) {
  if (listener_ != nullptr) listener_->on_order_update(update);
}

}  // namespace ordeal::exchange
