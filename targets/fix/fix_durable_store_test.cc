// Compiled as C++14 (QuickFIX's headers).
#include "targets/fix/fix_durable_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace ordeal {
namespace fix {
namespace {

// A fresh folder under /tmp, removed with what the stores wrote in it.
struct StoreDir {
  StoreDir() {
    char pattern[] = "/tmp/ordeal-fix-store-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~StoreDir() {
    for (const char* ext : {".seqnums", ".messages", ".messages.new"}) {
      ::unlink((path + "/" + kName + ext).c_str());
    }
    ::rmdir(path.c_str());
  }
  off_t bytes(const char* ext) const {
    struct stat st;
    return ::stat((path + "/" + kName + ext).c_str(), &st) == 0 ? st.st_size : -1;
  }
  std::string path;
  const std::string kName = "FIX.4.4_GW-_PEER";
};

const FIX::SessionID kId("FIX.4.4", "GW", "PEER");

std::vector<std::string> range(const FIX::MessageStore& store, int begin, int end) {
  std::vector<std::string> messages;
  store.get(begin, end, messages);
  return messages;
}

// What QuickFIX does for each message it sends.
void send(FIX::MessageStore& store, const std::string& message) {
  store.set(store.getNextSenderMsgSeqNum(), message);
  store.incrNextSenderMsgSeqNum();
}

TEST(DurableRecentStore, KeepsSequenceNumbersAndTheLastMessagesAcrossARestart) {
  StoreDir dir;
  std::string created;
  {
    DurableStoreFactory stores(dir.path, 3);
    std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
    for (int i = 1; i <= 10; ++i) send(*store, "m" + std::to_string(i));
    store->setNextTargetMsgSeqNum(5);
    store->incrNextTargetMsgSeqNum();
    created = FIX::UtcTimeStampConvertor::convert(store->getCreationTime());
  }  // as after a kill -9: nothing more is written at the end
  DurableStoreFactory stores(dir.path, 3);
  std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 11);
  EXPECT_EQ(store->getNextTargetMsgSeqNum(), 6);
  EXPECT_EQ(FIX::UtcTimeStampConvertor::convert(store->getCreationTime()), created);
  EXPECT_EQ(range(*store, 1, 10), (std::vector<std::string>{"m8", "m9", "m10"}));
  send(*store, "m11");
  EXPECT_EQ(range(*store, 1, 11), (std::vector<std::string>{"m9", "m10", "m11"}));
  store->reset();
  EXPECT_EQ(dir.bytes(".messages"), 0);
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 1);
}

// A long run: the files hold at most twice the kept messages, where
// QuickFIX's FileStore would hold every message of the run.
TEST(DurableRecentStore, FilesStayBoundedOverALongRun) {
  StoreDir dir;
  DurableStoreFactory stores(dir.path, 10);
  std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
  const std::string body(100, 'x');
  off_t largest = 0;
  for (int i = 0; i < 5000; ++i) {
    send(*store, body);
    largest = std::max(largest, dir.bytes(".messages"));
  }
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 5001);
  EXPECT_LE(largest, 2 * 10 * 112);  // "seq 100\n", the body, "\n"
  EXPECT_EQ(range(*store, 1, 5000).size(), 10u);
  EXPECT_EQ(dir.bytes(".seqnums"), 40);
}

// A record cut short by a kill at the end of the file is dropped; the
// message stored under a number that was never counted is replaced.
TEST(DurableRecentStore, ATornLastRecordIsCutOff) {
  StoreDir dir;
  {
    DurableStoreFactory stores(dir.path, 10);
    std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
    send(*store, "m1");
    send(*store, "m2");
    store->set(3, "m3");  // killed before the count went up
  }
  {
    std::ofstream torn(dir.path + "/" + dir.kName + ".messages", std::ios::app);
    torn << "4 100\nshort";
  }
  DurableStoreFactory stores(dir.path, 10);
  std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 3);
  EXPECT_EQ(range(*store, 1, 10), (std::vector<std::string>{"m1", "m2", "m3"}));
  send(*store, "m3 again");
  EXPECT_EQ(range(*store, 1, 10), (std::vector<std::string>{"m1", "m2", "m3 again"}));
}

TEST(DurableRecentStore, ABadSequenceNumberFileNamesItself) {
  StoreDir dir;
  {
    std::ofstream bad(dir.path + "/" + dir.kName + ".seqnums");
    bad << "garbage\n";
  }
  DurableStoreFactory stores(dir.path, 10);
  try {
    std::unique_ptr<FIX::MessageStore> store(stores.create(kId));
    FAIL() << "opened a store with a garbled sequence number file";
  } catch (const FIX::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.kName + ".seqnums"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fix
}  // namespace ordeal
