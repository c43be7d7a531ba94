#include "framework/history/history.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "framework/check/history_builder.h"
#include "framework/history/history_jsonl.h"

namespace ordeal {
namespace {

using exchange::OrdStatus;
using exchange::RequestKind;
using exchange::Side;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ordeal-test-" + name)).string();
}

History sample() {
  HistoryBuilder b;
  b.at(0).meta(1, exchange::Instrument{.symbol = "BTC-USDT", .tick_size = 10});
  b.at(1).fault(true, "meta.update.delay", 200);
  auto place = b.at(2).place(1, "o\"1", Side::buy, 50'000, 5, "BTC-USDT", kIocFlag | kPostOnlyFlag);
  b.at(3).ok(place, OrdStatus::partially_filled, 2);
  b.at(3).fill(1, "o\"1", Side::buy, 50'000, 2, 99, 2);
  auto cancel = b.at(4).request(RequestKind::cancel, 1, "o\"1");
  b.at(5).fail(cancel, "order is final");
  auto lost = b.at(6).request(RequestKind::status, 2, "x");
  b.at(7).info(lost, false);
  b.at(8).fault(false, "meta.update.delay", 200);
  b.at(9).read(1, "o\"1", OrdStatus::cancelled, 50'000, 5, 2);
  b.at(10).unanswered_read(2, "x", "metadata unavailable");
  return b.history();
}

std::string render(const History& h) {
  std::string all;
  for (size_t i = 0; i < h.size(); ++i) all += event_json(h, i);
  return all;
}

TEST(HistoryJsonl, RoundTripsEveryEventType) {
  const History original = sample();
  std::string error;
  const std::string path = temp_path("roundtrip.jsonl");
  ASSERT_TRUE(write_history_jsonl(original, path, error)) << error;
  const HistoryLoad loaded = read_history_jsonl(path);
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(render(loaded.history), render(original));
  std::remove(path.c_str());
}

// A pinned window says its pins, and a fire the check it fired at; bad pins
// are an error naming the field, and the one-pin fire_at of histories of
// earlier versions is still read.
TEST(HistoryJsonl, PinsAndChecksRoundTrip) {
  History h;
  h.append({.time_us = 1,
            .order = h.intern("3,9:10"),
            .text = h.intern("meta.update.corrupt"),
            .type = EventType::fault_start});
  h.append({.time_us = 2,
            .qty = 9,
            .number = 2,
            .text = h.intern("meta.update.corrupt:meta-0->engine-1"),
            .type = EventType::fault_fire});
  const std::string path = temp_path("pins.jsonl");
  std::string error;
  ASSERT_TRUE(write_history_jsonl(h, path, error)) << error;
  EXPECT_NE(render(h).find(R"("param":0,"pins":"3,9:10"})"), std::string::npos) << render(h);
  EXPECT_NE(render(h).find(R"("param":2,"check":9})"), std::string::npos) << render(h);
  const HistoryLoad loaded = read_history_jsonl(path);
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(render(loaded.history), render(h));
  auto load = [&](const std::string& line) {
    std::ofstream(path) << line << "\n";
    return read_history_jsonl(path);
  };
  EXPECT_EQ(load(R"({"time_us":1,"type":"fault_start","fault":"x","param":0,"pins":"9,3"})").error,
            path + R"(:1: pins: expected rising checks as "3,9:10,12", not '9,3')");
  EXPECT_EQ(load(R"({"time_us":1,"type":"fault_start","pins":"","fault":"x","param":0})").error,
            path + R"(:1: pins: expected rising checks as "3,9:10,12", not '')");
  const HistoryLoad old =
      load(R"({"time_us":1,"type":"fault_start","fault":"x","param":0,"fire_at":4})");
  ASSERT_TRUE(old) << old.error;
  EXPECT_EQ(old.history[0].qty, 4);
  std::remove(path.c_str());
}

// A history small enough to sit in the buffer fails only at the close: the
// run must hear of it, not leave a cut or empty file behind.
TEST(HistoryJsonl, AFullDiskIsAnErrorEvenWhenItShowsOnlyAtTheClose) {
  std::string error;
  EXPECT_FALSE(write_history_jsonl(sample(), "/dev/full", error));
  EXPECT_EQ(error, "/dev/full: write failed: No space left on device");
}

TEST(HistoryJsonl, BadLineNamesFileLineAndFieldAndKeepsWhatCameBefore) {
  const std::string path = temp_path("bad.jsonl");
  {
    std::ofstream out(path);
    out << "{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"op\":1,\"f\":\"place\",\"order\":"
           "\"a\"}\n";
    out << "\n";
    out << "{\"time_us\":2,\"type\":\"ok\",\"client\":1,\"op\":1,\"f\":\"plac\"}\n";
  }
  const HistoryLoad loaded = read_history_jsonl(path);
  EXPECT_FALSE(loaded);
  EXPECT_EQ(loaded.error, path + ":3: f: unknown value 'plac'");
  EXPECT_EQ(loaded.history.size(), 1u);
  std::remove(path.c_str());
}

TEST(HistoryJsonl, RejectsUnknownFieldsMissingTypeBackwardsTimeAndBrokenJson) {
  const std::string path = temp_path("bad2.jsonl");
  auto error_for = [&](const std::string& content) {
    std::ofstream(path) << content;
    return read_history_jsonl(path).error;
  };
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"fill\",\"colour\":1}\n"),
            path + ":1: colour: unknown field");
  EXPECT_EQ(error_for("{\"time_us\":1}\n"), path + ":1: type: missing");
  // An event without its time is not at 0: on the first line it was taken
  // as that, after others it was said to go backwards.
  EXPECT_EQ(error_for("{\"type\":\"read\"}\n"), path + ":1: time_us: missing");
  const std::string read = "\"type\":\"read\",\"client\":1,\"order\":\"a\"}\n";
  EXPECT_EQ(error_for("{\"time_us\":5," + read + "{" + read), path + ":2: time_us: missing");
  EXPECT_EQ(error_for("{\"time_us\":5," + read + "{\"time_us\":4," + read),
            path + ":2: time_us: goes backwards (4 after 5)");
  // Text from the file is quoted short, and an empty key says so.
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"" + std::string(100, 'x') + "\"}\n"),
            path + ":1: type: unknown event type '" + std::string(64, 'x') + "...' (100 bytes)");
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"read\",\"\":1}\n"),
            path + ":1: '': unknown field");
  EXPECT_EQ(error_for("{\"time_us\":1,\"" + std::string(70, 'k') + "\":1}\n"),
            path + ":1: '" + std::string(64, 'k') + "...' (70 bytes): unknown field");
  EXPECT_EQ(error_for("{\"time_us\":-1," + read), path + ":1: time_us: -1 is negative");
  EXPECT_NE(error_for("{\"time_us\":1,\"type\":\"read\"\n").find(path + ":1:"), std::string::npos);
  // Wider than the checker's ids: an error, not a wrap onto another id.
  EXPECT_EQ(error_for("{\"index\":0,\"time_us\":1,\"type\":\"invoke\",\"client\":1,"
                      "\"op\":4294967296,\"f\":\"place\",\"order\":\"a\"}\n"),
            path + ":1: op: expected an integer from 1 to 4294967294");
  // An invoke or a completion without its op would be an operation no
  // property follows: a silent pass.
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"f\":\"place\","
                      "\"order\":\"a\",\"side\":\"buy\",\"price\":5,\"qty\":1}\n"),
            path + ":1: op: missing: an invoke needs the op that links it (1 to 4294967294)");
  EXPECT_EQ(error_for("{\"index\":0,\"time_us\":1,\"type\":\"ok\",\"client\":1,\"f\":\"place\","
                      "\"order\":\"a\",\"status\":\"new\",\"price\":5,\"qty\":1,\"filled\":0}\n"),
            path + ":1: op: missing: a completion needs the op that links it (1 to 4294967294)");
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"op\":0,\"f\":\"place\","
                      "\"order\":\"a\",\"side\":\"buy\",\"price\":5,\"qty\":1}\n"),
            path + ":1: op: expected an integer from 1 to 4294967294");
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"read\",\"client\":2147483648}\n"),
            path + ":1: client: expected an integer from 0 to 2147483647");
  // -1 is no client's event in memory: the writer never writes it, and
  // the reader does not take it.
  EXPECT_EQ(error_for("{\"time_us\":1,\"type\":\"read\",\"client\":-1}\n"),
            path + ":1: client: expected an integer from 0 to 2147483647");
  EXPECT_NE(read_history_jsonl(temp_path("missing.jsonl")).error.find("cannot read"),
            std::string::npos);
  // Not a history at all: a folder, and a file that never ends (no line
  // of it is held whole in memory).
  const std::string folder = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(read_history_jsonl(folder).error, folder + ": cannot read: is a directory");
  EXPECT_EQ(read_history_jsonl("/dev/zero").error,
            "/dev/zero:1: a line of more than 16777216 bytes: not a history");
  std::remove(path.c_str());
}

