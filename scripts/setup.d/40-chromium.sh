#!/usr/bin/env bash
# Headless Chromium from Debian's archive, for the HTML report test (driven by playwright-core).
# No-op when /usr/bin/chromium already runs; otherwise needs apt (root, as on the CI image).
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  say "chromium is missing and apt needs root: install Debian's chromium package, then rerun"
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
say "installing Debian's chromium (once)"
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2
/usr/bin/chromium --version >&2
