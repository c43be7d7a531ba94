#!/usr/bin/env bash
# Sweeps every planted defect of the reference exchange against the shipped
# sim scenarios, with default settings, and prints a markdown table: the defect,
# the scenario and property that caught it, the seconds to the verdict
# (detection and shrinking) and the shrunk size. Exits 1 when some defect is
# caught by no scenario within the time limit.
#
#   ci/defect-sweep.sh [ORDEAL_BINARY] [SEED] [SECONDS_MAX]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ordeal=${1:-$here/build/default/bin/ordeal}
seed=${2:-1}
seconds_max=${3:-10}
. "$here/ci/sim-scenarios.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "| defect | caught by scenario | property | seconds | shrunk to |"
echo "| --- | --- | --- | --- | --- |"
missed=0
while IFS=$'\t' read -r defect _; do
  [ "$defect" = none ] && continue
  found=""
  for scenario in "${scenarios[@]}"; do
    name=$(basename "$scenario" .toml)
    start_ms=$(( $(date +%s%N) / 1000000 ))
    timeout "$seconds_max" "$ordeal" run "$scenario" --defect "$defect" --seed "$seed" \
      --out "$out/$defect" >/dev/null 2>&1
    rc=$?
    elapsed_ms=$(( $(date +%s%N) / 1000000 - start_ms ))
    [ $rc -eq 1 ] || continue
    report="$out/$defect/report.json"
    property=$(grep -o '"property": "[^"]*"' "$report" | head -n 1 | sed 's/.*: "//; s/"//')
    shrunk=$(sed -n '/"shrunk": {/,/}/p' "$report")
    operations=$(echo "$shrunk" | grep -o '"operations": [0-9]*' | sed 's/.*: //')
    faults=$(echo "$shrunk" | grep -o '"faults": [0-9]*' | sed 's/.*: //')
    changes=$(echo "$shrunk" | grep -o '"metadata_changes": [0-9]*' | sed 's/.*: //')
    found=$(printf '| %s | %s | %s | %d.%d | %s operations, %s metadata changes, %s faults |' \
      "$defect" "$name" \
      "$property" $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100)) "$operations" "$changes" \
      "$faults")
    break
  done
  if [ -z "$found" ]; then
    found="| $defect | (none within ${seconds_max} s) | | | |"
    missed=$((missed + 1))
  fi
  echo "$found"
done < <("$ordeal" list defects)
[ $missed -eq 0 ]
