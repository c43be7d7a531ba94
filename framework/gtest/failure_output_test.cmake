# Runs gtest_failing_example (a scenario test with a planted defect) and
# checks gtest's output: the test fails, and the failure names the violated
# property, the seed, the repro file and the command that reruns it.
#   cmake -DTEST_BINARY=... -DWORK=... -P failure_output_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${TEST_BINARY} WORKING_DIRECTORY ${WORK} TIMEOUT 120
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(code EQUAL 0)
  message(FATAL_ERROR "the failing example passed")
endif()
set(expected
    "[  FAILED  ] Incident.DefectIsCaught"
    "ordeal: Incident.DefectIsCaught seed 1 (pinned by the test)"
    "violated in scenario okx-2023-08-14"
    "seed 1, defect okx-2023-08-14"
    "shrunk to"
    "repro: ${WORK}/ordeal-out/Incident.DefectIsCaught/repro.toml"
    "rerun: ORDEAL_SEED=1 ${TEST_BINARY} --gtest_filter=Incident.DefectIsCaught"
    "failing_example.cc:")
foreach(text IN LISTS expected)
  string(FIND "${out}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "gtest's output lacks: ${text}")
  endif()
endforeach()
if(NOT EXISTS ${WORK}/ordeal-out/Incident.DefectIsCaught/repro.toml)
  message(FATAL_ERROR "no repro.toml was written")
endif()
