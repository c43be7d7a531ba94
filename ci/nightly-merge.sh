#!/usr/bin/env bash
# Merges the nights of all shards (each shard's --out folder of ci/nightly.sh)
# into one summary, and, with --corpus, into the failure corpus that the next
# night starts from. Used by the workflow's final job, whose shards each had
# their own copy of the corpus; shards that share one corpus folder (the
# Kubernetes Job's volume) have already updated it and need only the summary.
#
#   ci/nightly-merge.sh --corpus corpus --out merged shards/shard-0 shards/shard-1
#
# In the corpus: entries that a shard's replay found fixed (or no longer
# loading) are moved aside to fixed/ (stale/); failures that any shard's sweep
# found are added from that shard's run, once per signature. Exits as a night
# does: 0 all passed, 1 a property was violated, 3 a run errored.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=ci/nightly-lib.sh
source "$here/ci/nightly-lib.sh"

die() {
  echo "ci/nightly-merge.sh: $*" >&2
  exit 2
}

corpus=""
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --corpus) corpus=${2:?--corpus needs a folder} && shift 2 ;;
    --out) out=${2:?--out needs a folder} && shift 2 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ -n "$out" ] || die "usage: ci/nightly-merge.sh [--corpus DIR] --out DIR SHARD_OUT..."
[ $# -ge 1 ] || die "no shard folders given"
for shard in "$@"; do [ -f "$shard/results.tsv" ] || die "$shard: no results.tsv (not a night's --out)"; done
mkdir -p "$out"
cat "${@/%//results.tsv}" >"$out/results.tsv"

# Moves aside what some shard's replay found fixed or stale, then adds what
# the sweeps found; an entry both fixed by its replay and found again by a
# sweep comes back with the fresh repro, as on one machine.
merge_corpus() {
  local shard step status id scenario seed text moved=0 added=0 rc
  mkdir -p "$corpus"
  for shard in "$@"; do
    while IFS=$'\t' read -r step status id _; do
      [ "$step" = replay ] && [ -d "$corpus/$id" ] || continue
      [ "$status" = fixed ] || [ "$status" = stale ] || continue
      mkdir -p "$corpus/$status"
      mv "$corpus/$id" "$corpus/$status/$id-$(date -u +%Y%m%dT%H%M%S)"
      moved=$((moved + 1))
    done <"$shard/results.tsv"
  done
  for shard in "$@"; do
    while IFS=$'\t' read -r step status id scenario seed text _; do
      [ "$step" = sweep ] && { [ "$status" = new ] || [ "$status" = known ]; } || continue
      rc=0
      save_failure "$corpus" "$shard/sweep/$scenario-seed$seed" "$id" "$text" || rc=$?
      [ $rc -ne 2 ] || die "cannot add $id from $shard/sweep/$scenario-seed$seed"
      [ $rc -ne 0 ] || added=$((added + 1))
    done <"$shard/results.tsv"
  done
  echo "corpus $corpus: $added added, $moved moved aside"
}

[ -z "$corpus" ] || merge_corpus "$@"
{
  echo "## ordeal nightly, $# shards"
  echo
  render_summary "$out/results.tsv"
} >"$out/summary.md"
cat "$out/summary.md"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
night_status "$out/results.tsv"
