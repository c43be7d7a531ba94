#include "framework/history/history_jsonl.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "framework/base/assert.h"

namespace ordeal {
namespace {

using exchange::OrdStatus;
using exchange::RequestKind;
using exchange::Side;
using exchange::TradingStatus;

void append_escaped(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void field(std::string& out, std::string_view key, std::string_view text) {
  out += ",\"";
  out += key;
  out += "\":";
  append_escaped(out, text);
}

void field(std::string& out, std::string_view key, int64_t number) {
  fmt::format_to(std::back_inserter(out), ",\"{}\":{}", key, number);
}

void order_fields(std::string& out, const Event& e) {
  field(out, "status", exchange::to_string(e.status));
  field(out, "price", e.price);
  field(out, "qty", e.qty);
  field(out, "filled", e.filled);
}

void record_field(std::string& out, const exchange::Instrument& r) {
  out += ",\"record\":{\"symbol\":";
  append_escaped(out, r.symbol);
  fmt::format_to(std::back_inserter(out),
                 ",\"tick_size\":{},\"lot_size\":{},\"min_qty\":{},\"max_qty\":{},"
                 "\"min_price\":{},\"max_price\":{},\"status\":\"{}\",\"shard\":{},\"schema\":{},"
                 "\"max_notional\":{}}}",
                 r.tick_size, r.lot_size, r.min_qty, r.max_qty, r.min_price, r.max_price,
                 exchange::to_string(r.status), r.shard, r.schema, r.max_notional);
}

}  // namespace

std::string event_json(const History& h, size_t index) {
  const Event& e = h[index];
  std::string out = fmt::format("{{\"index\":{},\"time_us\":{},\"type\":\"{}\"", index, e.time_us,
                                to_string(e.type));
  if (e.client >= 0) field(out, "client", e.client);
  if (e.op != 0) field(out, "op", e.op);
  switch (e.type) {
    case EventType::invoke:
      field(out, "f", exchange::to_string(e.kind));
      field(out, "order", h.text(e.order));
      if (e.symbol != 0) field(out, "symbol", h.text(e.symbol));
      field(out, "side", exchange::to_string(e.side));
      field(out, "price", e.price);
      field(out, "qty", e.qty);
      if (e.number & kMarketFlag) out += ",\"ord_type\":\"market\"";
      if (e.number & kIocFlag) out += ",\"tif\":\"ioc\"";
      if (e.number & kPostOnlyFlag) out += ",\"post_only\":true";
      if (e.flag) out += ",\"invalid\":true";
      break;
    case EventType::ok:
    case EventType::fail:
    case EventType::info:
      field(out, "f", exchange::to_string(e.kind));
      field(out, "order", h.text(e.order));
      order_fields(out, e);
      if (e.text != 0) field(out, "reason", h.text(e.text));
      if (e.kind == RequestKind::mass_cancel) field(out, "count", e.number);
      if (e.type == EventType::info) out += e.flag ? ",\"answered\":true" : ",\"answered\":false";
      break;
    case EventType::fill:
      field(out, "order", h.text(e.order));
      field(out, "symbol", h.text(e.symbol));
      field(out, "side", exchange::to_string(e.side));
      field(out, "price", e.price);
      field(out, "qty", e.qty);
      field(out, "filled", e.filled);
      field(out, "trade", e.number);
      if (e.flag) out += ",\"maker\":true";
      break;
    case EventType::update:
    case EventType::read:
      field(out, "order", h.text(e.order));
      order_fields(out, e);
      if (e.text != 0) field(out, "reason", h.text(e.text));
      break;
    case EventType::fault_start:
    case EventType::fault_stop:
      field(out, "fault", h.text(e.text));
      field(out, "param", e.number);
      break;
    case EventType::meta:
      field(out, "version", e.number);
      record_field(out, h.record(e.record));
      break;
  }
  out += "}\n";
  return out;
}

bool write_history_jsonl(const History& history, const std::string& path, std::string& error) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "w"), &std::fclose);
  if (!file) {
    error = fmt::format("{}: cannot open for writing", path);
    return false;
  }
  for (size_t i = 0; i < history.size(); ++i) {
    const std::string line = event_json(history, i);
    if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
      error = fmt::format("{}: write failed", path);
      return false;
    }
  }
  return true;
}

// ---- reading ------------------------------------------------------------------

