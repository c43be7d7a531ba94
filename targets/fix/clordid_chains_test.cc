// The FIX port's ClOrdID chains: any ClOrdID of an order leads back to the
// first, and the links an acknowledged amend made survive a restart.
#include "targets/fix/clordid_chains.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "framework/base/test_dir.h"

namespace ordeal::fix {
namespace {

TEST(ClOrdIdChains, AnAmendsLinkSurvivesARestart) {
  const TestDir test_dir("clordid-chains");
  std::filesystem::create_directories(test_dir.path);
  const std::string dir = test_dir.path.string();
  {
    ClOrdIdChains before;
    ASSERT_EQ(before.attach_journal(dir + "/clordids.log", {}).error, "");
    before.named(1, "c1-1", "c1-1");
    before.amended(1, "c1-1", "c1.2");
    before.amended(2, "c2-1", "c2.5");
    EXPECT_EQ(before.original(1, "c1.2"), "c1-1");
  }
  ClOrdIdChains after;
  const exchange::Recovery r = after.attach_journal(dir + "/clordids.log", {});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.records, 2u);
  EXPECT_EQ(after.original(1, "c1.2"), "c1-1");
  EXPECT_EQ(after.current(1, "c1-1"), "c1.2");
  EXPECT_EQ(after.current(2, "c2-1"), "c2.5");
  EXPECT_EQ(after.original(2, "c9-9"), "c9-9");  // unknown: itself
  EXPECT_EQ(after.current(3, "c2-1"), "c2-1");   // another client's order
}

TEST(ClOrdIdChains, ARecordThatIsNoLinkIsRefused) {
  const TestDir test_dir("clordid-chains");
  std::filesystem::create_directories(test_dir.path);
  const std::string path = (test_dir.path / "clordids.log").string();
  {
    exchange::EntryJournal other("other");
    ASSERT_EQ(other.open(path, {}, [](std::string_view) { return true; }).error, "");
    ASSERT_EQ(other.append("7\x01only-two-fields\x02", [] { return std::string(); }), "");
  }
  ClOrdIdChains chains;
  EXPECT_NE(chains.attach_journal(path, {}).error, "");
}

}  // namespace
}  // namespace ordeal::fix
