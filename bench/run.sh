#!/usr/bin/env bash
# Live TS relay benchmark: starts Sluice (the README's embedded Tomcat) and a paced loopback upstream,
# then measures throughput vs direct, upstream connections, threads/heap under slow players, join time.
# Loopback only, bounded (about 2 minutes). Not part of `mvn verify`. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18185}"
OUT=target/bench
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
mkdir -p "$OUT"

mvn -q -B -DskipTests package test-compile
javac -d "$OUT/classes" -cp target/test-classes bench/src/io/sluice/bench/RelayBench.java

# PORT from the caller's environment would override -Ddev.port; the bench picks its own.
env -u PORT mvn -q -B cargo:run -Ddev.port="$PORT" > "$OUT/sluice.log" 2>&1 &
MVN_PID=$!
cleanup() { kill "$MVN_PID" 2>/dev/null || true; wait "$MVN_PID" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/streams"; then break; fi
  sleep 1
done
SLUICE_PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$SLUICE_PID" ] || { echo "Sluice did not start; see $OUT/sluice.log"; exit 1; }

timeout 600 java $BENCH_JAVA_OPTS -cp "$OUT/classes:target/test-classes" io.sluice.bench.RelayBench \
  "http://127.0.0.1:$PORT" "$SLUICE_PID" | tee "$OUT/report.txt"
