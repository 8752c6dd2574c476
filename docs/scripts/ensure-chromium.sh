#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the docs' browser test.
# CI machines have only Node and npm: as root, this installs the `chromium` package with apt-get.
# Exits non-zero, saying why, when Chromium is missing and cannot be installed.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: $CHROMIUM is missing and this user is not root; install Debian's chromium package (sudo apt-get install -y chromium)." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get here; install Chromium at $CHROMIUM." >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
"$CHROMIUM" --version >&2 || true
