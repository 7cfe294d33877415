#!/usr/bin/env bash
# What a network broadcast costs: first segment in live.m3u8 after a start, and FFmpeg's CPU per broadcast,
# copied and transcoded (needs ffmpeg). Starts Sluice as the README does on a loopback port; a VOD file of
# real H.264/AAC on loopback; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18189}"
OUT=target/bench
mkdir -p "$OUT"
. bench/lib.sh
command -v ffmpeg >/dev/null || { echo "needs ffmpeg (Debian package ffmpeg)" >&2; exit 1; }

build_bench bench/src/io/sluice/bench/BroadcastBench.java
start_sluice "$PORT" "$OUT/sluice-broadcast.log" -u API_TOKEN BROADCAST_MAX_CONCURRENT=2
timeout 900 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.BroadcastBench \
  "http://127.0.0.1:$PORT" | tee "$OUT/broadcast-report.txt"
