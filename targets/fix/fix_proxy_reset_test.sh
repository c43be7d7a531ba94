#!/usr/bin/env bash
# The fix:// target through the fault proxy, against a reference cluster
# that this script runs on loopback. The proxy holds the gateway's reports
# back for the first seconds and resets the FIX connection once, mid-run.
# The run must end without a false violation (exit 0); ordeal must log on
# again with its sequence numbers carried on and ask for the reports it
# missed (ResendRequest); requests the reset cut off must be `info`, never
# `fail`; and the clean-up must leave no order resting.
#   fix_proxy_reset_test.sh ORDEAL EXCHANGE_NODE ORDEAL_PROXY SOURCE_DIR WORK_DIR
set -u
ordeal=$1 node=$2 proxy=$3 src=$4 work=$5
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done' EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A node's control port answers "ok yes" once it holds fresh metadata.
ready() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    echo ready >&3
    read -r -t 1 line <&3
    [ "${line%$'\r'}" = "ok yes" ]
  ) 2>/dev/null
}

# One replica, two shards, the gateway: nodes 0..3 take base..base+7, FIX base+8.
base=0
for _ in $(seq 1 50); do
  candidate=$((20000 + 2 * (RANDOM % 5000)))
  busy=0
  for p in $(seq "$candidate" $((candidate + 8))); do listening "$p" && busy=1; done
  [ "$busy" = 0 ] && base=$candidate && break
done
[ "$base" != 0 ] || { echo "FAIL: no free loopback ports"; exit 1; }
fix_port=$((base + 8))
layout=(--replicas 1 --shards 2 --clients 4 --base-port "$base" --parent-pid $$)
"$node" --role meta --index 0 "${layout[@]}" >"$work/meta-0.log" 2>&1 &
pids+=($!)
for i in 0 1; do
  "$node" --role engine --index "$i" "${layout[@]}" >"$work/engine-$i.log" 2>&1 &
  pids+=($!)
done
"$node" --role gateway "${layout[@]}" --fix-port "$fix_port" >"$work/gateway.log" 2>&1 &
pids+=($!)
for control in $((base + 1)) $((base + 3)) $((base + 5)) $((base + 7)); do
  for _ in $(seq 1 150); do
    ready "$control" && break
    sleep 0.1
  done
  ready "$control" || { cat "$work"/*.log; echo "FAIL: node on control port $control not ready"; exit 1; }
done

cat >"$work/proxy.toml" <<EOF
seed = 7
[[proxy]]
name = "fix"
listen = "127.0.0.1:0"
upstream = "127.0.0.1:$fix_port"

[[proxy.fault]]
name = "slow-reports"
kind = "latency"
direction = "downstream"
fix_types = ["8"]
latency_ms = 400
lease_ms = 4000

[[proxy.fault]]
name = "reset-once"
kind = "reset"
reset_after_ms = 1500
max_fires = 1
EOF
"$proxy" --config "$work/proxy.toml" --no-api >"$work/proxy.txt" 2>&1 &
pids+=($!)
proxy_port=
for _ in $(seq 1 50); do
  proxy_port=$(sed -n 's/^proxy fix: 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/proxy.txt")
  [ -n "$proxy_port" ] && break
  sleep 0.1
done
[ -n "$proxy_port" ] || { cat "$work/proxy.txt"; echo "FAIL: the proxy did not start"; exit 1; }

target="fix://127.0.0.1:$proxy_port?version=FIX.4.4&sender=ORDEAL&target=EXCHANGE"
timeout 60 "$ordeal" run "$src/examples/scenarios/okx-2023-08-14.toml" --target "$target" \
  --cases 1 --seed 11 --no-shrink --out "$work/run" >"$work/run.txt" 2>&1
code=$?
[ "$code" = 0 ] || { cat "$work/run.txt"; fail "ordeal exited $code, not 0 (a false violation?)"; }
grep -q '"status": "pass"' "$work/run/report.json" || fail "report.json does not say pass"

# FIX session: L logons, D disconnects, resend requests S sent / R received, ...
session=$(grep -o 'FIX session: [0-9]* logons, [0-9]* disconnects, resend requests [0-9]* sent' \
  "$work/run.txt" | head -n 1)
read -r logons disconnects resends <<<"$(echo "$session" | tr -cs '0-9' ' ')"
[ "${logons:-0}" -ge 2 ] || fail "no second logon after the reset ($session)"
[ "${disconnects:-0}" -ge 1 ] || fail "no disconnect seen ($session)"
[ "${resends:-0}" -ge 1 ] || fail "no ResendRequest for the reports the reset lost ($session)"

history=$work/run/history.jsonl
cut_off=$(grep -c '"reason":"disconnected before an answer"' "$history")
[ "$cut_off" -ge 1 ] || fail "no request was cut off by the reset: the check proves nothing"
grep -E '"reason":"(disconnected before an answer|no answer in time)"' "$history" |
  grep -v '"type":"info"' >"$work/not-info.txt"
[ -s "$work/not-info.txt" ] && fail "a cut-off or timed-out request is not info: $(head -n 1 "$work/not-info.txt")"

grep -q 'clean-up: .* 0 refused, 0 unknown' "$work/run.txt" || fail "no clean clean-up line"
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
pids=()
resting=$(cat "$work"/engine-*.log | grep -o '[0-9]* resting orders' | awk '{ s += $1 } END { print s + 0 }')
stopped=$(cat "$work"/engine-*.log | grep -c 'resting orders')
[ "$stopped" = 2 ] || fail "the engines did not stop cleanly"
[ "$resting" = 0 ] || fail "$resting orders rest after the clean-up"

[ "$failures" = 0 ] && echo "fix:// through a resetting proxy: all checks passed ($session, $cut_off requests cut off)"
exit "$failures"
