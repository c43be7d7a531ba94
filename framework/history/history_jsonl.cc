#include "framework/history/history_jsonl.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ordeal {
namespace {

using exchange::RequestKind;

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

// Written with to_chars: fmt::format_to through a back_inserter cost more
// than the rest of an event's line.
void append_number(std::string& out, int64_t number) {
  char digits[20];  // -9223372036854775808
  out.append(digits, std::to_chars(digits, digits + sizeof(digits), number).ptr);
}

void field(std::string& out, std::string_view key, int64_t number) {
  out += ",\"";
  out += key;
  out += "\":";
  append_number(out, number);
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
  std::string out = "{\"index\":";
  append_number(out, static_cast<int64_t>(index));
  field(out, "time_us", e.time_us);
  out += ",\"type\":\"";
  out += to_string(e.type);
  out += '"';
  if (is_client_event(e.type)) field(out, "client", e.client);
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
      if (e.type == EventType::read && e.flag) out += ",\"answered\":false";
      break;
    case EventType::fault_start:
    case EventType::fault_stop:
    case EventType::fault_fire:
      field(out, "fault", h.text(e.text));
      field(out, "param", e.number);
      if (e.type == EventType::fault_start && e.order != 0) field(out, "pins", h.text(e.order));
      if (e.type == EventType::fault_fire && e.qty != 0) field(out, "check", e.qty);
      break;
    case EventType::meta:
      field(out, "version", e.number);
      record_field(out, h.record(e.record));
      if (e.qty != 0) field(out, "replica_schema", e.qty);
      break;
  }
  out += "}\n";
  return out;
}

bool write_history_jsonl(const History& history, const std::string& path, std::string& error) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "w"), &std::fclose);
  if (!file) {
    error = fmt::format("{}: cannot open for writing: {}", path, std::strerror(errno));
    return false;
  }
  for (size_t i = 0; i < history.size(); ++i) {
    const std::string line = event_json(history, i);
    if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
      error = fmt::format("{}: write failed: {}", path, std::strerror(errno));
      return false;
    }
  }
  // The buffered rest goes out at the close: a full disk can show only there.
  if (std::fclose(file.release()) != 0) {
    error = fmt::format("{}: write failed: {}", path, std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace ordeal
