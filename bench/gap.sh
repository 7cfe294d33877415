#!/usr/bin/env bash
# What a player sees at a failover (issue 11): for live TS and HLS, a primary that resets, stalls, answers 503
# or is left by a manual failover, with a live backup of the same programme; once on the shipped defaults and
# once on tuned settings (quicker timeouts, one retry). Starts Sluice like the README does, twice; loopback
# only; about ten minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18186}"
. bench/lib.sh

build_bench bench/src/io/sluice/bench/GapBench.java
: > "$OUT/gap-report.txt"
run() {
  local label="$1"
  shift
  start_sluice "$PORT" "$OUT/sluice-gap-$label.log" -u API_TOKEN "$@"
  timeout 1200 java ${BENCH_JAVA_OPTS:--Dbench.trials=2 -Dbench.hlsStallTrials=1} -cp "$OUT/classes:target/test-classes" io.sluice.bench.GapBench \
    "http://127.0.0.1:$PORT" "$label" | tee -a "$OUT/gap-report.txt"
  kill "$MVN_PID" 2>/dev/null || true
  wait "$MVN_PID" 2>/dev/null || true
  trap - EXIT
}
echo "| format | failure | settings | gap p50 (s) | gap max (s) | trials | HLS segments replayed |" | tee -a "$OUT/gap-report.txt"
echo "|---|---|---|---|---|---|---|" | tee -a "$OUT/gap-report.txt"
run default
run tuned LIVE_CHUNK_TIMEOUT_SECONDS=3 LIVE_FIRST_DATA_TIMEOUT_SECONDS=1 STREAM_RETRY_ATTEMPTS=1 \
  STREAM_RETRY_DELAY=0.2 DEFAULT_CONNECTION_TIMEOUT=2 DEFAULT_READ_TIMEOUT=3