// A meta event is its record: one without it must not pass as the record
// of an earlier meta event, nor as one no history holds.
TEST(HistoryJsonl, AMetaEventNeedsItsRecord) {
  const std::string path = temp_path("meta.jsonl");
  const std::string with_record =
      R"({"time_us":1,"type":"meta","version":1,"record":{"symbol":"BTC-USDT","tick_size":10}})"
      "\n";
  const std::string without = R"({"time_us":2,"type":"meta","version":2})"
                              "\n";
  std::ofstream(path) << without;
  EXPECT_EQ(read_history_jsonl(path).error, path + ":1: record: missing: meta events need it");
  std::ofstream(path) << with_record << without;
  const HistoryLoad loaded = read_history_jsonl(path);
  EXPECT_EQ(loaded.error, path + ":2: record: missing: meta events need it");
  EXPECT_EQ(loaded.history.size(), 1u);
  std::ofstream(path) << with_record;
  EXPECT_TRUE(read_history_jsonl(path)) << read_history_jsonl(path).error;
  std::remove(path.c_str());
}

// Fields of other types share their places in an Event (event.h): a reason
// written on a fault window renamed it, a price on one was kept unread, a
// missing client read as no client's and a missing f as a place. Each is
// refused, naming the line and the field, and what came before is kept.
TEST(HistoryJsonl, AFieldOfAnotherTypeOrAMissingOneIsRefused) {
  const std::string path = temp_path("fields-of-types.jsonl");
  const std::string start =
      R"({"time_us":1,"type":"fault_start","fault":"meta.update.drop","param":0})"
      "\n";
  auto error_for = [&](const std::string& line) {
    std::ofstream(path) << start << line << "\n";
    const HistoryLoad loaded = read_history_jsonl(path);
    EXPECT_EQ(loaded.history.size(), loaded ? 2u : 1u);
    return loaded.error;
  };
  EXPECT_EQ(
      error_for(R"({"time_us":2,"type":"fault_stop","reason":"y","fault":"meta.update.drop"})"),
      path + ":2: reason: not a field of fault_stop events");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"fault_stop","fault":"meta.update.drop","price":5})"),
            path + ":2: price: not a field of fault_stop events");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"fault_stop","fault":"x","client":1})"),
            path + ":2: client: not a field of fault_stop events");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"read","client":1,"order":"a","fault":"z"})"),
            path + ":2: fault: not a field of read events");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"fill","client":1,"order":"a","answered":true})"),
            path + ":2: answered: not a field of fill events");
  EXPECT_EQ(
      error_for(
          R"({"time_us":2,"type":"invoke","client":1,"order":"a","replica_schema":2,"op":1,"f":"place"})"),
      path + ":2: replica_schema: not a field of invoke events");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"invoke","client":1,"op":1,"order":"a"})"),
            path + ":2: f: missing: invoke events need it");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"ok","op":1,"f":"place","order":"a"})"),
            path + ":2: client: missing: ok events need it");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"read","client":1})"),
            path + ":2: order: missing: read events need it");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"fault_stop","param":0})"),
            path + ":2: fault: missing: fault_stop events need it");
  EXPECT_EQ(error_for(R"({"time_us":2,"type":"read","client":1,"order":"a","order":"b"})"),
            path + ":2: order: given twice");
  // The fields each type has, in any order, read.
  EXPECT_EQ(error_for(R"({"type":"read","order":"a","time_us":2,"client":0,"reason":"gone"})"), "");
  std::remove(path.c_str());
}

