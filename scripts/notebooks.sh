#!/usr/bin/env bash
# Executes every notebook of notebooks/ headless (dotnet-repl) against the running instance started by
# scripts/run.sh, each with a personal API token of the demo account of its role — the file name's
# first word (analyst-…, auditor-…). Executed copies go to .local/notebooks/. Fails on any cell error.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
port=${ANALYTICS_API_PORT:-5080}
if ! curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
  echo "notebooks: no instance answers on port $port; start one with scripts/run.sh" >&2
  exit 1
fi
[ -x .local/tools/dotnet-repl ] || dotnet tool install dotnet-repl --tool-path .local/tools --version 0.3.259 >/dev/null
if [ -z "${Database__ConnectionString:-}" ]; then eval "$(bash scripts/pg.sh env)"; fi
export Database__ConnectionString
mkdir -p .local/notebooks
executed=0
# The reviewer's first: its decision puts the asthma model's release in force, which the planner's notebook plans with.
for notebook in notebooks/reviewer-*.ipynb $(ls notebooks/*.ipynb | grep -v '/reviewer-'); do
  name=$(basename "$notebook")
  role=${name%%-*}
  token=$(dotnet .local/app/jobs/analytics-jobs.dll user token "demo-$role" --name "notebook $name" --days 1 | grep -o 'oht_[A-Za-z0-9_-]*' | head -n 1)
  if [ -z "$token" ]; then
    echo "notebooks: could not issue a token for demo-$role ($name)" >&2
    exit 1
  fi
  # dotnet-repl targets an older runtime: roll forward to the installed one.
  if ! ANALYTICS_URL="http://127.0.0.1:$port" ANALYTICS_TOKEN="$token" ANALYTICS_NOTEBOOK_OUTPUT="$root/.local/notebooks" DOTNET_ROLL_FORWARD=Major \
      .local/tools/dotnet-repl --run "$notebook" --exit-after-run --output-path ".local/notebooks/$name" >".local/notebooks/$name.log" 2>&1; then
    echo "notebooks: $name failed; its executed copy (with the error) is .local/notebooks/$name" >&2
    exit 1
  fi
  executed=$((executed + 1))
  echo "notebooks: $name executed as demo-$role"
done
echo "Notebooks: $executed executed"
