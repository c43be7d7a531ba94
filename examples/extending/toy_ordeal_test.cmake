# toy-ordeal end to end: the toy venue chosen by name, its planted bug caught
# by the custom property, the repro replayed on the toy venue again, the
# history checked with the custom property, and the commands the reports
# print calling toy-ordeal. Run by ctest with -DTOY_ORDEAL=... -DSCENARIO=...
# -DWORK=...
function(expect_exit code)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "expected exit ${code}, got ${rc}: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

function(expect_match text pattern what)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: no match for '${pattern}' in:\n${text}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

expect_exit(0 ${TOY_ORDEAL} list targets)
expect_match("${last_out}" "\ntoy\tthe toy venue" "list targets")
expect_exit(0 ${TOY_ORDEAL} list properties)
expect_match("${last_out}" "cancel-of-final-order-rejected\t" "list properties")
expect_exit(0 ${TOY_ORDEAL} list faults)
expect_match("${last_out}" "toy.session.busy\t" "list faults")

# As designed, every property holds; the planted bug is caught by the
# custom property alone when the run checks only it.
expect_exit(0 ${TOY_ORDEAL} run ${SCENARIO} --target toy --seed 3 --cases 10 --out ${WORK}/clean)
expect_exit(1 ${TOY_ORDEAL} run ${SCENARIO} --target toy --seed 1 --defect ack-cancel-of-filled
            --out ${WORK}/bug)
expect_match("${last_out}" "reproduce: [^\n]*/toy-ordeal replay " "the console's replay command")
file(READ ${WORK}/bug/repro.toml repro)
expect_match("${repro}" "Run it again with: [^\n]*/toy-ordeal replay" "repro.toml's header")
expect_match("${repro}" "target = 'toy'" "repro.toml's target")
file(READ ${WORK}/bug/report.json report)
expect_match("${report}" "\"check\": \"[^\"]*/toy-ordeal check " "report.json's check")

expect_exit(1 ${TOY_ORDEAL} replay ${WORK}/bug/repro.toml --out ${WORK}/replay)
expect_exit(1 ${TOY_ORDEAL} check ${WORK}/bug/history.jsonl --property cancel-of-final-order-rejected)
expect_match("${last_out}" "cancel-of-final-order-rejected: " "check with the custom property")

# The toy venue's defects are its own; ordeal's are not its to plant.
expect_exit(2 ${TOY_ORDEAL} run ${SCENARIO} --target toy --defect okx-2023-08-14)
expect_match("${last_err}" "--target toy: defect 'okx-2023-08-14' is not one of this target's \\(none, ack-cancel-of-filled\\)"
             "a defect the toy venue does not know")
expect_exit(0 ${TOY_ORDEAL} list defects)
expect_match("${last_out}" "\nack-cancel-of-filled\t[^\n]*\\(target toy: with --target toy\\)"
             "list defects")
# Its defect without the target is a hint to give it.
expect_exit(2 ${TOY_ORDEAL} run ${SCENARIO} --defect ack-cancel-of-filled)
expect_match("${last_err}" "a defect of target toy: give --target toy" "the hint")
# A scenario that names the toy venue runs on it without --target.
file(READ ${SCENARIO} scenario_text)
file(WRITE ${WORK}/named.toml "target = \"toy\"\n${scenario_text}")
expect_exit(1 ${TOY_ORDEAL} run ${WORK}/named.toml --seed 1 --defect ack-cancel-of-filled
            --out ${WORK}/named)
# A repro's defect the toy venue does not know, named by its line.
file(READ ${WORK}/bug/repro.toml repro_text)
string(REPLACE "defect = 'ack-cancel-of-filled'" "defect = 'bogus'" bad_repro "${repro_text}")
file(WRITE ${WORK}/bad-defect.toml "${bad_repro}")
expect_exit(2 ${TOY_ORDEAL} replay ${WORK}/bad-defect.toml --out ${WORK}/bad)
expect_match("${last_err}" "bad-defect.toml:[0-9]+: defect: unknown 'bogus'" "a repro's bad defect")
