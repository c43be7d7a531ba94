#include "targets/fix/clordid_chains.h"

#include <fmt/format.h>

#include <cstdlib>

#include "targets/fix/journal_fields.h"

namespace ordeal::fix {
namespace {

// An entry is a link: client, first ClOrdID, latest (journal_fields.h).
std::string encode_link(exchange::ClientId client, const std::string& first,
                        const std::string& latest) {
  return fmt::format("{}{}{}{}{}{}", client, kFieldEnd, first, kFieldEnd, latest, kEntryEnd);
}

}  // namespace

const std::string& ClOrdIdChains::original(exchange::ClientId client,
                                           const std::string& clordid) const {
  auto it = first_.find({client, clordid});
  return it == first_.end() ? clordid : it->second;
}

const std::string& ClOrdIdChains::current(exchange::ClientId client,
                                          const std::string& first) const {
  auto it = latest_.find({client, first});
  return it == latest_.end() ? first : it->second;
}

void ClOrdIdChains::named(exchange::ClientId client, const std::string& alias,
                          const std::string& first) {
  first_.try_emplace({client, alias}, first);
}

void ClOrdIdChains::link(exchange::ClientId client, const std::string& first,
                         const std::string& latest) {
  first_[{client, first}] = first;
  first_[{client, latest}] = first;
  latest_[{client, first}] = latest;
}

void ClOrdIdChains::amended(exchange::ClientId client, const std::string& first,
                            const std::string& latest) {
  link(client, first, latest);
  if (!journal_) return;
  const std::string e =
      journal_->append(encode_link(client, first, latest), [this] { return snapshot(); });
  if (!e.empty()) {
    fmt::print(stderr, "FIX port: journal write failed, stopping: {}\n", e);
    std::_Exit(75);
  }
}

std::string ClOrdIdChains::snapshot() const {
  std::string out;
  for (const auto& [key, latest] : latest_) out += encode_link(key.first, key.second, latest);
  return out;
}

bool ClOrdIdChains::replay(std::string_view record) {
  while (!record.empty()) {
    exchange::ClientId client = 0;
    if (!take_client(record, client)) return false;
    const std::optional<std::string_view> first = take(record, kFieldEnd);
    const std::optional<std::string_view> latest = first ? take(record, kEntryEnd) : std::nullopt;
    if (!latest) return false;
    link(client, std::string(*first), std::string(*latest));
  }
  return true;
}

exchange::Recovery ClOrdIdChains::attach_journal(const std::string& path,
                                                 const exchange::JournalLimits& limits) {
  return exchange::open_journal(journal_, "ClOrdID chain", path, limits,
                                [this](std::string_view record) { return replay(record); });
}

}  // namespace ordeal::fix
