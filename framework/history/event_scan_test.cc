// The layout scanner against simdjson: on every history ordeal writes (random
// ones, and the sim runner's), reading with the scanner first gives the same
// events, strings and records as reading every line with simdjson; lines in
// any other layout go to simdjson; bad lines give the same exact errors.
#include "framework/history/event_scan.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "framework/history/history_jsonl.h"
#include "framework/run/runner.h"
#include "framework/run/scenario.h"

namespace ordeal {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ordeal-scan-test-" + name)).string();
}

// Every field of an event, Syms as numbers and as text: two readings of a
// file must agree on all of it, the interning order included.
std::string describe(const History& h, size_t i) {
  const Event& e = h[i];
  std::string shared = std::to_string(e.symbol);
  if (e.type == EventType::meta) {
    const exchange::Instrument& r = h.record(e.record);
    shared += fmt::format(" record {} {} {} {} {} {} {} {} {} {} {}", r.symbol, r.tick_size,
                          r.lot_size, r.min_qty, r.max_qty, r.min_price, r.max_price,
                          static_cast<int>(r.status), r.shard, r.schema, r.max_notional);
  } else {
    shared += " '" + std::string(h.text(e.symbol)) + "'";
  }
  return fmt::format("{} {} {} {} {} {} op {} client {} order {} '{}' shared {} {} {} {} {} {}", i,
                     e.time_us, e.price, e.qty, e.filled, e.number, e.op, e.client, e.order,
                     h.text(e.order), shared, static_cast<int>(e.type), static_cast<int>(e.kind),
                     static_cast<int>(e.side), static_cast<int>(e.status), e.flag);
}

std::string describe_all(const HistoryLoad& load) {
  std::string all = "error: " + load.error + "\n";
  for (size_t i = 0; i < load.history.size(); ++i) all += describe(load.history, i) + "\n";
  return all;
}

struct BothWays {
  HistoryLoad scanned;  // the scanner first
  HistoryLoad json;     // every line through simdjson
  bool same() const {
    return json.scanned_lines == 0 && describe_all(scanned) == describe_all(json);
  }
};

BothWays read_both_ways(const std::string& path) {
  return {read_history_jsonl(path, LineScan::layout_first),
          read_history_jsonl(path, LineScan::json_only)};
}

// A line the scanner should take: printable ASCII without escapes, and no
// number too long for it (it takes at most 18 digits).
bool in_plain_layout(std::string_view line) {
  size_t digits = 0;
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '\\') return false;
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits > 18) return false;
  }
  return true;
}

rc::Gen<std::string> gen_text() {
  return rc::gen::oneOf(
      rc::gen::element<std::string>("", "c1-1", "BTC-USDT", "order is final", "meta.update.delay"),
      rc::gen::element<std::string>("o\"1", "back\\slash", "tab\there", "caf\xc3\xa9", "\x01"),
      rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7f)),
      rc::gen::arbitrary<std::string>());
}

rc::Gen<int64_t> gen_number() {
  return rc::gen::oneOf(rc::gen::arbitrary<int64_t>(), rc::gen::inRange<int64_t>(-5, 100),
                        rc::gen::element<int64_t>(INT64_MIN, INT64_MAX, 999'999'999'999'999'999,
                                                  1'000'000'000'000'000'000));
}

// A tick or lot size: mostly valid (at least 1), sometimes anything, which
// both readings refuse alike.
rc::Gen<int64_t> gen_size() {
  return rc::gen::weightedOneOf<int64_t>(
      {{9, rc::gen::inRange<int64_t>(1, INT64_MAX)}, {1, gen_number()}});
}

