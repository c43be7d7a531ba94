// The message stores of ordeal's FIX sessions: sequence numbers and the
// most recent messages sent, in memory. QuickFIX's MemoryStore keeps every
// message a session ever sent, so a long live run grows without bound; this
// store keeps the last `messages_max`. A ResendRequest gets the kept ones
// again and a SequenceReset-GapFill over older ones (QuickFIX fills every
// message the store does not return), which the counterparty treats like
// resent admin messages. Only fix_engine.cc and tests include this header
// (QuickFIX's headers are C++14 only).
//
//   RecentStoreFactory stores(100000, /*keep=*/false);
//   FIX::Session* session = FIX::SessionFactory(app, stores, nullptr).create(id, dict);
#pragma once

#include <quickfix/MessageStore.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ordeal {
namespace fix {

class RecentMessageStore : public FIX::MessageStore {
 public:
  explicit RecentMessageStore(size_t messages_max);

  bool set(int seq, const std::string& message) throw(FIX::IOException) override;
  void get(int begin, int end, std::vector<std::string>& messages) const
      throw(FIX::IOException) override;
  int getNextSenderMsgSeqNum() const throw(FIX::IOException) override { return next_sender_; }
  int getNextTargetMsgSeqNum() const throw(FIX::IOException) override { return next_target_; }
  void setNextSenderMsgSeqNum(int value) throw(FIX::IOException) override { next_sender_ = value; }
  void setNextTargetMsgSeqNum(int value) throw(FIX::IOException) override { next_target_ = value; }
  void incrNextSenderMsgSeqNum() throw(FIX::IOException) override { ++next_sender_; }
  void incrNextTargetMsgSeqNum() throw(FIX::IOException) override { ++next_target_; }
  FIX::UtcTimeStamp getCreationTime() const throw(FIX::IOException) override {
    return creation_time_;
  }
  void reset() throw(FIX::IOException) override;
  void refresh() throw(FIX::IOException) override {}

  size_t size() const { return messages_.size(); }
  size_t messages_max() const { return messages_max_; }
  // The kept messages, oldest first, and the sequence number of the first.
  const std::deque<std::string>& kept() const { return messages_; }
  int first_seq() const { return first_seq_; }

 protected:
  void set_creation_time(const FIX::UtcTimeStamp& time) { creation_time_ = time; }

 private:
  const size_t messages_max_;
  std::deque<std::string> messages_;  // sequence numbers first_seq_, first_seq_ + 1, ...
  int first_seq_ = 1;
  int next_sender_ = 1;
  int next_target_ = 1;
  FIX::UtcTimeStamp creation_time_;
};

// Creates RecentMessageStores. With `keep`, a session's store outlives its
// engine (for the rest of the process, one per session): the next engine
// with the same session continues its sequence numbers and can still
// answer a ResendRequest for what the previous one sent.
class RecentStoreFactory : public FIX::MessageStoreFactory {
 public:
  RecentStoreFactory(size_t messages_max, bool keep) : messages_max_(messages_max), keep_(keep) {}
  FIX::MessageStore* create(const FIX::SessionID& id) override;
  void destroy(FIX::MessageStore* store) override;

 private:
  const size_t messages_max_;
  const bool keep_;
};

}  // namespace fix
}  // namespace ordeal
