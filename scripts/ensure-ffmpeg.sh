#!/usr/bin/env bash
# The playback IT decodes through Sluice with a real player, ffmpeg. `mvn verify` runs this first:
# ffmpeg from Debian's packages when it is missing and we may install it, else a clear message.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ffmpeg not found: installing Debian's ffmpeg package for the playback tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
  command -v ffmpeg >/dev/null && exit 0
fi
echo "ffmpeg is needed by the playback tests: install it (e.g. 'sudo apt-get install ffmpeg') and run again." >&2
exit 1