exchange::Instrument gen_record() {
  return {.symbol = *gen_text(),
          .tick_size = *gen_size(),
          .lot_size = *gen_size(),
          .min_qty = *gen_number(),
          .max_qty = *gen_number(),
          .min_price = *gen_number(),
          .max_price = *gen_number(),
          .status = *rc::gen::elementOf(exchange::kTradingStatuses),
          .shard = *rc::gen::arbitrary<uint16_t>(),
          .schema = *rc::gen::arbitrary<uint8_t>(),
          .max_notional = *gen_number()};
}

// A fault window's pins: 1 to 5 rising checks, some acting as another.
std::string gen_pins() {
  std::vector<faults::Pin> pins;
  uint32_t check = 0;
  for (int i = *rc::gen::inRange(1, 6); i > 0; --i) {
    check += *rc::gen::inRange(1u, 1000u);
    pins.push_back({check, *rc::gen::oneOf(rc::gen::just(check), rc::gen::inRange(1u, 1000u))});
  }
  return faults::format_pins(pins);
}

// Any event: every field drawn, whatever its type; the writer puts down
// the ones the type has.
Event gen_event(History& h, int64_t time_us) {
  Event e{.time_us = time_us,
          .price = *gen_number(),
          .qty = *gen_number(),
          .filled = *gen_number(),
          .number = *gen_number(),
          .op = *rc::gen::oneOf(rc::gen::just(0u), rc::gen::arbitrary<uint32_t>()),
          .client = *rc::gen::oneOf(rc::gen::just(-1), rc::gen::arbitrary<int32_t>()),
          .order = h.intern(*gen_text()),
          .type = static_cast<EventType>(*rc::gen::inRange(0, 11)),  // every type, fault_fire last
          .kind = *rc::gen::elementOf(exchange::kRequestKinds),
          .side = *rc::gen::elementOf(exchange::kSides),
          .status = *rc::gen::elementOf(exchange::kOrdStatuses),
          .flag = *rc::gen::arbitrary<bool>()};
  if (e.type == EventType::fault_start)
    e.order = *rc::gen::arbitrary<bool>() ? h.intern(gen_pins()) : 0;
  if (e.type == EventType::meta) {
    e.record = h.add_record(gen_record());
  } else {
    e.symbol = h.intern(*gen_text());
  }
  return e;
}

RC_GTEST_PROP(EventScan, ScannerAndSimdjsonReadTheSameEvents, ()) {
  History written;
  const int count = *rc::gen::inRange(1, 60);
  int64_t time_us = 0;
  for (int i = 0; i < count; ++i) {
    time_us += *rc::gen::inRange<int64_t>(0, 1000);
    written.append(gen_event(written, time_us));
  }
  const std::string path = temp_path("property.jsonl");
  std::string error;
  RC_ASSERT(write_history_jsonl(written, path, error));
  const BothWays read = read_both_ways(path);
  RC_ASSERT(read.same());
  const HistoryLoad& scanned = read.scanned;
  size_t plain = 0;
  for (size_t i = 0; i < written.size(); ++i) {
    const std::string line = event_json(written, i);
    plain += in_plain_layout(std::string_view(line).substr(0, line.size() - 1));  // no newline
  }
  // Invalid UTF-8 in a string is an error (from simdjson); before it, both
  // readings agree, which read_both_ways checked.
  if (scanned.error.empty()) {
    RC_ASSERT(scanned.history.size() == written.size());
    RC_ASSERT(scanned.scanned_lines == plain);
  }
  std::remove(path.c_str());
}

