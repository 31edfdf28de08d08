#!/usr/bin/env bash
# The test command: installs and starts what the tests need (the private PostGIS, Chromium), then runs
# every test project of the solution, then executes the notebooks against the product started on
# the demo world (scripts/run.sh, scripts/notebooks.sh), and closes with one summary line.
#
# To test against an existing server instead, set ANALYTICS_TEST_DATABASE to a connection string
# for a database with PostGIS, on a role allowed to create databases (the owner), and
# ANALYTICS_TEST_APP_DATABASE to one of the application's role, which the code under test connects as. One check reads real boundaries
# from the shared reference data outside the repository: ANALYTICS_REFERENCE_DATA, by default
# /work/shared/reference-data (docs/operations.md, "Tests").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# The browser tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
if ! command -v chromium >/dev/null 2>&1; then
  echo "test: installing chromium (apt)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# The map's front-end packages, served from the app's own origin.
bash scripts/web.sh

if [ -z "${ANALYTICS_TEST_DATABASE:-}" ]; then
  bash scripts/pg.sh start
  eval "$(bash scripts/pg.sh env)"
  bash scripts/pg.sh clean-test-databases
fi
export ANALYTICS_TEST_DATABASE ANALYTICS_TEST_APP_DATABASE

mkdir -p .local
log=.local/test-output.log
set +e
# One test project at a time: on two cores, parallel projects starve the job workers the HTTP tests wait for.
dotnet test Analytics.sln -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test project; add them up into one closing line.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
# The notebooks run against the product itself: start it on the demo world, execute them, stop it.
notebooks=0
if bash scripts/run.sh >.local/notebooks-run.log 2>&1; then
  bash scripts/notebooks.sh 2>&1 | tee -a "$log" || notebooks=$?
else
  echo "scripts/run.sh failed, so the notebooks could not run; last lines of .local/notebooks-run.log:" >&2
  tail -n 20 .local/notebooks-run.log >&2
  notebooks=1
fi
bash scripts/run.sh stop >/dev/null 2>&1 || true

echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
grep -E '^Notebooks: ' "$log" || echo "Notebooks: failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran: that is a failure." >&2
  exit 1
fi
[ "$status" -ne 0 ] && exit "$status"
exit "$notebooks"
