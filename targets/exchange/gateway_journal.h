// The gateway's durable state: each start of the gateway (its incarnation)
// and every order it placed (the client's order id, the exchange order id it
// gave, the shard that holds it, the terms as placed, the node it came
// from, where its fills go after a restart), written before the
// order goes to a shard, so that a gateway killed with SIGKILL starts again
// knowing every order a shard may hold: it never hands out an order id twice,
// and it still routes amends, cancels and status requests of the orders
// placed before the kill.
//
//   GatewayJournal journal;
//   Recovery r = journal.open(dir + "/gateway.log", limits, [&](const GatewayEntry& e) {...});
//   journal.append({.boot = last_boot + 1}, snapshot);   // at every start
//   journal.append({.orders = {placed}}, snapshot);      // before forwarding it
//
// What is not kept: requests in flight (their clients see them end unknown)
// and the latest state of each order (the shards hold it; a status request
// asks them). Only live nodes have a journal: in the simulator a crash keeps
// what on_crash() keeps, the same as this journal holds.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "targets/exchange/entry_journal.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

struct GatewayOrder {
  OrderView placed;  // the terms as placed; status new
  ShardId shard = 0;
  NodeId client_node = 0;  // where it was placed from: where its fills go after a restart
};

// One record: a start of the gateway (boot > 0), or orders placed or moved
// to another shard; a snapshot holds the last boot and every order.
struct GatewayEntry {
  uint64_t boot = 0;
  std::vector<GatewayOrder> orders;
};

class GatewayJournal {
 public:
  // Reads the journal, handing each entry to `replay` in order.
  Recovery open(const std::string& path, const JournalLimits& limits,
                const std::function<void(const GatewayEntry&)>& replay);
  // Writes one entry durably; past compact_bytes, `snapshot()` replaces the
  // whole journal. An error message or empty.
  std::string append(const GatewayEntry& entry, const std::function<GatewayEntry()>& snapshot);
  // True when a snapshot would no longer leave room to grow: the gateway
  // then refuses new orders instead of failing to keep them.
  bool nearly_full() const { return journal_.nearly_full(); }

 private:
  EntryJournal journal_{"gateway journal"};
};

std::string encode_gateway_entry(const GatewayEntry& entry);
// False when the bytes are not a whole entry.
bool decode_gateway_entry(std::string_view bytes, GatewayEntry& entry);

}  // namespace ordeal::exchange
