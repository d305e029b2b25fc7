#!/usr/bin/env bash
# Page benchmark (issue 9, docs/performance.md): `make bench` runs
#   1. SQLite with the "team" preset (one large CPTS) under var/bench/sqlite/;
#   2. PostgreSQL with the "national" preset: DATABASE_URL if set, otherwise a local
#      PostgreSQL cluster kept under var/bench/pg/ (Debian's postgresql package; installed
#      when run as root), started for the run and stopped after it.
# Data are generated once (`seed_scale --if-absent`; national ≈ 15-20 min on 2 cores).
# Writes bench/results-<db>.md (wrk) and bench/results-breakdown-<db>.md (where the time goes).
# Usage: scripts/bench.sh [sqlite|postgresql|all] [run_bench.py arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
which_db=${1:-all}
shift || true
VAR=${BENCH_VAR_DIR:-$PWD/var/bench}

if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || true
fi

# Where each page's time goes (bench/breakdown.py): the same pages, in process; run_bench.py's
# --only is passed on, and its --out F becomes F-breakdown.md.
breakdown_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --only) echo "--only $2"; shift ;;
      --out) echo "--out ${2%.md}-breakdown.md"; shift ;;
    esac
    shift
  done
}

bench_sqlite() {
  mkdir -p "$VAR/sqlite"
  export BINOME_VAR_DIR="$VAR/sqlite"
  (unset DATABASE_URL
   $BIN/binome migrate --noinput -v0
   $BIN/python bench/seed_scale.py --preset team --seed 1 --if-absent
   $BIN/python bench/run_bench.py --note "Préréglage : team." "$@"
   $BIN/python bench/breakdown.py --note "Préréglage : team." $(breakdown_args "$@"))
}

bench_postgresql() {
  mkdir -p "$VAR/pg-var"
  export BINOME_VAR_DIR="$VAR/pg-var" DB_CONN_MAX_AGE=60
  if [ -z "${DATABASE_URL:-}" ]; then
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      else
        echo "PostgreSQL manque : installez le paquet postgresql ou donnez DATABASE_URL." >&2; return 1
      fi
    fi
    PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    PGDATA="$VAR/pg"
    PGPORT=${BENCH_PGPORT:-54399}
    as_pg=()
    if [ "$(id -u)" = 0 ]; then as_pg=(su postgres -s /bin/sh -c); fi
    run_pg() { if [ ${#as_pg[@]} -gt 0 ]; then "${as_pg[@]}" "$*"; else sh -c "$*"; fi; }
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA" && chmod 700 "$PGDATA"
      run_pg "$PGBIN/initdb -D $PGDATA -A trust -U postgres >/dev/null"
    fi
    run_pg "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=512MB' -l $PGDATA/log -w start >/dev/null"
    trap 'run_pg "$PGBIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null 2>&1 || true' EXIT
    trap 'exit 130' INT TERM  # so that the EXIT trap stops the cluster on an interruption too
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='binome_bench'" | grep -q 1 \
      || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE binome_bench;"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/binome_bench"
  fi
  $BIN/binome migrate --noinput -v0
  $BIN/python bench/seed_scale.py --preset national --seed 1 --if-absent
  psql "$DATABASE_URL" -q -c "VACUUM ANALYZE;" 2>/dev/null || true
  $BIN/python bench/run_bench.py --note "Préréglage : national." "$@"
  $BIN/python bench/breakdown.py --note "Préréglage : national." $(breakdown_args "$@")
}

case "$which_db" in
  sqlite) bench_sqlite "$@" ;;
  postgresql) bench_postgresql "$@" ;;
  all) bench_sqlite "$@"; bench_postgresql "$@" ;;
  *) echo "usage: scripts/bench.sh [sqlite|postgresql|all] [run_bench.py args]" >&2; exit 2 ;;
esac
