#!/usr/bin/env bash
# The run command: the product on the demo data, left running in the background.
#
#   scripts/run.sh          install what is missing, start PostGIS, build, migrate, create the demo
#                           accounts, load the demo world, build its features, (re)start the API
#                           and web app on http://127.0.0.1:5080
#   scripts/run.sh stop     stop the API and the private PostGIS
#
# Settings (environment): ANALYTICS_API_PORT (default 5080); Database__ConnectionString (the
# application's role) and Database__OwnerConnectionString (the owner's, for migrations only) to use an
# existing PostGIS server instead of the private cluster (see scripts/pg.sh, docs/operations.md "Database").
# Only 'db migrate' is given the owner's connection: the commands and the API run as the application's
# role, which has no DDL and may only read and append to the audit log.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
port=${ANALYTICS_API_PORT:-5080}
app=.local/app
pidfile=.local/api.pid

stop_api() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.2; done
    echo "run: API stopped"
  fi
  rm -f "$pidfile"
}

if [ "${1:-}" = stop ]; then
  stop_api
  bash scripts/pg.sh stop
  exit 0
fi

if ! command -v curl >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
fi

private_cluster=no
if [ -z "${Database__ConnectionString:-}" ]; then
  bash scripts/pg.sh start
  eval "$(bash scripts/pg.sh env)"
  private_cluster=yes
fi
export Database__ConnectionString
owner_connection=${Database__OwnerConnectionString:-}
unset Database__OwnerConnectionString
# Model specifications and the cumulative index from the checkout; the audit log's checkpoints signed with a key kept beside the data.
export Training__SpecificationFolder="$root/data/models"
export Pipeline__IndexDefinition="$root/data/catalog/cumulative_index.json"
mkdir -p .local/audit-checkpoints
[ -s .local/audit-checkpoint.key ] || (umask 077 && head -c 32 /dev/urandom >.local/audit-checkpoint.key)
export Audit__CheckpointKeyFile="$root/.local/audit-checkpoint.key" Audit__CheckpointFolder="$root/.local/audit-checkpoints"

echo "run: building"
bash scripts/web.sh
dotnet publish src/Analytics.Jobs -c Release -o "$app/jobs" -nologo -v quiet
dotnet publish src/Analytics.Api -c Release -o "$app/api" -nologo -v quiet
jobs() { dotnet "$app/jobs/analytics-jobs.dll" "$@"; }

Database__OwnerConnectionString=$owner_connection jobs db migrate
accounts=$(jobs demo accounts --passwords-file .local/demo-accounts.txt)
echo "run: loading the demo world (data/demo/load.json; files already loaded are skipped)"
jobs ingest manifest data/demo/load.json --as demo-steward
echo "run: building features (published health figures with statistical secrecy, exposures per commune)"
jobs features build
echo "run: training the models of data/models (each run waits for a reviewer before anyone else sees it)"
jobs train --all --as demo-steward --unless-done

stop_api
mkdir -p .local
# The API runs detached: its output goes to the log, and it keeps no descriptor of this script's
# (a caller piping our output would otherwise wait for the API to exit).
(
  cd "$app/api"
  for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
  exec nohup dotnet Analytics.Api.dll --urls "http://127.0.0.1:$port"
) >.local/api.log 2>&1 </dev/null &
echo $! >"$pidfile"
for _ in $(seq 120); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "run: the API stopped during start-up; last lines of .local/api.log:" >&2
    tail -n 20 .local/api.log >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null

cat <<MSG

One Health territorial analytics is running.
  Web app and API   http://127.0.0.1:$port/
  API reference     http://127.0.0.1:$port/swagger
  Jobs dashboard    http://127.0.0.1:$port/hangfire  (steward, admin)
  Health            http://127.0.0.1:$port/health
  PostGIS           $( [ $private_cluster = yes ] && echo "private cluster on 127.0.0.1:${ANALYTICS_PG_PORT:-55432}, database analytics" || echo "the server of Database__ConnectionString")
  Logs              .local/api.log

$accounts
  (kept in .local/demo-accounts.txt with the TOTP keys and otpauth:// URIs; current codes:
   dotnet $app/jobs/analytics-jobs.dll demo code --passwords-file .local/demo-accounts.txt;
   for scripts, issue a token: POST /api/me/tokens from a session signed in with a code,
   or dotnet $app/jobs/analytics-jobs.dll user token NAME --name WHAT)

Stop everything with: scripts/run.sh stop
MSG