// Ops link each request to its one answer (op_links.h): a file that numbers
// two requests alike, answers one twice or as another kind, or answers one
// never sent, is refused at the line, on the scanner's path (ordeal's own
// layout) and on simdjson's (fields in another order) alike.
TEST(HistoryJsonl, AnOpLinksOneRequestToOneAnswerOfItsKind) {
  const std::string path = temp_path("ops.jsonl");
  const std::string invoke =
      R"({"index":0,"time_us":1,"type":"invoke","client":1,"op":7,"f":"place","order":"a","symbol":"S","side":"buy","price":5,"qty":1})"
      "\n";
  auto answer = [](int op, const char* f) {
    return fmt::format(
        R"({{"index":1,"time_us":2,"type":"ok","client":1,"op":{},"f":"{}","order":"a","status":"new","price":5,"qty":1,"filled":0}})"
        "\n",
        op, f);
  };
  // The same, in an order of fields the scanner refuses: simdjson reads it.
  const std::string invoke_json =
      R"({"op":7,"time_us":1,"type":"invoke","client":1,"f":"place","order":"a","symbol":"S","side":"buy","price":5,"qty":1})"
      "\n";
  auto load = [&](const std::string& content) {
    std::ofstream(path) << content;
    return read_history_jsonl(path);
  };
  for (const std::string& first : {invoke, invoke_json}) {
    const HistoryLoad good = load(first + answer(7, "place"));
    EXPECT_TRUE(good) << good.error;
    const HistoryLoad twice = load(first + first);
    EXPECT_EQ(twice.error,
              path +
                  ":2: op: 7 is invoked twice: an op links one request to its answer, so "
                  "each request needs its own");
    EXPECT_EQ(twice.history.size(), 1u);  // what came before is kept
    EXPECT_EQ(load(first + answer(7, "place") + answer(7, "place")).error,
              path + ":3: op: 7 is completed twice");
    EXPECT_EQ(load(first + answer(7, "cancel")).error,
              path + ":2: f: 'cancel' completes op 7, invoked as 'place'");
    EXPECT_EQ(load(first + answer(8, "place")).error,
              path + ":2: op: 8 completes a request never invoked before this line");
  }
  std::remove(path.c_str());
}

