#include "targets/fix/fix_store.h"

namespace ordeal {
namespace fix {

RecentMessageStore::RecentMessageStore(size_t messages_max)
    : messages_max_(messages_max > 0 ? messages_max : 1) {}

// QuickFIX stores each message it sends under the next sequence number, so
// they arrive in order. A number already kept replaces it and what follows
// (a process killed after storing a message but before counting it sends
// the next one under the same number); anything else (a sequence reset by
// hand) starts the kept run again.
bool RecentMessageStore::set(int seq, const std::string& message) throw(FIX::IOException) {
  const int next_seq = first_seq_ + static_cast<int>(messages_.size());
  if (seq >= first_seq_ && seq < next_seq) {
    messages_.resize(static_cast<size_t>(seq - first_seq_));
  } else if (seq != next_seq) {
    messages_.clear();
    first_seq_ = seq;
  }
  messages_.push_back(message);
  while (messages_.size() > messages_max_) {
    messages_.pop_front();
    ++first_seq_;
  }
  return true;
}

void RecentMessageStore::get(int begin, int end, std::vector<std::string>& messages) const
    throw(FIX::IOException) {
  messages.clear();
  const int last_seq = first_seq_ + static_cast<int>(messages_.size()) - 1;
  const int from = begin > first_seq_ ? begin : first_seq_;
  const int to = end < last_seq ? end : last_seq;
  for (int seq = from; seq <= to; ++seq) {
    messages.push_back(messages_[static_cast<size_t>(seq - first_seq_)]);
  }
}

void RecentMessageStore::reset() throw(FIX::IOException) {
  messages_.clear();
  first_seq_ = 1;
  next_sender_ = 1;
  next_target_ = 1;
  creation_time_.setCurrent();
}

namespace {

// The kept stores: one per session key, for the life of the process. The
// number of sessions is what the process configures, so this stays small.
struct KeptStores {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<RecentMessageStore> > by_session;

  static KeptStores& instance() {
    static KeptStores stores;
    return stores;
  }
};

}  // namespace

FIX::MessageStore* RecentStoreFactory::create(const FIX::SessionID& id) {
  if (!keep_) return new RecentMessageStore(messages_max_);
  KeptStores& kept = KeptStores::instance();
  std::lock_guard<std::mutex> lock(kept.mutex);
  std::unique_ptr<RecentMessageStore>& store = kept.by_session[id.toString()];
  if (!store) store.reset(new RecentMessageStore(messages_max_));
  return store.get();
}

void RecentStoreFactory::destroy(FIX::MessageStore* store) {
  if (!keep_) delete store;
}

}  // namespace fix
}  // namespace ordeal
