#!/usr/bin/env bash
# The project's private PostGIS cluster: installed, created, started and stopped by this script,
# so a fresh Debian machine needs nothing by hand.
#
#   scripts/pg.sh start    install PostgreSQL 15 + PostGIS 3 if missing, create the cluster and
#                          its databases if missing, start it if stopped (idempotent)
#   scripts/pg.sh stop     stop it if running
#   scripts/pg.sh status   say whether it runs, where, on which port
#   scripts/pg.sh env      print the connection settings as shell exports: the application's role
#                          (Database__ConnectionString) and the owner's, for migrations
#                          (Database__OwnerConnectionString); the same pair for the tests
#   scripts/pg.sh psql     open psql on the product database
#   scripts/pg.sh clean-test-databases   drop databases left by interrupted test runs
#
# Settings (environment): ANALYTICS_PG_PORT (default 55432), ANALYTICS_PG_DIR (default .local/pg).
# The cluster listens on 127.0.0.1 only. PostgreSQL refuses to run as root, so the cluster belongs
# to the 'postgres' system user; its folder must be reachable by that user (see pg_dir below).
#
# Two roles: 'analytics' owns the databases and every table (migrations run as it); 'analytics_app'
# is what the API, workers and commands connect as: no DDL, and in audit.event only SELECT and
# INSERT (granted by the migrator, docs/operations.md "Database"). Each has a generated password
# in the cluster's folder.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${ANALYTICS_PG_PORT:-55432}
bin=/usr/lib/postgresql/15/bin

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
say() { echo "pg: $*" >&2; }

pg_dir() {
  if [ -n "${ANALYTICS_PG_DIR:-}" ]; then echo "$ANALYTICS_PG_DIR"; return; fi
  # The default lives in the repository's ignored .local folder. When the 'postgres' user cannot
  # walk to the repository (a private temporary folder, say), fall back to a folder of its own.
  if id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
    echo "/var/tmp/analytics-pg-$(echo -n "$root" | sha256sum | cut -c1-12)"
  else
    echo "$root/.local/pg"
  fi
}

install_packages() {
  if [ -x "$bin/postgres" ] && [ -f /usr/share/postgresql/15/extension/postgis.control ]; then return; fi
  say "installing PostgreSQL 15 and PostGIS 3 with apt (one time)"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-15-postgis-3 postgresql-client-15 >/dev/null
}

password_of() { cat "$(pg_dir)/$1.password"; }

create_cluster() {
  local dir; dir=$(pg_dir)
  [ -f "$dir/data/PG_VERSION" ] && return
  say "creating the cluster in $dir"
  mkdir -p "$dir/run"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/analytics.password"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/postgres.password"
  chown -R postgres:postgres "$dir"
  chmod 700 "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/postgres.password" \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$dir/data/postgresql.conf" <<CONF
# Set by scripts/pg.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
max_connections = 200
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
synchronous_commit = off
CONF
}

is_running() { as_postgres "$bin/pg_ctl" -D "$(pg_dir)/data" status >/dev/null 2>&1; }

psql_super() { as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -h "$(pg_dir)/run" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

new_password() { (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$1") && chown postgres:postgres "$1"; }

create_databases() {
  local dir; dir=$(pg_dir)
  # A cluster created before the application role existed gets it on its next start.
  [ -s "$dir/analytics_app.password" ] || new_password "$dir/analytics_app.password"
  local pw app_pw; pw=$(password_of analytics); app_pw=$(password_of analytics_app)
  psql_super -d postgres <<SQL
SELECT format('CREATE ROLE analytics LOGIN CREATEDB PASSWORD %L', '$pw')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics') \gexec
SELECT 'CREATE ROLE analytics_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_app') \gexec
SELECT format('ALTER ROLE analytics_app PASSWORD %L', '$app_pw') \gexec
-- The owner may end the application's sessions: DROP DATABASE … WITH (FORCE) needs it (test databases).
GRANT analytics_app TO analytics;
SELECT 'CREATE DATABASE analytics OWNER analytics'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'analytics') \gexec
SELECT 'CREATE DATABASE analytics_test OWNER analytics'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'analytics_test') \gexec
SQL
  for db in analytics analytics_test; do
    psql_super -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis"
  done
}

start() {
  install_packages
  create_cluster
  local dir; dir=$(pg_dir)
  if ! is_running; then
    say "starting on 127.0.0.1:$port"
    if ! as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start >/dev/null; then
      say "PostgreSQL did not start; last lines of $dir/postgresql.log:"
      tail -n 20 "$dir/postgresql.log" >&2
      say "if port $port is taken, choose another with ANALYTICS_PG_PORT"
      exit 1
    fi
  fi
  create_databases
}

stop() {
  local dir; dir=$(pg_dir)
  if [ -f "$dir/data/PG_VERSION" ] && is_running; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    say "stopped"
  fi
}

# connection ROLE DATABASE
connection() { echo "Host=127.0.0.1;Port=$port;Username=$1;Password=$(password_of "$1");Database=$2"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if [ -f "$(pg_dir)/data/PG_VERSION" ] && is_running; then echo "running: 127.0.0.1:$port, data in $(pg_dir)"; else echo "stopped"; exit 3; fi ;;
  env)
    echo "export Database__ConnectionString='$(connection analytics_app analytics)'"
    echo "export Database__OwnerConnectionString='$(connection analytics analytics)'"
    echo "export ANALYTICS_TEST_DATABASE='$(connection analytics analytics_test)'"
    echo "export ANALYTICS_TEST_APP_DATABASE='$(connection analytics_app analytics_test)'" ;;
  clean-test-databases)
    psql_super -d postgres -At -c "SELECT format('DROP DATABASE %I WITH (FORCE)', datname) FROM pg_database WHERE datname LIKE 'analytics\_t\_%' OR datname LIKE 'analytics\_tpl\_%\_building\_%'" \
      | psql_super -d postgres ;;
  psql) shift; PGPASSWORD=$(password_of analytics) exec psql -h 127.0.0.1 -p "$port" -U analytics -d analytics "$@" ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
esac
