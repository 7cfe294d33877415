#!/usr/bin/env bash
# What STORE=redis costs and gives: registration latency with the memory store and with Redis, the time a
# restarted instance takes to list every stream again, and how fast registrations are refused while Redis
# is down. Starts its own redis-server and Sluice (as the README does) on loopback ports; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18187}"
REDIS_PORT="${BENCH_REDIS_PORT:-18191}"
N="${BENCH_STREAMS:-2000}"
OUT=target/bench
mkdir -p "$OUT"
. bench/lib.sh
command -v redis-server >/dev/null || { echo "needs redis-server (Debian package redis-server)" >&2; exit 1; }

build_bench bench/src/io/sluice/bench/StoreBench.java
bench() { timeout 600 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.StoreBench "$@"; }
stop_sluice() { kill "$MVN_PID" 2>/dev/null || true; wait "$MVN_PID" 2>/dev/null || true; }
BASE="http://127.0.0.1:$PORT"
REPORT="$OUT/store-report.txt"
: > "$REPORT"

start_sluice "$PORT" "$OUT/sluice-store-memory.log" -u API_TOKEN STORE=memory
bench register "$BASE" "$N" "memory" | tee -a "$REPORT"
stop_sluice

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  > "$OUT/redis-bench.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$MVN_PID" "$REDIS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

start_sluice "$PORT" "$OUT/sluice-store-redis.log" -u API_TOKEN STORE=redis REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
bench register "$BASE" "$N" "redis" | tee -a "$REPORT"
stop_sluice

start_sluice "$PORT" "$OUT/sluice-store-redis-restart.log" -u API_TOKEN STORE=redis REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
bench await "$BASE" "$N" "redis, restarted" | tee -a "$REPORT"
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
bench refused "$BASE" 200 "redis down" | tee -a "$REPORT"
stop_sluice
