#include "targets/exchange/gateway_journal.h"

namespace ordeal::exchange {

Recovery GatewayJournal::open(const std::string& path, const JournalLimits& limits,
                              const std::function<void(const GatewayEntry&)>& replay) {
  return journal_.open(path, limits, [&](std::string_view bytes) {
    GatewayEntry entry;
    if (!decode_gateway_entry(bytes, entry)) return false;
    replay(entry);
    return true;
  });
}

std::string GatewayJournal::append(const GatewayEntry& entry,
                                   const std::function<GatewayEntry()>& snapshot) {
  return journal_.append(encode_gateway_entry(entry),
                         [&] { return encode_gateway_entry(snapshot()); });
}

}  // namespace ordeal::exchange
