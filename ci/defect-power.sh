#!/usr/bin/env bash
# How reliably the shipped sim scenarios catch each planted defect: for each
# defect and each of SEEDS seeds from FIRST_SEED on, the scenarios are tried
# in the sweep's order (ci/defect-sweep.sh) with their default number of
# cases and without shrinking, until one fails. Prints a markdown table: the
# defect, how many seeds some scenario caught it on, which scenario caught it
# most often, and the median number of cases to the first failure there. A
# defect caught on one seed in the sweep may still pass a user's run on
# another; this says how often.
#
#   ci/defect-power.sh [ORDEAL_BINARY] [SEEDS] [FIRST_SEED]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ordeal=${1:-$here/build/default/bin/ordeal}
seeds=${2:-24}
first_seed=${3:-101}
seconds_max=60  # per run: a scenario's default cases take a few seconds at most
. "$here/ci/sim-scenarios.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The scenario that catches `defect` first on `seed`, and after how many
# cases ("name cases"); nothing when none does.
first_catch() {
  local defect=$1 seed=$2 scenario line
  for scenario in "${scenarios[@]}"; do
    line=$(timeout "$seconds_max" "$ordeal" run "$scenario" --defect "$defect" --seed "$seed" \
      --no-shrink --out "$out/run" 2>&1 | grep -oE 'FAIL after [0-9]+ cases?')
    if [ -n "$line" ]; then
      echo "$(basename "$scenario" .toml) $(echo "$line" | grep -oE '[0-9]+')"
      return
    fi
  done
}

echo "| defect | seeds caught | scenario | median cases to the first failure |"
echo "| --- | --- | --- | --- |"
while IFS=$'\t' read -r defect _; do
  [ "$defect" = none ] && continue
  : >"$out/catches"
  for ((seed = first_seed; seed < first_seed + seeds; ++seed)); do
    first_catch "$defect" "$seed" >>"$out/catches"
  done
  caught=$(wc -l <"$out/catches")
  scenario=$(cut -d' ' -f1 "$out/catches" | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
  median=$(awk -v s="$scenario" '$1 == s {print $2}' "$out/catches" | sort -n |
    awk '{a[NR] = $1} END {print NR ? a[int((NR + 1) / 2)] : "-"}')
  echo "| $defect | $caught of $seeds | ${scenario:--} | $median |"
done < <("$ordeal" list defects)
