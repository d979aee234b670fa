#!/usr/bin/env bash
# Installs Debian's headless Chromium for the HTML report's browser tests.
# Without root (or without apt) it says so and the browser tests skip with that reason.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no chromium and cannot apt-get it here; browser tests will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null \
  || echo "install-browser: apt-get install chromium failed; browser tests will skip" >&2
exit 0
