#!/usr/bin/env bash
# Create the virtual environment, installing Debian's venv module first if it is missing.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

[ -x "$venv/bin/python" ] && exit 0

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "casework needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  exit 1
fi

if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  pkg="python$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y "$pkg" || { apt-get update && apt-get install -y "$pkg"; }
  elif sudo -n true 2>/dev/null; then
    sudo apt-get install -y "$pkg" || { sudo apt-get update && sudo apt-get install -y "$pkg"; }
  else
    echo "Python's venv module is missing. Run: sudo apt-get install $pkg" >&2
    exit 1
  fi
  "$python" -m venv "$venv"
fi
