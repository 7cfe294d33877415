#!/usr/bin/env bash
# Live TS relay benchmark: starts Sluice (the README's embedded Tomcat) and a paced loopback upstream,
# then measures throughput vs direct, upstream connections, threads/heap under slow players, join time.
# Loopback only, bounded (about 2 minutes). Not part of `mvn verify`. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18185}"
. bench/lib.sh

build_bench bench/src/io/sluice/bench/RelayBench.java
start_sluice "$PORT" "$OUT/sluice.log"
SLUICE_PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$SLUICE_PID" ] || { echo "no process listens on $PORT"; exit 1; }

timeout 600 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.RelayBench \
  "http://127.0.0.1:$PORT" "$SLUICE_PID" | tee "$OUT/report.txt"
