#!/usr/bin/env bash
# Soak (issue 13): 200 viewers joining and leaving, a failover every minute, a webhook dead one minute in three,
# HLS playlists and management listings polled; heap after GC, threads, open files and upstream connections
# sampled every minute. Starts Sluice as the README does; loopback only; ends after the given minutes.
#   bench/soak.sh [MINUTES]            (default 30)
#   BENCH_JAVA_OPTS="-Dsoak.viewers=50 -Dsoak.sampleSeconds=30" bench/soak.sh 5
# Run it under the bench lock: flock /tmp/sluice-bench.lock bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-30}"
PORT="${BENCH_PORT:-18187}"
. bench/lib.sh

build_bench bench/src/io/sluice/bench/SoakBench.java
start_sluice "$PORT" "$OUT/sluice-soak.log" -u API_TOKEN
SLUICE_PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$SLUICE_PID" ] || { echo "no process listens on $PORT"; exit 1; }

# The bench ends itself at the deadline; the timeout is only a backstop.
timeout $(( MINUTES * 60 + 600 )) java -Dsoak.minutes="$MINUTES" ${BENCH_JAVA_OPTS:-} \
  -cp "$OUT/classes:target/test-classes" io.sluice.bench.SoakBench "http://127.0.0.1:$PORT" "$SLUICE_PID" \
  | tee "$OUT/soak-report.txt"
