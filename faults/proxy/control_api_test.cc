// The control API: its routes through route() directly, and HTTP over a
// loopback socket for the transport.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "faults/proxy/control_routes.h"
#include "faults/proxy/fault_proxy.h"
#include "faults/proxy/loopback.h"

namespace ordeal::proxy {
namespace {

using nlohmann::json;

class ControlApiTest : public ::testing::Test {
 protected:
  HttpReply call(std::string_view method, std::string_view target, std::string_view body = "") {
    return route(hub_, method, target, body);
  }

  void create_gateway() {
    const json body = {{"name", "gw"}, {"upstream", upstream_.address()}};
    ASSERT_EQ(call("POST", "/proxies", body.dump()).status, 201);
  }

  EchoServer upstream_;
  FaultProxy hub_{1};
};

TEST_F(ControlApiTest, CreatesListsAndDeletesProxies) {
  create_gateway();
  const HttpReply list = call("GET", "/proxies");
  ASSERT_EQ(list.status, 200);
  const json proxies = json::parse(list.body);
  ASSERT_EQ(proxies.size(), 1u);
  EXPECT_EQ(proxies[0]["name"], "gw");
  EXPECT_TRUE(proxies[0]["listen"].get<std::string>().starts_with("127.0.0.1:"));
  EXPECT_EQ(proxies[0]["counters"]["connections_accepted"], 0);
  EXPECT_EQ(call("DELETE", "/proxies/gw").status, 200);
  EXPECT_EQ(call("GET", "/proxies/gw").status, 404);
}

TEST_F(ControlApiTest, AddsListsAndRemovesFaults) {
  create_gateway();
  const json fault = {{"name", "slow-cancels"}, {"kind", "latency"}, {"direction", "upstream"},
                      {"fix_types", {"F"}},     {"latency_ms", 200}, {"lease_ms", 5000}};
  const HttpReply added = call("POST", "/proxies/gw/faults", fault.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_GT(json::parse(added.body)["lease_left_ms"], 4000);
  const json faults = json::parse(call("GET", "/proxies/gw/faults").body);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0]["fix_types"], json({"F"}));
  EXPECT_EQ(call("DELETE", "/proxies/gw/faults/slow-cancels").status, 200);
  EXPECT_EQ(call("DELETE", "/proxies/gw/faults/slow-cancels").status, 404);
}

TEST_F(ControlApiTest, ResetHealsEveryProxy) {
  create_gateway();
  ASSERT_EQ(call("POST", "/proxies/gw/faults", R"({"kind":"blackhole"})").status, 201);
  ASSERT_EQ(call("POST", "/reset").status, 200);
  EXPECT_EQ(json::parse(call("GET", "/proxies/gw/faults").body).size(), 0u);
}

TEST_F(ControlApiTest, BadRequestsSayWhatIsWrong) {
  create_gateway();
  const HttpReply not_json = call("POST", "/proxies/gw/faults", "{kind: latency");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_NE(json::parse(not_json.body)["error"].get<std::string>().find("not valid JSON"),
            std::string::npos);
  const auto error_of = [&](std::string_view body) {
    const HttpReply reply = call("POST", "/proxies/gw/faults", body);
    EXPECT_EQ(reply.status, 400) << body;
    return json::parse(reply.body)["error"].get<std::string>();
  };
  EXPECT_NE(error_of(R"({"kind":"latency","latency_ms":"fast"})").find("'latency_ms'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind":"latency","latncy_ms":5})").find("unknown field 'latncy_ms'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind":"lag"})").find("field 'kind'"), std::string::npos);
  EXPECT_NE(error_of(R"({"latency_ms":5})").find("field 'kind': missing"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind":"drop"})").find("'fix_types'"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind":"latency","lease_ms":-1})").find("'lease_ms'"), std::string::npos);
  EXPECT_EQ(call("POST", "/proxies/nope/faults", R"({"kind":"latency"})").status, 404);
  EXPECT_EQ(call("PUT", "/nothing").status, 404);
  const HttpReply no_upstream = call("POST", "/proxies", R"({"name":"x"})");
  EXPECT_NE(no_upstream.body.find("field 'upstream'"), std::string::npos);
}

TEST_F(ControlApiTest, ServesHttpOnLoopback) {
  const auto bound = hub_.start_control_api("127.0.0.1:0");
  ASSERT_TRUE(bound) << bound.error.message;
  const auto port = static_cast<uint16_t>(std::stoi(bound.value.substr(10)));
  LoopbackClient client(port);
  const std::string body = R"({"name":"gw","upstream":")" + upstream_.address() + "\"}";
  ASSERT_TRUE(
      client.send("POST /proxies HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                  "application/json\r\nConnection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body));
  const std::string reply = client.receive(1 << 16, milliseconds(2000));
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 201")) << reply;
  EXPECT_NE(reply.find("\"name\":\"gw\""), std::string::npos);
  EXPECT_TRUE(client.ended());
  EXPECT_TRUE(hub_.proxy("gw"));
}

}  // namespace
}  // namespace ordeal::proxy
