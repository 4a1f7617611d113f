#!/usr/bin/env bash
# The benchmark drives the app with wrk. Install Debian's wrk when we can, else say how.
set -uo pipefail

command -v wrk >/dev/null 2>&1 && exit 0

install() {
  "$@" apt-get install -y --no-install-recommends wrk >/dev/null ||
    { "$@" apt-get update >/dev/null && "$@" apt-get install -y --no-install-recommends wrk >/dev/null; }
}

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "casework: installing wrk for the benchmark…"
    install env
  elif sudo -n true 2>/dev/null; then
    echo "casework: installing wrk for the benchmark…"
    install sudo
  fi
fi

command -v wrk >/dev/null 2>&1 && exit 0
echo "casework: the benchmark needs wrk (an HTTP load generator)." >&2
echo "          Install it with: sudo apt-get install wrk" >&2
exit 1
