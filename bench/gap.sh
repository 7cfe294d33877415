#!/usr/bin/env bash
# Client-visible gap when a live upstream resets or stalls mid-stream (retries 0, chunk timeout 1 s):
# p50 and max over 20 trials each. Starts Sluice like the README does; loopback only; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18186}"
OUT=target/bench
mkdir -p "$OUT"
mvn -q -B -DskipTests package test-compile
javac -d "$OUT/classes" -cp target/test-classes bench/src/io/sluice/bench/GapBench.java

env -u PORT -u API_TOKEN STREAM_RETRY_ATTEMPTS=0 LIVE_CHUNK_TIMEOUT_SECONDS=1 \
  mvn -q -B cargo:run -Ddev.port="$PORT" > "$OUT/sluice-gap.log" 2>&1 &
MVN_PID=$!
cleanup() { kill "$MVN_PID" 2>/dev/null || true; wait "$MVN_PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/streams"; then break; fi
  sleep 1
done
timeout 600 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.GapBench \
  "http://127.0.0.1:$PORT" | tee "$OUT/gap-report.txt"
