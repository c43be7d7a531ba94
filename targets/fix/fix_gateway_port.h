// The reference gateway's FIX 4.4 port: a QuickFIX acceptor in the gateway's
// process that turns FIX requests into the exchange's client requests and
// the gateway's answers, fills and unsolicited cancels into FIX reports.
// It is one dial-only node beside the gateway; QuickFIX's thread reaches it
// only through LiveNetwork::post().
//
//   FixGatewayPort port(net, layout.gateway(), {.port = 9878});
//   net.attach(port.id(), port);
//   net.start();
//   std::string error = port.start();
//
// FIX gives each amend and cancel a new ClOrdID; the exchange names an order
// by the ClOrdID it was placed with. The port keeps each order's chain and
// maps any ClOrdID of it back to the first (clordid_chains.h), on disk when
// the gateway keeps its state there.
//
// A mass status (OrderMassStatusRequest) is one request to the gateway and
// one answer listing the client's orders; the port sends it on as a report
// per order, each under the order's ClOrdID in force (fix_codec.h).
//
// Reports for a client whose session is logged out (a disconnect, or a
// restart of the gateway before the client logs on again) are kept in the
// session and reach the client when it logs on: it sees the gap in the
// sequence numbers and asks for them (ResendRequest). Which session that is
// (FIX.4.4 or FIX.4.2) the port remembers per client (report_sessions.h).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "targets/exchange/live_network.h"
#include "targets/fix/clordid_chains.h"
#include "targets/fix/fix_codec.h"
#include "targets/fix/fix_engine.h"
#include "targets/fix/report_sessions.h"

namespace ordeal::fix {

struct FixPortConfig {
  std::string host = "127.0.0.1";  // the address it listens on (IPv4 or IPv6)
  int port = 0;
  std::string sender = "EXCHANGE";  // the gateway's CompID
  std::string target = "ORDEAL";    // the client's CompID
  size_t pending_max = 100'000;     // requests awaiting the gateway's answer
  size_t orders_max = 1'000'000;    // ClOrdIDs remembered
  std::string store_dir;            // non-empty: FIX sessions survive a restart (fix_engine.h)
};

class FixGatewayPort final : public exchange::Node {
 public:
  // The node id a port takes: past every node of the layout.
  static constexpr exchange::NodeId kNodeId = 60'000;

  FixGatewayPort(exchange::LiveNetwork& net, exchange::NodeId gateway, FixPortConfig config);
  ~FixGatewayPort() override;

  // Starts accepting FIX sessions (FIX.4.4 and FIX.4.2). Returns an error or empty.
  std::string start();
  // Keeps the ClOrdID chains and the clients' report sessions in journals
  // in `dir` (restoring them first).
  exchange::Recovery attach_journals(const std::string& dir);
  void on_message(exchange::NodeId from, const exchange::Message& message) override;
  void on_timer(uint64_t /*timer_id*/) override {}
  // An exception out of the FIX engine's thread or this port's handler of
  // a message (FixEngine::failure): a request that may be lost, so the node
  // stops on it; empty while there was none.
  std::string failure() const { return engine_.failure(); }
  bool failed() const { return engine_.failed(); }
  // Mass statuses answered (from any thread: tests).
  uint64_t mass_statuses() const { return mass_statuses_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    std::string session;
    FixRequest request;
  };

  bool on_fix(const std::string& session, const FixMessage& message);
  void on_request(const std::string& session, FixRequest request);
  void on_response(const exchange::ClientResponse& response);
  void send_mass_status(const std::string& session, const FixReply& reply);
  void reject(const std::string& session, const FixRequest& request, std::string reason);
  std::string next_exec_id() { return "E" + std::to_string(++exec_count_); }

  exchange::LiveNetwork& net_;
  exchange::NodeId gateway_;
  FixPortConfig config_;
  FixEngine engine_;
  std::unordered_map<uint64_t, Pending> pending_;
  ClOrdIdChains chains_;
  ReportSessions report_sessions_;
  uint64_t next_request_id_ = 1;
  uint64_t exec_count_ = 0;
  std::atomic<uint64_t> mass_statuses_{0};
};

}  // namespace ordeal::fix
