# shellcheck shell=bash
# Functions shared by ci/nightly.sh (one shard's night) and
# ci/nightly-merge.sh (all shards' nights together): the results file and the
# markdown summary rendered from it. Sourced, not run.
#
#   source ci/nightly-lib.sh
#   record_result "$results" sweep new "$id" "$scenario" "$seed" "$text" "$reproduce"
#   render_summary "$results" >summary.md
#
# results.tsv holds one line per run (a corpus replay or a sweep run):
#   step  status  signature_id  scenario  seed  signature_text  detail
# step: replay | sweep
# status: replay: open (fails again) | fixed (passes; moved aside) |
#                 stale (no longer loads; moved aside) | error
#         sweep:  pass | new (a failure not in the corpus; saved) |
#                 known (a failure already in the corpus: still open) | error
# detail: the command that reproduces the run, or the error.

# Writes one line of results.tsv; tabs and newlines in fields become spaces.
record_result() {
  local file=$1
  shift
  local fields=() field
  for field in "$@"; do fields+=("$(printf '%s' "$field" | tr '\t\n' '  ')"); done
  (
    IFS=$'\t'
    printf '%s\n' "${fields[*]}"
  ) >>"$file"
}

# Exit status of a night from its results: 1 if a property was violated
# (a new bug, or a known bug still open), else 3 if a run errored, else 0.
night_status() {
  awk -F'\t' '
    $2 == "open" || $2 == "new" || $2 == "known" { violated = 1 }
    $2 == "error" || $2 == "stale" { errored = 1 }
    END { exit violated ? 1 : errored ? 3 : 0 }' "$1"
}

# The markdown summary of one or more results files: counts, then one row per
# distinct bug (signature), however many runs found it, then the errors.
render_summary() {
  awk -F'\t' '
    function cell(s) { gsub(/\|/, "\\|", s); return s }
    {
      runs++
      if ($1 == "sweep" && $2 == "pass") passed++
      if ($2 == "error" || $2 == "stale") { errors[++error_count] = $0; next }
      if ($3 == "" || $3 == "-") next
      if (!($3 in first)) { first[$3] = NR; order[++bugs] = $3; text[$3] = $6; repro[$3] = $7 }
      hits[$3]++
      where[$3] = where[$3] (where[$3] == "" ? "" : ", ") $4 " seed " $5
      # new beats open beats known beats fixed: the strongest word for the bug
      rank = $2 == "new" ? 4 : $2 == "open" ? 3 : $2 == "known" ? 2 : 1
      if (rank > best[$3]) { best[$3] = rank; status[$3] = $2 == "known" ? "open" : $2 }
    }
    END {
      for (i = 1; i <= bugs; i++) count[status[order[i]]]++
      printf "runs: %d, passed: %d; bugs: %d (new: %d, still open: %d); fixed: %d; errors: %d\n\n",
        runs, passed, bugs - count["fixed"], count["new"], count["open"], count["fixed"], error_count
      if (bugs > 0) {
        print "| status | signature | found by | runs | reproduce or note |"
        print "| --- | --- | --- | --- | --- |"
        for (i = 1; i <= bugs; i++) {
          id = order[i]
          how = repro[id] ~ /^ordeal / ? "`" cell(repro[id]) "`" : cell(repro[id])
          printf "| %s | `%s` %s | %s | %d | %s |\n", status[id], id, cell(text[id]),
            cell(where[id]), hits[id], how
        }
        print ""
      }
      if (error_count > 0) {
        print "| errors | scenario | seed | detail |"
        print "| --- | --- | --- | --- |"
        for (i = 1; i <= error_count; i++) {
          split(errors[i], f, "\t")
          printf "| %s %s | %s | %s | %s |\n", f[1], f[2], cell(f[4]), f[5], cell(f[7])
        }
      }
    }' "$@"
}

# Saves a failing run's repro into CORPUS under its signature id, with the
# signature and where it was found; returns 1 if the corpus has it already
# (mkdir is atomic, so shards sharing one corpus volume never both save), 2
# if it cannot be written (and leaves nothing half-written behind).
# A run's repro names its scenario from the run's folder; the entry's names it
# as the run was given it, relative to the repository, so that it replays from
# any checkout and wherever the corpus lives (ordeal replay reads a relative
# path from the current folder when it is not beside the repro).
save_failure() {
  local run_dir=$2 text=$4 entry="$1/$3" scenario
  mkdir "$entry" 2>/dev/null || return 1
  if scenario=$(jq '.scenario' "$run_dir/report.json") &&
    SCENARIO=$scenario awk '/^scenario = / { print "scenario = " ENVIRON["SCENARIO"]; next } { print }' \
      "$run_dir/repro.toml" >"$entry/repro.toml.tmp" &&
    printf '%s\n' "$text" >"$entry/signature.txt" &&
    jq --arg now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
      '{scenario, seed, defect, reproduce, signature, found_utc: $now,
        violations: [.violations[] | {property, message}]}' \
      "$run_dir/report.json" >"$entry/found.json" &&
    mv "$entry/repro.toml.tmp" "$entry/repro.toml"; then
    return 0
  fi
  rm -rf "$entry"
  return 2
}
