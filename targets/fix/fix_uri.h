// The `fix://` target's address: where the gateway listens and which FIX
// session to log on with. Credentials never appear here: they come from the
// environment (ORDEAL_FIX_USERNAME, ORDEAL_FIX_PASSWORD).
//
//   std::string error;
//   auto uri = parse_fix_uri("fix://127.0.0.1:9878?version=FIX.4.4&sender=ORDEAL&target=GW",
//   error);
//
// Options: version (FIX.4.2 or FIX.4.4, required), sender and target
// (CompIDs, required), heartbeat (seconds, default 30), reset (Y: both
// sides restart sequence numbers at every logon; default N, which keeps
// them and recovers missed messages after a reconnect), mass_status (Y:
// the case's final reads ask each client's orders with one
// OrderMassStatusRequest, FIX.4.4 only; default N, an OrderStatusRequest
// per order, which any venue with order status serves).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ordeal::fix {

struct FixUri {
  std::string host;
  int port = 0;
  std::string version;
  std::string sender;
  std::string target;
  int heartbeat_s = 30;
  bool reset = false;
  bool mass_status = false;
};

bool is_fix_uri(std::string_view text);
// The URI, or nothing with `error` naming the bad part.
std::optional<FixUri> parse_fix_uri(std::string_view text, std::string& error);

}  // namespace ordeal::fix
