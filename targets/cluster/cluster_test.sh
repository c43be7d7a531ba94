#!/usr/bin/env bash
# The cluster target end to end, as a user runs it: real exchange-node
# processes on loopback. Checks verdicts, exit codes, and that no node
# outlives its run (also when the run is interrupted).
#   cluster_test.sh ORDEAL SOURCE_DIR WORK_DIR
set -u
ordeal=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Runs ordeal in the background; sets `code` and `pid`.
run() {
  timeout 300 "$ordeal" run "$@" >"$work/out.txt" 2>&1 &
  pid=$!
  wait "$pid"
  code=$?
}
no_orphans() {
  if pgrep -f -- "--parent-pid $pid" >/dev/null; then
    fail "exchange-node processes of run $pid still alive"
    pkill -9 -f -- "--parent-pid $pid"
  fi
}

run "$src/examples/scenarios/cluster-chaos.toml" --cases 3 --seed 7 --out "$work/none"
[ "$code" = 0 ] || { cat "$work/out.txt"; fail "cluster-chaos with defect none exited $code"; }
grep -q '"status": "pass"' "$work/none/report.json" || fail "report.json of the passing run"
[ -s "$work/none/cluster/gateway.log" ] || fail "no gateway log"
no_orphans

# kill -9 and restart of the metadata leader and a shard, a mixed-version
# replica and a rollback: the nodes' journals keep every acknowledged order.
run "$src/examples/scenarios/cluster-versions.toml" --cases 2 --seed 5 --out "$work/versions"
[ "$code" = 0 ] || { cat "$work/out.txt"; fail "cluster-versions with defect none exited $code"; }
no_orphans

run "$src/examples/scenarios/okx-2023-08-14.toml" --target cluster --defect okx-2023-08-14 \
  --cases 20 --no-shrink --seed 1 --out "$work/defect"
[ "$code" = 1 ] || { cat "$work/out.txt"; fail "the incident defect on the cluster exited $code, not 1"; }
grep -Eq '"property": "no-lost-(cancel|amend|order)"' "$work/defect/report.json" ||
  fail "the incident defect was not reported as an order-loss violation"
no_orphans

# Faults on links between nodes reach those links (the nodes dial their
# peer through the proxy), and a corrupted frame is dropped, not obeyed.
run "$src/targets/cluster/internal-corrupt.toml" --cases 4 --seed 10 --out "$work/corrupt"
[ "$code" = 0 ] || { cat "$work/out.txt"; fail "internal corruption with defect none exited $code"; }
bad=$(grep -ho '[0-9]* bad[,)]' "$work/corrupt/cluster/"*.log | awk '{n += $1} END {print n + 0}')
[ "$bad" -gt 0 ] || fail "no node saw a corrupted frame: the link faults did not act"
no_orphans

# A venue's own instruments: the replicas list them (the orders name its
# symbols and are accepted at its prices), and a planted defect is caught
# on them.
run "$src/targets/cluster/venue-instruments.toml" --cases 2 --seed 3 --out "$work/venue"
[ "$code" = 0 ] || { cat "$work/out.txt"; fail "venue instruments with defect none exited $code"; }
grep -q '"type":"ok","client":[0-9]*,"op":[0-9]*,"f":"place","order":"[^"]*","status":"new"' \
  "$work/venue/history.jsonl" || fail "no order at the venue's prices was accepted"
grep -q '"symbol":"AAPL"' "$work/venue/history.jsonl" || fail "no order named the venue's symbol"
grep -q 'BTC-USDT' "$work/venue/history.jsonl" && fail "the reference instruments were listed"
no_orphans
run "$src/targets/cluster/venue-instruments.toml" --cases 10 --seed 3 --no-shrink \
  --defect amend-overfill --out "$work/venue-defect"
[ "$code" = 1 ] || { cat "$work/out.txt"; fail "amend-overfill on the venue's instruments exited $code"; }
no_orphans

# Process faults overlapping on one node (kill, restart and pause of the
# gateway at once; seeds 2 and 8 draw all three): each window's end brings
# the node back and the run passes, rather than failing on a kill of a
# node that is already down. The history must show the overlap happened.
for seed in 2 8; do
  run "$src/targets/cluster/overlap.toml" --cases 1 --seed "$seed" --out "$work/overlap-$seed"
  [ "$code" = 0 ] || { cat "$work/out.txt"; fail "overlapping process faults, seed $seed, exited $code"; }
  open_windows=$(awk '/"fault_stop"/ {exit} /"fault_start"/ {n++} END {print n + 0}' \
    "$work/overlap-$seed/history.jsonl")
  [ "$open_windows" -ge 2 ] || fail "seed $seed: no overlapping fault windows in the history"
  no_orphans
done

# A repro whose case kills a process replays on the target its run drove,
# the cluster here: in the simulator the kill would not happen at all.
cat >"$work/live-repro.toml" <<EOF
defect = 'none'
run_seed = '7'
scenario = '$src/examples/scenarios/cluster-chaos.toml'
target = 'cluster'
[case]
seed = '3'
upgrade = false
upgrade_start_ms = 0
metadata = []
fault = [{ fault = 'process.kill', index = 2, start_ms = 100, duration_ms = 600 }]
[[case.client]]
ops = [{ at_ms = 50, kind = 'place', invalid = 'none', lots = 1, post_only = false, price_steps = 0, side = 'buy', symbol = 0, target = 0, tif = 'gtc', type = 'limit' }]
EOF
timeout 300 "$ordeal" replay "$work/live-repro.toml" --out "$work/replay" >"$work/out.txt" 2>&1 &
pid=$!
wait "$pid"
code=$?
[ "$code" = 0 ] || { cat "$work/out.txt"; fail "the live repro replayed with exit $code, not 0"; }
grep -q "needs real processes: on cluster" "$work/out.txt" || fail "the replay did not say where it ran"
[ -s "$work/replay/cluster/gateway.log" ] || fail "the live repro did not run on the cluster"
grep -q '"fault_start"' "$work/replay/history.jsonl" || fail "the replayed history has no fault"
no_orphans

# SIGINT mid-run: exit 130, every node stopped.
timeout 300 "$ordeal" run "$src/examples/scenarios/cluster-chaos.toml" --cases 50 --seed 3 \
  --out "$work/interrupted" >"$work/out.txt" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  pgrep -f -- "--parent-pid $pid" >/dev/null && break
  sleep 0.1
done
sleep 2
kill -INT "$pid"
wait "$pid"
code=$?
[ "$code" = 130 ] || { cat "$work/out.txt"; fail "interrupted run exited $code, not 130"; }
no_orphans

"$ordeal" run "$src/examples/scenarios/okx-2023-08-14.toml" --target nowhere >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown target must exit 2"

"$ordeal" run "$src/examples/scenarios/cluster-chaos.toml" --target inproc >/dev/null 2>&1
[ $? = 2 ] || fail "process faults in sim must exit 2"

[ "$failures" = 0 ] && echo "cluster end to end: all checks passed"
exit "$failures"
