#include "faults/process_faults.h"

#include <gtest/gtest.h>

#include <string>

namespace ordeal::faults {
namespace {

// `ordeal list faults` prints these descriptions: the default they state
// must be the one the simulator and the cluster use when param is 0.
TEST(ProcessFaults, DescriptionsStateTheDefaultsInUse) {
  const auto states_default = [](std::string_view name, int64_t ms) {
    const ProcessFaultInfo* info = find_process_fault(name);
    EXPECT_NE(info, nullptr) << name;
    if (info == nullptr) return;
    EXPECT_NE(info->description.find("(default " + std::to_string(ms) + ","), std::string::npos)
        << name << ": " << info->description;
  };
  states_default("process.restart", kRestartDownMsDefault);
  states_default("process.rollback", kRollbackAfterMsDefault);
}

}  // namespace
}  // namespace ordeal::faults
