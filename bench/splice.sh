#!/usr/bin/env bash
# Issue 14/15 figures: the ingest's cost per packet (splicer + TS health, in-process), Sluice's CPU with 100
# players on a real TS stream (rewritten, judged) against the same byte rate of table-less TS (passed through),
# and the time from a source's failure to the first decodable picture players get. Needs ffmpeg (the sources).
# Starts Sluice like the README does; loopback only; about three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18187}"
. bench/lib.sh

# The bench also uses the main classes (io.sluice.ts) for its in-process figure.
BENCH_CLASSPATH=target/classes build_bench bench/src/io/sluice/bench/SpliceBench.java
start_sluice "$PORT" "$OUT/sluice-splice.log" -u API_TOKEN STREAM_RETRY_ATTEMPTS=0
SLUICE_PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$SLUICE_PID" ] || { echo "no process listens on $PORT"; exit 1; }

timeout 900 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes:target/classes" io.sluice.bench.SpliceBench \
  "http://127.0.0.1:$PORT" "$SLUICE_PID" | tee "$OUT/splice-report.txt"
