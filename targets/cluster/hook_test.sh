#!/usr/bin/env bash
# Hook faults on the cluster target: every start gets its stop, and a stop
# still runs when ordeal is killed with SIGKILL while a hook's window is open
# (the lease's guard runs it). Here the start command itself kills ordeal,
# so the kill lands inside the window whatever the generated timing.
#   hook_test.sh ORDEAL WORK_DIR
set -u
ordeal=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

scenario() {  # scenario FILE START_COMMAND
  cat >"$1" <<TOML
name = "hook-lease"
target = "cluster"

[workload]
clients = 1
operations_per_client = 5
symbols = ["BTC-USDT"]

[nemesis]
faults_max = 1
window_ms = 2000

[[nemesis.fault]]
point = "hook"
start = "$2"
stop = "echo \\"stop \$ORDEAL_HOOK_PHASE\\" >> $work/marker"
timeout_ms = 5000
TOML
}

# Normal runs: each window's start is followed by ordeal's own stop.
scenario "$work/normal.toml" "echo start >> $work/marker"
timeout 120 "$ordeal" run "$work/normal.toml" --cases 4 --seed 2 --out "$work/normal" \
  >"$work/normal.txt" 2>&1
code=$?
[ "$code" = 0 ] || { cat "$work/normal.txt"; fail "hook run exited $code"; }
starts=$(grep -c '^start$' "$work/marker" 2>/dev/null)
stops=$(grep -c '^stop stop$' "$work/marker" 2>/dev/null)
[ "${starts:-0}" -ge 1 ] || fail "no case ran the hook (marker: $(cat "$work/marker" 2>/dev/null))"
[ "${starts:-0}" = "${stops:-0}" ] || fail "$starts starts but $stops stops run by ordeal"
grep -q 'lease-expired' "$work/marker" && fail "a guard ran a stop that ordeal had run"
rm -f "$work/marker"

# The start command kills ordeal (its parent) with SIGKILL.
scenario "$work/killed.toml" "echo start >> $work/marker; kill -9 \$PPID"
timeout 120 "$ordeal" run "$work/killed.toml" --cases 20 --seed 2 --out "$work/killed" \
  >"$work/killed.txt" 2>&1 &
pid=$!
wait "$pid"
code=$?
[ "$code" = 137 ] || { cat "$work/killed.txt"; fail "ordeal was not killed by its hook (exit $code)"; }
for _ in $(seq 1 100); do
  grep -q 'lease-expired' "$work/marker" 2>/dev/null && break
  sleep 0.1
done
grep -q '^stop lease-expired$' "$work/marker" ||
  fail "no stop ran after ordeal was killed (marker: $(cat "$work/marker" 2>/dev/null))"
for _ in $(seq 1 50); do
  pgrep -f -- "--parent-pid $pid" >/dev/null || break
  sleep 0.1
done
if pgrep -f -- "--parent-pid $pid" >/dev/null; then
  fail "exchange-node processes outlived the killed ordeal"
  pkill -9 -f -- "--parent-pid $pid"
fi

[ "$failures" = 0 ] && echo "hook faults: all checks passed"
