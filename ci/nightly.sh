#!/usr/bin/env bash
# One shard of the nightly sweep, the same locally, in GitHub Actions and in
# the Kubernetes Job (docs/nightly.md):
#   1. replays this shard's share of the failure corpus first: a repro that
#      fails again is a known bug still open; one that passes is fixed and is
#      moved to CORPUS/fixed/ (kept, not deleted);
#   2. sweeps seeds over every shipped scenario (this shard's cases of each);
#   3. saves each failure's repro in the corpus under its signature (report.json
#      `signature`: property and shape of the shrunk case), only if new, so
#      that many seeds that find one bug give one entry and one reported bug;
#   4. writes OUT/summary.md (markdown, also appended to $GITHUB_STEP_SUMMARY
#      when set) and OUT/results.tsv, and exits 0 (all passed), 1 (a property
#      was violated: a new bug or a known one still open) or 3 (a run errored).
#
#   ci/nightly.sh --shard 0/4 --seed 20240101 --seeds 2 --corpus corpus --out out
#
# Every option also reads from the environment (NIGHTLY_SHARD, ...); in an
# Indexed Job the shard index comes from JOB_COMPLETION_INDEX and the count
# from NIGHTLY_SHARDS.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: ci/nightly.sh [options]
  --shard I/N          this shard and the shard count (NIGHTLY_SHARD; default
                       JOB_COMPLETION_INDEX/NIGHTLY_SHARDS, else 0/1)
  --seed N             base seed (NIGHTLY_SEED; default today's UTC date, YYYYMMDD);
                       the runs use seeds N*1000, N*1000+1, ...
  --seeds K            seeds per scenario, 1..1000 (NIGHTLY_SEEDS; default 2)
  --cases N            cases per sim scenario run (NIGHTLY_CASES; default: the scenario's)
  --live-cases N       cases per live (target = "cluster") scenario run
                       (NIGHTLY_LIVE_CASES; default 3: real processes, seconds per case)
  --scenario FILE      sweep only this scenario, a path relative to the repository
                       (repeatable; NIGHTLY_SCENARIOS,
                       space-separated; default every examples/scenarios/*.toml)
  --defect NAME        plant a defect of the reference exchange (NIGHTLY_DEFECT;
                       default none): to check the pipeline itself
  --corpus DIR         failure corpus (NIGHTLY_CORPUS; default nightly-corpus)
  --out DIR            reports of this shard (NIGHTLY_OUT; default nightly-out)
  --ordeal PATH        the ordeal binary (ORDEAL; default build/default/bin/ordeal)
  --run-timeout S      seconds before one run is interrupted (NIGHTLY_RUN_TIMEOUT; default 3600)
EOF
}

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=ci/nightly-lib.sh
source "$here/ci/nightly-lib.sh"

shard=${NIGHTLY_SHARD:-${JOB_COMPLETION_INDEX:-0}/${NIGHTLY_SHARDS:-1}}
base_seed=${NIGHTLY_SEED:-$(date -u +%Y%m%d)}
seeds=${NIGHTLY_SEEDS:-2}
cases=${NIGHTLY_CASES:-}
live_cases=${NIGHTLY_LIVE_CASES:-3}
read -r -a scenarios <<<"${NIGHTLY_SCENARIOS:-}"
defect=${NIGHTLY_DEFECT:-none}
corpus=${NIGHTLY_CORPUS:-nightly-corpus}
out=${NIGHTLY_OUT:-nightly-out}
ordeal=${ORDEAL:-$here/build/default/bin/ordeal}
run_timeout_s=${NIGHTLY_RUN_TIMEOUT:-3600}

die() {
  echo "ci/nightly.sh: $*" >&2
  exit 2
}

parse_args() {
  local cli_scenarios=()
  while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || [ "$1" = --help ] || die "$1 needs a value (see --help)"
    case $1 in
      --shard) shard=$2 ;;
      --seed) base_seed=$2 ;;
      --seeds) seeds=$2 ;;
      --cases) cases=$2 ;;
      --live-cases) live_cases=$2 ;;
      --scenario) cli_scenarios+=("$2") ;;
      --defect) defect=$2 ;;
      --corpus) corpus=$2 ;;
      --out) out=$2 ;;
      --ordeal) ordeal=$2 ;;
      --run-timeout) run_timeout_s=$2 ;;
      --help) usage && exit 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift 2
  done
  [ ${#cli_scenarios[@]} -eq 0 ] || scenarios=("${cli_scenarios[@]}")
}

is_count() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

check_args() {
  [[ $shard =~ ^([0-9]+)/([0-9]+)$ ]] || die "--shard $shard: expected I/N"
  shard_index=${BASH_REMATCH[1]}
  shard_count=${BASH_REMATCH[2]}
  [ "$shard_count" -ge 1 ] && [ "$shard_index" -lt "$shard_count" ] ||
    die "--shard $shard: expected 0 <= I < N"
  is_count "$base_seed" 0 9999999999 || die "--seed $base_seed: expected a number below 10^10"
  is_count "$seeds" 1 1000 || die "--seeds $seeds: expected 1..1000"
  [ -z "$cases" ] || is_count "$cases" 1 100000000 || die "--cases $cases: expected a positive count"
  is_count "$live_cases" 1 100000 || die "--live-cases $live_cases: expected a positive count"
  is_count "$run_timeout_s" 1 86400 || die "--run-timeout $run_timeout_s: expected 1..86400 s"
  [ -x "$ordeal" ] || die "$ordeal: not an executable (build with cmake --preset default first)"
  command -v jq >/dev/null || die "jq not found (bash ci/install-deps.sh installs it)"
}

# Scenario paths relative to the repository, so that repro files saved in
# the corpus replay from any checkout (the runner's, the Job image's).
default_scenarios() {
  if [ ${#scenarios[@]} -eq 0 ]; then
    local f
    for f in "$here"/examples/scenarios/*.toml; do scenarios+=("examples/scenarios/$(basename "$f")"); done
  fi
  local s
  for s in "${scenarios[@]}"; do [ -f "$here/$s" ] || die "$s: no such scenario in $here"; done
}

# Runs ordeal with a bound on its time: SIGINT first (ordeal heals faults and
# stops the processes it spawned, exit 130), SIGKILL 30 s later.
ordeal_bounded() {
  timeout --signal=INT --kill-after=30 "$run_timeout_s" "$ordeal" "$@"
}

# The entry's share of replays: by its id, not by listing order, so that
# shards that list the corpus at different moments still split it exactly.
my_entry() {
  local id=$1
  [ $(((16#${id:0:7}) % shard_count)) -eq "$shard_index" ]
}

move_aside() {
  local id=$1 where=$2
  mkdir -p "$corpus/$where"
  mv "$corpus/$id" "$corpus/$where/$id-$(date -u +%Y%m%dT%H%M%S)"
}

replay_one() {
  local id=$1 dir="$out/replay/$1" rc=0
  local text scenario seed
  text=$(cat "$corpus/$id/signature.txt" 2>/dev/null || echo "?")
  scenario=$(jq -r '.scenario // "?"' "$corpus/$id/found.json" 2>/dev/null || echo "?")
  scenario=$(basename "$scenario" .toml)
  seed=$(jq -r '.seed // "?"' "$corpus/$id/found.json" 2>/dev/null || echo "?")
  ordeal_bounded replay "$corpus/$id/repro.toml" --out "$dir" >"$dir.log" 2>&1 || rc=$?
  case $rc in
    1)
      # It may fail another way now (another property or component): say so.
      local now note=""
      now=$(jq -r '.signature.text // ""' "$dir/report.json" 2>/dev/null || true)
      [ "$now" = "$text" ] || note=" (now fails as: $now)"
      record_result "$results" replay open "$id" "$scenario" "$seed" "$text" \
        "ordeal replay CORPUS/$id/repro.toml$note"
      ;;
    0)
      move_aside "$id" fixed
      record_result "$results" replay fixed "$id" "$scenario" "$seed" "$text" \
        "passes now; kept in CORPUS/fixed/"
      ;;
    2)
      move_aside "$id" stale
      record_result "$results" replay stale "$id" "$scenario" "$seed" "$text" \
        "no longer loads ($(tail -n 1 "$dir.log")); moved to CORPUS/stale/"
      ;;
    *) record_result "$results" replay error "$id" "$scenario" "$seed" "$text" \
      "ordeal replay exited $rc; see replay/$id.log" ;;
  esac
  echo "replay $id: exit $rc"
}

replay_corpus() {
  mkdir -p "$out/replay"
  local entry id count=0
  for entry in "$corpus"/*/repro.toml; do
    [ -f "$entry" ] || continue
    id=$(basename "$(dirname "$entry")")
    [[ $id =~ ^[0-9a-f]{16}$ ]] || continue
    my_entry "$id" || continue
    replay_one "$id"
    count=$((count + 1))
  done
  echo "replayed $count corpus entries"
}

is_live() { grep -Eq '^target[[:space:]]*=[[:space:]]*"cluster"' "$here/$1"; }

sweep_one() {
  local scenario=$1 seed=$2 name dir rc=0 n
  name=$(basename "$scenario" .toml)
  dir="$out/sweep/$name-seed$seed"
  if is_live "$scenario"; then n=$live_cases; else n=${cases:-}; fi
  ordeal_bounded run "$scenario" --seed "$seed" ${n:+--cases "$n"} --shard "$shard" \
    --defect "$defect" --out "$dir" >"$dir.log" 2>&1 || rc=$?
  echo "sweep $name seed $seed: exit $rc"
  local reproduce="ordeal run $scenario --seed $seed${n:+ --cases $n} --shard $shard --defect $defect"
  if [ $rc -eq 0 ]; then
    record_result "$results" sweep pass - "$name" "$seed" - "$reproduce"
    return
  fi
  if [ $rc -ne 1 ] || ! jq -e '.signature.id' "$dir/report.json" >/dev/null 2>&1; then
    record_result "$results" sweep error - "$name" "$seed" - \
      "exit $rc: $(tail -n 1 "$dir.log"); $reproduce"
    return
  fi
  local id text status=new
  id=$(jq -r '.signature.id' "$dir/report.json")
  text=$(jq -r '.signature.text' "$dir/report.json")
  save_failure "$corpus" "$dir" "$id" "$text" || case $? in
    1) status=known ;;
    *) status=error text="cannot save into $corpus/$id: $text" ;;
  esac
  record_result "$results" sweep "$status" "$id" "$name" "$seed" "$text" "$reproduce"
}

sweep() {
  mkdir -p "$out/sweep"
  local scenario j
  for scenario in "${scenarios[@]}"; do
    for ((j = 0; j < seeds; j++)); do sweep_one "$scenario" $((base_seed * 1000 + j)); done
  done
}

main() {
  parse_args "$@"
  check_args
  default_scenarios
  mkdir -p "$corpus" "$out"
  corpus=$(cd "$corpus" && pwd)
  out=$(cd "$out" && pwd)
  ordeal=$(cd "$(dirname "$ordeal")" && pwd)/$(basename "$ordeal")
  cd "$here"
  results="$out/results.tsv"
  : >"$results"
  echo "nightly: shard $shard, base seed $base_seed (rerun this night with --seed $base_seed)," \
    "$seeds seeds x ${#scenarios[@]} scenarios, defect $defect"
  replay_corpus
  sweep
  {
    echo "## ordeal nightly, shard $shard, base seed $base_seed"
    echo
    render_summary "$results"
  } >"$out/summary.md"
  cat "$out/summary.md"
  [ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
  local status=0
  night_status "$results" || status=$?
  return $status
}

main "$@"
