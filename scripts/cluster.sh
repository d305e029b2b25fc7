#!/usr/bin/env bash
# Two Binôme app nodes behind nginx on this one machine, sharing PostgreSQL, Redis and a local
# S3-compatible server (moto), each node with its own var folder and its own background worker
# (docs/deployment.md, "Plusieurs serveurs"; issue 17). Everything listens on 127.0.0.1 only.
#
#   scripts/cluster.sh start   # starts everything, waits until it answers, returns
#   scripts/cluster.sh stop    # stops everything it started
#   scripts/cluster.sh run     # start, then stay in the foreground until Ctrl-C (make cluster)
#
# Ports: nginx 28000 (the load balancer), node A 28001, node B 28002, PostgreSQL 28432,
# Redis 28379, S3 28900. The demo data set is loaded (BINOME_DEMO=true): sign in with the
# README's demo accounts on http://127.0.0.1:28000/. State lives in var/cluster/ (CLUSTER_DIR).
# The ports are below Linux's ephemeral range (32768-60999): there, an outgoing connection
# of another program can hold the port for a moment and PostgreSQL could not listen (seen in CI).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/.venv/bin"
DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
LB=28000 NODE_A=28001 NODE_B=28002 PG=28432 REDIS=28379 S3=28900
ENV_FILE="$DIR/cluster.env"