// The sim runner's own histories (faults, metadata changes, defects planted
// so that rejects and unknown outcomes appear): every line is in the layout.
TEST(EventScan, SimRunnerHistoriesAreScannedWholeAndReadAsBySimdjson) {
  const std::string scenarios = std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/";
  for (const char* name : {"okx-2023-08-14", "metadata-corruption", "engine-restart"}) {
    ScenarioLoad loaded = load_scenario(scenarios + name + ".toml");
    ASSERT_TRUE(loaded) << loaded.error;
    for (const char* defect : {"none", "okx-2023-08-14", "amend-lost"}) {
      const RunOutcome outcome =
          run_scenario(loaded.scenario, {.seed = 11,
                                         .cases = 20,
                                         .defects = *exchange::DefectSet::parse(defect),
                                         .shrink = false});
      const std::string path = temp_path("sim.jsonl");
      std::string error;
      ASSERT_TRUE(write_history_jsonl(outcome.history, path, error)) << error;
      const BothWays read = read_both_ways(path);
      EXPECT_EQ(describe_all(read.scanned), describe_all(read.json));
      const HistoryLoad& scanned = read.scanned;
      EXPECT_TRUE(scanned) << scanned.error;
      EXPECT_GT(scanned.history.size(), 10u) << name << " " << defect;
      EXPECT_EQ(scanned.scanned_lines, outcome.history.size()) << name << " " << defect;
      std::remove(path.c_str());
    }
  }
}

const std::string kPlain =
    R"({"index":1,"time_us":5,"type":"invoke","client":1,"op":1,"f":"place","order":"c1-1","symbol":"BTC-USDT","side":"buy","price":54500,"qty":1})";

HistoryLoad read_lines(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = temp_path(name);
  {
    std::ofstream out(path);
    for (const std::string& line : lines) out << line << "\n";
  }
  BothWays read = read_both_ways(path);
  EXPECT_EQ(describe_all(read.scanned), describe_all(read.json));
  EXPECT_EQ(read.json.scanned_lines, 0u);
  std::remove(path.c_str());
  return std::move(read.scanned);
}

TEST(EventScan, OtherLayoutsGoToSimdjsonAndReadTheSame) {
  const std::vector<std::string> variants = {
      // keys in another order
      R"({"time_us":5,"index":1,"type":"invoke","client":1,"op":1,"f":"place","order":"c1-1","symbol":"BTC-USDT","side":"buy","price":54500,"qty":1})",
      // spaces
      R"({"index": 1, "time_us": 5, "type": "invoke", "client": 1, "op": 1, "f": "place", "order": "c1-1", "symbol": "BTC-USDT", "side": "buy", "price": 54500, "qty": 1})",
      // an escape that means the same text
      R"({"index":1,"time_us":5,"type":"invoke","client":1,"op":1,"f":"place","order":"c1\u002d1","symbol":"BTC-USDT","side":"buy","price":54500,"qty":1})",
      // index left out (optional), defaults written out
      R"({"time_us":5,"type":"invoke","client":1,"op":1,"f":"place","order":"c1-1","symbol":"BTC-USDT","side":"buy","price":54500,"qty":1,"ord_type":"limit","tif":"gtc","post_only":false})",
      // a carriage return before the newline
      kPlain + "\r",
  };
  // Each line its own request (an op links one), so the variant reads as
  // the plain line with its op.
  auto with_op = [](std::string line, int op) {
    const size_t at = line.find(':', line.find("\"op\"")) + 1;
    line.replace(at, line.find(',', at) - at, std::to_string(op));
    return line;
  };
  const HistoryLoad plain = read_lines("plain.jsonl", {with_op(kPlain, 2)});
  ASSERT_TRUE(plain) << plain.error;
  for (const std::string& variant : variants) {
    const HistoryLoad load =
        read_lines("variant.jsonl", {kPlain, with_op(variant, 2), "", with_op(kPlain, 3)});
    ASSERT_TRUE(load) << load.error;
    ASSERT_EQ(load.history.size(), 3u);
    EXPECT_EQ(load.scanned_lines, 2u) << variant;
    EXPECT_EQ(describe(load.history, 1).substr(1), describe(plain.history, 0).substr(1)) << variant;
  }
  // Unicode goes through simdjson, and the text is kept as it is.
  std::string unicode = kPlain;
  unicode.replace(unicode.find("c1-1"), 4, "c1-\xc3\xa9");
  const HistoryLoad load = read_lines("unicode.jsonl", {unicode, with_op(kPlain, 2)});
  ASSERT_TRUE(load) << load.error;
  EXPECT_EQ(load.scanned_lines, 1u);
  EXPECT_EQ(load.history.text(load.history[0].order), "c1-\xc3\xa9");
}

