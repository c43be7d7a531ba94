// Keeps the FIX acceptor on one address. QuickFIX 1.15's SocketAcceptor
// binds its port on every interface (INADDR_ANY) and has no setting to
// choose one; a reference exchange started for a test must not be reachable
// from the rest of the network. Linking this library into an executable
// interposes `bind`: a wildcard IPv4 bind of the confined port is turned
// into a bind of the chosen address; every other bind passes through.
//
//   if (auto error = confine_listen_address(9878, "127.0.0.1"); !error.empty()) ...
//   // ... then start the acceptor on port 9878
#pragma once

#include <cstdint>
#include <string>

namespace ordeal::fix {

// Error text if `host` is not an IPv4 address (QuickFIX listens on IPv4
// only); port 0 lifts the confinement.
std::string confine_listen_address(uint16_t port, const std::string& host);

}  // namespace ordeal::fix
