// The clients' sessions in the simulator: one completion per request, an
// answer after a disconnect dropped, and a disconnect that ends every request
// in flight unknown, in (client, request id) order.
#include "targets/exchange/client_sessions.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace ordeal::exchange {
namespace {

class Responses final : public ExchangeListener {
 public:
  void on_response(const ClientResponse& response) override { seen.push_back(response); }
  std::vector<ClientResponse> seen;
};

ClientRequest request(ClientId client, uint64_t request_id, RequestKind kind) {
  return ClientRequest{.kind = kind, .client = client, .request_id = request_id};
}

ClientResponse ack(ClientId client, uint64_t request_id) {
  return ClientResponse{.client = client, .request_id = request_id, .verdict = Verdict::ack};
}

class ClientSessionsTest : public ::testing::Test {
 protected:
  Responses responses;
  ExchangeListener* listener = &responses;
  ClientSessions sessions{listener};
};

TEST_F(ClientSessionsTest, PassesOneAnswerPerRequest) {
  ASSERT_TRUE(sessions.sending(request(2, 7, RequestKind::place), true));
  sessions.on_response(ack(2, 7));
  sessions.on_response(ack(2, 7));  // a second answer to the same request
  sessions.on_response(ack(2, 8));  // an answer to a request never sent
  ASSERT_EQ(responses.seen.size(), 1u);
  EXPECT_EQ(responses.seen[0].request_id, 7u);
}

TEST_F(ClientSessionsTest, RejectsWithoutSendingWhileTheGatewayIsDown) {
  EXPECT_FALSE(sessions.sending(request(1, 1, RequestKind::cancel), false));
  ASSERT_EQ(responses.seen.size(), 1u);
  EXPECT_EQ(responses.seen[0].verdict, Verdict::reject);
  EXPECT_EQ(responses.seen[0].kind, RequestKind::cancel);
  sessions.on_response(ack(1, 1));  // it was never in flight
  EXPECT_EQ(responses.seen.size(), 1u);
}

TEST_F(ClientSessionsTest, DisconnectEndsEveryRequestInFlightInOrder) {
  // Sent out of order across clients; answered in (client, request id) order.
  const std::vector<std::pair<ClientId, uint64_t>> sent = {{3, 2}, {1, 5}, {3, 1}, {2, 9}, {1, 4}};
  for (const auto& [client, id] : sent) {
    ASSERT_TRUE(sessions.sending(request(client, id, RequestKind::amend), true));
  }
  sessions.on_response(ack(2, 9));  // answered before the disconnect
  sessions.disconnect();
  const std::vector<std::pair<ClientId, uint64_t>> expected = {
      {2, 9}, {1, 4}, {1, 5}, {3, 1}, {3, 2}};
  ASSERT_EQ(responses.seen.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(responses.seen[i].client, expected[i].first) << i;
    EXPECT_EQ(responses.seen[i].request_id, expected[i].second) << i;
  }
  for (size_t i = 1; i < expected.size(); ++i) {  // the first is the ack passed on
    EXPECT_EQ(responses.seen[i].verdict, Verdict::unknown) << i;
    EXPECT_EQ(responses.seen[i].kind, RequestKind::amend) << i;
  }
  sessions.on_response(ack(1, 4));  // too late: ended by the disconnect
  EXPECT_EQ(responses.seen.size(), expected.size());
}

TEST_F(ClientSessionsTest, ARepeatedRequestIdKeepsTheLatestKind) {
  ASSERT_TRUE(sessions.sending(request(1, 1, RequestKind::place), true));
  ASSERT_TRUE(sessions.sending(request(1, 1, RequestKind::status), true));
  sessions.disconnect();
  ASSERT_EQ(responses.seen.size(), 1u);
  EXPECT_EQ(responses.seen[0].kind, RequestKind::status);
}

}  // namespace
}  // namespace ordeal::exchange
