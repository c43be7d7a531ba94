// Compiled as C++14 (QuickFIX's headers).
#include "targets/fix/fix_store.h"

#include <gtest/gtest.h>
#include <quickfix/Application.h>
#include <quickfix/Session.h>
#include <quickfix/SessionFactory.h>

#include <string>
#include <vector>

namespace ordeal {
namespace fix {
namespace {

std::vector<std::string> range(const RecentMessageStore& store, int begin, int end) {
  std::vector<std::string> messages;
  store.get(begin, end, messages);
  return messages;
}

TEST(RecentMessageStore, KeepsOnlyTheMostRecentMessages) {
  RecentMessageStore store(3);
  for (int seq = 1; seq <= 5; ++seq) store.set(seq, "m" + std::to_string(seq));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(range(store, 1, 5), (std::vector<std::string>{"m3", "m4", "m5"}));
  EXPECT_EQ(range(store, 4, 0x7fffffff), (std::vector<std::string>{"m4", "m5"}));
  EXPECT_TRUE(range(store, 1, 2).empty());  // evicted: the session gap-fills them
  EXPECT_TRUE(range(store, 6, 9).empty());
}

TEST(RecentMessageStore, ANonContiguousSequenceStartsAgainAndResetClears) {
  RecentMessageStore store(10);
  store.set(1, "a");
  store.set(2, "b");
  store.set(7, "g");  // the sequence number was set by hand
  EXPECT_EQ(range(store, 1, 10), (std::vector<std::string>{"g"}));
  store.setNextSenderMsgSeqNum(8);
  store.incrNextTargetMsgSeqNum();
  store.reset();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.getNextSenderMsgSeqNum(), 1);
  EXPECT_EQ(store.getNextTargetMsgSeqNum(), 1);
}

TEST(RecentStoreFactory, KeptStoresOutliveTheirEngine) {
  const FIX::SessionID id("FIX.4.4", "STORE-TEST", "PEER");
  RecentStoreFactory kept(10, true);
  FIX::MessageStore* first = kept.create(id);
  first->setNextSenderMsgSeqNum(42);
  kept.destroy(first);
  RecentStoreFactory again(10, true);
  EXPECT_EQ(again.create(id)->getNextSenderMsgSeqNum(), 42);
  RecentStoreFactory fresh(10, false);
  FIX::MessageStore* own = fresh.create(id);
  EXPECT_EQ(own->getNextSenderMsgSeqNum(), 1);
  fresh.destroy(own);
}

// A session's wire, as the session writes it.
struct CapturedWire : FIX::Responder {
  std::vector<FIX::Message> sent;
  bool send(const std::string& text) override {
    sent.push_back(FIX::Message(text, false));
    return true;
  }
  void disconnect() override {}
};

FIX::Message from_peer(const char* type, int seq) {
  FIX::Message m;
  FIX::Header& header = m.getHeader();
  header.setField(FIX::FIELD::BeginString, "FIX.4.4");
  header.setField(FIX::FIELD::MsgType, type);
  header.setField(FIX::FIELD::SenderCompID, "PEER");
  header.setField(FIX::FIELD::TargetCompID, "ME");
  header.setField(FIX::MsgSeqNum(seq));
  header.setField(FIX::SendingTime(FIX::UtcTimeStamp()));
  return m;
}

std::string field(const FIX::Message& m, int tag) {
  return m.getHeader().isSetField(tag) ? m.getHeader().getField(tag)
                                       : (m.isSetField(tag) ? m.getField(tag) : "");
}

// A ResendRequest from the first message on: what the store still holds
// is resent (PossDupFlag), what it dropped is covered by one gap fill.
TEST(RecentMessageStore, ResendRequestsGapFillWhatWasDropped) {
  RecentStoreFactory stores(2, false);
  FIX::NullApplication app;
  FIX::SessionFactory factory(app, stores, nullptr);
  FIX::Dictionary settings;
  settings.setString(FIX::CONNECTION_TYPE, "acceptor");
  settings.setString(FIX::START_TIME, "00:00:00");
  settings.setString(FIX::END_TIME, "00:00:00");
  settings.setString(FIX::USE_DATA_DICTIONARY, "N");
  FIX::Session* session = factory.create(FIX::SessionID("FIX.4.4", "ME", "PEER"), settings);
  CapturedWire wire;
  session->setResponder(&wire);
  FIX::Message logon = from_peer("A", 1);
  logon.setField(FIX::FIELD::EncryptMethod, "0");
  logon.setField(FIX::FIELD::HeartBtInt, "30");
  session->next(logon.toString(), FIX::UtcTimeStamp());
  ASSERT_TRUE(session->isLoggedOn());
  for (int i = 0; i < 5; ++i) {  // our sequence numbers 2..6 (1 was the Logon)
    FIX::Message news;
    news.getHeader().setField(FIX::FIELD::MsgType, "B");
    news.setField(FIX::FIELD::Headline, "n" + std::to_string(i));
    ASSERT_TRUE(session->send(news));
  }
  wire.sent.clear();
  FIX::Message resend = from_peer("2", 2);
  resend.setField(FIX::FIELD::BeginSeqNo, "1");
  resend.setField(FIX::FIELD::EndSeqNo, "0");
  session->next(resend.toString(), FIX::UtcTimeStamp());
  ASSERT_EQ(wire.sent.size(), 3u);
  EXPECT_EQ(field(wire.sent[0], FIX::FIELD::MsgType), "4");  // SequenceReset
  EXPECT_EQ(field(wire.sent[0], FIX::FIELD::GapFillFlag), "Y");
  EXPECT_EQ(field(wire.sent[0], FIX::FIELD::MsgSeqNum), "1");
  EXPECT_EQ(field(wire.sent[0], FIX::FIELD::NewSeqNo), "5");
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(field(wire.sent[i], FIX::FIELD::MsgSeqNum), std::to_string(4 + i));
    EXPECT_EQ(field(wire.sent[i], FIX::FIELD::PossDupFlag), "Y");
    EXPECT_EQ(field(wire.sent[i], FIX::FIELD::Headline), "n" + std::to_string(2 + i));
  }
  session->setResponder(nullptr);
  factory.destroy(session);
}

}  // namespace
}  // namespace fix
}  // namespace ordeal