// A file of several read blocks (over 2 MiB) with blank lines, and one bad
// line far into it: the error names that line, and every event before it
// is kept.
TEST(HistoryJsonl, BadLineDeepInALargeFileNamesItsLine) {
  const std::string path = temp_path("large-bad.jsonl");
  constexpr int kLines = 30'000, kBadLine = 21'001;
  auto error_for = [&](const std::string& bad, size_t& events) {
    std::ofstream out(path);
    int line = 0, kept = 0;
    while (++line <= kLines) {
      if (line == kBadLine) {
        out << bad << "\n";
      } else if (line % 1000 == 0) {
        out << "  \n";  // blank lines count as lines
      } else {
        out << "{\"index\":" << line << ",\"time_us\":" << line
            << ",\"type\":\"read\",\"client\":1,\"order\":\"order-" << line
            << "\",\"status\":\"new\",\"price\":50000,\"qty\":1,\"filled\":0}\n";
        kept += line < kBadLine;
      }
    }
    out.close();
    const HistoryLoad loaded = read_history_jsonl(path);
    events = loaded.history.size();
    EXPECT_EQ(static_cast<int>(events), kept);
    return loaded.error;
  };
  const std::string at_line = path + ":" + std::to_string(kBadLine) + ": ";
  size_t events = 0;
  EXPECT_EQ(error_for(R"({"time_us":30000,"type":"read","colour":1})", events),
            at_line + "colour: unknown field");
  EXPECT_EQ(error_for(R"({"time_us":1,"type":"read","client":1,"order":"a"})", events),
            at_line + "time_us: goes backwards (1 after 20999)");
  EXPECT_EQ(
      error_for(R"({"time_us":30000,"type":"read","client":1,"order":"a"} {"time_us":1})", events),
      at_line + "more than one JSON value on the line");
  EXPECT_EQ(error_for("{\"time_us\":30000,\n\"type\":\"read\"}", events).rfind(at_line, 0), 0u);
  EXPECT_EQ(
      error_for(R"({"time_us":30000,"type":"read","order":"unclosed})", events).rfind(at_line, 0),
      0u);
  EXPECT_EQ(error_for(R"([1, 2])", events), at_line + "expected a JSON object");
  // A line cut short says so, not that it is no object.
  const std::string cut = error_for(R"({"time_us":30000,"type":"read","client":1)", events);
  EXPECT_EQ(cut.rfind(at_line, 0), 0u);
  EXPECT_EQ(cut.find("expected a JSON object"), std::string::npos) << cut;
  std::ofstream(path) << "\n\n{\"time_us\":1,\"type\":\"read\",\"client\":1,\"order\":\"a\"}\n\n{"
                         "\"time_us\":1,\"type\":\"rea\"}\n";
  EXPECT_EQ(read_history_jsonl(path).error, path + ":5: type: unknown event type 'rea'");
  std::remove(path.c_str());
}

TEST(History, InternsStrings) {
  History h;
  EXPECT_EQ(h.intern(""), 0u);
  const Sym a = h.intern("a");
  EXPECT_EQ(h.intern("a"), a);
  EXPECT_NE(h.intern("b"), a);
  EXPECT_EQ(h.text(a), "a");
}

}  // namespace
}  // namespace ordeal
