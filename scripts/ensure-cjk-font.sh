#!/usr/bin/env bash
# PDFs need a Chinese (CJK) font. Install Debian's fonts-noto-cjk when we can, else say how.
set -uo pipefail

has_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]
}

has_cjk_font && exit 0

install() {
  "$@" apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig >/dev/null ||
    { "$@" apt-get update >/dev/null && "$@" apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig >/dev/null; }
}

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "casework: installing fonts-noto-cjk for Chinese PDFs…"
    install env
  elif sudo -n true 2>/dev/null; then
    echo "casework: installing fonts-noto-cjk for Chinese PDFs…"
    install sudo
  fi
fi

if has_cjk_font; then
  exit 0
fi
echo "casework: no Chinese font found, so PDF export will refuse to run." >&2
echo "          Install one with: sudo apt-get install fonts-noto-cjk" >&2
exit 0
