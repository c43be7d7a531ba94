#include "targets/exchange/wire.h"

#include <fmt/format.h>

#include <boost/crc.hpp>
#include <cstring>
#include <type_traits>

#include "framework/base/assert.h"
#include "targets/exchange/gateway_journal.h"
#include "targets/exchange/shard_journal.h"

namespace ordeal::exchange::wire {
namespace {

// Each message's fields, once: the same list serves writing and reading.
template <typename A>
void fields(A& a, Instrument& m) {
  a(m.symbol, m.tick_size, m.lot_size, m.min_qty, m.max_qty, m.min_price, m.max_price, m.status,
    m.shard, m.schema, m.max_notional);
}
template <typename A>
void fields(A& a, ClientRequest& m) {
  a(m.kind, m.client, m.request_id, m.clordid, m.symbol, m.side, m.type, m.tif, m.post_only,
    m.price, m.qty);
}
template <typename A>
void fields(A& a, OrderView& m) {
  a(m.order_id, m.client, m.clordid, m.symbol, m.side, m.status, m.price, m.qty, m.filled);
}
template <typename A>
void fields(A& a, ClientResponse& m) {
  a(m.client, m.request_id, m.kind, m.verdict, m.reason, m.order, m.meta_version, m.cancelled_count,
    m.orders);
}
template <typename A>
void fields(A& a, Fill& m) {
  a(m.client, m.order_id, m.clordid, m.symbol, m.side, m.price, m.qty, m.trade_id, m.maker,
    m.order_filled, m.order_qty, m.report_seq);
}
template <typename A>
void fields(A& a, OrderUpdate& m) {
  a(m.order, m.reason, m.report_seq);
}
template <typename A>
void fields(A& a, ShardRequest& m) {
  a(m.gateway_request_id, m.kind, m.order_id, m.client, m.clordid, m.symbol, m.side, m.type, m.tif,
    m.post_only, m.price, m.qty, m.meta_version, m.gateway, m.hops, m.part, m.order_ids,
    m.reports_seen, m.resend_reports);
}
template <typename A>
void fields(A& a, ShardResponse& m) {
  a(m.gateway_request_id, m.ok, m.reason, m.order, m.shard_version, m.cancelled_count, m.part,
    m.orders);
}
template <typename A>
void fields(A& a, MetaUpdateRequest& m) {
  a(m.request_id, m.record);
}
template <typename A>
void fields(A& a, MetaUpdateResult& m) {
  a(m.request_id, m.ok, m.version, m.reason, m.record, m.schema);
}
template <typename A>
void fields(A& a, MetaPublish& m) {
  a(m.version, m.record, m.checksum);
}
template <typename A>
void fields(A& a, MetaHeartbeat& m) {
  a(m.version);
}
template <typename A>
void fields(A& /*a*/, MetaSubscribe& /*m*/) {}
template <typename A>
void fields(A& a, MetadataState& m) {
  a(m.version, m.instruments);
}
template <typename A>
void fields(A& a, MetaSnapshot& m) {
  a(m.state, m.checksum);
}

// An engine shard's journal entries (shard_journal.h) use the same encoding.
template <typename A>
void fields(A& a, DurableOrder& m) {
  a(m.view, m.tif, m.post_only, m.gateway, m.resting_qty, m.requeued);
}
template <typename A>
void fields(A& a, DurableReport& m) {
  a(m.gateway, m.is_fill, m.fill, m.update);
}
template <typename A>
void fields(A& a, ShardEntry& m) {
  a(m.next_trade_id, m.orders, m.reports);
}
// An entry as journals written before the reports were kept have it.
struct ShardEntryWithoutReports {
  uint64_t next_trade_id = 0;
  std::vector<DurableOrder> orders;
};
template <typename A>
void fields(A& a, ShardEntryWithoutReports& m) {
  a(m.next_trade_id, m.orders);
}
// And the gateway's (gateway_journal.h).
template <typename A>
void fields(A& a, GatewayOrder& m) {
  a(m.placed, m.shard, m.client_node);
}
template <typename A>
void fields(A& a, GatewayEntry& m) {
  a(m.boot, m.orders);
}

template <typename T>
constexpr bool kIsScalar = std::is_integral_v<T> || std::is_enum_v<T>;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <typename... T>
  void operator()(T&... values) {
    (put(values), ...);
  }

 private:
  template <typename T>
  void put(T& value) {
    if constexpr (kIsScalar<T>) {
      // Little-endian hosts only (x86-64, arm64): the bytes as they are.
      out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
      auto n = static_cast<uint32_t>(value.size());
      put(n);
      out_.append(value);
    } else if constexpr (requires {
                           value.size();
                           value.begin();
                         }) {
      auto n = static_cast<uint32_t>(value.size());
      put(n);
      for (auto& item : value) put(item);
    } else {
      fields(*this, value);
    }
  }
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  bool failed() const { return failed_; }
  bool at_end() const { return in_.empty(); }

