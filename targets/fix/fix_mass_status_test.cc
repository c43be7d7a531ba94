// Mass status over FIX: the reference gateway's port answering
// OrderMassStatusRequest, ordeal's client gathering a venue's reports into
// one answer, and a case's final reads by mass status through the
// reference FIX gateway. Loopback only; every wait is bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "framework/run/case_run.h"
#include "targets/fix/fix_target.h"
#include "targets/fix/fix_test_client.h"
#include "targets/fix/reference_fix_gateway.h"

namespace ordeal::fix {
namespace {

// ---- the reference gateway's port, seen from a bare FIX session ----------

// A bare FIX.4.4 initiator that keeps every application message it hears.
class RawSession {
 public:
  explicit RawSession(int port)
      : engine_({.port = port, .sessions = {{"FIX.4.4", "ORDEAL", "EXCHANGE"}}, .heartbeat_s = 5},
                {.on_message = [this](const std::string&, const FixMessage& m) {
                  std::lock_guard lock(mutex_);
                  heard_.push_back(m);
                  return true;
                }}) {
    error = engine_.start();
  }
  ~RawSession() { engine_.stop(); }
  template <typename Done>
  bool wait_for(Done done) {
    for (int i = 0; i < 500; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  bool logged_on() {
    return wait_for([&] { return engine_.logged_on(""); });
  }
  void send(const FixMessage& m) { engine_.send("", m); }
  // The messages heard so far that `keep` takes.
  template <typename Keep>
  std::vector<FixMessage> heard(Keep keep) {
    std::lock_guard lock(mutex_);
    std::vector<FixMessage> out;
    for (const FixMessage& m : heard_)
      if (keep(m)) out.push_back(m);
    return out;
  }
  // The reports of the mass status `id`, once its last has come.
  std::vector<FixMessage> mass_status(ClientId client, const std::string& id) {
    send(encode_request(
        {.request = {.kind = RequestKind::mass_status, .client = client}, .status_req_id = id}));
    auto of_it = [&](const FixMessage& m) { return m.get(tag::mass_status_req_id) == id; };
    wait_for([&] {
      for (const FixMessage& m : heard(of_it))
        if (m.get(tag::last_rpt_requested) == "Y") return true;
      return false;
    });
    return heard(of_it);
  }
  std::string error;

 private:
  FixEngine engine_;
  std::mutex mutex_;
  std::vector<FixMessage> heard_;
};

// Places through the bare session, again while the gateway's metadata is
// not fresh yet; whether it was acknowledged.
bool raw_place(RawSession& s, const std::string& clordid, Price price) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::string id = clordid + "." + std::to_string(attempt);
    s.send(encode_request({.request = {.kind = RequestKind::place,
                                       .client = 1,
                                       .clordid = id,
                                       .symbol = "BTC-USDT",
                                       .price = price,
                                       .qty = 1}}));
    auto answer = [&](const FixMessage& m) { return m.type == "8" && m.get(tag::clordid) == id; };
    s.wait_for([&] { return !s.heard(answer).empty(); });
    const std::vector<FixMessage> answers = s.heard(answer);
    if (!answers.empty() && answers[0].get(tag::exec_type) == "0") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(FixMassStatus, ReferencePortAnswersAReportPerOrderUnderTheClOrdIdInForce) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  RawSession s(port);
  ASSERT_EQ(s.error, "");
  ASSERT_TRUE(s.logged_on());
  ASSERT_TRUE(raw_place(s, "p", 40'000));
  const std::string placed =
      s.heard([](const FixMessage& m) { return m.get(tag::exec_type) == "0"; })[0].get(
          tag::clordid);
  ASSERT_TRUE(raw_place(s, "q", 41'000));
  // The first order amended: its ClOrdID in force is the amend's.
  s.send(encode_request({.request = {.kind = RequestKind::amend,
                                     .client = 1,
                                     .clordid = placed,
                                     .symbol = "BTC-USDT",
                                     .price = 40'000,
                                     .qty = 2},
                         .clordid = "amended"}));
  ASSERT_TRUE(s.wait_for([&] {
    return !s.heard([](const FixMessage& m) { return m.get(tag::clordid) == "amended"; }).empty();
  }));

  const std::vector<FixMessage> reports = s.mass_status(1, "ms1");
  ASSERT_EQ(reports.size(), 2u);
  std::set<std::string> clordids;
  for (size_t i = 0; i < reports.size(); ++i) {
    const FixReport r = decode_report(reports[i]);
    EXPECT_EQ(r.exec_type, 'I');
    EXPECT_EQ(r.tot_num_reports, 2);
    EXPECT_EQ(r.last_rpt_requested, i == 1);
    EXPECT_EQ(r.order.status, OrdStatus::new_order);
    EXPECT_EQ(r.account, 1u);
    clordids.insert(r.clordid);
    EXPECT_EQ(r.order.qty, r.clordid == "amended" ? 2 : 1) << r.clordid;
  }
  EXPECT_EQ(clordids.size(), 2u);
  EXPECT_TRUE(clordids.contains("amended")) << "not under the amend's ClOrdID";
  EXPECT_EQ(gateway.mass_statuses(), 1u);

  // Client 2 has no order: one report of none.
  const std::vector<FixMessage> none = s.mass_status(2, "ms2");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].get(tag::tot_num_reports), "0");
  EXPECT_EQ(none[0].get(tag::order_id), "NONE");

  // A mass status of another kind than "all orders" is refused, naming it.
  s.send(FixMessage{
      "AF",
      {{tag::mass_status_req_id, "ms3"}, {tag::mass_status_req_type, "1"}, {tag::account, "1"}}});
  auto refusal = [](const FixMessage& m) {
    return m.type == "j" && m.get(tag::business_reject_ref_id) == "ms3";
  };
  ASSERT_TRUE(s.wait_for([&] { return !s.heard(refusal).empty(); }));
  const FixMessage j = s.heard(refusal)[0];
  EXPECT_EQ(j.get(tag::ref_msg_type), "AF");
  EXPECT_NE(j.get(tag::text).find("MassStatusReqType (585)"), std::string::npos) << j.get(58);
}

// ---- ordeal's client against a venue scripted here ------------------------

// A report about the order `clordid` (resting, price 50000).
FixMessage report(const std::string& clordid, const char* exec_type, const char* ord_status,
                  const std::string& qty, const char* filled) {
  return FixMessage{"8",
                    {{tag::order_id, "V" + clordid},
                     {tag::exec_id, "x" + clordid + exec_type},
                     {tag::exec_type, exec_type},
                     {tag::ord_status, ord_status},
                     {tag::clordid, clordid},
                     {tag::account, "1"},
                     {tag::symbol, "BTC-USDT"},
                     {tag::side, "1"},
                     {tag::order_qty, qty},
                     {tag::price, "50000"},
                     {tag::cum_qty, filled}}};
}

// A FIX.4.4 venue that acknowledges new orders (OrderID "V" + ClOrdID),
// never answers status requests, and answers a mass status as `script`
// says, given the request and the ClOrdIDs of the orders so far.
using MassStatusScript =
    std::function<std::vector<FixMessage>(const FixMessage&, const std::vector<std::string>&)>;

class ScriptedVenue {
 public:
  ScriptedVenue(int port, MassStatusScript script)
      : script_(std::move(script)),
        engine_({.acceptor = true, .port = port, .sessions = {{"FIX.4.4", "EXCHANGE", "ORDEAL"}}},
                {.on_message = [this](const std::string& session, const FixMessage& m) {
                  return on_message(session, m);
                }}) {
    error = engine_.start();
  }
  ~ScriptedVenue() { engine_.stop(); }
  std::string error;

 private:
  bool on_message(const std::string& session, const FixMessage& m) {
    if (m.type == "H") return true;  // never answered
    if (m.type == "AF") {
      for (const FixMessage& report : script_(m, clordids_)) engine_.send(session, report);
      return true;
    }
    if (m.type != "D") return false;
    clordids_.push_back(m.get(tag::clordid));
    engine_.send(session, report(m.get(tag::clordid), "0", "0", m.get(tag::order_qty), "0"));
    return true;
  }

  MassStatusScript script_;
  FixEngine engine_;
  std::vector<std::string> clordids_;  // QuickFIX's thread only
};

FixMessage mass_report(const FixMessage& request, FixMessage m, int total, bool last) {
  m.set(tag::mass_status_req_id, request.get(tag::mass_status_req_id));
  if (total >= 0) m.set(tag::tot_num_reports, std::to_string(total));
  if (last) m.set(tag::last_rpt_requested, "Y");
  return m;
}

struct VenueSession {
  explicit VenueSession(MassStatusScript script, int64_t timeout_us = 3'000'000)
      : venue(port, std::move(script)), c(port, "FIX.4.4", 1, timeout_us) {}
  // Places c1-1 and c1-2 for client 1; whether both were acknowledged.
  bool two_orders() {
    if (!c.run_until([&] { return c.client.logged_on(); })) return false;
    for (const char* clordid : {"c1-1", "c1-2"}) {
      const ClientResponse* r = c.ask(place(1, clordid, Side::buy, 50'000, 5));
      if (r == nullptr || r->verdict != Verdict::ack) return false;
    }
    return true;
  }
  // Client 1's mass status after two_orders(): the answer, or null.
  const ClientResponse* two_orders_then_mass_status() {
    if (!two_orders()) return nullptr;
    return c.ask({.kind = RequestKind::mass_status, .client = 1});
  }
  const int port = free_loopback_port();
  ScriptedVenue venue;
  Client c;
};

const OrderView* find(const ClientResponse& r, const std::string& clordid) {
  for (const OrderView& v : r.orders)
    if (v.clordid == clordid) return &v;
  return nullptr;
}

// Between a mass status's reports come a fill of one of the orders and a
// report of an order some other run placed on the Account; a status request
// of the same order stays open. The answer: the two orders under ordeal's
// names, the fill a fill, and the status request still unanswered.
TEST(FixMassStatus, ClientGathersTheReportsOfItsRequestAlone) {
  VenueSession s([](const FixMessage& m, const std::vector<std::string>& ids) {
    return std::vector<FixMessage>{
        mass_report(m, report(ids.at(0), "I", "1", "5", "2"), 3, false),
        report(ids.at(0), "F", "1", "5", "2"),
        mass_report(m, report("other-run-1", "I", "0", "5", "0"), 3, false),
        mass_report(m, report(ids.at(1), "I", "0", "5", "0"), 3, true)};
  });
  ASSERT_EQ(s.venue.error, "");
  ASSERT_TRUE(s.two_orders());
  s.c.client.submit(
      {.kind = RequestKind::status, .client = 1, .request_id = 50, .clordid = "c1-1"});
  const ClientResponse* r = s.c.ask({.kind = RequestKind::mass_status, .client = 1});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, RequestKind::mass_status);
  EXPECT_EQ(r->verdict, Verdict::ack) << r->reason;
  ASSERT_EQ(r->orders.size(), 2u);
  const OrderView* first = find(*r, "c1-1");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->client, 1u);
  EXPECT_EQ(first->status, OrdStatus::partially_filled);
  EXPECT_EQ(first->filled, 2);
  EXPECT_EQ(first->order_id, id_number("Vt-c1-1"));
  ASSERT_NE(find(*r, "c1-2"), nullptr);
  EXPECT_EQ(find(*r, "c1-2")->status, OrdStatus::new_order);
  ASSERT_EQ(s.c.recorder.fills.size(), 1u);
  EXPECT_EQ(s.c.recorder.fills[0].clordid, "c1-1");
  EXPECT_EQ(s.c.client.counters().foreign, 1u);
  EXPECT_EQ(s.c.client.counters().mass_status_reports, 3u);
  s.c.net.run_for(100'000);
  for (const ClientResponse& answer : s.c.recorder.responses) {
    EXPECT_NE(answer.request_id, 50u) << "a mass status's report answered a status request";
  }
  EXPECT_EQ(s.c.recorder.responses.size(), 3u);  // two places, one mass status
}

// A venue that never says LastRptRequested: TotNumReports ends it. An
// order reported twice reads as the later report says; a report of a
// cancelled order is no unsolicited cancel.
TEST(FixMassStatus, TotNumReportsEndsAGatheringWithoutTheLastFlag) {
  VenueSession s([](const FixMessage& m, const std::vector<std::string>& ids) {
    return std::vector<FixMessage>{mass_report(m, report(ids.at(1), "I", "0", "5", "0"), 3, false),
                                   mass_report(m, report(ids.at(0), "I", "2", "5", "5"), 3, false),
                                   mass_report(m, report(ids.at(1), "I", "4", "5", "0"), 3, false)};
  });
  ASSERT_EQ(s.venue.error, "");
  const ClientResponse* r = s.two_orders_then_mass_status();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  ASSERT_EQ(r->orders.size(), 2u);
  EXPECT_EQ(find(*r, "c1-1")->status, OrdStatus::filled);
  EXPECT_EQ(find(*r, "c1-2")->status, OrdStatus::cancelled);
  EXPECT_TRUE(s.c.recorder.updates.empty()) << "a report of a cancelled order read as a cancel";
}

// A venue that knows no order of the Account: one report of none, an
// acknowledged answer with no order in it.
TEST(FixMassStatus, AReportOfNoneIsAnAnswerWithoutOrders) {
  VenueSession s([](const FixMessage& m, const std::vector<std::string>&) {
    FixMessage none{"8",
                    {{tag::order_id, "NONE"},
                     {tag::exec_id, "n"},
                     {tag::exec_type, "I"},
                     {tag::ord_status, "8"},
                     {tag::account, "1"}}};
    return std::vector<FixMessage>{mass_report(m, none, 0, true)};
  });
  ASSERT_EQ(s.venue.error, "");
  const ClientResponse* r = s.two_orders_then_mass_status();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::ack);
  EXPECT_TRUE(r->orders.empty());
}

// Reports that stop short of the last: at the timeout the gathering ends
// unknown, saying how far it got.
TEST(FixMassStatus, AnUnfinishedGatheringEndsUnknownAtTheTimeout) {
  VenueSession s(
      [](const FixMessage& m, const std::vector<std::string>& ids) {
        return std::vector<FixMessage>{
            mass_report(m, report(ids.at(0), "I", "0", "5", "0"), 3, false)};
      },
      /*timeout_us=*/300'000);
  ASSERT_EQ(s.venue.error, "");
  ASSERT_TRUE(s.two_orders());
  const int64_t asked_us = s.c.net.now_us();
  const ClientResponse* r = s.c.ask({.kind = RequestKind::mass_status, .client = 1});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::unknown);
  EXPECT_EQ(r->reason, "mass status unfinished: 1 of 3 reports within 300 ms");
  EXPECT_TRUE(r->orders.empty());
  EXPECT_GE(s.c.net.now_us() - asked_us, 300'000);
  EXPECT_LT(s.c.net.now_us() - asked_us, 2'000'000);
}

// A venue that refuses the request names it by its MassStatusReqID.
TEST(FixMassStatus, ABusinessRejectNamingTheRequestRefusesIt) {
  VenueSession s([](const FixMessage& m, const std::vector<std::string>&) {
    return std::vector<FixMessage>{
        FixMessage{"j",
                   {{tag::ref_msg_type, "AF"},
                    {tag::business_reject_ref_id, m.get(tag::mass_status_req_id)},
                    {tag::business_reject_reason, "3"}}}};
  });
  ASSERT_EQ(s.venue.error, "");
  const ClientResponse* r = s.two_orders_then_mass_status();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::reject);
  EXPECT_EQ(r->reason, "business reject: BusinessRejectReason 3");
}

// ---- a case's final reads through the reference FIX gateway ---------------

Scenario two_clients() {
  const ScenarioLoad loaded = parse_scenario(R"(
name = "fix-final-reads"
[workload]
clients = 2
symbols = ["BTC-USDT"]
)",
                                             "fix-final-reads.toml");
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

// Resting buys far below the mid price: open at the end.
Case resting_orders() {
  Case c{.seed = 5};
  c.clients = {{Op{.price_steps = -5, .at_ms = 0}, Op{.price_steps = -4, .lots = 2, .at_ms = 20}},
               {Op{.price_steps = -6, .at_ms = 10}}};
  return c;
}

struct FinalRead {
  int32_t client = 0;
  std::string order;
  OrdStatus status = OrdStatus::none;
  int64_t qty = 0;
  bool flag = false;
  int64_t price = 0;
  bool operator==(const FinalRead&) const = default;
};

std::vector<FinalRead> final_reads(const History& h) {
  std::vector<FinalRead> out;
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i].type != EventType::read) continue;
    out.push_back({h[i].client, std::string(h.text(h[i].order)), h[i].status, h[i].qty, h[i].flag,
                   h[i].price});
  }
  std::sort(out.begin(), out.end(), [](const FinalRead& a, const FinalRead& b) {
    return std::tie(a.client, a.order) < std::tie(b.client, b.order);
  });
  return out;
}

// reset=Y: the fix:// target keeps its session's messages for the rest of
// the process, which a gateway of another test (--gtest_repeat) would ask
// for again without it.
std::vector<FinalRead> run_over_fix(int port, bool mass_status, const Scenario& s = two_clients()) {
  const Case c = resting_orders();
  std::string error;
  const std::string text = "fix://127.0.0.1:" + std::to_string(port) +
                           "?version=FIX.4.4&sender=ORDEAL&target=EXCHANGE&reset=Y&mass_status=" +
                           (mass_status ? "Y" : "N");
  const std::optional<FixUri> uri = parse_fix_uri(text, error);
  EXPECT_TRUE(uri) << error;
  if (!uri) return {};
  auto target = make_fix_target(s, c, *uri, {}, error);
  EXPECT_NE(target, nullptr) << error;
  if (target == nullptr) return {};
  EXPECT_EQ(target->mass_status_supported(), mass_status);
  const History h = run_case(*target, s, c);
  EXPECT_EQ(target->error(), "");
  return final_reads(h);
}

// Places an order until the gateway's metadata is fresh: the cases after
// it meet a gateway ready for them. Client 1 keeps that order.
void warm_up(int port) {
  Client c(port);
  ASSERT_TRUE(c.run_until([&] { return c.client.logged_on(); }));
  const ClientResponse* r = place_when_ready(c, place(1, "warm-up", Side::buy, 40'000, 1));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->verdict, Verdict::ack) << r->reason;
}

// The same case read order by order and by mass status: the same reads.
// Client 1 also has an order no run of the case placed (the warm-up's),
// which the mass status reports and the reads leave out.
TEST(FixMassStatus, FinalReadsByMassStatusThroughTheReferenceGateway) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  ASSERT_NO_FATAL_FAILURE(warm_up(port));
  const std::vector<FinalRead> by_order = run_over_fix(port, false);
  EXPECT_EQ(gateway.mass_statuses(), 0u);
  const std::vector<FinalRead> by_client = run_over_fix(port, true);
  EXPECT_EQ(gateway.mass_statuses(), 2u);  // one per client
  ASSERT_EQ(by_client.size(), 3u);
  for (const FinalRead& read : by_client) {
    EXPECT_FALSE(read.flag) << read.order << " unanswered";
    EXPECT_EQ(read.status, OrdStatus::new_order) << read.order;
  }
  EXPECT_EQ(by_client, by_order);
}

// The reference gateway's BTC-USDT declared as a venue's instrument, next
// to one with half lots: prices go out and come back in units of 0.1 (one
// decimal finer than the tick of 10), quantities in units of 0.5. The
// gateway, which reads whole numbers, gets the same orders as without the
// declaration, and the reads come back in the scenario's units.
TEST(FixInstruments, OrdersAndReadsTravelInTheScenariosUnits) {
  const int port = free_loopback_port();
  ReferenceGateway gateway(port);
  ASSERT_EQ(gateway.error, "");
  ASSERT_NO_FATAL_FAILURE(warm_up(port));
  const ScenarioLoad loaded = parse_scenario(R"(
name = "fix-venue-units"
[workload]
clients = 2
symbols = ["BTC-USDT"]

[[instruments]]
symbol = "BTC-USDT"
tick = "10"
lot = "1"
max_qty = "1000"
min_price = "10000"
max_price = "100000"

[[instruments]]
symbol = "HALF"
tick = "1"
lot = "0.5"
max_qty = "10"
min_price = "1"
max_price = "100"
)",
                                             "fix-venue-units.toml");
  ASSERT_TRUE(loaded) << loaded.error;
  ASSERT_EQ(loaded.scenario.units, (TradeUnits{.price_decimals = 1, .qty_decimals = 1}));
  const std::vector<FinalRead> whole = run_over_fix(port, false);
  const std::vector<FinalRead> scaled = run_over_fix(port, false, loaded.scenario);
  ASSERT_EQ(scaled.size(), 3u);
  ASSERT_EQ(whole.size(), 3u);
  for (size_t i = 0; i < scaled.size(); ++i) {
    EXPECT_FALSE(scaled[i].flag) << scaled[i].order << " unanswered";
    EXPECT_EQ(scaled[i].status, OrdStatus::new_order) << scaled[i].order;
    EXPECT_EQ(scaled[i].price, whole[i].price * 10) << scaled[i].order;
    EXPECT_EQ(scaled[i].qty, whole[i].qty * 10) << scaled[i].order;
  }
}

}  // namespace
}  // namespace ordeal::fix