namespace {

using exchange::kOrdStatuses;
using exchange::kRequestKinds;
using exchange::kSides;
using exchange::kTradingStatuses;

struct LineError {
  std::string field;
  std::string message;
};

using simdjson::ondemand::value;

std::optional<LineError> read_int(value v, std::string_view key, int64_t& out) {
  auto n = v.get_int64();
  if (n.error()) return LineError{std::string(key), "expected an integer"};
  out = n.value_unsafe();
  return std::nullopt;
}

std::optional<LineError> read_text(value v, std::string_view key, std::string_view& out) {
  auto s = v.get_string();
  if (s.error()) return LineError{std::string(key), "expected a string"};
  out = s.value_unsafe();
  return std::nullopt;
}

template <typename Enum, size_t N>
std::optional<LineError> read_enum(value v, std::string_view key, const std::array<Enum, N>& values,
                                   Enum& out) {
  std::string_view text;
  if (auto error = read_text(v, key, text)) return error;
  auto parsed = from_string(text, values);
  if (!parsed) return LineError{std::string(key), fmt::format("unknown value '{}'", text)};
  out = *parsed;
  return std::nullopt;
}

std::optional<LineError> read_record(value v, exchange::Instrument& r) {
  auto object = v.get_object();
  if (object.error()) return LineError{"record", "expected an object"};
  for (auto member : object.value_unsafe()) {
    std::string_view key = member.unescaped_key().value_unsafe();
    value field_value = member.value().value_unsafe();
    std::optional<LineError> error;
    int64_t number = 0;
    if (key == "symbol") {
      std::string_view text;
      error = read_text(field_value, "record.symbol", text);
      r.symbol = text;
    } else if (key == "status") {
      error = read_enum(field_value, "record.status", kTradingStatuses, r.status);
    } else {
      error = read_int(field_value, key, number);
      if (key == "tick_size")
        r.tick_size = number;
      else if (key == "lot_size")
        r.lot_size = number;
      else if (key == "min_qty")
        r.min_qty = number;
      else if (key == "max_qty")
        r.max_qty = number;
      else if (key == "min_price")
        r.min_price = number;
      else if (key == "max_price")
        r.max_price = number;
      else if (key == "shard")
        r.shard = static_cast<exchange::ShardId>(number);
      else if (key == "schema")
        r.schema = static_cast<uint8_t>(number);
      else if (key == "max_notional")
        r.max_notional = number;
      else
        return LineError{fmt::format("record.{}", key), "unknown field"};
    }
    if (error) return error;
  }
  return std::nullopt;
}

// Fills `e` from one JSON line; unknown fields are an error (a typo must not
// silently drop data a property needs).
std::optional<LineError> read_event(simdjson::ondemand::parser& parser, std::string_view line,
                                    size_t capacity, History& h, Event& e, bool& has_type) {
  auto doc = parser.iterate(line.data(), line.size(), capacity);
  if (doc.error()) return LineError{"", simdjson::error_message(doc.error())};
  auto object = doc.get_object();
  if (object.error()) return LineError{"", "expected a JSON object"};
  for (auto member : object.value_unsafe()) {
    if (member.error()) return LineError{"", simdjson::error_message(member.error())};
    std::string_view key = member.unescaped_key().value_unsafe();
    value v = member.value().value_unsafe();
    std::optional<LineError> error;
    int64_t number = 0;
    std::string_view text;
    if (key == "index") {
      error = read_int(v, key, number);
    } else if (key == "time_us") {
      error = read_int(v, key, e.time_us);
    } else if (key == "type") {
      error = read_text(v, key, text);
      auto type = event_type_from(text);
      if (!error && !type) error = LineError{"type", fmt::format("unknown event type '{}'", text)};
      if (type) e.type = *type;
      has_type = true;
    } else if (key == "client") {
      error = read_int(v, key, number);
      e.client = static_cast<int32_t>(number);
    } else if (key == "op") {
      error = read_int(v, key, number);
      e.op = static_cast<uint32_t>(number);
    } else if (key == "f") {
      error = read_enum(v, key, kRequestKinds, e.kind);
    } else if (key == "order" || key == "symbol" || key == "reason" || key == "fault") {
      error = read_text(v, key, text);
      const Sym sym = h.intern(text);
      if (key == "order")
        e.order = sym;
      else if (key == "symbol")
        e.symbol = sym;
      else
        e.text = sym;
    } else if (key == "side") {
      error = read_enum(v, key, kSides, e.side);
    } else if (key == "status") {
      error = read_enum(v, key, kOrdStatuses, e.status);
    } else if (key == "price") {
      error = read_int(v, key, e.price);
    } else if (key == "qty") {
      error = read_int(v, key, e.qty);
    } else if (key == "filled") {
      error = read_int(v, key, e.filled);
    } else if (key == "trade" || key == "version" || key == "param" || key == "count") {
      error = read_int(v, key, e.number);
    } else if (key == "ord_type" || key == "tif") {
      error = read_text(v, key, text);
      const bool known = text == "limit" || text == "market" || text == "gtc" || text == "ioc";
      if (!error && !known)
        error = LineError{std::string(key), fmt::format("unknown value '{}'", text)};
      if (text == "market") e.number |= kMarketFlag;
      if (text == "ioc") e.number |= kIocFlag;
    } else if (key == "post_only") {
      auto b = v.get_bool();
      if (b.error())
        error = LineError{std::string(key), "expected true or false"};
      else if (b.value_unsafe())
        e.number |= kPostOnlyFlag;
    } else if (key == "invalid" || key == "answered" || key == "maker") {
      auto b = v.get_bool();
      if (b.error())
        error = LineError{std::string(key), "expected true or false"};
      else
        e.flag = b.value_unsafe();
    } else if (key == "record") {
      exchange::Instrument record;
      error = read_record(v, record);
      if (!error) e.record = h.add_record(record);
    } else {
      error = LineError{std::string(key), "unknown field"};
    }
    if (error) return error;
  }
  return std::nullopt;
}

}  // namespace

