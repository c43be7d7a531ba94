# Fetches report.html's chart library with `npm ci` into the build tree, at
# the versions package-lock.json pins. When npm cannot fetch, the build stops
# here with a message that says what is missing and why. Run at build time:
#   cmake -DNPM=npm -DSOURCE_DIR=framework/report/html -DWORK_DIR=build/... -P npm_ci.cmake
cmake_minimum_required(VERSION 3.25)

file(MAKE_DIRECTORY "${WORK_DIR}")
foreach(name package.json package-lock.json)
  file(COPY_FILE "${SOURCE_DIR}/${name}" "${WORK_DIR}/${name}" ONLY_IF_DIFFERENT)
endforeach()

# Every wait has a bound: npm's own per-request timeout and retries, and a
# limit on the whole step.
# Node trusts its own list of certificate authorities; add the system's, so
# that a machine whose network needs a local authority (an egress proxy)
# needs it in one place only: the system store (update-ca-certificates).
set(ca_env)
if(EXISTS /etc/ssl/certs/ca-certificates.crt AND NOT DEFINED ENV{NODE_EXTRA_CA_CERTS})
  set(ca_env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${ca_env} "${NPM}" ci --ignore-scripts --no-audit --no-fund --prefer-offline
          --fetch-timeout=60000 --fetch-retries=2
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE npm_result
  OUTPUT_VARIABLE npm_output
  ERROR_VARIABLE npm_output
  TIMEOUT 600)
if(NOT npm_result EQUAL 0)
  message(FATAL_ERROR
    "ordeal: `npm ci` could not fetch the chart library that report.html inlines "
    "(chart.js and chartjs-plugin-annotation, pinned in ${SOURCE_DIR}/package-lock.json); "
    "the build needs access to the npm registry (or npm's cache) once. "
    "npm ended with: ${npm_result}\n${npm_output}")
endif()
