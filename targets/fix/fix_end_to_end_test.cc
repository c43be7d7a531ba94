// The FIX client against the reference gateway's FIX port, and against
// minimal FIX gateways that answer some requests badly or never. Loopback
// only; every wait is bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "framework/base/interrupt.h"
#include "framework/base/test_dir.h"
#include "targets/fix/fix_test_client.h"
#include "targets/fix/reference_fix_gateway.h"
#include "targets/fix/report_sessions.h"

namespace ordeal::fix {
namespace {

using namespace exchange;

TEST(FixEndToEnd, ReferenceGatewayAnswersEveryKind) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(c, place(1, "c1-1", Side::buy, 50'000, 5));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  EXPECT_EQ(r->order.status, OrdStatus::new_order);
  const std::string first = c.recorder.responses.back().order.clordid;

  ClientRequest amend = about(RequestKind::amend, 1, first);
  amend.qty = 8;  // price 0: unchanged
  r = c.ask(amend);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack) << r->reason;
  EXPECT_EQ(r->order.qty, 8);
  EXPECT_EQ(r->order.price, 50'000);

  r = c.ask(about(RequestKind::status, 1, first));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_EQ(r->order.qty, 8);

  // A crossing sell by client 2 fills 3 of the (amended) buy: both sides hear of it.
  r = c.ask(place(2, "c2-1", Side::sell, 50'000, 3));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  ASSERT_TRUE(c.run_until([&] { return c.recorder.fills.size() >= 2; }));
  for (const Fill& f : c.recorder.fills) {
    EXPECT_EQ(f.qty, 3);
    EXPECT_EQ(f.price, 50'000);
    EXPECT_EQ(f.clordid, f.client == 1 ? "c1-1" : "c2-1");  // ordeal's names, not FIX's
  }

  r = c.ask(about(RequestKind::cancel, 1, first));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack) << r->reason;
  EXPECT_EQ(r->order.status, OrdStatus::cancelled);
  r = c.ask(about(RequestKind::cancel, 1, first));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);

  r = c.ask(about(RequestKind::status, 1, "never-placed"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);
  EXPECT_EQ(r->reason, "unknown order");

  // A mass cancel ends client 1's resting order with an unsolicited cancel.
  r = c.ask(place(1, "c1-2", Side::buy, 40'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack);
  r = c.ask(about(RequestKind::mass_cancel, 1, ""));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_EQ(r->cancelled_count, 1u);
  ASSERT_TRUE(c.run_until([&] { return !c.recorder.updates.empty(); }));
  EXPECT_EQ(c.recorder.updates[0].order.clordid, "c1-2");
  EXPECT_EQ(c.recorder.updates[0].order.status, OrdStatus::cancelled);
}

// A fill that happens while the client's session is logged out reaches it
// when it logs on again, without a request of its own: the gateway keeps
// the report in the session and resends it over the gap.
TEST(FixEndToEnd, FillWhileLoggedOutArrivesAtTheNextLogon) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client away(port, "FIX.4.4", /*reconnect_s=*/3);
  Client other(port, "FIX.4.2");
  ASSERT_TRUE(away.run_until([&] { return away.client.logged_on(); }));
  ASSERT_TRUE(other.run_until([&] { return other.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(away, place(1, "a-1", Side::buy, 50'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  away.client.disconnect();
  ASSERT_TRUE(away.run_until([&] { return !away.client.logged_on(); }));
  r = other.ask(place(2, "b-1", Side::sell, 50'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  ASSERT_TRUE(other.run_until([&] { return !other.recorder.fills.empty(); }));
  EXPECT_EQ(away.client.counters().logons, 1u) << "logged on again before the fill";
  ASSERT_TRUE(away.run_until([&] { return !away.recorder.fills.empty(); }));
  EXPECT_EQ(away.client.counters().logons, 2u);
  EXPECT_EQ(away.recorder.fills[0].clordid, "a-1");
  EXPECT_EQ(away.recorder.fills[0].qty, 2);
}

// After the gateway restarts, a fill of an order placed before reaches the
// client although the client has sent nothing about it since.
TEST(FixEndToEnd, FillAfterAGatewayRestartReachesTheClient) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(c, place(1, "c1-1", Side::buy, 50'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  gateway.crash_gateway(100'000);
  c.net.run_for(200'000);
  r = place_when_ready(c, place(2, "c2-1", Side::sell, 50'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  ASSERT_TRUE(c.run_until([&] { return c.recorder.fills.size() >= 2; }))
      << c.recorder.fills.size() << " fills";
  for (const Fill& f : c.recorder.fills) EXPECT_EQ(f.clordid, f.client == 1 ? "c1-1" : "c2-1");
}

// A restarted gateway process still knows which session each client used:
// the port comes up from its journals, and a FIX.4.2 client's fill goes to
// its FIX.4.2 session, not to the first (FIX.4.4) one, although the client
// has only logged on since the restart and sent no request.
TEST(FixEndToEnd, RestartedPortSendsAClientsFillToItsOwnSession) {
  const TestDir test_dir("fix-port-restart");
  std::filesystem::create_directories(test_dir.path);
  const std::string dir = test_dir.path.string();
  {
    ReportSessions before_restart;
    ASSERT_EQ(before_restart.attach_journal(dir + "/fix-sessions.log", {}).error, "");
    before_restart.heard(1, "FIX.4.2:EXCHANGE->ORDEAL");
  }
  const int port = free_loopback_port();
  LiveNetwork net{11};
  FixGatewayPort gateway_port(net, /*gateway=*/0, FixPortConfig{.port = port});
  ASSERT_EQ(gateway_port.attach_journals(dir).error, "");
  net.attach(gateway_port.id(), gateway_port);
  ASSERT_EQ(net.start(), "");
  ASSERT_EQ(gateway_port.start(), "");
  std::thread network([&net] { net.run_for(20'000'000); });
  // A bare FIX.4.2 session as the client: ordeal's client would ignore a
  // report of an order it did not place itself.
  std::atomic<int> reports{0};
  FixEngine client(
      {.port = port, .sessions = {{"FIX.4.2", "ORDEAL", "EXCHANGE"}}, .heartbeat_s = 5},
      {.on_message = [&reports](const std::string&, const FixMessage& m) {
        if (m.type == "8" && m.get(tag::clordid) == "c1-1") ++reports;
        return true;
      }});
  auto wait_for = [](auto done) {
    for (int i = 0; i < 500 && !done(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done();
  };
  const bool logged_on = client.start().empty() && wait_for([&] { return client.logged_on(""); });
  if (logged_on) {
    net.post([&gateway_port] {
      gateway_port.on_message(0, Fill{.client = 1,
                                      .order_id = 5,
                                      .clordid = "c1-1",
                                      .symbol = "BTC-USDT",
                                      .price = 50'000,
                                      .qty = 2,
                                      .trade_id = 1,
                                      .order_filled = 2,
                                      .order_qty = 2});
    });
    wait_for([&] { return reports > 0; });
  }
  client.stop();
  net.post([&net] { net.stop(); });
  network.join();
  EXPECT_TRUE(logged_on);
  EXPECT_EQ(reports, 1);
}

TEST(FixEndToEnd, Fix42SessionPlacesAndReads) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client c(port, "FIX.4.2");
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(c, place(1, "c1-1", Side::sell, 60'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  r = c.ask(about(RequestKind::status, 1, "c1-1"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_EQ(r->order.qty, 2);
}

// A FIX gateway that takes new orders, does not support amends or status
// requests (BusinessMessageReject), and never answers cancels (or, with
// `refuse_cancels`, refuses them all).
class PartialGateway {
 public:
  // `name_the_order`: the reject carries the order's ClOrdID, not the cancel's.
  explicit PartialGateway(int port, bool refuse_cancels = false, bool name_the_order = false)
      : engine_({.acceptor = true, .port = port, .sessions = {{"FIX.4.4", "EXCHANGE", "ORDEAL"}}},
                {.on_message = [this, refuse_cancels, name_the_order](const std::string& session,
                                                                      const FixMessage& m) {
                  if (m.type == "F" && refuse_cancels) {
                    const int named = name_the_order ? tag::orig_clordid : tag::clordid;
                    engine_.send(session, FixMessage{"9",
                                                     {{tag::order_id, "1"},
                                                      {tag::clordid, m.get(named)},
                                                      {tag::orig_clordid, m.get(tag::orig_clordid)},
                                                      {tag::ord_status, "0"},
                                                      {tag::cxl_rej_response_to, "1"},
                                                      {tag::text, "too late to cancel"}}});
                  }
                  if (m.type == "F") return true;  // swallowed, or refused above
                  if (m.type != "D") return false;
                  FixMessage ack{"8",
                                 {{tag::order_id, "1"},
                                  {tag::exec_id, "x"},
                                  {tag::exec_type, "0"},
                                  {tag::ord_status, "0"},
                                  {tag::clordid, m.get(tag::clordid)},
                                  {tag::symbol, m.get(tag::symbol)},
                                  {tag::side, "1"},
                                  {tag::order_qty, m.get(tag::order_qty)},
                                  {tag::price, m.get(tag::price)},
                                  {tag::cum_qty, "0"},
                                  {tag::leaves_qty, m.get(tag::order_qty)},
                                  {tag::avg_px, "0"}}};
                  sent_ += engine_.send(session, ack) > 0;
                  return true;
                }}) {
    error = engine_.start();
  }
  void disconnect() { engine_.disconnect(""); }
  std::string error;

 private:
  FixEngine engine_;
  std::atomic<int> sent_{0};
};

// ordeal's FIX client and a PartialGateway on a free port.
struct PartialSession {
  explicit PartialSession(bool refuse_cancels, bool name_the_order = false)
      : gateway(port, refuse_cancels, name_the_order), c(port) {}
  bool logged_on() {
    return c.run_until([&] { return c.client.logged_on(); });
  }
  const int port = free_loopback_port();
  PartialGateway gateway;
  Client c;
};

TEST(FixEndToEnd, PartialGatewayGivesCleanAnswers) {
  const int port = free_loopback_port();
  PartialGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = c.ask(place(1, "c1-1", Side::buy, 50'000, 5));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);

  ClientRequest amend = about(RequestKind::amend, 1, "c1-1");
  amend.qty = 6;
  r = c.ask(amend);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);
  EXPECT_NE(r->reason.find("business reject"), std::string::npos) << r->reason;

  r = c.ask(about(RequestKind::status, 1, "c1-1"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);

  // A cancel is never answered: it stays open (the case's answer bound makes
  // it an unanswered info) until the session drops, which makes it unknown.
  ClientRequest cancel = about(RequestKind::cancel, 1, "c1-1");
  cancel.request_id = 100;
  c.client.submit(cancel);
  c.net.run_for(300'000);
  EXPECT_EQ(c.recorder.responses.size(), 3u);
  gateway.disconnect();
  ASSERT_TRUE(c.run_until([&] { return c.recorder.responses.size() == 4; }));
  EXPECT_EQ(c.recorder.responses.back().request_id, 100u);
  EXPECT_EQ(c.recorder.responses.back().verdict, Verdict::unknown);
  EXPECT_EQ(c.recorder.responses.back().reason, "disconnected before an answer");

  // While logged out nothing is sent; QuickFIX logs on again by itself and
  // the sequence numbers carry on.
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  r = c.ask(place(1, "c1-2", Side::buy, 50'000, 5));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_EQ(c.client.counters().disconnects, 1u);
}

// A venue scripted for one kind of request (`type`: "H", "D"): `answer`
// makes its replies to each such request, sent in order, in its own words.
// It keeps the requests it received, for the test to look at.
class ScriptedGateway {
 public:
  using Answer = std::function<std::vector<FixMessage>(const FixMessage& request)>;
  ScriptedGateway(int port, std::string type, Answer answer)
      : engine_(
            {.acceptor = true, .port = port, .sessions = {{"FIX.4.4", "EXCHANGE", "ORDEAL"}}},
            {.on_message = [this, type, answer](const std::string& session, const FixMessage& m) {
              if (m.type != type) return false;
              {
                const std::lock_guard lock(mutex_);
                received_.push_back(m);
              }
              for (const FixMessage& reply : answer(m)) engine_.send(session, reply);
              return true;
            }}) {
    error = engine_.start();
  }
  std::vector<FixMessage> received() {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  std::string error;

 private:
  std::mutex mutex_;
  std::vector<FixMessage> received_;
  FixEngine engine_;
};

// An ExecutionReport OrderStatus (ExecType I) answering the status request
// `m`: its ClOrdID and OrdStatusReqID echoed, the order's id and status given.
FixMessage status_report(const FixMessage& m, const std::string& order_id,
                         const std::string& ord_status) {
  return FixMessage{"8",
                    {{tag::order_id, order_id},
                     {tag::exec_id, "s"},
                     {tag::exec_type, "I"},
                     {tag::ord_status, ord_status},
                     {tag::clordid, m.get(tag::clordid)},
                     {tag::ord_status_req_id, m.get(tag::ord_status_req_id)}}};
}

// A report with OrdRejReason 5 (unknown order) and a text of its own.
std::vector<FixMessage> order_not_found(const FixMessage& m) {
  FixMessage report = status_report(m, "NONE", "8");
  report.set(tag::ord_rej_reason, "5");
  report.set(tag::text, "Order not found");
  return {report};
}

// A BusinessMessageReject naming the request by its OrdStatusReqID, with
// BusinessRejectReason `reason` (1: unknown ID).
ScriptedGateway::Answer business_reject(std::string reason) {
  return [reason](const FixMessage& m) {
    return std::vector<FixMessage>{
        FixMessage{"j",
                   {{tag::ref_msg_type, "H"},
                    {tag::business_reject_ref_id, m.get(tag::ord_status_req_id)},
                    {tag::business_reject_reason, reason},
                    {tag::text, "No such order"}}}};
  };
}

// ordeal's final reads take a read as resolved ("the exchange does not know
// it") only for the reason "unknown order"; any other is asked again and
// then recorded as unanswered (recovers-after-faults). The FIX client says
// so whatever text the venue gives with OrdRejReason 5.
TEST(FixEndToEnd, AStatusOfAnUnknownOrderIsAnsweredUnknownOrderWhateverTheText) {
  const int port = free_loopback_port();
  ScriptedGateway gateway(port, "H", order_not_found);
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = c.ask(about(RequestKind::status, 1, "never-placed"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);
  EXPECT_EQ(r->reason, kUnknownOrder);
  EXPECT_EQ(r->order.status, OrdStatus::none);
}

// Some venues refuse a status request about an order they do not know with
// a BusinessMessageReject, BusinessRejectReason 1 (unknown ID): that too is
// "unknown order". Another reason stays a refusal in the venue's words, which
// the final reads ask again.
TEST(FixEndToEnd, AStatusRefusedForAnUnknownIdIsAnsweredUnknownOrder) {
  for (const auto& [reason, expected] :
       {std::pair{"1", std::string(kUnknownOrder)},
        std::pair{"4", std::string("business reject: No such order")}}) {
    const int port = free_loopback_port();
    ScriptedGateway gateway(port, "H", business_reject(reason));
    ASSERT_EQ(gateway.error, "");
    Client c(port);
    ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
    const ClientResponse* r = c.ask(about(RequestKind::status, 1, "never-placed"));
    ASSERT_NE(r, nullptr) << "BusinessRejectReason " << reason;
    EXPECT_EQ(r->verdict, Verdict::reject);
    EXPECT_EQ(r->reason, expected);
    EXPECT_EQ(r->order.status, OrdStatus::none);
  }
}

// A venue that reports fractional quantities (an order partly filled by a
// fractional one) is read in whole units, and the session line says so.
TEST(FixEndToEnd, FractionalQuantitiesAreCountedInTheSessionLine) {
  const int port = free_loopback_port();
  ScriptedGateway gateway(port, "H", [](const FixMessage& m) {
    FixMessage report = status_report(m, "7", "1");
    report.set(tag::order_qty, "5");
    report.set(tag::cum_qty, "2.5");
    return std::vector<FixMessage>{report};
  });
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  EXPECT_EQ(c.client.session_summary().find("fractional"), std::string::npos);
  const ClientResponse* r = c.ask(about(RequestKind::status, 1, "c1-1"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->order.filled, 2);
  EXPECT_NE(c.client.session_summary().find(
                "1 reports with a fractional quantity or price, read as its whole part (first: "
                "CumQty (14) 2.5"),
            std::string::npos)
      << c.client.session_summary();
}

// A venue that trades in decimals: to a NewOrderSingle it answers New,
// then a fill of `last_qty` at 150.25, echoing the order's terms as written.
ScriptedGateway::Answer decimal_fill(std::string last_qty) {
  return [last_qty](const FixMessage& m) {
    const auto report = [&m](const char* exec_type, const std::string& filled) {
      return FixMessage{"8",
                        {{tag::order_id, "7"},
                         {tag::exec_id, std::string(exec_type) + "7"},
                         {tag::exec_type, exec_type},
                         {tag::ord_status, filled == "0" ? "0" : "1"},
                         {tag::clordid, m.get(tag::clordid)},
                         {tag::account, m.get(tag::account)},
                         {tag::symbol, m.get(tag::symbol)},
                         {tag::side, m.get(tag::side)},
                         {tag::price, m.get(tag::price)},
                         {tag::order_qty, m.get(tag::order_qty)},
                         {tag::cum_qty, filled}}};
    };
    FixMessage trade = report("F", last_qty);
    trade.set(tag::last_px, "150.25");
    trade.set(tag::last_qty, last_qty);
    return std::vector<FixMessage>{report("0", "0"), trade};
  };
}

// With the scenario's units (prices and quantities to 3 decimals), ordeal's
// whole numbers go out as the venue's decimals and its reports come back
// exactly: 150250 is 150.25, and a fill of 0.5 is 500.
TEST(FixEndToEnd, PricesAndQuantitiesTravelAsDecimalsOfTheScenariosUnits) {
  const int port = free_loopback_port();
  ScriptedGateway venue(port, "D", decimal_fill("0.5"));
  ASSERT_EQ(venue.error, "");
  Client c(port, "FIX.4.4", 1, 3'000'000, {.price_decimals = 3, .qty_decimals = 3});
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  ClientRequest order = place(1, "c1-1", Side::buy, 150'250, 1'500);
  order.symbol = "AAPL";
  const ClientResponse* r = c.ask(order);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_EQ(r->order.price, 150'250);
  EXPECT_EQ(r->order.qty, 1'500);
  const std::vector<FixMessage> received = venue.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].get(tag::price), "150.25");
  EXPECT_EQ(received[0].get(tag::order_qty), "1.5");
  ASSERT_TRUE(c.run_until([&] { return !c.recorder.fills.empty(); }));
  EXPECT_EQ(c.recorder.fills[0].price, 150'250);
  EXPECT_EQ(c.recorder.fills[0].qty, 500);
  EXPECT_EQ(c.recorder.fills[0].order_filled, 500);
  EXPECT_EQ(c.client.session_summary().find("finer"), std::string::npos)
      << c.client.session_summary();
}

// What a client in units of 0.001 made of a decimal venue's fill of
// `last_qty` (also its cumulative quantity) on an order of 0.001: the
// fill's quantity, or -1 when none came, and the session line.
struct FillRead {
  Qty qty = -1;
  std::string session;
};
FillRead read_fill(const std::string& last_qty) {
  const int port = free_loopback_port();
  ScriptedGateway venue(port, "D", decimal_fill(last_qty));
  EXPECT_EQ(venue.error, "");
  Client c(port, "FIX.4.4", 1, 3'000'000, {.price_decimals = 3, .qty_decimals = 3});
  if (!c.run_until([&] { return c.client.logged_on(); })) return {};
  ClientRequest order = place(1, "c1-1", Side::buy, 150'250, 1);
  order.symbol = "AAPL";
  EXPECT_NE(c.ask(order), nullptr);
  EXPECT_EQ(venue.received().at(0).get(tag::order_qty), "0.001");
  if (!c.run_until([&] { return !c.recorder.fills.empty(); })) return {};
  return {.qty = c.recorder.fills[0].qty, .session = c.client.session_summary()};
}

// A report finer than the units (a fill of 0.0005 read to 3 decimals) is
// cut toward zero, and the session line names its first such field (CumQty
// comes before LastQty) with the units. One that is no decimal number (an
// exponent: FIX's float has none) reads as 0, and the line says so rather
// than guessing.
TEST(FixEndToEnd, AnOddValueIsReadAsZeroAndNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {"0.0005",
       "1 reports with a quantity or price finer than the scenario's units (prices to 3 "
       "decimals, quantities to 3), cut to them (first: CumQty (14) 0.0005"},
      {"5e-1",
       "1 reports with a quantity or price that is no decimal number, read as 0 (first: "
       "CumQty (14) '5e-1' in a report of "}};
  for (const auto& [last_qty, said] : cases) {
    const FillRead read = read_fill(last_qty);
    EXPECT_EQ(read.qty, 0) << last_qty;
    EXPECT_NE(read.session.find(said), std::string::npos) << read.session;
  }
}

TEST(FixEndToEnd, NoGatewayMeansNotSent) {
  Client c(free_loopback_port());
  c.net.run_for(50'000);
  const ClientResponse* r = c.ask(place(1, "c1-1", Side::buy, 50'000, 5));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);
  EXPECT_NE(r->reason.find("not sent"), std::string::npos);
}

Verdict verdict_of(Client& c, ClientRequest request) {
  const ClientResponse* r = c.ask(std::move(request));
  return r == nullptr ? Verdict::unknown : r->verdict;
}

OrdStatus status_of(Client& c, ClientId client, const std::string& clordid) {
  const ClientResponse* r = c.ask(about(RequestKind::status, client, clordid));
  return r == nullptr ? OrdStatus::none : r->order.status;
}

TEST(FixCleanUp, CancelsEveryOrderLeftOpenAndNothingElse) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(c, place(1, "c1-1", Side::buy, 40'000, 2));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
  // Left open: two resting orders (one amended).
  ASSERT_EQ(verdict_of(c, place(2, "c2-1", Side::sell, 70'000, 1)), Verdict::ack);
  ClientRequest amend = about(RequestKind::amend, 1, "c1-1");
  amend.qty = 3;
  ASSERT_EQ(verdict_of(c, amend), Verdict::ack);
  // Final: filled on both sides, cancelled, and rejected at placement.
  ASSERT_EQ(verdict_of(c, place(1, "c1-2", Side::buy, 50'000, 1)), Verdict::ack);
  ASSERT_EQ(verdict_of(c, place(2, "c2-2", Side::sell, 50'000, 1)), Verdict::ack);
  ASSERT_EQ(verdict_of(c, place(1, "c1-3", Side::buy, 41'000, 1)), Verdict::ack);
  ASSERT_EQ(verdict_of(c, about(RequestKind::cancel, 1, "c1-3")), Verdict::ack);
  ASSERT_EQ(verdict_of(c, place(2, "c2-3", Side::buy, 41'000, 0)), Verdict::reject);
  ASSERT_TRUE(c.run_until([&] { return c.recorder.fills.size() >= 2; }));
  // Without the clean-up, these two stay open on the gateway.
  EXPECT_EQ(status_of(c, 1, "c1-1"), OrdStatus::new_order);
  EXPECT_EQ(status_of(c, 2, "c2-1"), OrdStatus::new_order);

  const size_t heard = c.recorder.responses.size() + c.recorder.updates.size();
  const CaseCleanUp done = c.client.cancel_open_orders({.timeout_ms = 3'000});
  EXPECT_TRUE(done.live);
  EXPECT_EQ(done.open, 2u);
  EXPECT_EQ(done.cancelled, 2u);
  EXPECT_EQ(done.refused, 0u);
  EXPECT_EQ(done.unknown, 0u);
  EXPECT_TRUE(done.unresolved.empty());
  EXPECT_NE(done.session.find("1 logons"), std::string::npos) << done.session;
  // The clean-up's answers stay away from the listener (and so the history).
  EXPECT_EQ(c.recorder.responses.size() + c.recorder.updates.size(), heard);
  EXPECT_EQ(status_of(c, 1, "c1-1"), OrdStatus::cancelled);
  EXPECT_EQ(status_of(c, 2, "c2-1"), OrdStatus::cancelled);
  EXPECT_EQ(status_of(c, 1, "c1-2"), OrdStatus::filled);
  // A second clean-up finds nothing left.
  EXPECT_EQ(c.client.cancel_open_orders({.timeout_ms = 1'000}).open, 0u);
}

TEST(FixCleanUp, CountsRefusedAndUnansweredCancels) {
  for (const bool refuse : {true, false}) {
    PartialSession s(refuse);
    ASSERT_EQ(s.gateway.error, "");
    ASSERT_TRUE(s.logged_on());
    Client& c = s.c;
    ASSERT_EQ(verdict_of(c, place(1, "c1-1", Side::buy, 50'000, 5)), Verdict::ack);
    const int64_t start_us = c.net.now_us();
    const CaseCleanUp done = c.client.cancel_open_orders({.timeout_ms = 500});
    EXPECT_EQ(done.open, 1u);
    EXPECT_EQ(done.cancelled, 0u);
    ASSERT_EQ(done.unresolved.size(), 1u);
    if (refuse) {
      EXPECT_EQ(done.refused, 1u);
      EXPECT_EQ(done.unresolved[0], "t-c1-1: too late to cancel");
      EXPECT_LT(c.net.now_us() - start_us, 500'000);
    } else {
      EXPECT_EQ(done.unknown, 1u);
      EXPECT_EQ(done.unresolved[0], "t-c1-1: no answer within 500 ms");
      EXPECT_GE(c.net.now_us() - start_us, 500'000);  // waited for the bound, no longer
      EXPECT_LT(c.net.now_us() - start_us, 1'500'000);
    }
  }
}

// The scenario's rate cap holds for the cancels: three at 10 per second
// leave at least 100 ms apart.
TEST(FixCleanUp, CancelsObeyTheRateCap) {
  PartialSession s(/*refuse=*/true);
  ASSERT_EQ(s.gateway.error, "");
  ASSERT_TRUE(s.logged_on());
  Client& c = s.c;
  for (const char* clordid : {"c1-1", "c1-2", "c1-3"}) {
    ASSERT_EQ(verdict_of(c, place(1, clordid, Side::buy, 50'000, 5)), Verdict::ack);
  }
  const int64_t start_us = c.net.now_us();
  const CaseCleanUp done =
      c.client.cancel_open_orders({.timeout_ms = 2'000, .max_orders_per_s = 10});
  EXPECT_EQ(done.open, 3u);
  EXPECT_EQ(done.refused, 3u);
  EXPECT_GE(c.net.now_us() - start_us, 200'000);
}

// Some gateways answer under the order's ClOrdID: still the cancel's answer.
TEST(FixCleanUp, RejectNamingTheOrderAnswersTheCancel) {
  PartialSession s(/*refuse_cancels=*/true, /*name_the_order=*/true);
  ASSERT_EQ(s.gateway.error, "");
  ASSERT_TRUE(s.logged_on());
  Client& c = s.c;
  ASSERT_EQ(verdict_of(c, place(1, "c1-1", Side::buy, 50'000, 5)), Verdict::ack);
  const CaseCleanUp done = c.client.cancel_open_orders({.timeout_ms = 2'000});
  EXPECT_EQ(done.refused, 1u);
  EXPECT_EQ(done.unknown, 0u);
}

// A second Ctrl-C: nothing more is sent or waited for; the orders are unknown.
TEST(FixCleanUp, SecondInterruptStopsWaiting) {
  PartialSession s(/*refuse=*/false);
  ASSERT_EQ(s.gateway.error, "");
  ASSERT_TRUE(s.logged_on());
  Client& c = s.c;
  ASSERT_EQ(verdict_of(c, place(1, "c1-1", Side::buy, 50'000, 5)), Verdict::ack);
  g_interrupted = 2;
  const int64_t start_us = c.net.now_us();
  const CaseCleanUp done = c.client.cancel_open_orders({.timeout_ms = 5'000});
  g_interrupted = 0;
  EXPECT_EQ(done.unknown, 1u);
  ASSERT_EQ(done.unresolved.size(), 1u);
  EXPECT_EQ(done.unresolved[0], "t-c1-1: interrupted again (not sent)");
  EXPECT_LT(c.net.now_us() - start_us, 5'000'000);
}

}  // namespace
}  // namespace ordeal::fix
