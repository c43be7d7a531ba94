# End-to-end checks of the ordeal command line: exit codes and output files
# as the contract promises. Run by ctest with -DORDEAL=... -DSOURCE=... -DWORK=...
function(expect_exit code)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "expected exit ${code}, got ${rc}: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "missing ${path}")
  endif()
endfunction()

set(incident ${SOURCE}/examples/scenarios/okx-2023-08-14.toml)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# The incident's defect: found, shrunk, reported, replayable.
expect_exit(1 ${ORDEAL} run ${incident} --seed 1 --defect okx-2023-08-14 --out ${WORK}/fail)
file(READ ${WORK}/fail/report.json shrunk_json)
if(NOT shrunk_json MATCHES "\"shrunk\": {")
  message(FATAL_ERROR "a shrunk failure without its shrink:\n${shrunk_json}")
endif()
foreach(f report.json junit.xml history.jsonl report.html repro.toml)
  expect_file(${WORK}/fail/${f})
endforeach()
file(READ ${WORK}/fail/report.json report)
if(NOT report MATCHES "\"status\": \"fail\"" OR NOT report MATCHES "\"property\": \"no-lost-")
  message(FATAL_ERROR "report.json does not name an order-loss violation:\n${report}")
endif()
file(READ ${WORK}/fail/junit.xml junit)
if(NOT junit MATCHES "<failure message=\"no-lost-")
  message(FATAL_ERROR "junit.xml has no failure:\n${junit}")
endif()
expect_exit(1 ${ORDEAL} replay ${WORK}/fail/repro.toml --out ${WORK}/replay)
# The replay's report says how long it took, as a run's does.
file(READ ${WORK}/replay/report.json replay_report)
if(replay_report MATCHES "\"wall_s\": 0\\.0\n")
  message(FATAL_ERROR "the replay's report.json has no wall time:\n${replay_report}")
endif()
# The replay's report names the repro.toml it wrote, and that one fails again;
# replaying into the repro's own folder keeps the file as it was.
expect_file(${WORK}/replay/repro.toml)
expect_exit(1 ${ORDEAL} replay ${WORK}/replay/repro.toml --out ${WORK}/replay2)
file(READ ${WORK}/fail/repro.toml repro_before)
expect_exit(1 ${ORDEAL} replay ${WORK}/fail/repro.toml --out ${WORK}/fail)
file(READ ${WORK}/fail/repro.toml repro_after)
if(NOT repro_before STREQUAL repro_after)
  message(FATAL_ERROR "replaying into the repro's folder changed the repro")
endif()
# Without --out, the replay of the repro a run printed ("reproduce: ordeal
# replay ordeal-out/repro.toml") leaves the run's reports in ordeal-out/ as
# they were and writes its own to ordeal-out/replay/.
file(MAKE_DIRECTORY ${WORK}/default)
foreach(command "run;${incident};--seed;1;--defect;okx-2023-08-14" "replay;ordeal-out/repro.toml")
  execute_process(COMMAND ${ORDEAL} ${command} WORKING_DIRECTORY ${WORK}/default
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "expected exit 1, got ${rc}: ordeal ${command} in ${WORK}/default")
  endif()
  if(command MATCHES "^run")
    file(READ ${WORK}/default/ordeal-out/report.json run_report)
  endif()
endforeach()
file(READ ${WORK}/default/ordeal-out/report.json report_after)
if(NOT run_report STREQUAL report_after)
  message(FATAL_ERROR "the replay wrote over the run's report.json")
