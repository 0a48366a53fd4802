#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (a browser download by a test tool is impossible offline).
set -euo pipefail
# Japanese and Chinese text need a CJK font, Thai (the LIFF page) a Thai one, or the screenshots show empty boxes.
have_fonts() { [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK && [ -d /usr/share/fonts/truetype/tlwg ]; }
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && { have_fonts || [ -n "${CHROMIUM_PATH:-}" ]; }; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-thai-tlwg >/dev/null
  exit 0
fi
echo "Chromium is missing: install it (sudo apt-get install -y chromium fonts-noto-cjk fonts-thai-tlwg) or set CHROMIUM_PATH." >&2
exit 1