// Reads the file in blocks, so that memory holds the events, not the text.
HistoryLoad read_history_jsonl(const std::string& path) {
  constexpr size_t kBlockBytes = size_t{8} << 20;
  HistoryLoad load;
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!file) {
    load.error = fmt::format("{}: cannot read: {}", path, std::strerror(errno));
    return load;
  }
  // One allocation for the events in the usual case (lines of 100 to 200
  // bytes), rather than a doubling vector's copies and slack.
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    const long bytes = std::ftell(file.get());
    if (bytes > 0) load.history.reserve(static_cast<size_t>(bytes) / 120 + 16);
    std::rewind(file.get());
  }
  simdjson::ondemand::parser parser;
  std::string buffer;  // unparsed text, then simdjson's padding
  size_t line_number = 0;
  int64_t last_time_us = 0;
  bool end_of_file = false;
  while (!end_of_file) {
    const size_t kept = buffer.size();
    buffer.resize(kept + kBlockBytes);
    const size_t got = std::fread(buffer.data() + kept, 1, kBlockBytes, file.get());
    buffer.resize(kept + got);
    end_of_file = got < kBlockBytes;
    if (end_of_file && !buffer.empty() && buffer.back() != '\n') buffer.push_back('\n');
    const size_t complete = buffer.rfind('\n') == std::string::npos ? 0 : buffer.rfind('\n') + 1;
    const size_t text_size = buffer.size();
    buffer.append(simdjson::SIMDJSON_PADDING, ' ');
    std::string_view rest(buffer.data(), complete);
    while (!rest.empty()) {
      ++line_number;
      const size_t end = rest.find('\n');
      const std::string_view line = rest.substr(0, end);
      rest.remove_prefix(end + 1);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const size_t capacity = static_cast<size_t>(buffer.data() + buffer.size() - line.data());
      Event event;
      bool has_type = false;
      auto error = read_event(parser, line, capacity, load.history, event, has_type);
      if (!error && !has_type) error = LineError{"type", "missing"};
      if (!error && event.time_us < last_time_us) {
        error = LineError{"time_us",
                          fmt::format("goes backwards ({} after {})", event.time_us, last_time_us)};
      }
      if (error) {
        load.error = fmt::format("{}:{}: {}{}{}", path, line_number, error->field,
                                 error->field.empty() ? "" : ": ", error->message);
        return load;
      }
      last_time_us = event.time_us;
      load.history.append(event);
    }
    buffer.erase(0, complete);
    buffer.resize(text_size - complete);
  }
  if (std::ferror(file.get())) load.error = fmt::format("{}: read failed", path);
  return load;
}

}  // namespace ordeal
