// The FIX port's chains of ClOrdIDs: FIX gives each amend and cancel a new
// ClOrdID, the exchange names an order by the one it was placed with. This
// maps any ClOrdID of an order back to the first, and the first to the one
// in force (the last amend acknowledged). With a journal the links that an
// acknowledged amend made survive a SIGKILL of the gateway, so a cancel
// that names the order by its amended ClOrdID still finds it.
//
//   ClOrdIdChains chains;
//   chains.attach_journal(dir + "/clordids.log", {});
//   chains.named(client, "c1.7", chains.original(client, "c1-1"));  // a request's own id
//   chains.amended(client, "c1-1", "c1.7");                         // written before the ack
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "targets/exchange/entry_journal.h"
#include "targets/exchange/types.h"

namespace ordeal::fix {

class ClOrdIdChains {
 public:
  // Restores the links from the journal at `path` and keeps every new
  // amend's link there. Call before any request arrives.
  exchange::Recovery attach_journal(const std::string& path, const exchange::JournalLimits& limits);

  // The ClOrdID the order was placed with (`clordid` itself when unknown).
  const std::string& original(exchange::ClientId client, const std::string& clordid) const;
  // The ClOrdID in force of the order placed as `first`.
  const std::string& current(exchange::ClientId client, const std::string& first) const;
  size_t size() const { return first_.size(); }

  // `alias` (a request's own ClOrdID) names the order placed as `first`.
  void named(exchange::ClientId client, const std::string& alias, const std::string& first);
  // An amend was acknowledged: `latest` is now the order's ClOrdID in force.
  // Journaled before it returns; a failed write stops the process.
  void amended(exchange::ClientId client, const std::string& first, const std::string& latest);

 private:
  using Key = std::pair<exchange::ClientId, std::string>;
  void link(exchange::ClientId client, const std::string& first, const std::string& latest);
  std::string snapshot() const;
  bool replay(std::string_view record);

  std::map<Key, std::string> first_;   // any ClOrdID -> the order's first
  std::map<Key, std::string> latest_;  // first -> the one in force
  std::unique_ptr<exchange::EntryJournal> journal_;
};

}  // namespace ordeal::fix
