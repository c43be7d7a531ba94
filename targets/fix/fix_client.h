// ordeal's clients as one FIX initiator session: it sends their requests,
// matches the gateway's reports to them and hands the exchange's view of
// each answer, fill and unsolicited cancel to a listener, on the thread of
// the LiveNetwork it is given (QuickFIX's thread only posts there).
//
//   FixClient client(net, {.engine = initiator_config}, listener);
//   client.start();               // then wait for client.logged_on()
//   client.submit(request);       // answers arrive at listener->on_response
//
// Answers: an ack, a reject (ExecutionReport Rejected, OrderCancelReject, a
// BusinessMessageReject or session Reject that names the request), or an
// explicit unknown. A request open when the session drops is answered
// unknown ("disconnected before an answer"); one sent while logged out is
// rejected without being sent. Requests the gateway never answers stay open
// until the case's answer bound records them as unanswered.
//
// A mass status (OrderMassStatusRequest) is answered by a report per order:
// the client gathers those of its MassStatusReqID, by nothing else, until
// the last (LastRptRequested, or TotNumReports of them), and hands them on
// as one answer whose `orders` hold ordeal's names. A gathering not done
// within mass_status_timeout_us ends `unknown`, whatever it gathered.
//
// The client also keeps, for each order it placed, whether it may be open on
// the gateway; cancel_open_orders() cancels those at the end of a case
// (fix_clean_up.cc), away from the listener.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "framework/run/case_clean_up.h"
#include "targets/exchange/client_port.h"
#include "targets/exchange/live_network.h"
#include "targets/fix/fix_codec.h"
#include "targets/fix/fix_engine.h"

namespace ordeal::fix {

struct FixClientConfig {
  FixEngineConfig engine;      // an initiator with one session
  std::string clordid_prefix;  // makes ClOrdIDs unique across runs on one gateway
  size_t open_max = 100'000;   // requests awaiting an answer
  size_t orders_max = 1'000'000;
  int64_t open_ttl_us = 120'000'000;  // an unanswered request is forgotten after this
  size_t clean_up_max = 10'000;       // cancels one clean-up sends at most
  // A mass status's reports all arrive within this (the scenario's answer
  // bound, as the targets set it), or it ends unknown.
  int64_t mass_status_timeout_us = 3'000'000;
  // How the venue's decimal prices and quantities map to ordeal's whole
  // numbers (the scenario's [[instruments]]); whole units by default.
  TradeUnits units;
};

struct FixClientCounters {
  uint64_t sent = 0;
  uint64_t reports = 0;
  uint64_t unmatched = 0;  // reports that answered nothing open and were no fill or cancel
  uint64_t foreign = 0;    // reports about orders not placed by this client (other runs)
  uint64_t mass_status_reports = 0;  // gathered into a mass status's answer
  uint64_t disconnects = 0;
  uint64_t logons = 0;
  // Reports with a quantity or price finer than the units
  // (FixReport::fractional_tag), and the first of them, in words.
  uint64_t fractional = 0;
  std::string first_fractional;
  // Reports with a quantity or price that is no decimal number
  // (FixReport::unreadable_tag), read as 0, and the first of them.
  uint64_t unreadable = 0;
  std::string first_unreadable;
};

class FixClient {
 public:
  FixClient(exchange::LiveNetwork& net, FixClientConfig config,
            exchange::ExchangeListener*& listener);
  ~FixClient();
  FixClient(const FixClient&) = delete;
  FixClient& operator=(const FixClient&) = delete;

  std::string start();
  bool logged_on() const { return logged_on_; }
  void submit(exchange::ClientRequest request);
  // Drops the connection (tests); QuickFIX reconnects by itself.
  void disconnect() { engine_.disconnect(""); }
  const FixClientCounters& counters() const { return counters_; }
  // An exception out of the FIX engine's thread or this client's handlers
  // (FixEngine::failure); empty while there was none.
  std::string engine_failure() const { return engine_.failure(); }
  bool engine_failed() const { return engine_.failed(); }
  // Cancels every order that may be open (acknowledged, or placed without an
  // answer, and not known filled, cancelled or rejected), no faster than
  // the rate cap, and waits for the answers at most the timeout after the
  // last. Runs the network itself; the answers do not reach the listener.
  CaseCleanUp cancel_open_orders(const CleanUpLimits& limits);
  // The session's logons, disconnects and sequence recoveries, in words.
  std::string session_summary() const;

 private:
  using OrderKey = std::pair<exchange::ClientId, std::string>;
  // in_doubt: placed, no answer yet; open: the gateway showed it live;
  // final: filled, cancelled, or its placement rejected.
  enum class OrderState : uint8_t { in_doubt, open, final };
  struct Order {
    exchange::ClientRequest terms;  // as placed, price and qty kept current
    std::string fix_clordid;        // the ClOrdID in force
    OrderState state = OrderState::in_doubt;
    int places = 0;  // placements sent under this ClOrdID (a reused one is rejected)
  };
  enum class CleanUpOutcome : uint8_t { pending, cancelled, refused, unknown };
  struct CleanUpCancel {
    std::string order_clordid;  // the order's ClOrdID, as the gateway knows it
    int seq = 0;
    CleanUpOutcome outcome = CleanUpOutcome::pending;
    std::string reason;
  };
  struct Open {
    exchange::ClientRequest request;
    int seq = 0;
    std::string pending_text;
    // A mass status's gathering: the orders so far, the reports heard and
    // how many there are to be (TotNumReports; -1 until a report says).
    std::vector<exchange::OrderView> orders;
    std::unordered_map<std::string, size_t> order_index;  // ordeal's ClOrdID -> in orders
    int reports = 0;
    int expected = -1;
  };

  FixRequest to_fix(const exchange::ClientRequest& request, std::string& key);
  void on_session(bool up);
  void on_report(const FixReport& report);
  void on_execution(const FixReport& report);
  bool answers(const Open& open, const FixReport& report) const;
  void gather(const FixReport& report);
  void gather_order(Open& open, const FixReport& report);
  void expire_mass_status(const std::string& key, int seq);
  void complete(const std::string& key, exchange::Verdict verdict, std::string reason,
                const FixReport* report);
  void answer(const exchange::ClientRequest& request, exchange::Verdict verdict, std::string reason,
              exchange::OrderView view = {});
  std::string open_key_for(const FixReport& report) const;
  void note_terms(const FixReport& report);
  void track(const FixReport& report);
  bool settle_clean_up(const FixReport& report);
  std::map<std::string, CleanUpCancel>::iterator find_clean_up(const FixReport& report);
  void send_clean_up_cancel(const OrderKey& key, const Order& order, CaseCleanUp& done);
  void wait_for_clean_up(int64_t deadline_us);
  void pace_clean_up(int64_t send_at_us);
  void prune(int64_t now_us);

  exchange::LiveNetwork& net_;
  FixClientConfig config_;
  exchange::ExchangeListener*& listener_;
  FixEngine engine_;
  bool logged_on_ = false;
  std::map<OrderKey, Order> orders_;
  std::unordered_map<std::string, OrderKey> by_fix_;  // every ClOrdID sent -> its order
  // By ClOrdID, "S:" + OrdStatusReqID, or "A:" + MassStatusReqID.
  std::unordered_map<std::string, Open> open_;
  std::unordered_map<int, std::string> by_seq_;  // MsgSeqNum -> open key
  std::deque<std::pair<int64_t, std::string>> opened_;
  std::map<std::string, CleanUpCancel> clean_up_;  // by the cancel's ClOrdID
  FixClientCounters counters_;
};

}  // namespace ordeal::fix
