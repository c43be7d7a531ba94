#include "targets/fix/clordid_chains.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace ordeal::fix {
namespace {

// A record is links "client SOH first SOH latest STX", one or more (a
// snapshot): FIX field values never hold SOH or STX.
constexpr char kField = '\x01';
constexpr char kLink = '\x02';

std::string encode_link(exchange::ClientId client, const std::string& first,
                        const std::string& latest) {
  return fmt::format("{}{}{}{}{}{}", client, kField, first, kField, latest, kLink);
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
    const size_t a = record.find(kField);
    const size_t b = a == std::string_view::npos ? a : record.find(kField, a + 1);
    const size_t end = b == std::string_view::npos ? b : record.find(kLink, b + 1);
    if (end == std::string_view::npos) return false;
    exchange::ClientId client = 0;
    const auto parsed = std::from_chars(record.data(), record.data() + a, client);
    if (parsed.ec != std::errc{} || parsed.ptr != record.data() + a) return false;
    link(client, std::string(record.substr(a + 1, b - a - 1)),
         std::string(record.substr(b + 1, end - b - 1)));
    record.remove_prefix(end + 1);
  }
  return true;
}

exchange::Recovery ClOrdIdChains::attach_journal(const std::string& path,
                                                 const exchange::JournalLimits& limits) {
  auto journal = std::make_unique<exchange::EntryJournal>("ClOrdID chain");
  exchange::Recovery r =
      journal->open(path, limits, [this](std::string_view record) { return replay(record); });
  if (r.error.empty()) journal_ = std::move(journal);
  return r;
}

}  // namespace ordeal::fix
