#include "targets/fix/fix_codec.h"

#include <gtest/gtest.h>

namespace ordeal::fix {
namespace {

using namespace exchange;

FixRequest round_trip(const FixRequest& in) {
  std::string error;
  auto out = decode_request(encode_request(in), error);
  EXPECT_TRUE(out) << error;
  return out.value_or(FixRequest{});
}

TEST(FixCodec, RequestsRoundTrip) {
  const ClientRequest place{.kind = RequestKind::place,
                            .client = 3,
                            .clordid = "c3-1",
                            .symbol = "BTC-USDT",
                            .side = Side::sell,
                            .type = OrdType::limit,
                            .tif = TimeInForce::ioc,
                            .post_only = true,
                            .price = 30'000,
                            .qty = 7};
  FixRequest p = round_trip({.request = place});
  EXPECT_EQ(p.request.kind, RequestKind::place);
  EXPECT_EQ(p.request.client, 3u);
  EXPECT_EQ(p.request.clordid, "c3-1");
  EXPECT_EQ(p.request.symbol, "BTC-USDT");
  EXPECT_EQ(p.request.side, Side::sell);
  EXPECT_EQ(p.request.tif, TimeInForce::ioc);
  EXPECT_TRUE(p.request.post_only);
  EXPECT_EQ(p.request.price, 30'000);
  EXPECT_EQ(p.request.qty, 7);

  ClientRequest amend = place;
  amend.kind = RequestKind::amend;
  amend.qty = 9;
  FixRequest a = round_trip({.request = amend, .clordid = "3.17"});
  EXPECT_EQ(a.request.kind, RequestKind::amend);
  EXPECT_EQ(a.request.clordid, "c3-1");  // the order, from OrigClOrdID
  EXPECT_EQ(a.clordid, "3.17");          // the request's own ClOrdID
  EXPECT_EQ(a.request.qty, 9);

  FixRequest s =
      round_trip({.request = {.kind = RequestKind::status, .client = 3, .clordid = "c3-1"},
                  .status_req_id = "s3.18"});
  EXPECT_EQ(s.request.kind, RequestKind::status);
  EXPECT_EQ(s.status_req_id, "s3.18");

  FixRequest m =
      round_trip({.request = {.kind = RequestKind::mass_cancel, .client = 3}, .clordid = "m1"});
  EXPECT_EQ(m.request.kind, RequestKind::mass_cancel);
  EXPECT_TRUE(m.request.symbol.empty());  // every symbol
}

TEST(FixCodec, BadRequestsNameTheField) {
  std::string error;
  FixMessage m{"D", {{55, "BTC-USDT"}, {11, "x"}}};
  EXPECT_FALSE(decode_request(m, error));
  EXPECT_NE(error.find("Account (1)"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(decode_request(FixMessage{"Z", {}}, error));
  EXPECT_TRUE(error.empty());  // unsupported: answered by a BusinessMessageReject
}

FixReport reply_for(RequestKind kind, Verdict verdict, OrdStatus status, std::string reason = "") {
  FixReply reply{
      .request = {.request = {.kind = kind, .client = 2, .clordid = "c2-1", .symbol = "ETH-USDT"},
                  .clordid = "2.9",
                  .status_req_id = kind == RequestKind::status ? "s2.9" : ""},
      .response = {.client = 2,
                   .kind = kind,
                   .verdict = verdict,
                   .reason = std::move(reason),
                   .order = {.order_id = 77,
                             .symbol = "ETH-USDT",
                             .status = status,
                             .price = 500,
                             .qty = 4,
                             .filled = 1},
                   .cancelled_count = 5},
      .exec_id = "E1"};
  return decode_report(encode_reply(reply));
}

TEST(FixCodec, RepliesCarryVerdictAndOrder) {
  FixReport placed = reply_for(RequestKind::place, Verdict::ack, OrdStatus::partially_filled);
  EXPECT_EQ(placed.exec_type, '0');
  EXPECT_EQ(placed.clordid, "c2-1");
  EXPECT_EQ(placed.order.status, OrdStatus::partially_filled);
  EXPECT_EQ(placed.order.order_id, 77u);
  EXPECT_EQ(placed.order.price, 500);
  EXPECT_EQ(placed.order.qty, 4);
  EXPECT_EQ(placed.order.filled, 1);

  FixReport amended = reply_for(RequestKind::amend, Verdict::ack, OrdStatus::new_order);
  EXPECT_EQ(amended.exec_type, '5');
  EXPECT_EQ(amended.clordid, "2.9");
  EXPECT_EQ(amended.orig_clordid, "c2-1");

  FixReport refused =
      reply_for(RequestKind::cancel, Verdict::reject, OrdStatus::none, "unknown order");
  EXPECT_EQ(refused.msg_type, "9");
  EXPECT_TRUE(refused.unknown_order);
  EXPECT_EQ(refused.order.status, OrdStatus::none);
  EXPECT_EQ(refused.text, "unknown order");

  FixReport unknown =
      reply_for(RequestKind::cancel, Verdict::unknown, OrdStatus::new_order, "late");
  EXPECT_TRUE(unknown.outcome_unknown);
  EXPECT_TRUE(unknown.is_pending());

  FixReport status =
      reply_for(RequestKind::status, Verdict::reject, OrdStatus::none, "unknown order");
  EXPECT_TRUE(status.is_status());
  EXPECT_TRUE(status.unknown_order);
  EXPECT_EQ(status.status_req_id, "s2.9");

  FixReport mass = reply_for(RequestKind::mass_cancel, Verdict::ack, OrdStatus::none);
  EXPECT_EQ(mass.msg_type, "r");
  EXPECT_TRUE(mass.mass_cancel_accepted);
  EXPECT_EQ(mass.cancelled_count, 5u);
}

// A venue's reject may carry a reason code and no Text: the code stands
// for the reason, so the history says why and client_reject_reasons can
// name it. Text, when there is one, is the reason as the venue wrote it.
TEST(FixCodec, AReasonCodeStandsForAMissingText) {
  FixMessage m;
  m.type = "8";
  m.set(tag::exec_type, "8");
  m.set(tag::ord_rej_reason, "3");
  EXPECT_EQ(decode_report(m).text, "OrdRejReason 3");
  m.set(tag::text, "exceeds the account's limit");
  EXPECT_EQ(decode_report(m).text, "exceeds the account's limit");
  const struct {
    const char* type;
    int code;
    const char* reason;
  } others[] = {{"9", tag::cxl_rej_reason, "CxlRejReason 2"},
                {"j", tag::business_reject_reason, "BusinessRejectReason 2"},
                {"3", tag::session_reject_reason, "SessionRejectReason 2"}};
  for (const auto& other : others) {
    FixMessage reject;
    reject.type = other.type;
    reject.set(other.code, "2");
    EXPECT_EQ(decode_report(reject).text, other.reason);
  }
}

// ordeal's quantities and prices are whole numbers: a report with a
// fraction is read as its whole part, and says which field had one.
TEST(FixCodec, AFractionalQuantityOrPriceIsNamed) {
  FixMessage m;
  m.type = "8";
  m.set(tag::exec_type, "F");
  m.set(tag::cum_qty, "5.000");
  m.set(tag::last_px, "55000.0");
  EXPECT_EQ(decode_report(m).fractional_tag, 0);
  m.set(tag::last_qty, "0.5");
  const FixReport r = decode_report(m);
  EXPECT_EQ(r.fractional_tag, tag::last_qty);
  EXPECT_EQ(r.fractional_value, "0.5");
  EXPECT_EQ(r.fractional_field, "LastQty");
  EXPECT_EQ(r.last_qty, 0);
  EXPECT_EQ(r.order.filled, 5);
}

// A venue's decimals, read and written in the scenario's units: exact both
// ways, and only a value finer than the units is named.
TEST(FixCodec, PricesAndQuantitiesInTheScenariosUnits) {
  const TradeUnits units{.price_decimals = 2, .qty_decimals = 4};
  const ClientRequest order{.kind = RequestKind::place,
                            .client = 2,
                            .clordid = "c2-1",
                            .symbol = "ETH-PERP",
                            .side = Side::sell,
                            .price = 312'550,
                            .qty = 25};
  const FixMessage sent = encode_request({.request = order}, units);
  EXPECT_EQ(sent.get(tag::price), "3125.5");
  EXPECT_EQ(sent.get(tag::order_qty), "0.0025");
  EXPECT_EQ(encode_request({.request = order}).get(tag::price), "312550") << "whole units";

  const auto fill_at = [](std::string last_px) {
    FixMessage m;
    m.type = "8";
    m.set(tag::exec_type, "F");
    m.set(tag::price, "3125.5");
    m.set(tag::order_qty, "0.0025");
    m.set(tag::cum_qty, "0.002");
    m.set(tag::last_px, std::move(last_px));
    m.set(tag::last_qty, "0.0020");
    return m;
  };
  FixReport r = decode_report(fill_at("3125.50"), units);
  EXPECT_EQ(r.order.price, 312'550);
  EXPECT_EQ(r.order.qty, 25);
  EXPECT_EQ(r.order.filled, 20);
  EXPECT_EQ(r.last_px, 312'550);
  EXPECT_EQ(r.last_qty, 20);
  EXPECT_EQ(r.fractional_tag, 0);
  r = decode_report(fill_at("3125.505"), units);
  EXPECT_EQ(r.fractional_tag, tag::last_px);
  EXPECT_EQ(r.fractional_field, "LastPx");
  EXPECT_EQ(r.last_px, 312'550) << "cut toward zero";
  EXPECT_EQ(r.unreadable_tag, 0);
  // FIX's float has no exponent: such a value is named, not guessed at.
  r = decode_report(fill_at("3.1255e3"), units);
  EXPECT_EQ(r.unreadable_tag, tag::last_px);
  EXPECT_EQ(r.unreadable_field, "LastPx");
  EXPECT_EQ(r.unreadable_value, "3.1255e3");
  EXPECT_EQ(r.last_px, 0);
  EXPECT_EQ(r.fractional_tag, 0);
}

TEST(FixCodec, FillsAndUnsolicitedCancels) {
  const Fill fill{.client = 1,
                  .order_id = 9,
                  .clordid = "c1-1",
                  .symbol = "BTC-USDT",
                  .side = Side::buy,
                  .price = 100,
                  .qty = 2,
                  .trade_id = 44,
                  .maker = true,
                  .order_filled = 2,
                  .order_qty = 5};
  FixReport f = decode_report(encode_fill(fill, "1.3", "E2"));
  EXPECT_TRUE(f.is_trade());
  EXPECT_EQ(f.clordid, "1.3");
  EXPECT_EQ(f.last_px, 100);
  EXPECT_EQ(f.last_qty, 2);
  EXPECT_EQ(f.trade_id, 44u);
  EXPECT_TRUE(f.maker);
  EXPECT_EQ(f.order.filled, 2);
  EXPECT_EQ(f.order.qty, 5);
  EXPECT_EQ(f.order.status, OrdStatus::partially_filled);

  const OrderUpdate update{.order = {.order_id = 9,
                                     .client = 1,
                                     .clordid = "c1-1",
                                     .status = OrdStatus::cancelled,
                                     .qty = 5,
                                     .filled = 2},
                           .reason = "mass-cancel"};
  FixReport u = decode_report(encode_update(update, "1.3", "E3"));
  EXPECT_EQ(u.exec_type, '4');
  EXPECT_EQ(u.order.status, OrdStatus::cancelled);
  EXPECT_EQ(u.text, "mass-cancel");
  EXPECT_EQ(u.account, 1u);
}

TEST(FixCodec, MassStatusRequestRoundTrips) {
  const FixRequest asked{.request = {.kind = RequestKind::mass_status, .client = 4},
                         .status_req_id = "a4.7"};
  const FixMessage m = encode_request(asked);
  EXPECT_EQ(m.type, "AF");
  EXPECT_EQ(m.get(tag::mass_status_req_type), "7");
  EXPECT_EQ(m.get(tag::account), "4");
  FixRequest back = round_trip(asked);
  EXPECT_EQ(back.request.kind, RequestKind::mass_status);
  EXPECT_EQ(back.request.client, 4u);
  EXPECT_EQ(back.status_req_id, "a4.7");
}

TEST(FixCodec, BadMassStatusRequestsNameTheField) {
  const std::pair<FixMessage, const char*> cases[] = {
      {FixMessage{"AF", {{tag::mass_status_req_id, "a1"}, {tag::mass_status_req_type, "7"}}},
       "Account (1)"},
      {FixMessage{"AF", {{tag::account, "1"}, {tag::mass_status_req_type, "7"}}},
       "MassStatusReqID (584)"},
      {FixMessage{"AF",
                  {{tag::account, "1"},
                   {tag::mass_status_req_id, "a1"},
                   {tag::mass_status_req_type, "1"}}},
       "MassStatusReqType (585)"},
  };
  for (const auto& [m, expected] : cases) {
    std::string error;
    EXPECT_FALSE(decode_request(m, error));
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}

FixReply mass_status_reply(std::vector<OrderView> orders, Verdict verdict = Verdict::ack,
                           std::string reason = "") {
  return {.request = {.request = {.kind = RequestKind::mass_status, .client = 2},
                      .status_req_id = "a2.5"},
          .response = {.client = 2,
                       .kind = RequestKind::mass_status,
                       .verdict = verdict,
                       .reason = std::move(reason),
                       .orders = std::move(orders)},
          .exec_id = "E9"};
}

std::vector<FixReport> decoded(const std::vector<FixMessage>& messages) {
  std::vector<FixReport> out;
  for (const FixMessage& m : messages) out.push_back(decode_report(m));
  return out;
}

// One report per order, under the ClOrdID in force; the last says so. An
// order its shard did not know reads as a status request of it would.
TEST(FixCodec, MassStatusAnswersAReportPerOrder) {
  const FixReply reply =
      mass_status_reply({{.order_id = 7,
                          .client = 2,
                          .clordid = "c2-1",
                          .symbol = "BTC-USDT",
                          .side = Side::sell,
                          .status = OrdStatus::partially_filled,
                          .price = 50'000,
                          .qty = 5,
                          .filled = 2},
                         {.client = 2, .clordid = "c2-2"},  // not known where it was placed
                         {.order_id = 9,
                          .client = 2,
                          .clordid = "c2-3",
                          .symbol = "ETH-USDT",
                          .status = OrdStatus::cancelled,
                          .price = 3'000,
                          .qty = 1}});
  const std::vector<FixMessage> messages = encode_mass_status(reply, {"2.8", "c2-2", "c2-3"});
  const std::vector<FixReport> r = decoded(messages);
  ASSERT_EQ(r.size(), 3u);
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].msg_type, "8");
    EXPECT_TRUE(r[i].is_status());
    EXPECT_EQ(r[i].mass_status_req_id, "a2.5");
    EXPECT_EQ(r[i].tot_num_reports, 3);
    EXPECT_EQ(r[i].last_rpt_requested, i == 2) << i;
    EXPECT_EQ(r[i].account, 2u);
    EXPECT_TRUE(r[i].status_req_id.empty());  // no single status request's answer
  }
  EXPECT_EQ(messages[0].get(tag::exec_id), "E9.0");
  EXPECT_EQ(messages[2].get(tag::exec_id), "E9.2");
  EXPECT_EQ(r[0].clordid, "2.8");  // amended: the ClOrdID in force
  EXPECT_EQ(r[0].order.order_id, 7u);
  EXPECT_EQ(r[0].order.status, OrdStatus::partially_filled);
  EXPECT_EQ(r[0].order.symbol, "BTC-USDT");
  EXPECT_EQ(r[0].order.side, Side::sell);
  EXPECT_EQ(r[0].order.price, 50'000);
  EXPECT_EQ(r[0].order.qty, 5);
  EXPECT_EQ(r[0].order.filled, 2);
  EXPECT_EQ(r[1].clordid, "c2-2");
  EXPECT_TRUE(r[1].unknown_order);
  EXPECT_EQ(r[1].order.status, OrdStatus::none);
  EXPECT_EQ(messages[1].get(tag::order_id), "NONE");
  EXPECT_EQ(r[1].text, kUnknownOrder);
  EXPECT_EQ(r[2].order.status, OrdStatus::cancelled);
  EXPECT_EQ(r[2].order.filled, 0);
}

TEST(FixCodec, MassStatusOfNoOrderIsOneReportOfNone) {
  const std::vector<FixMessage> messages = encode_mass_status(mass_status_reply({}), {});
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].get(tag::order_id), "NONE");
  EXPECT_FALSE(messages[0].has(tag::clordid));
  const FixReport r = decode_report(messages[0]);
  EXPECT_TRUE(r.is_status());
  EXPECT_EQ(r.mass_status_req_id, "a2.5");
  EXPECT_EQ(r.tot_num_reports, 0);
  EXPECT_TRUE(r.last_rpt_requested);
  EXPECT_EQ(r.order.status, OrdStatus::none);
}

// A refusal names the request by its MassStatusReqID; the exchange's
// explicit unknown carries the outcome-unknown mark, as elsewhere.
TEST(FixCodec, RefusedMassStatusIsABusinessReject) {
  for (const Verdict verdict : {Verdict::reject, Verdict::unknown}) {
    const FixReply reply = mass_status_reply({}, verdict, "gateway overloaded");
    const std::vector<FixMessage> messages = encode_mass_status(reply, {});
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].type, "j");
    EXPECT_EQ(messages[0].get(tag::ref_msg_type), "AF");
    // encode_reply, which the port's own refusals take, says the same.
    EXPECT_EQ(encode_reply(reply).fields, messages[0].fields);
    const FixReport r = decode_report(messages[0]);
    EXPECT_EQ(r.business_ref_id, "a2.5");
    EXPECT_EQ(r.text, "gateway overloaded");
    EXPECT_EQ(r.outcome_unknown, verdict == Verdict::unknown);
  }
}

// A foreign venue's reports: TotNumReports on each, LastRptRequested
// perhaps on none; decimal quantities keep their integer part.
TEST(FixCodec, DecodesAForeignVenuesMassStatusReports) {
  FixMessage m{"8",
               {{tag::order_id, "V-17"},
                {tag::exec_id, "x1"},
                {tag::exec_type, "I"},
                {tag::ord_status, "1"},
                {tag::clordid, "o1-c1-1"},
                {tag::mass_status_req_id, "a1.3"},
                {tag::tot_num_reports, "2"},
                {tag::symbol, "BTC-USDT"},
                {tag::side, "1"},
                {tag::order_qty, "5.000"},
                {tag::cum_qty, "1.000"},
                {tag::price, "50000.0"}}};
  const FixReport r = decode_report(m);
  EXPECT_EQ(r.mass_status_req_id, "a1.3");
  EXPECT_EQ(r.tot_num_reports, 2);
  EXPECT_FALSE(r.last_rpt_requested);
  EXPECT_EQ(r.order.order_id, id_number("V-17"));
  EXPECT_EQ(r.order.status, OrdStatus::partially_filled);
  EXPECT_EQ(r.order.qty, 5);
  EXPECT_EQ(r.order.filled, 1);
  EXPECT_EQ(r.order.price, 50'000);
  FixMessage bare{"8", {{tag::exec_type, "I"}, {tag::mass_status_req_id, "a1.3"}}};
  EXPECT_EQ(decode_report(bare).tot_num_reports, -1);  // absent
}

}  // namespace
}  // namespace ordeal::fix
