// A client's (or the administrator's) end of its links to the exchange: it
// sends requests and hands whatever arrives to a listener. The simulator and
// the cluster target both give ordeal one port per client.
//
//   ClientPort port(env, layout.client(1), listener);
//   port.send(layout.gateway(), request);
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "targets/exchange/transport.h"

namespace ordeal::exchange {

// What the outside (a test, ordeal's runner) hears from the exchange.
class ExchangeListener {
 public:
  virtual ~ExchangeListener() = default;
  virtual void on_response(const ClientResponse& /*response*/) {}
  virtual void on_fill(const Fill& /*fill*/) {}
  virtual void on_order_update(const OrderUpdate& /*update*/) {}
  virtual void on_metadata_result(const MetaUpdateResult& /*result*/) {}
  // An armed fault point fired, as the simulator sees it: where the
  // nemesis actually did damage. `where` is the node it fired in, or the
  // link when the site named the damage's aim ("meta-0->engine-1"), or ""
  // outside any node. `check` is the number of the point's check that
  // fired, counted from its arm (1 = the first).
  virtual void on_fault_fired(std::string_view /*point*/, std::string_view /*where*/,
                              int64_t /*param*/, uint64_t /*check*/) {}
};

class ClientPort final : public Node {
 public:
  // `listener` is read at each delivery, so the owner may change it.
  ClientPort(Env& env, NodeId self, ExchangeListener*& listener)
      : Node(env, self), listener_(listener) {}
  // Takes the message kind itself (a ClientRequest, ...), so that the
  // transport's Message is made from it directly, not moved from another.
  template <typename M>
  void send(NodeId to, M&& message) {
    env_.send(to, std::forward<M>(message));
  }
  void on_timer(uint64_t /*timer_id*/) override {}
  void on_message(NodeId /*from*/, const Message& message) override {
    if (listener_ == nullptr) return;
    if (const auto* response = std::get_if<ClientResponse>(&message)) {
      listener_->on_response(*response);
    } else if (const auto* fill = std::get_if<Fill>(&message)) {
      listener_->on_fill(*fill);
    } else if (const auto* update = std::get_if<OrderUpdate>(&message)) {
      listener_->on_order_update(*update);
    } else if (const auto* result = std::get_if<MetaUpdateResult>(&message)) {
      listener_->on_metadata_result(*result);
    }
  }

 private:
  ExchangeListener*& listener_;
};

}  // namespace ordeal::exchange
