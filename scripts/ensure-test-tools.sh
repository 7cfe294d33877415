#!/usr/bin/env bash
# Real players, a real browser and a real Redis for the integration tests: ffmpeg decodes streams through
# Sluice, headless Chromium (driven through chromedriver) uses the console, and the tests start their own
# redis-server on loopback for STORE=redis (nothing is started as a system service). `mvn verify` runs this first: it installs
# Debian's packages when they are missing and we may install them, else it says what to install.
set -euo pipefail
need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# VLC plays a failover in SpliceIT (cvlc, run as an unprivileged user: VLC refuses root); base plugins = TS demuxer.
command -v cvlc >/dev/null 2>&1 || need+=(vlc-bin vlc-plugin-base)
# mpv plays a failover in SpliceIT too (its audio written to a WAV file).
command -v mpv >/dev/null 2>&1 || need+=(mpv)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the integration tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "The integration tests need: ${need[*]} (e.g. 'sudo apt-get install ${need[*]}'); install and run again." >&2
exit 1
