#include "faults/proxy/proxy_config.h"

#include <gtest/gtest.h>

namespace ordeal::proxy {
namespace {

TEST(ProxyConfig, ReadsProxiesAndTheirFaults) {
  const ProxyConfig config = parse_proxy_config(R"(
seed = 7
api = "127.0.0.1:0"
[[proxy]]
name = "gateway"
upstream = "127.0.0.1:9001"
[[proxy.fault]]
kind = "latency"
fix_types = ["F"]
latency_ms = 20
lease_ms = 0
)",
                                                "proxies.toml");
  ASSERT_TRUE(config) << config.error;
  EXPECT_EQ(config.seed, 7u);
  ASSERT_EQ(config.proxies.size(), 1u);
  EXPECT_EQ(config.proxies[0].upstream, "127.0.0.1:9001");
  ASSERT_EQ(config.faults.size(), 1u);
  EXPECT_EQ(config.faults[0].first, "gateway");
  EXPECT_EQ(config.faults[0].second.latency_ms, 20);
  EXPECT_EQ(config.faults[0].second.lease_ms, 0);
}

TEST(ProxyConfig, ErrorsNameTheFileLineAndField) {
  const ProxyConfig bad_fault = parse_proxy_config(R"([[proxy]]
name = "gw"
upstream = "127.0.0.1:1"
[[proxy.fault]]
kind = "bandwidth"
)",
                                                   "p.toml");
  EXPECT_NE(bad_fault.error.find("p.toml:4"), std::string::npos) << bad_fault.error;
  EXPECT_NE(bad_fault.error.find("rate_bytes_per_s"), std::string::npos) << bad_fault.error;
  const ProxyConfig unknown = parse_proxy_config("sed = 7\n", "p.toml");
  EXPECT_NE(unknown.error.find("p.toml:1: field 'sed'"), std::string::npos) << unknown.error;
  const ProxyConfig broken = parse_proxy_config("[[proxy]\n", "p.toml");
  EXPECT_NE(broken.error.find("p.toml:1"), std::string::npos) << broken.error;
}

}  // namespace
}  // namespace ordeal::proxy
