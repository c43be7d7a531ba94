// The HTTP/JSON control API of the fault proxy (Boost.Beast behind this
// header's back): an acceptor and one bounded session per client, each
// request answered by control_routes. Runs on the FaultProxy's I/O thread.
//
//   ControlApi api(io, fault_proxy);
//   auto bound = api.start("127.0.0.1:8474");   // bound.value: "127.0.0.1:8474"
#pragma once

#include <map>
#include <string>

#include "faults/proxy/asio.h"
#include "faults/proxy/fault_proxy.h"

namespace ordeal::proxy {

class ControlApi {
 public:
  ControlApi(asio::io_context& io, FaultProxy& proxy);
  Result<std::string> start(const std::string& address);
  void close();

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(tcp::socket socket, uint64_t id);

  asio::io_context& io_;
  FaultProxy& proxy_;
  tcp::acceptor acceptor_;
  std::map<uint64_t, tcp::socket*> sessions_;
  uint64_t next_session_id_ = 1;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace ordeal::proxy
