#!/usr/bin/env bash
# What a transcoded stream costs: first transcoded byte and FFmpeg's CPU per profile (needs ffmpeg).
# Starts Sluice as the README does on a loopback port; a real-time H.264/AAC source on loopback; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18188}"
. bench/lib.sh
ffmpeg_bench transcode TranscodeBench TRANSCODE_MAX_PROCESSES=2
