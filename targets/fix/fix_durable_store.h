// The message store of a FIX session that must survive a kill -9 (the
// reference gateway's sessions, in its state dir): the sequence numbers and
// the last `messages_max` messages sent, on disk, so that a restarted process
// continues its sessions where they stopped. Unlike QuickFIX's FileStore,
// which keeps every message of the run, the files stay bounded: older
// messages are dropped, and a ResendRequest for them gets a gap fill, as
// with RecentMessageStore (fix_store.h).
//
// Two files per session in the folder: `<session>.seqnums` (one fixed-size
// line, rewritten in place at every change: next sender and target numbers
// and the creation time) and `<session>.messages` (appended records, "seq
// length\n" then the message and "\n"; rewritten with only the kept
// messages once it holds twice as many). A record cut short by a kill at
// the end of the file is dropped when the store opens. Writes go to the
// page cache without fsync, as QuickFIX's FileStore does: they survive the
// death of the process, not of the machine. Only fix_engine.cc and tests
// include this header (QuickFIX's headers are C++14 only).
//
//   DurableStoreFactory stores("/var/lib/gw/fix", 100000);
//   FIX::Session* session = FIX::SessionFactory(app, stores, nullptr).create(id, dict);
#pragma once

#include <string>
#include <utility>

#include "targets/fix/fix_store.h"

namespace ordeal {
namespace fix {

class DurableRecentStore : public RecentMessageStore {
 public:
  // Opens or creates the session's files in `dir` (which must exist) and
  // restores what they hold. Throws FIX::ConfigError naming the file when
  // they cannot be opened or the sequence numbers cannot be read.
  DurableRecentStore(const std::string& dir, const FIX::SessionID& id, size_t messages_max);
  ~DurableRecentStore() override;
  DurableRecentStore(const DurableRecentStore&) = delete;
  DurableRecentStore& operator=(const DurableRecentStore&) = delete;

  bool set(int seq, const std::string& message) throw(FIX::IOException) override;
  void setNextSenderMsgSeqNum(int value) throw(FIX::IOException) override;
  void setNextTargetMsgSeqNum(int value) throw(FIX::IOException) override;
  void incrNextSenderMsgSeqNum() throw(FIX::IOException) override;
  void incrNextTargetMsgSeqNum() throw(FIX::IOException) override;
  void reset() throw(FIX::IOException) override;

  // Records in the messages file now (kept or not yet compacted away).
  size_t records_on_disk() const { return records_; }

 private:
  void open_seqnums();
  void open_messages();
  void write_seqnums();
  void append(int seq, const std::string& message);
  void compact();

  std::string seqnums_path_;
  std::string messages_path_;
  int seqnums_fd_ = -1;
  int messages_fd_ = -1;
  size_t records_ = 0;
};

// Creates a DurableRecentStore per session, in `dir` (created if missing).
class DurableStoreFactory : public FIX::MessageStoreFactory {
 public:
  DurableStoreFactory(std::string dir, size_t messages_max)
      : dir_(std::move(dir)), messages_max_(messages_max) {}
  FIX::MessageStore* create(const FIX::SessionID& id) override;
  void destroy(FIX::MessageStore* store) override { delete store; }

 private:
  const std::string dir_;
  const size_t messages_max_;
};

}  // namespace fix
}  // namespace ordeal
