# The out-of-tree consumer, end to end: `cmake --install` into WORK/prefix,
# then examples/consumer configured with only that prefix to find ordeal,
# built, and its tests run. Every step is bounded in time.
#   cmake -DBUILD=... -DSOURCE=... -DWORK=... -DGENERATOR=... -DBUILD_TYPE=...
#         -DCXX_FLAGS=... -DLINKER_FLAGS=... -DLAUNCHER=... -P consumer_test.cmake
function(step name timeout_s)
  execute_process(COMMAND ${ARGN} TIMEOUT ${timeout_s} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE code
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${name} failed (${code}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)
file(REMOVE_RECURSE ${prefix} ${WORK}/consumer)
step("cmake --install" 120 ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
foreach(installed bin/ordeal bin/exchange-node include/framework/run/target.h
                  include/faults/fault_point.h include/targets/exchange/order_book.h
                  include/framework/gtest/ordeal_gtest.h include/framework/cli/command_line.h
                  include/framework/run/target_registry.h lib/cmake/ordeal/ordealConfig.cmake
                  lib/cmake/ordeal/ordealConfigVersion.cmake)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "not installed: ${installed}")
  endif()
endforeach()
step("installed ordeal --version" 30 ${prefix}/bin/ordeal --version)

set(consumer ${WORK}/consumer)
set(launcher)
if(LAUNCHER)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
step("configuring the consumer" 120 ${CMAKE_COMMAND} -S ${SOURCE}/examples/consumer -B ${consumer}
     -G ${GENERATOR} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix}
     -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
     "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" ${launcher})
string(FIND "${step_output}" "from ${prefix}/lib/cmake/ordeal" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the consumer did not find ordeal in ${prefix}:\n${step_output}")
endif()
step("building the consumer" 420 ${CMAKE_COMMAND} --build ${consumer} -j 2)
step("the consumer's tests" 60 ${consumer}/extending/extending_test)
message("${step_output}")
# Its own command line knows its target by name.
step("the consumer's toy-ordeal" 30 ${consumer}/extending/toy-ordeal list targets)
string(FIND "${step_output}" "\ntoy\t" at)
if(at EQUAL -1)
  message(FATAL_ERROR "toy-ordeal does not list the toy venue:\n${step_output}")
endif()