need_packages() {
  local missing=""
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Il manque :$missing (apt-get install$missing, en root)." >&2
    exit 1
  fi
  # Installed without starting Debian's own services: this script starts its own, on loopback.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

write_env() {
  # One secret for every node: sessions, signed links and tokens are read by any of them.
  local secret
  secret=$(cat "$DIR/secret" 2>/dev/null || true)
  if [ -z "$secret" ]; then
    secret=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
    echo "$secret" >"$DIR/secret"
  fi
  cat >"$ENV_FILE" <<EOF
export SECRET_KEY=$secret
export DATABASE_URL=postgres://binome:binome@127.0.0.1:$PG/binome
export REDIS_URL=redis://127.0.0.1:$REDIS/0
export BINOME_S3_BUCKET=binome-media
export BINOME_S3_ENDPOINT_URL=http://127.0.0.1:$S3
export BINOME_S3_ACCESS_KEY=binome
export BINOME_S3_SECRET_KEY=binome-cluster-secret
export BINOME_S3_REGION=us-east-1
export BINOME_DEMO=true
export SITE_URL=http://127.0.0.1:$LB
export BINOME_SMS_BACKEND=file
export BINOME_SMS_FILE=$DIR/sms.jsonl
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH=$DIR/mail
export BINOME_WORKERS=2
EOF
}

# Each process in a group of its own, remembered in pids/, so that stop ends them all.
spawn() {
  local name=$1
  shift
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 &
  echo $! >"$DIR/pids/$name"
}

wait_http() {
  for _ in $(seq 1 120); do
    if "$BIN/python" - "$1" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
PY
    sleep 0.5
  done
  echo "Pas de réponse de $1 : voir $DIR/logs/." >&2
  return 1
}

start() {
  need_packages
  stop quiet
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/mail" "$DIR/nginx" "$DIR/node-a" "$DIR/node-b"
  rm -f "$DIR/sms.jsonl"
  write_env
  # shellcheck disable=SC1090
  . "$ENV_FILE"

  # PostgreSQL, shared by both nodes.
  local pgbin
  pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    rm -rf "$DIR/pg" && mkdir -p "$DIR/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR/pg"
    as_postgres "$pgbin/initdb -D $DIR/pg -A trust -U postgres >/dev/null"
  fi
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/logs"
  as_postgres "$pgbin/pg_ctl -D $DIR/pg -o '-p $PG -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $DIR/logs/postgresql.log -w start >/dev/null"
  psql -h 127.0.0.1 -p "$PG" -U postgres -qtc "SELECT 1 FROM pg_roles WHERE rolname='binome'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PG" -U postgres -q -c "CREATE ROLE binome LOGIN SUPERUSER PASSWORD 'binome';"
  psql -h 127.0.0.1 -p "$PG" -U postgres -qtc "SELECT 1 FROM pg_database WHERE datname='binome'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PG" -U postgres -q -c "CREATE DATABASE binome OWNER binome;"

  # Redis: cache, rate limits, sign-in lockout, sessions' fast path. Nothing written to disk.
  spawn redis redis-server --bind 127.0.0.1 --port "$REDIS" --save "" --appendonly no
  # An S3-compatible object storage for uploaded files (in memory).
  spawn s3 "$BIN/moto_server" -H 127.0.0.1 -p "$S3"
  wait_http "http://127.0.0.1:$S3/"
  "$BIN/python" - <<PY
import boto3
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:$S3", aws_access_key_id="binome",
                  aws_secret_access_key="binome-cluster-secret", region_name="us-east-1")
if "binome-media" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket="binome-media")
PY

  # Schema, demo data and schedules once, then the two nodes and their workers.
  BINOME_VAR_DIR="$DIR/node-a" "$BIN/binome" migrate --noinput >"$DIR/logs/migrate.log"
  BINOME_VAR_DIR="$DIR/node-a" "$BIN/binome" load_demo >>"$DIR/logs/migrate.log"
  BINOME_VAR_DIR="$DIR/node-a" "$BIN/binome" setup_schedules >>"$DIR/logs/migrate.log"
  local node port
  for node in a b; do
    port=$NODE_A
    [ "$node" = b ] && port=$NODE_B
    BINOME_VAR_DIR="$DIR/node-$node" spawn "web-$node" "$BIN/gunicorn" binome.wsgi \
      --bind "127.0.0.1:$port" --workers 2 --graceful-timeout 5 --access-logfile -
    BINOME_VAR_DIR="$DIR/node-$node" spawn "worker-$node" "$BIN/binome" qcluster
  done

  # nginx in front, round robin; a node that stops answering is skipped for 2 s.
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$DIR/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi;
  scgi_temp_path $DIR/nginx/scgi;
  client_max_body_size 12m;
  upstream binome {
    server 127.0.0.1:$NODE_A max_fails=1 fail_timeout=2s;
    server 127.0.0.1:$NODE_B max_fails=1 fail_timeout=2s;
  }
  server {
    listen 127.0.0.1:$LB;
    location / {
      proxy_pass http://binome;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      # A request a node could not answer goes to the other one, except a POST already sent.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
EOF
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  spawn nginx "$nginx_bin" -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" -g "daemon off;"
  wait_http "http://127.0.0.1:$NODE_A/healthz"
  wait_http "http://127.0.0.1:$NODE_B/healthz"
  wait_http "http://127.0.0.1:$LB/healthz"
  echo "Binôme en grappe : http://127.0.0.1:$LB/ (nœuds $NODE_A et $NODE_B ; réglages dans $ENV_FILE)"
}

stop() {
  local name pid
  if [ -d "$DIR/pids" ]; then
    for name in nginx web-a web-b worker-a worker-b s3 redis; do
      [ -f "$DIR/pids/$name" ] || continue
      pid=$(cat "$DIR/pids/$name")
      kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 20); do
      local alive=""
      for name in "$DIR"/pids/*; do
        [ -f "$name" ] && kill -0 -- "-$(cat "$name")" 2>/dev/null && alive=1
      done
      [ -z "$alive" ] && break
      sleep 0.5
    done
    for name in "$DIR"/pids/*; do
      [ -f "$name" ] && kill -KILL -- "-$(cat "$name")" 2>/dev/null || true
      rm -f "$name"
    done
  fi
  if [ -f "$DIR/pg/postmaster.pid" ]; then
    local pgbin
    pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
    as_postgres "$pgbin/pg_ctl -D $DIR/pg -m fast -w stop >/dev/null" || true
  fi
  [ "${1:-}" = quiet ] || echo "Grappe arrêtée."
}

case "${1:-run}" in
  start) start ;;
  stop) stop ;;
  run)
    trap 'stop; exit 0' INT TERM
    start
    echo "Ctrl-C pour tout arrêter."
    while true; do sleep 3600 & wait $!; done
    ;;
  *) echo "usage: scripts/cluster.sh start|stop|run" >&2; exit 2 ;;
esac
