#!/usr/bin/env bash
# The cluster target leaves no order open: at the end of a run and on
# SIGINT, ordeal cancels what its cases left open before it stops the
# exchange's processes. Each engine logs how many orders still rest in its
# books when it stops; that must be 0. The same runs without the clean-up
# ([live] clean_up_timeout_ms = 0) must leave orders resting, or the check
# could not tell the difference.
#   clean_up_test.sh ORDEAL SOURCE_DIR WORK_DIR
set -u
ordeal=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The most orders any engine of run OUT had resting when it stopped; -1: no engine said.
resting_max() {
  cat "$1"/cluster/engine-*.log 2>/dev/null | grep -o '[0-9]* resting orders' |
    awk 'BEGIN { m = -1 } $1 > m { m = $1 } END { print m }'
}
without_clean_up() { cat "$1"; printf '\n[live]\nclean_up_timeout_ms = 0\n'; }
# An order can fill between the final reads and its cancel: refused as
# final, which is right. None may stay unknown, and none may rest.
cleaned='clean-up: [1-9][0-9]* orders\{0,1\} left open: [1-9][0-9]* cancelled, [0-9]* refused, 0 unknown'

okx=$src/examples/scenarios/okx-2023-08-14.toml
without_clean_up "$okx" >"$work/okx-kept.toml"
# Order flow long enough to interrupt in the middle, on a small exchange.
cat >"$work/long.toml" <<'EOF'
name = "long-flow"
description = "orders rest for a long while; no faults"
[workload]
clients = 2
operations_per_client = 400
symbols = ["BTC-USDT"]
invalid_share = 0.0
think_ms_max = 100
[workload.mix]
place = 80
amend = 0
cancel = 10
mass_cancel = 0
status = 10
[metadata]
changes_max = 0
[exchange]
replicas = 1
shards = 1
EOF
without_clean_up "$work/long.toml" >"$work/long-kept.toml"

# End of run: the incident scenario (faults, upgrade) with the clean-up, then without.
timeout 120 "$ordeal" run "$okx" --target cluster --cases 1 --seed 5 --no-shrink \
  --out "$work/end" >"$work/end.txt" 2>&1
code=$?
[ "$code" = 0 ] || { cat "$work/end.txt"; fail "end of run: exited $code"; }
grep -q "$cleaned" "$work/end.txt" || { cat "$work/end.txt"; fail "end of run: no clean-up line"; }
grep -q '"cancelled": [1-9]' "$work/end/report.json" || fail "end of run: report.json has no clean_up"
[ "$(resting_max "$work/end")" = 0 ] || fail "end of run: $(resting_max "$work/end") orders rest after the clean-up"

timeout 120 "$ordeal" run "$work/okx-kept.toml" --target cluster --cases 1 --seed 5 --no-shrink \
  --out "$work/end-kept" >"$work/end-kept.txt" 2>&1
code=$?
[ "$code" = 0 ] || { cat "$work/end-kept.txt"; fail "end of run without clean-up: exited $code"; }
grep -q 'clean-up:' "$work/end-kept.txt" && fail "clean_up_timeout_ms = 0 still cleaned up"
[ "$(resting_max "$work/end-kept")" -gt 0 ] || fail "without the clean-up no order rests: the check proves nothing"

# SIGINT in the middle of a case: exit 130, the clean-up before the nodes stop.
interrupt() {
  local name=$1 scenario=$2
  timeout 120 "$ordeal" run "$scenario" --target cluster --cases 3 --seed 3 --no-shrink \
    --out "$work/$name" >"$work/$name.txt" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    grep -qs 'serving' "$work/$name/cluster/gateway.log" && break
    sleep 0.1
  done
  sleep 2.5  # the cluster gets ready and the clients place orders
  local start_ms=$(($(date +%s%N) / 1000000))
  kill -INT "$pid"
  wait "$pid"
  code=$?
  elapsed_ms=$(($(date +%s%N) / 1000000 - start_ms))
  if pgrep -f -- "--parent-pid $pid" >/dev/null; then
    fail "$name: exchange-node processes outlive the run"
    pkill -9 -f -- "--parent-pid $pid"
  fi
}
interrupt interrupted "$work/long.toml"
[ "$code" = 130 ] || { cat "$work/interrupted.txt"; fail "interrupted: exited $code, not 130"; }
grep -q "$cleaned" "$work/interrupted.txt" || { cat "$work/interrupted.txt"; fail "interrupted: no clean-up line"; }
[ "$(resting_max "$work/interrupted")" = 0 ] || fail "interrupted: $(resting_max "$work/interrupted") orders rest after the clean-up"
# The clean-up (at most 5 s) and the stop (at most 2 s) are bounded.
[ "$elapsed_ms" -lt 9000 ] || fail "interrupted: took $elapsed_ms ms to exit"

interrupt interrupted-kept "$work/long-kept.toml"
[ "$code" = 130 ] || { cat "$work/interrupted-kept.txt"; fail "interrupted without clean-up: exited $code"; }
[ "$(resting_max "$work/interrupted-kept")" -gt 0 ] ||
  fail "interrupted without the clean-up, no order rests: the check proves nothing"

[ "$failures" = 0 ] && echo "clean-up on the cluster: all checks passed"
exit "$failures"
