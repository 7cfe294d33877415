#!/usr/bin/env bash
# Client-visible gap when a live upstream resets or stalls mid-stream (retries 0, chunk timeout 1 s):
# p50 and max over 20 trials each. Starts Sluice like the README does; loopback only; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18186}"
OUT=target/bench
mkdir -p "$OUT"
. bench/lib.sh

build_bench bench/src/io/sluice/bench/GapBench.java
start_sluice "$PORT" "$OUT/sluice-gap.log" -u API_TOKEN STREAM_RETRY_ATTEMPTS=0 LIVE_CHUNK_TIMEOUT_SECONDS=1

timeout 600 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.GapBench \
  "http://127.0.0.1:$PORT" | tee "$OUT/gap-report.txt"
