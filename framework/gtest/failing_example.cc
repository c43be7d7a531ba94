// A scenario test that fails on purpose: the incident scenario against the
// reference exchange with the incident's defect planted. The test
// gtest.failure_output runs it and checks what gtest prints.
#include "framework/gtest/ordeal_gtest.h"

ORDEAL_SCENARIO_TEST(Incident, DefectIsCaught,
                     ORDEAL_SOURCE_DIR "/examples/scenarios/okx-2023-08-14.toml", .seed = 1,
                     .defect = "okx-2023-08-14", .shrink_budget_s = 5);
