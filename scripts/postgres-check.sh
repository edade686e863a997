#!/usr/bin/env bash
# Proves the production path against a real database: starts a private
# PostgreSQL on loopback (installing Debian's package when missing), then the
# built backend with app-config.yaml + app-config.production.yaml, and waits
# for readiness to answer 200. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
  echo "[epicshelter] installing PostgreSQL (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin="$(pg_bin)"
run_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

port=55432
bash scripts/ports-free.sh 7007 "$port"
data="$(mktemp -d /tmp/epicshelter-pg.XXXXXX)"
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
[ "$(id -u)" = 0 ] && chown postgres "$data"
backend_pid=""
cleanup() {
  if [ -n "$backend_pid" ]; then kill -- -"$backend_pid" 2>/dev/null || true; fi
  run_pg "$bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

printf '%s\n' "$password" >"$data/pw"
[ "$(id -u)" = 0 ] && chown postgres "$data/pw"
run_pg "$bin/initdb" -D "$data/db" -U epicshelter --pwfile="$data/pw" --auth=scram-sha-256 >/dev/null
run_pg "$bin/pg_ctl" -D "$data/db" -l "$data/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
echo "[epicshelter] PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

dist="$(bash scripts/dist-backend.sh)"
log="$data/backend.log"
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=epicshelter POSTGRES_PASSWORD="$password"
export APP_BASE_URL=http://localhost:7007 BACKEND_BASE_URL=http://localhost:7007
export BACKEND_SECRET="$(head -c 24 /dev/urandom | base64)"
export AUTH_GITHUB_CLIENT_ID=epicshelter-ci AUTH_GITHUB_CLIENT_SECRET="$(head -c 12 /dev/urandom | base64)"
export GITHUB_TOKEN=unused-in-ci NODE_ENV=production
# A local GitOps repository stands in for the GitHub one in this check.
export GITOPS_REPOSITORY="$PWD/.data/pg-gitops-repository"
rm -rf "$GITOPS_REPOSITORY"
bash scripts/seed-gitops.sh "$GITOPS_REPOSITORY" >/dev/null
setsid node "$dist/packages/backend" \
  --config app-config.yaml --config app-config.production.yaml >"$log" 2>&1 &
backend_pid=$!
if ! bash scripts/wait-ready.sh http://localhost:7007/.backstage/health/v1/readiness 180 "$backend_pid"; then
  tail -40 "$log"
  exit 1
fi
tables=$(PGPASSWORD="$password" psql -h 127.0.0.1 -p $port -U epicshelter -d postgres -Atc \
  "select count(*) from pg_database where datname like 'backstage_plugin_%'")
echo "[epicshelter] backend created $tables plugin databases in PostgreSQL"
[ "$tables" -gt 0 ]
