# Opens report.html pages in headless Chromium, with every host name
# unresolvable so nothing can come from the network, and checks in the
# rendered DOM that every chart was drawn (the body's data-rendered is ok),
# that no script error was caught, and that the violation's property and
# orders are shown. The pages: `ordeal run` on the incident scenario with its
# defect planted (shrunk case, seed, command), `ordeal check` on the
# unshrunk history of the same run (fault windows, no scenario or seed), a
# history with a read left unanswered, and a run interrupted before any
# verdict (an error, not a pass).
# Run by ctest with -DORDEAL=... -DSOURCE=... -DWORK=... -DCHROMIUM=...
if(NOT CHROMIUM)
  message(FATAL_ERROR "chromium not found: this test opens report.html in headless Chromium "
                      "(ci/install-deps.sh installs the Debian package chromium)")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_ordeal expected_exit)
  execute_process(COMMAND ${ORDEAL} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc EQUAL expected_exit)
    message(FATAL_ERROR "expected exit ${expected_exit}, got ${rc}: ordeal ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

function(expect_in dom text what)
  string(FIND "${dom}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: '${text}' is not in the rendered page")
  endif()
endfunction()

# Opens DIR/report.html and checks it against DIR/report.json.
function(check_page dir)
  # Virtual time lets the page finish without waiting in real time. `timeout`
  # bounds the browser if it hangs anyway, and stops it with SIGTERM first so
  # it can end its own child processes. As root (CI, a chroot) Chromium needs
  # --no-sandbox; without /dev/shm it needs --disable-dev-shm-usage.
  execute_process(
    COMMAND timeout -k 10 90 ${CHROMIUM} --headless --no-sandbox --disable-gpu
            --disable-dev-shm-usage --no-first-run --user-data-dir=${WORK}/profile
            "--host-resolver-rules=MAP * ~NOTFOUND" --virtual-time-budget=10000
            --dump-dom file://${dir}/report.html
    RESULT_VARIABLE rc OUTPUT_VARIABLE dom ERROR_VARIABLE err TIMEOUT 120)
  if(rc EQUAL 124)
    message(FATAL_ERROR "chromium did not finish ${dir}/report.html within 90 s")
  elseif(NOT rc EQUAL 0)
    message(FATAL_ERROR "chromium failed on ${dir}/report.html (${rc}):\n${err}")
  endif()
  file(WRITE ${dir}/dom.html "${dom}")
  # The first of each is the element itself (scripts come later in the page).
  string(REGEX MATCH "<ul id=\"script-errors\">[^\n]*" errors "${dom}")
  string(FIND "${errors}" "<ul id=\"script-errors\"></ul>" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "${dir}/report.html hit script errors:\n${errors}")
  endif()
  string(REGEX MATCH "<body[^>]*>" body "${dom}")
  if(NOT body STREQUAL "<body data-rendered=\"ok\">")
    message(FATAL_ERROR "${dir}/report.html did not finish drawing its charts: ${body} "
                        "(the rendered page is in ${dir}/dom.html)")
  endif()
  set(dom "${dom}" PARENT_SCOPE)
endfunction()

# Checks the page of DIR (check_page) and that it shows the first violation
# of DIR/report.json with its orders.
function(check_violation_page dir)
  check_page(${dir})
  file(READ ${dir}/report.json report)
  string(JSON property GET "${report}" violations 0 property)
  expect_in("${dom}" "<span class=\"property\">${property}</span>" "the violated property")
  string(JSON orders GET "${report}" violations 0 orders)
  string(JSON order_count LENGTH "${orders}")
  if(order_count EQUAL 0)
    message(FATAL_ERROR "the violation names no orders:\n${report}")
  endif()
  math(EXPR last "${order_count} - 1")
  foreach(i RANGE ${last})
    string(JSON order GET "${orders}" ${i})
    expect_in("${dom}" "<code>${order}</code>" "the violation's orders")
  endforeach()
  set(dom "${dom}" PARENT_SCOPE)
endfunction()

set(incident ${SOURCE}/examples/scenarios/okx-2023-08-14.toml)
run_ordeal(1 run ${incident} --seed 1 --defect okx-2023-08-14 --out ${WORK}/run)
check_violation_page(${WORK}/run)
expect_in("${dom}" "<ol id=\"steps\"><li>" "the shrunk case's steps")
expect_in("${dom}" "--seed 1 --cases" "the command that reproduces the run")

run_ordeal(1 run ${incident} --seed 1 --defect okx-2023-08-14 --no-shrink --out ${WORK}/found)
run_ordeal(1 check ${WORK}/found/history.jsonl --out ${WORK}/check)
check_violation_page(${WORK}/check)
file(STRINGS ${WORK}/found/history.jsonl fault_starts REGEX "\"type\":\"fault_start\"")
list(LENGTH fault_starts fault_count)
if(fault_count EQUAL 0)
  message(FATAL_ERROR "expected fault windows in ${WORK}/found/history.jsonl")
endif()
set(windows "fault windows")
if(fault_count EQUAL 1)
  set(windows "fault window")
endif()
expect_in("${dom}" ", ${fault_count} ${windows}." "the fault windows")
expect_in("${dom}" "history file" "the missing reproduce command explained")

# A final read that got no answer about its order ("answered": false) is
# shown as such, not as "status none" (the target does not know the order).
file(MAKE_DIRECTORY ${WORK}/unanswered)
file(WRITE ${WORK}/unanswered/history.jsonl
     "{\"index\":0,\"time_us\":0,\"type\":\"fault_start\",\"fault\":\"meta.update.delay\"}\n"
     "{\"index\":1,\"time_us\":1000,\"type\":\"fault_stop\",\"fault\":\"meta.update.delay\"}\n"
     "{\"index\":2,\"time_us\":5000000,\"type\":\"read\",\"client\":1,\"order\":\"c1-1\","
     "\"status\":\"none\",\"reason\":\"metadata unavailable\",\"answered\":false}\n")
run_ordeal(1 check ${WORK}/unanswered/history.jsonl --out ${WORK}/unanswered/report)
check_violation_page(${WORK}/unanswered/report)
expect_in("${dom}" "c1-1 · no answer about the order · (metadata unavailable)"
          "the unanswered read")

# Interrupted before it found anything: the page says there is no verdict,
# as report.json's "error" does, where it used to say every property held.
execute_process(COMMAND timeout --preserve-status -s INT 1 ${ORDEAL} run ${incident} --seed 1
                        --cases 100000000
                        --out ${WORK}/interrupted
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET TIMEOUT 60)
if(NOT rc EQUAL 130)
  message(FATAL_ERROR "expected exit 130 from an interrupted run, got ${rc}")
endif()
check_page(${WORK}/interrupted)
expect_in("${dom}" "No verdict: interrupted after" "the interrupted run's headline")
expect_in("${dom}" "class=\"status error\"" "the interrupted run's status")
