#!/usr/bin/env bash
# Fan-out: one live TS stream (4 Mbit/s, paced loopback upstream) to 100/300/1000 viewers through Sluice
# (target/sluice.war as ROOT in a STOCK Tomcat 10.1.55, default connector) and through nginx (Debian's
# nginx-light, a plain streaming proxy, one worker) side by side; one table. Loopback only, bounded
# (about 5 minutes). Run it under the bench lock: flock /tmp/sluice-bench.lock bench/fanout.sh
# Knobs: BENCH_PORT (Tomcat, default 18190), BENCH_NGINX_PORT (18191), BENCH_HEAP (256m), BENCH_NO_BUILD=1,
# BENCH_JAVA_OPTS (-Dbench.steps=100,300,1000 -Dbench.seconds=20 -Dbench.stalled=2000 ...). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18190}"
NGINX_PORT="${BENCH_NGINX_PORT:-18191}"
OUT="$PWD/target/bench"
mkdir -p "$OUT"
. bench/lib.sh

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nginx-light >/dev/null \
    || { apt-get -o DPkg::Lock::Timeout=600 update >/dev/null && \
         apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nginx-light >/dev/null; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  mvn -q -B -DskipTests package
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null || true
  # A JVM whose heap the stalled viewers exhausted may not stop on TERM: ten seconds, then KILL.
  for _ in $(seq 1 20); do
    alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every bench viewer comes from loopback: no player limits (MAX_VIEWERS, MAX_VIEWERS_PER_IP).
if ! TOMCAT_OPTS="-Xmx${BENCH_HEAP:-256m}" stock_tomcat "$PORT" "$OUT/fanout-tomcat.log" MAX_VIEWERS=0 MAX_VIEWERS_PER_IP=0; then
  kill "$TOMCAT_PID" 2>/dev/null || true
  exit 1
fi
PIDS+=("$TOMCAT_PID")
SLUICE_PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$SLUICE_PID" ] || { echo "Tomcat did not start; see $OUT/fanout-tomcat.log" >&2; exit 1; }

rm -f "$OUT/nginx.conf" "$OUT/nginx.pid" "$OUT/nginx-master.pid"
mkdir -p "$OUT/nginx"
timeout 900 java -Dbench.nginxPid="$OUT/nginx.pid" ${BENCH_JAVA_OPTS:-} bench/src/io/sluice/bench/FanoutBench.java \
  "http://127.0.0.1:$PORT" "$SLUICE_PID" "http://127.0.0.1:$NGINX_PORT" "$OUT/nginx-master.pid" "$OUT/nginx.conf" \
  > >(tee "$OUT/fanout-report.txt") 2>&1 &
BENCH=$!
PIDS+=($BENCH)
for _ in $(seq 1 100); do [ -s "$OUT/nginx.conf" ] && break; sleep 0.2; done
"$NGINX" -e stderr -p "$OUT/nginx/" -c "$OUT/nginx.conf" -g 'daemon off;' 2> "$OUT/fanout-nginx.log" &
NGINX_PID=$!
PIDS+=($NGINX_PID)
for _ in $(seq 1 50); do
  ss -ltnH "sport = :$NGINX_PORT" | grep -q . && break
  sleep 0.2
done
echo "$NGINX_PID" > "$OUT/nginx-master.pid"
wait "$BENCH"
