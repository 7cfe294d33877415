#!/usr/bin/env bash
# What a transcoded stream costs: first transcoded byte and FFmpeg's CPU per profile (needs ffmpeg).
# Starts Sluice as the README does on a loopback port; a real-time H.264/AAC source on loopback; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18188}"
OUT=target/bench
mkdir -p "$OUT"
. bench/lib.sh
command -v ffmpeg >/dev/null || { echo "needs ffmpeg (Debian package ffmpeg)" >&2; exit 1; }

build_bench bench/src/io/sluice/bench/TranscodeBench.java
start_sluice "$PORT" "$OUT/sluice-transcode.log" -u API_TOKEN TRANSCODE_MAX_PROCESSES=2
timeout 900 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" io.sluice.bench.TranscodeBench \
  "http://127.0.0.1:$PORT" | tee "$OUT/transcode-report.txt"