 private:
  template <typename T>
  void get(T& value) {
    if constexpr (kIsScalar<T>) {
      if (!take(sizeof(T))) return;
      std::memcpy(&value, taken_.data(), sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
      uint32_t n = 0;
      get(n);
      if (take(n)) value.assign(taken_);
    } else if constexpr (requires {
                           value.size();
                           value.resize(0);
                         }) {
      uint32_t n = 0;
      get(n);
      // Every item takes at least one byte: a count beyond that is corrupt.
      if (failed_ || n > in_.size()) {
        failed_ = true;
        return;
      }
      value.resize(n);
      for (auto& item : value) get(item);
    } else {
      fields(*this, value);
    }
  }
  bool take(size_t n) {
    if (failed_ || n > in_.size()) {
      failed_ = true;
      return false;
    }
    taken_ = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
  std::string_view taken_;
  bool failed_ = false;
};

// A journal entry: its fields alone, no frame.
template <typename T>
std::string encode_whole(const T& value) {
  std::string out;
  Writer writer(out);
  writer(const_cast<T&>(value));
  return out;
}
template <typename T>
bool decode_whole(std::string_view bytes, T& value) {
  Reader reader(bytes);
  value = T{};
  reader(value);
  return !reader.failed() && reader.at_end();
}

template <size_t I = 0>
bool read_alternative(size_t index, Reader& reader, Message& message) {
  if constexpr (I < std::variant_size_v<Message>) {
    if (index != I) return read_alternative<I + 1>(index, reader, message);
    std::variant_alternative_t<I, Message> value;
    reader(value);
    message = std::move(value);
    return true;
  } else {
    return false;
  }
}

}  // namespace

std::string encode(NodeId from, const Message& message) {
  std::string out(kLengthBytes, '\0');
  Writer writer(out);
  auto type = static_cast<uint8_t>(message.index());
  writer(from, type);
  std::visit([&](const auto& m) { writer(const_cast<std::remove_cvref_t<decltype(m)>&>(m)); },
             message);
  const uint32_t crc = checksum(std::string_view(out).substr(kLengthBytes));
  writer(crc);
  const auto body = static_cast<uint32_t>(out.size() - kLengthBytes);
  ORDEAL_ASSERT(body <= kFrameBytesMax, "frame of {} bytes", body);
  std::memcpy(out.data(), &body, kLengthBytes);
  return out;
}

Decoded decode(std::string_view frame) {
  Decoded d;
  if (frame.size() < kChecksumBytes) {
    d.error = "frame too short for its checksum";
    return d;
  }
  const std::string_view body = frame.substr(0, frame.size() - kChecksumBytes);
  uint32_t crc = 0;
  std::memcpy(&crc, frame.data() + body.size(), kChecksumBytes);
  if (crc != checksum(body)) {
    d.error = "checksum mismatch (the frame was damaged on the way)";
    return d;
  }
  Reader reader(body);
  uint8_t type = 0;
  reader(d.from, type);
  if (reader.failed()) {
    d.error = "frame too short for its header";
  } else if (!read_alternative(type, reader, d.message)) {
    d.error = fmt::format("unknown message type {}", type);
  } else if (reader.failed()) {
    d.error = fmt::format("message type {} cut short", type);
  } else if (!reader.at_end()) {
    d.error = fmt::format("message type {} has trailing bytes", type);
  }
  return d;
}

uint32_t checksum(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

}  // namespace ordeal::exchange::wire

namespace ordeal::exchange {

std::string encode_shard_entry(const ShardEntry& entry) { return wire::encode_whole(entry); }

// An entry of an earlier journal lacks the reports' count at its end:
// read as one with no report, so that a node's state dir outlives an upgrade.
bool decode_shard_entry(std::string_view bytes, ShardEntry& entry) {
  if (wire::decode_whole(bytes, entry)) return true;
  wire::ShardEntryWithoutReports earlier;
  if (!wire::decode_whole(bytes, earlier)) return false;
  entry = ShardEntry{.next_trade_id = earlier.next_trade_id, .orders = std::move(earlier.orders)};
  return true;
}

std::string encode_gateway_entry(const GatewayEntry& entry) { return wire::encode_whole(entry); }

bool decode_gateway_entry(std::string_view bytes, GatewayEntry& entry) {
  return wire::decode_whole(bytes, entry);
}

}  // namespace ordeal::exchange

namespace ordeal::exchange::wire {

uint32_t body_length(const char* prefix) {
  uint32_t n = 0;
  std::memcpy(&n, prefix, kLengthBytes);
  return n;
}

}  // namespace ordeal::exchange::wire
