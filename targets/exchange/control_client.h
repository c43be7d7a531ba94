// The caller's side of a node's control endpoint (LiveNetwork::serve_control):
// one line out, one line back, within a timeout. Plain blocking sockets, so
// that ordeal's runner and tests can use it without an event loop.
//
//   ControlReply r = control_call({"127.0.0.1", 7101}, "ping", 1000);
//   if (!r.ok) fail(r.text);  // r.text says what went wrong
#pragma once

#include <string>
#include <string_view>

#include "targets/exchange/live_network.h"

namespace ordeal::exchange {

struct ControlReply {
  bool ok = false;
  std::string text;  // the answer line without its newline, or the error
};

ControlReply control_call(const LiveAddress& address, std::string_view line, int timeout_ms);

}  // namespace ordeal::exchange
