#include "targets/fix/fix_uri.h"

#include <gtest/gtest.h>

namespace ordeal::fix {
namespace {

TEST(FixUri, ParsesEveryPart) {
  std::string error;
  auto uri = parse_fix_uri(
      "fix://127.0.0.1:9878?version=FIX.4.2&sender=ME&target=GW&heartbeat=5&reset=Y", error);
  ASSERT_TRUE(uri) << error;
  EXPECT_EQ(uri->host, "127.0.0.1");
  EXPECT_EQ(uri->port, 9878);
  EXPECT_EQ(uri->version, "FIX.4.2");
  EXPECT_EQ(uri->sender, "ME");
  EXPECT_EQ(uri->target, "GW");
  EXPECT_EQ(uri->heartbeat_s, 5);
  EXPECT_TRUE(uri->reset);
  EXPECT_FALSE(uri->mass_status);  // the default: a status request per order
  auto mass = parse_fix_uri("fix://h:1?version=FIX.4.4&sender=A&target=B&mass_status=Y", error);
  ASSERT_TRUE(mass) << error;
  EXPECT_TRUE(mass->mass_status);
  auto v6 = parse_fix_uri("fix://[::1]:1?version=FIX.4.4&sender=A&target=B", error);
  ASSERT_TRUE(v6) << error;
  EXPECT_EQ(v6->host, "::1");
}

TEST(FixUri, ErrorsNameTheBadPart) {
  const std::pair<const char*, const char*> cases[] = {
      {"tcp://h:1", "fix://"},
      {"fix://host?version=FIX.4.4&sender=A&target=B", "HOST:PORT"},
      {"fix://h:99999?version=FIX.4.4&sender=A&target=B", "port '99999'"},
      {"fix://h:1?version=FIX.5.0&sender=A&target=B", "version=FIX.5.0"},
      {"fix://h:1?version=FIX.4.4&target=B", "missing option sender="},
      {"fix://h:1?version=FIX.4.4&sender=A&target=B&colour=red", "unknown option 'colour'"},
      {"fix://h:1?version=FIX.4.4&sender=A&target=B&heartbeat=0", "heartbeat=0"},
      {"fix://h:1?version=FIX.4.4&sender=A&target", "option 'target'"},
      {"fix://h:1?version=FIX.4.4&sender=A&target=B&mass_status=yes", "mass_status=yes"},
      {"fix://h:1?version=FIX.4.2&sender=A&target=B&mass_status=Y", "not in FIX.4.2"},
  };
  for (const auto& [text, expected] : cases) {
    std::string error;
    EXPECT_FALSE(parse_fix_uri(text, error)) << text;
    EXPECT_NE(error.find(expected), std::string::npos) << text << " -> " << error;
  }
}

}  // namespace
}  // namespace ordeal::fix
