#!/usr/bin/env bash
# Checks in a STOCK Tomcat 10.1 (default server.xml, as users deploy sluice.war) what the integration tests check
# in an embedded one: player admission limits (503 past MAX_VIEWERS_PER_IP) and a paused player kept past the
# connector's 20 s connectionTimeout (PLAYER_PAUSE_LIMIT), and a failover to a backup with another audio codec
# conformed for its player (needs ffmpeg). Loopback only, about a minute and a half. Exit status 1 when a
# check fails. Run it under the bench lock: flock /tmp/sluice-bench.lock bench/stock-tomcat.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18192}"
OUT="$PWD/target/bench"
mkdir -p "$OUT"
. bench/lib.sh

# The check speaks to the API with the tests' own client (JSON included).
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt" >/dev/null
BENCH_CLASSPATH=$(cat "$OUT/test-classpath.txt") build_bench bench/src/io/sluice/bench/StockTomcatCheck.java
trap 'kill "$TOMCAT_PID" 2>/dev/null || true; wait "$TOMCAT_PID" 2>/dev/null || true' EXIT
stock_tomcat "$PORT" "$OUT/stock-tomcat.log" API_TOKEN=it-token-5f1c MAX_VIEWERS_PER_IP=3 PLAYER_PAUSE_LIMIT=60
timeout 300 java -cp "$OUT/classes:target/test-classes:$(cat "$OUT/test-classpath.txt")" \
  io.sluice.bench.StockTomcatCheck "http://127.0.0.1:$PORT" | tee "$OUT/stock-tomcat-report.txt"
