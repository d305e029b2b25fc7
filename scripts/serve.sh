#!/usr/bin/env bash
# Web server and background worker side by side; stopping one stops both, and stopping the
# script (Ctrl-C, or SIGTERM to its process group as a terminal or a supervisor sends) stops
# every process it started: each runs in a process group of its own, asked to stop, then
# killed after 10 s (django-q2's main process can otherwise linger, holding a connection).
set -euo pipefail
PORT="${1:-8000}"
BIN="$(dirname "$0")/../.venv/bin"

setsid "$BIN/binome" qcluster &
worker=$!
setsid "$BIN/gunicorn" binome.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - &
web=$!

alive() { kill -0 -- "-$worker" 2>/dev/null || kill -0 -- "-$web" 2>/dev/null; }

stop() {
  trap - EXIT INT TERM
  kill -TERM -- "-$worker" "-$web" 2>/dev/null || true
  for _ in $(seq 1 20); do
    alive || return 0
    sleep 0.5
  done
  kill -KILL -- "-$worker" "-$web" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT

wait -n
