#!/usr/bin/env bash
# Runs ci/nightly.sh on tiny sweeps of the incident scenario with its defect
# planted, night after night on one corpus, and checks what the pipeline
# promises (docs/nightly.md):
#   night 1: two seeds find the bug: one corpus entry, one bug reported, exit 1;
#   night 2: the corpus is replayed first and the bug reported still open;
#   night 3: the bug "fixed" (its repro edited to run without the defect):
#            the entry passes, is moved to fixed/, and the night exits 0;
#   night 4: an entry that no longer loads is moved to stale/, exit 3;
#   and shards with a corpus each merge into one corpus and one summary.
#
#   ci/nightly_test.sh ORDEAL_BINARY WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ordeal=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
scenario=examples/scenarios/okx-2023-08-14.toml

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# night NAME EXPECTED_EXIT ARGS...: runs one night into $work/NAME.
night() {
  local name=$1 expected=$2 rc=0
  shift 2
  bash "$here/ci/nightly.sh" --ordeal "$ordeal" --scenario "$scenario" --out "$work/$name" \
    "$@" >"$work/$name.log" 2>&1 || rc=$?
  [ $rc -eq "$expected" ] || fail "night $name exited $rc, expected $expected:
$(cat "$work/$name.log")"
}

entries() { find "$1" -mindepth 1 -maxdepth 1 -type d -regex '.*/[0-9a-f]*' | wc -l; }
rows() { awk -F'\t' -v step="$2" -v status="$3" '$1 == step && $2 == status' "$1" | wc -l; }

night bad-usage 2 --shard 2/2
night bad-seeds 2 --seeds 0

# Night 1: seeds 4000 and 4001 both find lost cancels, one triggered by a
# tick size change, the other by a routing move: one bug, one signature.
night n1 1 --seed 4 --seeds 2 --defect okx-2023-08-14 --corpus "$work/corpus"
[ "$(rows "$work/n1/results.tsv" sweep new)" -eq 1 ] || fail "night 1: expected one new bug"
[ "$(rows "$work/n1/results.tsv" sweep known)" -eq 1 ] || fail "night 1: the second seed's failure is not the known bug"
[ "$(entries "$work/corpus")" -eq 1 ] || fail "night 1: expected one corpus entry, got $(ls "$work/corpus")"
id=$(basename "$(find "$work/corpus" -mindepth 1 -maxdepth 1 -type d)")
for f in repro.toml signature.txt found.json; do [ -s "$work/corpus/$id/$f" ] || fail "entry has no $f"; done
grep -qx "scenario = \"$scenario\"" "$work/corpus/$id/repro.toml" ||
  fail "the entry does not name its scenario from the repository: $(grep '^scenario' "$work/corpus/$id/repro.toml")"
grep -q "bugs: 1 (new: 1, still open: 0)" "$work/n1/summary.md" || fail "night 1 summary: $(cat "$work/n1/summary.md")"
grep -q "| new | \`$id\` no-lost-" "$work/n1/summary.md" || fail "night 1 summary lacks the bug: $(cat "$work/n1/summary.md")"

# Night 2: replayed first, still open; a new seed finds it again, still one entry.
night n2 1 --seed 3 --seeds 1 --defect okx-2023-08-14 --corpus "$work/corpus"
[ "$(head -n 1 "$work/n2/results.tsv" | cut -f 1-3)" = "replay	open	$id" ] ||
  fail "night 2 did not start by replaying $id: $(cat "$work/n2/results.tsv")"
grep -q "| open | \`$id\`" "$work/n2/summary.md" || fail "night 2 summary: $(cat "$work/n2/summary.md")"
[ "$(entries "$work/corpus")" -eq 1 ] || fail "night 2: the corpus grew: $(ls "$work/corpus")"

# Night 3: the bug is fixed (the repro runs without the defect): moved aside.
sed -i 's/^defect = .*/defect = "none"/' "$work/corpus/$id/repro.toml"
cp -r "$work/corpus" "$work/corpus-before-3"
night n3 0 --seed 3 --seeds 1 --cases 5 --corpus "$work/corpus"
[ "$(rows "$work/n3/results.tsv" replay fixed)" -eq 1 ] || fail "night 3: not reported fixed"
[ "$(entries "$work/corpus")" -eq 0 ] || fail "night 3: the fixed entry is still open"
ls "$work/corpus/fixed/$id-"*/repro.toml >/dev/null || fail "night 3: the fixed entry was not kept"
# The merge moves it aside the same way in a corpus the shards only copied.
bash "$here/ci/nightly-merge.sh" --corpus "$work/corpus-before-3" --out "$work/merged-3" "$work/n3" \
  >"$work/merge-3.log" 2>&1 || fail "merge of night 3 failed: $(cat "$work/merge-3.log")"
[ "$(entries "$work/corpus-before-3")" -eq 0 ] || fail "merge: the fixed entry is still open"
ls "$work/corpus-before-3/fixed/$id-"*/repro.toml >/dev/null || fail "merge: the fixed entry was not kept"

# Night 4: an entry whose repro no longer loads is moved aside, exit 3.
mkdir -p "$work/corpus/00000000deadbeef"
echo 'scenario = "examples/scenarios/gone.toml"' >"$work/corpus/00000000deadbeef/repro.toml"
night n4 3 --seed 4 --seeds 1 --cases 5 --corpus "$work/corpus"
[ -d "$work/corpus/00000000deadbeef" ] && fail "night 4: the stale entry is still open"
ls -d "$work/corpus/stale/00000000deadbeef-"* >/dev/null || fail "night 4: the stale entry was not kept"

# Two shards, a corpus each (as in the workflow's matrix), then the merge.
night s0 1 --shard 0/2 --seed 4 --seeds 1 --defect okx-2023-08-14 --corpus "$work/c0"
night s1 1 --shard 1/2 --seed 4 --seeds 1 --defect okx-2023-08-14 --corpus "$work/c1"
rc=0
bash "$here/ci/nightly-merge.sh" --corpus "$work/merged-corpus" --out "$work/merged" \
  "$work/s0" "$work/s1" >"$work/merge.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "merge exited $rc: $(cat "$work/merge.log")"
distinct=$(cut -f 3 "$work/s0/results.tsv" "$work/s1/results.tsv" | grep -v '^-$' | sort -u | wc -l)
[ "$(entries "$work/merged-corpus")" -eq "$distinct" ] ||
  fail "merged corpus has $(entries "$work/merged-corpus") entries for $distinct signatures"
grep -q "runs: 2, passed: 0; bugs: $distinct (new: $distinct," "$work/merged/summary.md" ||
  fail "merged summary: $(cat "$work/merged/summary.md")"
echo "nightly pipeline: all checks passed"
