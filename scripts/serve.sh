#!/usr/bin/env bash
# Web server and background worker side by side; stopping one stops both.
set -euo pipefail
PORT="${1:-8000}"
BIN="$(dirname "$0")/../.venv/bin"
trap 'kill 0' EXIT INT TERM
"$BIN/binome" qcluster &
"$BIN/gunicorn" binome.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - &
wait -n
