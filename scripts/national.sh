#!/usr/bin/env bash
# The national pipeline through the Hangfire schedule, measured (issue 17; a program run and reported, not a test).
#
#   scripts/national.sh [WORKERS [JOBS]]
#
# On a fresh database of the private PostGIS cluster: WORKERS (default 1) `analytics-jobs worker` processes, each
# running up to JOBS (default 2, `Jobs:WorkerCount`) jobs at once, are started with `Pipeline:Schedule` set to the
# next minute and `Pipeline:DropManifest` to the national demo world's load manifest, so Hangfire's recurring job launches the run (ingest → features → one training unit per model
# specification, each training run auditing its models and holding a release for review). Prints each stage's and
# unit's wall time and worker, the run's wall time from launch to its end, each worker's peak resident memory
# (GNU time) and the peak of the workers' summed resident memory (sampled every second).
#
# Installs and starts what it needs like scripts/faults.sh: the private cluster (scripts/pg.sh), a Release build of
# analytics-jobs in .local/national/app, the national demo world in .local/national/world (generated once, ~30 s).
# Settings (environment): ANALYTICS_PG_PORT and ANALYTICS_PG_DIR as for scripts/pg.sh; NATIONAL_WORLD, a folder
# holding an already generated national world.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
workers=${1:-1}
export Jobs__WorkerCount=${2:-2}
work=$root/.local/national
app=$work/app
world=${NATIONAL_WORLD:-$work/world}
logs=$work/logs
mkdir -p "$logs"
rm -f "$logs"/*

command -v /usr/bin/time >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
source scripts/cluster.sh

echo "national: building (Release) into $app"
dotnet publish src/Analytics.Jobs -c Release -o "$app" -nologo -v quiet >/dev/null
jobs() { dotnet "$app/analytics-jobs.dll" "$@"; }
[ -s "$world/load.json" ] || jobs demo generate --seed 42 --scale national --out "$world" >/dev/null

# Workers left by an interrupted earlier run would take this run's jobs (with a stale view of the recreated database).
pkill -f "$app/analytics-jobs.dll worker" 2>/dev/null && sleep 2 || true
echo "national: fresh database analytics_national"
fresh_database analytics_national

# As scripts/run.sh sets them, plus the schedule: the minute after the workers have started.
export Training__SpecificationFolder="$root/data/models" Pipeline__IndexDefinition="$root/data/catalog/cumulative_index.json"
mkdir -p "$work/audit-checkpoints"
[ -s "$work/audit-checkpoint.key" ] || (umask 077 && head -c 32 /dev/urandom >"$work/audit-checkpoint.key")
export Audit__CheckpointKeyFile="$work/audit-checkpoint.key" Audit__CheckpointFolder="$work/audit-checkpoints"
at=$(date -u -d '+90 seconds' +%s)
export Pipeline__DropManifest="$world/load.json" Pipeline__Schedule="$(date -u -d "@$at" '+%-M %-H * * *')"
echo "national: $workers worker(s) of $Jobs__WorkerCount job(s), schedule '$Pipeline__Schedule' (UTC)"

pids=()
# The workers are GNU time's children: stopping them lets time write their peak.
cleanup() { for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in $(seq "$workers"); do
  /usr/bin/time -v -o "$logs/worker-$i.time" dotnet "$app/analytics-jobs.dll" worker >"$logs/worker-$i.log" 2>&1 &
  pids+=("$!")
done

# Waits for the scheduled run, then samples the workers' summed resident memory until the run is over.
run=""
until [ -n "$run" ]; do sleep 2; run=$(q "SELECT id FROM ops.pipeline_run ORDER BY id LIMIT 1"); done
echo "national: run $run launched by the schedule"
peak_kib=0
while :; do
  status=$(q "SELECT status FROM ops.pipeline_run WHERE id = $run")
  [ "$status" = succeeded ] || [ "$status" = failed ] && break
  total=0
  for pid in $(pgrep -f "analytics-jobs.dll worker" || true); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${rss:-0}))
  done
  [ "$total" -gt "$peak_kib" ] && peak_kib=$total
  sleep 1
done

echo "national: run $run $status"
q "SELECT rpad(coalesce(stage || ' ' || unit, stage), 28) || rpad(status, 10)
          || to_char(finished_at - started_at, 'MI:SS') || '  ' || coalesce(worker, '') || coalesce('  ' || left(detail, 80), '')
     FROM ops.pipeline_stage WHERE run_id = $run ORDER BY id"
q "SELECT 'run wall time ' || to_char(finished_at - created_at, 'MI:SS') FROM ops.pipeline_run WHERE id = $run"
echo "workers' summed resident memory, peak: $((peak_kib / 1024)) MiB"
cleanup
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
for i in $(seq "$workers"); do
  echo "worker $i peak resident memory: $(( $(awk -F': ' '/Maximum resident/ {print $2}' "$logs/worker-$i.time") / 1024 )) MiB"
done
[ "$status" = succeeded ]
