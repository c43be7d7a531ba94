// An engine shard's durable state: after each request it applies, the shard
// writes what that request changed (every order it touched, as it now is,
// and where it now stands in its book) before it answers, so a shard killed
// with SIGKILL starts again with every order it acknowledged.
//
//   ShardJournal journal;
//   Recovery r = journal.open(dir + "/shard.log", limits);  // r.entries: replay in order
//   journal.append(entry);      // fsynced; compacts into one snapshot past compact_bytes
//
// Replaying the entries in order rebuilds the books with their time priority:
// an order marked `requeued` went to the back of its price level in that
// entry; any other resting order kept its place and only its open quantity
// changed. A snapshot is one entry holding every order, resting ones in book
// order and all requeued, with the reports the shard still holds for the
// gateways. Only live nodes have a journal: in the simulator a crash keeps
// the shard's memory, as if it were on disk.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "targets/exchange/entry_journal.h"
#include "targets/exchange/messages.h"

namespace ordeal::exchange {

struct DurableOrder {
  OrderView view;
  TimeInForce tif = TimeInForce::gtc;
  bool post_only = false;
  NodeId gateway = 0;
  Qty resting_qty = 0;    // open quantity in the book; 0: not in the book
  bool requeued = false;  // went to the back of its level in this entry
};

// A report the shard made for a gateway (report_log.h): a fill, or an
// unsolicited update of an order.
struct DurableReport {
  NodeId gateway = 0;
  bool is_fill = false;
  Fill fill;           // is_fill
  OrderUpdate update;  // otherwise
};

struct ShardEntry {
  uint64_t next_trade_id = 0;
  std::vector<DurableOrder> orders;
  // The reports the request made; in a snapshot, every report still held.
  // Written before they are sent, so that a shard killed before they left
  // sends them after its restart.
  std::vector<DurableReport> reports;
};

class ShardJournal {
 public:
  // Reads the journal, handing each entry to `replay` in order.
  Recovery open(const std::string& path, const JournalLimits& limits,
                const std::function<void(const ShardEntry&)>& replay);
  // Writes one entry durably; past compact_bytes, `snapshot()` replaces the
  // whole journal. An error message or empty.
  std::string append(const ShardEntry& entry, const std::function<ShardEntry()>& snapshot);
  // True when a snapshot would no longer leave room to grow: the shard then
  // refuses new orders instead of failing to keep them.
  bool nearly_full() const { return journal_.nearly_full(); }

 private:
  EntryJournal journal_{"shard journal"};
};

std::string encode_shard_entry(const ShardEntry& entry);
// False when the bytes are not a whole entry.
bool decode_shard_entry(std::string_view bytes, ShardEntry& entry);

}  // namespace ordeal::exchange