TEST(EventScan, MalformedLinesInTheLayoutGiveTheExactError) {
  auto error_at_line_2 = [&](const std::string& bad) {
    const HistoryLoad load = read_lines("bad.jsonl", {kPlain, bad, kPlain});
    EXPECT_EQ(load.history.size(), 1u) << bad;
    const std::string prefix = temp_path("bad.jsonl") + ":2: ";
    return load.error.rfind(prefix, 0) == 0 ? load.error.substr(prefix.size()) : load.error;
  };
  auto with = [&](std::string_view from, std::string_view to) {
    std::string line = kPlain;
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  EXPECT_EQ(error_at_line_2(with("\"place\"", "\"plac\"")), "f: unknown value 'plac'");
  EXPECT_EQ(error_at_line_2(with("\"buy\"", "\"up\"")), "side: unknown value 'up'");
  EXPECT_EQ(error_at_line_2(with("54500", "54500.5")), "price: expected an integer");
  // Each order flag takes its own two values: an ord_type of "ioc" is no
  // order type, and must not make the order IOC.
  EXPECT_EQ(error_at_line_2(with("\"qty\":1", "\"qty\":1,\"ord_type\":\"ioc\"")),
            "ord_type: unknown value 'ioc'");
  EXPECT_EQ(error_at_line_2(with("\"qty\":1", "\"qty\":1,\"tif\":\"market\"")),
            "tif: unknown value 'market'");
  EXPECT_EQ(error_at_line_2(with("\"time_us\":5", "\"time_us\":4")),
            "time_us: goes backwards (4 after 5)");
  EXPECT_EQ(error_at_line_2(with("\"qty\":1", "\"qty\":1,\"colour\":1")), "colour: unknown field");
  EXPECT_EQ(error_at_line_2(with("\"type\":\"invoke\"", "\"type\":\"invok\"")),
            "type: unknown event type 'invok'");
  EXPECT_FALSE(error_at_line_2(kPlain.substr(0, kPlain.size() - 1)).empty());
  EXPECT_EQ(error_at_line_2(kPlain + kPlain), "more than one JSON value on the line");
  // In the layout but for a client or an op where the type has none, or a
  // client event without its client: the scanner takes none of them.
  EXPECT_EQ(error_at_line_2(with(",\"client\":1", "")), "client: missing: invoke events need it");
  EXPECT_EQ(
      error_at_line_2(
          R"({"time_us":6,"type":"fill","client":1,"order":"o","price":5,"qty":1,"trade":3})"),
      "filled: missing: fill events need it");
  EXPECT_EQ(error_at_line_2(with(",\"client\":1", ",\"client\":-1")),
            "client: expected an integer from 0 to 2147483647");
  EXPECT_EQ(error_at_line_2(
                R"({"index":1,"time_us":6,"type":"fault_stop","client":1,"fault":"x","param":0})"),
            "client: not a field of fault_stop events");
  EXPECT_EQ(error_at_line_2(
                R"({"index":1,"time_us":6,"type":"fault_stop","op":3,"fault":"x","param":0})"),
            "op: not a field of fault_stop events");
}

// A record's sizes divide prices and quantities in the rules, and its shard
// and schema are stored narrower: out of range, the scanner refuses the line
// and simdjson's path names the field.
TEST(EventScan, RecordsOutOfRangeGiveTheExactError) {
  const std::string meta =
      R"({"index":0,"time_us":5,"type":"meta","version":1,"record":{"symbol":"BTC-USDT","tick_size":10,"lot_size":1,"min_qty":1,"max_qty":1000,"min_price":10000,"max_price":100000,"status":"open","shard":0,"schema":1,"max_notional":0}})";
  auto error_with = [&](std::string_view from, std::string_view to) {
    std::string line = meta;
    line.replace(line.find(from), from.size(), to);
    const HistoryLoad load = read_lines("record.jsonl", {meta, line});
    EXPECT_EQ(load.history.size(), 1u) << line;
    const std::string prefix = temp_path("record.jsonl") + ":2: ";
    return load.error.rfind(prefix, 0) == 0 ? load.error.substr(prefix.size()) : load.error;
  };
  EXPECT_EQ(error_with("\"tick_size\":10", "\"tick_size\":0"),
            "record.tick_size: expected an integer of at least 1");
  EXPECT_EQ(error_with("\"lot_size\":1", "\"lot_size\":-1"),
            "record.lot_size: expected an integer of at least 1");
  EXPECT_EQ(error_with("\"shard\":0", "\"shard\":65536"),
            "record.shard: expected an integer from 0 to 65535");
  EXPECT_EQ(error_with("\"schema\":1", "\"schema\":-1"),
            "record.schema: expected an integer from 0 to 255");
  EXPECT_EQ(error_with("\"max_qty\":1000", "\"max_qty\":\"1000\""),
            "record.max_qty: expected an integer");
  // As an event's own fields: a second value would silently win.
  EXPECT_EQ(error_with("\"tick_size\":10", "\"tick_size\":10,\"tick_size\":20"),
            "record.tick_size: given twice");
  EXPECT_EQ(error_with("\"status\":\"open\"", "\"status\":\"open\",\"status\":\"halted\""),
            "record.status: given twice");
}

// The optional numbers of meta and fault events have ranges too: a replica
// said to run schema -1 would make no-newer-schema judge every record it
// committed, and a check or fire_at below 1 names no check.
TEST(EventScan, OptionalNumbersOutOfRangeGiveTheExactError) {
  const std::string meta =
      R"({"index":0,"time_us":5,"type":"meta","version":1,"record":{"symbol":"BTC-USDT","tick_size":10,"lot_size":1,"min_qty":1,"max_qty":1000,"min_price":10000,"max_price":100000,"status":"open","shard":0,"schema":1,"max_notional":0},"replica_schema":1})";
  const std::string fire =
      R"({"index":1,"time_us":6,"type":"fault_fire","fault":"meta.update.drop","param":0,"check":3})";
  const std::string start =
      R"({"index":1,"time_us":6,"type":"fault_start","fault":"meta.update.drop","param":0,"fire_at":3})";
  auto error_in = [&](const std::string& good, std::string_view from, std::string_view to) {
    EXPECT_TRUE(read_lines("optional.jsonl", {meta, good})) << good;
    std::string line = good;
    line.replace(line.find(from), from.size(), to);
    const HistoryLoad load = read_lines("optional.jsonl", {meta, line});
    EXPECT_EQ(load.history.size(), 1u) << line;
    const std::string prefix = temp_path("optional.jsonl") + ":2: ";
    return load.error.rfind(prefix, 0) == 0 ? load.error.substr(prefix.size()) : load.error;
  };
  const std::string meta_again = R"({"index":1,"time_us":6)" + meta.substr(meta.find(",\"type\""));
  EXPECT_EQ(error_in(meta_again, "\"replica_schema\":1", "\"replica_schema\":-1"),
            "replica_schema: expected an integer from 0 to 255");
  EXPECT_EQ(error_in(meta_again, "\"replica_schema\":1", "\"replica_schema\":256"),
            "replica_schema: expected an integer from 0 to 255");
  EXPECT_EQ(error_in(fire, "\"check\":3", "\"check\":0"),
            "check: expected an integer of at least 1");
  EXPECT_EQ(error_in(start, "\"fire_at\":3", "\"fire_at\":-2"),
            "fire_at: expected an integer from 1 to 1000000");
}

}  // namespace
}  // namespace ordeal
