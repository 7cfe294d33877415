#!/usr/bin/env bash
# What a network broadcast costs: first segment in live.m3u8 after a start, and FFmpeg's CPU per broadcast,
# copied and transcoded (needs ffmpeg). Starts Sluice as the README does on a loopback port; a VOD file of
# real H.264/AAC on loopback; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${BENCH_PORT:-18189}"
. bench/lib.sh
ffmpeg_bench broadcast BroadcastBench BROADCAST_MAX_CONCURRENT=2