endif()
expect_file(${WORK}/default/ordeal-out/replay/report.json)
# Nor does the replay of the repro that replay printed.
execute_process(COMMAND ${ORDEAL} replay ordeal-out/replay/repro.toml
                WORKING_DIRECTORY ${WORK}/default RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
file(READ ${WORK}/default/ordeal-out/report.json report_after)
if(NOT rc EQUAL 1 OR NOT run_report STREQUAL report_after)
  message(FATAL_ERROR "replaying ordeal-out/replay/repro.toml: exit ${rc}, or it wrote over "
                      "the run's report.json")
endif()

expect_exit(1 ${ORDEAL} check ${WORK}/fail/history.jsonl)
expect_exit(0 ${ORDEAL} check ${WORK}/fail/history.jsonl --property trade-conservation)
if(NOT last_out MATCHES "^ordeal check: [0-9]+ events, 0 violations\n")
  message(FATAL_ERROR "ordeal check's summary:\n${last_out}")
endif()
# One event and one violation, in the singular.
file(WRITE ${WORK}/one.jsonl "{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"op\":1,\"f\":\"status\",\"order\":\"a\"}\n")
expect_exit(1 ${ORDEAL} check ${WORK}/one.jsonl --property every-request-answered)
if(NOT last_out MATCHES "^ordeal check: 1 event, 1 violation\n")
  message(FATAL_ERROR "ordeal check's summary:\n${last_out}")
endif()
# A history of a run with its own instruments holds whole numbers of its
# units; --price-decimals and --qty-decimals write them as the venue's
# decimals in the messages.
file(WRITE ${WORK}/units.jsonl
  "{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"op\":1,\"f\":\"place\",\"order\":\"a\",\"symbol\":\"AAPL\",\"side\":\"buy\",\"price\":15025,\"qty\":15}\n"
  "{\"time_us\":2,\"type\":\"ok\",\"client\":1,\"op\":1,\"f\":\"place\",\"order\":\"a\",\"status\":\"new\",\"price\":15025,\"qty\":15,\"filled\":0}\n"
  "{\"time_us\":9,\"type\":\"read\",\"client\":1,\"order\":\"a\",\"status\":\"new\",\"price\":15000,\"qty\":15,\"filled\":0}\n")
expect_exit(1 ${ORDEAL} check ${WORK}/units.jsonl --property no-lost-amend --price-decimals 2
            --qty-decimals 1)
if(NOT last_out MATCHES "placed at 1\\.5 at 150\\.25 .* at the end it is 1\\.5 at 150\n")
  message(FATAL_ERROR "ordeal check with units:\n${last_out}")
endif()
expect_exit(1 ${ORDEAL} check ${WORK}/units.jsonl --property no-lost-amend)
if(NOT last_out MATCHES "placed at 15 at 15025 ")
  message(FATAL_ERROR "ordeal check without units:\n${last_out}")
endif()
# The repro says what the run drove.
if(NOT repro_before MATCHES "target = 'inproc'")
  message(FATAL_ERROR "the repro does not name its target:\n${repro_before}")
endif()

# The commands the console prints run when pasted into a shell, from a
# folder with a space in its name too.
expect_exit(1 ${ORDEAL} run ${incident} --seed 1 --defect okx-2023-08-14 --out "${WORK}/out dir")
string(REGEX MATCH "reproduce: ([^\n]*)" unused "${last_out}")
set(replay_line "${CMAKE_MATCH_1}")
string(REGEX MATCH "  or: ([^\n]*)" unused "${last_out}")
set(run_line "${CMAKE_MATCH_1}")
foreach(line "${replay_line}" "${run_line}")
  execute_process(COMMAND sh -c "ordeal() { \"$0\" \"$@\"; }; ${line} --out \"$1\""
    ${ORDEAL} "${WORK}/pasted" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "the printed command `${line}` exited ${rc}:\n${err}")
  endif()
endforeach()

# A run given a relative scenario path writes a repro that replays from any
# current folder, named by a relative path or an absolute one.
execute_process(COMMAND ${ORDEAL} run examples/scenarios/okx-2023-08-14.toml --seed 1
  --defect okx-2023-08-14 --out ${WORK}/relative WORKING_DIRECTORY ${SOURCE} RESULT_VARIABLE rc
  OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "the run with a relative scenario path exited ${rc}")
endif()
# The replay's own repro (written into another folder) replays too.
file(MAKE_DIRECTORY ${WORK}/elsewhere)
foreach(repro ../relative/repro.toml ${WORK}/relative/repro.toml ../elsewhere/out/repro.toml)
  execute_process(COMMAND ${ORDEAL} replay ${repro} --out ${WORK}/elsewhere/out
    WORKING_DIRECTORY ${WORK}/elsewhere RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "replaying ${repro} from another folder exited ${rc}:\n${err}")
  endif()
endforeach()

# A repro whose case arms a fault for real processes does not replay in the
# simulator, where that fault would silently not happen: it goes to the
# target the repro names (tested with the cluster), and an unusable one is
# refused, naming the repro.
function(write_live_repro path target)
  file(WRITE ${path} "defect = 'none'\nrun_seed = '7'\n"
    "scenario = '${SOURCE}/examples/scenarios/cluster-chaos.toml'\ntarget = ${target}\n"
    "[case]\nseed = '3'\nupgrade = false\nupgrade_start_ms = 0\nmetadata = []\n"
    "fault = [{ fault = 'process.kill', index = 2, start_ms = 100, duration_ms = 600 }]\n"
    "[[case.client]]\nops = [{ at_ms = 50, kind = 'place', invalid = 'none', lots = 1, "
    "post_only = false, price_steps = 0, side = 'buy', symbol = 0, target = 0, tif = 'gtc', "
    "type = 'limit' }]\n")
endfunction()
# Replaying a repro with `target` set to TARGET exits 2 with a message matching PATTERN.
function(expect_refused_replay name target pattern)
  write_live_repro(${WORK}/${name}.toml "${target}")
  expect_exit(2 ${ORDEAL} replay ${WORK}/${name}.toml --out ${WORK}/live)
  if(NOT last_err MATCHES "${pattern}")
    message(FATAL_ERROR "unclear error: ${last_err}")
  endif()
endfunction()
expect_refused_replay(live-inproc "'inproc'"
                      "cluster-chaos.toml:[0-9]+: process.kill acts on real processes")
expect_refused_replay(live-bogus "'bogus'"
                      "live-bogus.toml:4: target: expected inproc, cluster, fix://..., got 'bogus'")
expect_refused_replay(live-number "42"
                      "live-number.toml:4: target: expected inproc, cluster, fix://..., got no string")

# A damaged repro is bad input (exit 2, naming file, line and field), never
# an uncaught exception: here a seed that is not digits and an unknown defect.
file(READ ${WORK}/fail/repro.toml good_repro)
# The repro with FROM (a regex) replaced by TO exits 2 with a message matching PATTERN.
function(expect_damaged_replay name from to pattern)
  string(REGEX REPLACE "${from}" "${to}" bad_repro "${good_repro}")
  file(WRITE ${WORK}/${name}.toml "${bad_repro}")
  expect_exit(2 ${ORDEAL} replay ${WORK}/${name}.toml --out ${WORK}/bad-replay)
  if(NOT last_err MATCHES "${pattern}")
    message(FATAL_ERROR "unclear error: ${last_err}")
  endif()
endfunction()
expect_damaged_replay(bad-seed "run_seed = '[0-9]+'" "run_seed = 'abc'"
                      "bad-seed.toml:[0-9]+: run_seed: expected a string of digits")
expect_damaged_replay(bad-defect "defect = '[^']+'" "defect = 'no-such'"
                      "bad-defect.toml:[0-9]+: defect: unknown 'no-such'")

# The same with defect none passes, and the stale repro is gone.
expect_exit(0 ${ORDEAL} run ${incident} --seed 1 --cases 50 --out ${WORK}/fail)
if(EXISTS ${WORK}/fail/repro.toml)
  message(FATAL_ERROR "a passing run left a repro.toml behind")
endif()
expect_exit(0 ${ORDEAL} check ${WORK}/fail/history.jsonl)

# A time budget stops starting cases and says so; --no-shrink reports the case as found.
expect_exit(0 ${ORDEAL} run ${incident} --seed 2 --cases 100000 --time-budget 0.05 --out ${WORK}/budget)
if(NOT last_out MATCHES "time budget reached")
  message(FATAL_ERROR "no word of the time budget:\n${last_out}")
endif()
expect_exit(1 ${ORDEAL} run ${incident} --seed 1 --defect okx-2023-08-14 --no-shrink --out ${WORK}/noshrink)
file(READ ${WORK}/noshrink/report.json noshrink_json)
if(NOT noshrink_json MATCHES "\"shrunk\": null" OR NOT noshrink_json MATCHES "\"failing_case\": {"
   OR NOT last_out MATCHES "the failing case, not shrunk"
   OR NOT noshrink_json MATCHES "\"reproduce\": \"[^\"]*ordeal run [^\"]* --no-shrink\"")
  message(FATAL_ERROR "--no-shrink told of a shrink that never ran:\n${last_out}\n${noshrink_json}")
endif()

# Bad usage and bad input: exit 2 with a message naming the problem.
file(WRITE ${WORK}/bad.toml "name = \"bad\"\n[workload]\nclients = \"four\"\n")
expect_exit(2 ${ORDEAL} run ${WORK}/bad.toml)
if(NOT last_err MATCHES "bad.toml:3: workload.clients: expected an integer")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
expect_exit(2 ${ORDEAL} run ${incident} --defect no-such-defect)
expect_exit(2 ${ORDEAL} run ${incident} --shard 3/2)
# A shard is two whole numbers; a trailing word or a third part is a typo.
foreach(shard 0/2abc 1/2/3 +1/2 " 1/2")
  expect_exit(2 ${ORDEAL} run ${incident} --shard ${shard})
endforeach()
# The shards' cases together are bounded: past about 10^9 RapidCheck's
# memory for them aborted the run (bad_alloc, exit 134).
expect_exit(2 ${ORDEAL} run ${incident} --cases 100000000 --shard 0/11)
expect_exit(2 ${ORDEAL} run ${incident} --cases 5 --shard 0/2147483647)
if(NOT last_err MATCHES "at most 100000000")
  message(FATAL_ERROR "the error does not give the bound:\n${last_err}")
endif()
foreach(seed -1 18446744073709551616 0x10)
  expect_exit(2 ${ORDEAL} run ${incident} --seed ${seed})
  if(NOT last_err MATCHES "--seed: ${seed} is not a seed")
    message(FATAL_ERROR "unclear error: ${last_err}")
  endif()
  # A bad ORDEAL_SEED is named too: the error must not point at a flag
  # nobody typed.
  expect_exit(2 ${CMAKE_COMMAND} -E env ORDEAL_SEED=${seed} ${ORDEAL} run ${incident})
  if(NOT last_err MATCHES "ORDEAL_SEED")
    message(FATAL_ERROR "the error does not name ORDEAL_SEED: ${last_err}")
  endif()
endforeach()
expect_exit(2 ${ORDEAL} run ${incident} --target fix://127.0.0.1:9878)
# A list of defects names the one that is wrong.
expect_exit(2 ${ORDEAL} run ${incident} --defect okx-2023-08-14,amend-lots)
if(NOT last_err MATCHES "--defect okx-2023-08-14,amend-lots: unknown defect 'amend-lots'")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
file(WRITE ${WORK}/bad.jsonl "{\"time_us\":1,\"type\":\"invoke\",\"client\":1,\"op\":1,\"f\":\"place\",\"order\":\"a\"}\n{\"time_us\":2,\"type\":\"wat\"}\n")
expect_exit(2 ${ORDEAL} check ${WORK}/bad.jsonl)
if(NOT last_err MATCHES "bad.jsonl:2: type: unknown event type 'wat'")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
expect_exit(2 ${ORDEAL} check ${WORK}/fail/history.jsonl --property no-such-property)
# A property named twice would report each violation twice.
expect_exit(2 ${ORDEAL} check ${WORK}/fail/history.jsonl --property no-lost-order --property no-lost-order)
# An empty reason would be in every reject's text and excuse every refusal
# (CMake drops an empty argument: the empty value is given after `=`).
expect_exit(2 ${ORDEAL} check ${WORK}/fail/history.jsonl --client-reject-reason=)
if(NOT last_err MATCHES "--client-reject-reason: ")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
expect_exit(2 ${ORDEAL} check ${WORK}/fail/history.jsonl --client-reject-reason " ")
if(NOT last_err MATCHES "--client-reject-reason: a reason of white space alone")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
# A history without events is a wrong path or a cut file, not a pass; one of
# only faults and metadata is checked as any other.
file(WRITE ${WORK}/empty.jsonl "\n\n")
expect_exit(2 ${ORDEAL} check ${WORK}/empty.jsonl)
if(NOT last_err MATCHES "empty.jsonl: no events")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
file(WRITE ${WORK}/faults-only.jsonl "{\"time_us\":1,\"type\":\"fault_start\",\"fault\":\"meta.update.drop\",\"param\":0}\n")
expect_exit(0 ${ORDEAL} check ${WORK}/faults-only.jsonl)
# An empty --defect (an unset variable in a script): CMake drops empty
# arguments, so a shell passes it.
expect_exit(2 sh -c "\"$0\" run \"$1\" --defect ''" ${ORDEAL} ${incident})
if(NOT last_err MATCHES "--defect: empty: name a defect")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
# So is a list with an empty name: "$A,$B" with both unset ran with none.
foreach(list , okx-2023-08-14, ,okx-2023-08-14 okx-2023-08-14,,amend-lost)
  expect_exit(2 ${ORDEAL} run ${incident} --defect ${list})
endforeach()
# A report that cannot be written in full (here a full disk: the files are
# links to /dev/full) is an error naming it, not a success with a cut file.
file(MAKE_DIRECTORY ${WORK}/full-check ${WORK}/full-run)
file(CREATE_LINK /dev/full ${WORK}/full-check/report.json SYMBOLIC)
expect_exit(3 ${ORDEAL} check ${WORK}/fail/history.jsonl --out ${WORK}/full-check)
if(NOT last_err MATCHES "full-check/report.json: cannot write: No space left on device")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
file(CREATE_LINK /dev/full ${WORK}/full-run/history.jsonl SYMBOLIC)
expect_exit(3 ${ORDEAL} run ${incident} --cases 2 --out ${WORK}/full-run)
if(NOT last_err MATCHES "full-run/history.jsonl: write failed: No space left on device")
  message(FATAL_ERROR "unclear error: ${last_err}")
endif()
# Limits out of their range (a negative outage limit reported an outage at no
# event: a crash), and nan, which compares false with every bound.
foreach(limit "--outage-ms-max;-5" "--metadata-staleness-ms;9223372036854775807"
        "--failed-share-max;nan")
  expect_exit(2 ${ORDEAL} check ${WORK}/fail/history.jsonl ${limit})
  list(GET limit 0 option)
  if(NOT last_err MATCHES "${option}: .* is not a number from 0 to")
    message(FATAL_ERROR "unclear error: ${last_err}")
  endif()
endforeach()

# Lists.
expect_exit(0 ${ORDEAL} list properties)
string(REGEX MATCHALL "\n" lines "${last_out}")
list(LENGTH lines count)
if(count LESS 12)
  message(FATAL_ERROR "expected 12 properties, got ${count}")
endif()

# A scenario naming a target this program does not know is refused at the
# run, naming the line; --target chooses another and the run goes ahead.
file(READ ${incident} incident_text)
string(REPLACE "target = \"inproc\"" "target = \"mainframe\"" mainframe_text "${incident_text}")
file(WRITE ${WORK}/mainframe.toml "${mainframe_text}")
expect_exit(2 ${ORDEAL} run ${WORK}/mainframe.toml --cases 2 --out ${WORK}/mainframe)
if(NOT last_err MATCHES "mainframe.toml:8: target mainframe: expected inproc, cluster, fix://")
  message(FATAL_ERROR "unclear error for an unknown target:\n${last_err}")
endif()
expect_exit(0 ${ORDEAL} run ${WORK}/mainframe.toml --target inproc --cases 2 --out ${WORK}/mainframe)
