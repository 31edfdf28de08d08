#!/usr/bin/env bash
# The fault script (issue 17): the scheduled pipeline on the region demo world under faults, each check on a
# fresh database of the private PostGIS cluster, printing PASS or FAIL per check; exits 1 when any fails.
#
#   scripts/faults.sh
#
#   a. reference   the pipeline run inline on a fresh database; row counts and checksums (md5 of the ordered
#                  rows, surrogate ids replaced by natural keys, timestamps left out) of what ingest, features
#                  and training write
#   b. kill -9     a run on the job workers while a worker is killed 10 times at random points of ingest and
#                  features, restarted each time: the run completes, counts and checksums equal the reference's
#   c. drain       10 runs on unchanged inputs (50 stage jobs: ingest, features, 3 training units each) drained
#                  by 2 workers: each stage job succeeded once, ran once, and both workers took part
#   d. restart     PostgreSQL restarted (fast shutdown) during the features build: the run succeeds with the
#                  reference's data or fails with its reason; no stage left running
#   e. readiness   the API started as scripts/run.sh does; PostgreSQL stopped: /health answers 503 within 5 s,
#                  and 200 again once PostgreSQL is back
#
# Installs and starts what it needs like scripts/test.sh: the private cluster (scripts/pg.sh), Release builds of
# analytics-jobs and of the API in .local/faults/app, the region demo world in .local/faults/world.
# Settings (environment): ANALYTICS_PG_PORT and ANALYTICS_PG_DIR as for scripts/pg.sh; ANALYTICS_API_PORT for
# check e (default 5081). Random delays come from bash's $RANDOM, seeded by FAULTS_SEED (printed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
began=$(date +%s)
work=$root/.local/faults
app=$work/app
world=$work/world
logs=$work/logs
api_port=${ANALYTICS_API_PORT:-5081}
seed=${FAULTS_SEED:-$(date +%s)}
RANDOM=$seed
mkdir -p "$logs"
rm -f "$logs"/*.log

failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
note() { echo "     $*"; }
elapsed() { echo $(($(date +%s) - $1)); }

# --- what the checks need ------------------------------------------------------------------------------------
if ! command -v curl >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; fi
source scripts/cluster.sh

echo "faults: building (Release) into $app"
bash scripts/web.sh >/dev/null
dotnet publish src/Analytics.Jobs -c Release -o "$app/jobs" -nologo -v quiet >/dev/null
dotnet publish src/Analytics.Api -c Release -o "$app/api" -nologo -v quiet >/dev/null
jobs() { dotnet "$app/jobs/analytics-jobs.dll" "$@"; }
[ -s "$world/load.json" ] || jobs demo generate --seed 42 --scale region --out "$world" >/dev/null

# As scripts/run.sh sets them; leases of 15 s (the shortest allowed) so that a killed worker's job is handed out
# again within seconds rather than a minute.
export Training__SpecificationFolder="$root/data/models" Pipeline__IndexDefinition="$root/data/catalog/cumulative_index.json"
mkdir -p "$work/audit-checkpoints"
[ -s "$work/audit-checkpoint.key" ] || (umask 077 && head -c 32 /dev/urandom >"$work/audit-checkpoint.key")
export Audit__CheckpointKeyFile="$work/audit-checkpoint.key" Audit__CheckpointFolder="$work/audit-checkpoints"
export Jobs__LeaseTimeoutSeconds=15 Jobs__PollIntervalSeconds=1

# Processes this script started, stopped by their id when it ends.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; done
  bash scripts/pg.sh start >/dev/null 2>&1 || true
}
trap cleanup EXIT

# start_worker: one more worker process (analytics-jobs worker); its pid in $worker.
start_worker() {
  dotnet "$app/jobs/analytics-jobs.dll" worker >>"$logs/workers.log" 2>&1 &
  worker=$!
  pids+=("$worker")
}
stop_worker() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wait_run ID SECONDS: until the run is over; prints its status.
wait_run() {
  local deadline=$(($(date +%s) + $2)) status
  while :; do
    status=$(q "SELECT status FROM ops.pipeline_run WHERE id = $1")
    if [ "$status" = succeeded ] || [ "$status" = failed ] || [ "$(date +%s)" -ge "$deadline" ]; then echo "$status"; return; fi
    sleep 1
  done
}

# checksums: one line per table, "table rows md5", of what ingest, features and training write. Surrogate keys
# (identities, sequences) differ between databases — a killed load consumes sequence values — so references to
# territories, batches, layers and weight sets are replaced by their natural keys and own ids are left out, as
# are timestamps, durations, footprints and who launched what. The features build is not bit-reproducible (two
# clean runs differ in the last digits of some figures: floating-point sums in varying order), so floating-point
# columns are compared to 6 significant digits; of training's outputs, whose JSON documents, serialised models and
# reports carry such digits, only the decisions and the rounded predictions are compared.
checksums() {
  super -d "$db" <<'SQL'
CREATE TEMP TABLE faults_checksum (name text, rows bigint, md5 text);
DO $$
DECLARE
  t text; c record; expressions text[]; e text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'catalog.indicator', 'geo.territory', 'geo.territory_ancestor', 'geo.code_change', 'geo.source_layer', 'geo.source_feature',
    'geo.interp_weight_set', 'geo.interp_weight', 'geo.territory_tile_geometry', 'geo.custom_zone',
    'ingest.batch', 'ingest.quarantine', 'facts.health_count', 'facts.feature_value', 'facts.territory_value', 'facts.territory_label',
    'features.build', 'features.expected_cases', 'features.health_indicator', 'features.whole_indicator', 'features.spatial_pattern',
    'features.scan_cluster', 'features.territory_cluster', 'features.territory_exposure', 'features.cumulative_index',
    'features.custom_zone_exposure', 'features.custom_zone_indicator',
    'features.feature_matrix', 'features.feature_matrix_row', 'ml.model_run', 'ml.prediction', 'ml.fairness_report', 'review.release']
  LOOP
    expressions := ARRAY[]::text[];
    FOR c IN SELECT column_name AS n, data_type FROM information_schema.columns
             WHERE table_schema = split_part(t, '.', 1) AND table_name = split_part(t, '.', 2) ORDER BY ordinal_position
    LOOP
      IF split_part(t, '.', 1) IN ('ml', 'review') AND c.n NOT IN ('spec_code', 'status', 'champion', 'champion_rule', 'seed', 'variant', 'verdict',
          'state', 'fairness_verdict', 'territory_id', 'period', 'exposure', 'predicted', 'interval_low', 'interval_high', 'predicted_sir', 'out_of_fold') THEN
        CONTINUE;
      ELSIF c.n IN ('id', 'run_id', 'matrix_id', 'release_id', 'zone_id', 'load_id', 'footprint', 'seconds', 'loaded_by', 'launched_by',
                 'worker', 'input_key', 'code_version', 'source_batches') OR c.data_type LIKE 'timestamp%' THEN
        CONTINUE;
      ELSIF c.n IN ('territory_id', 'centre_territory_id', 'parent_id', 'ancestor_id') THEN
        e := format('(SELECT level || '':'' || code || '':'' || vintage FROM geo.territory WHERE id = %I)', c.n);
      ELSIF c.n IN ('batch_id', 'health_batch_id') THEN
        e := format('(SELECT kind || '':'' || file_sha256 || '':'' || part FROM ingest.batch WHERE id = %I)', c.n);
      ELSIF c.n = 'layer_id' THEN
        e := '(SELECT kind || '':'' || name FROM geo.source_layer WHERE id = layer_id)';
      ELSIF c.n = 'weight_set_id' THEN
        e := '(SELECT l.name || '':'' || s.level || '':'' || s.vintage FROM geo.interp_weight_set s JOIN geo.source_layer l ON l.id = s.layer_id WHERE s.id = weight_set_id)';
      ELSIF c.n = 'territory_ids' THEN
        e := '(SELECT string_agg(code, '','' ORDER BY code) FROM geo.territory WHERE id = ANY (territory_ids))';
      ELSIF c.data_type = 'double precision' THEN
        e := format('CASE WHEN %1$I = 0 OR %1$I IN (''NaN'', ''Infinity'', ''-Infinity'') THEN %1$I::text
                          ELSE round(%1$I::numeric, 5 - floor(log(abs(%1$I)))::int)::text END', c.n);
      ELSE
        e := format('%I::text', c.n);
      END IF;
      expressions := expressions || format('coalesce(%s, ''∅'')', e);
    END LOOP;
    EXECUTE format('INSERT INTO faults_checksum SELECT %L, count(*), md5(coalesce(string_agg(r, E''\n'' ORDER BY r), '''')) FROM (SELECT concat_ws(''|'', %s) AS r FROM %s) s',
                   t, CASE WHEN cardinality(expressions) = 0 THEN '''''' ELSE array_to_string(expressions, ', ') END, t);
  END LOOP;
END $$;
SELECT name || ' ' || rows || ' ' || md5 FROM faults_checksum ORDER BY name;
SQL
}

# same_as_reference NAME: compares the checksums of the current database with the reference's.
same_as_reference() {
  checksums >"$work/$1.checksums"
  if diff "$work/reference.checksums" "$work/$1.checksums" >"$work/$1.diff"; then
    note "$(wc -l <"$work/$1.checksums") tables: row counts and checksums equal the reference's"
    return 0
  fi
  note "tables that differ from the reference (reference < > this run):"
  sed 's/^/       /' "$work/$1.diff"
  return 1
}

echo "faults: seed $seed"

# --- a. reference -----------------------------------------------------------------------------------------------
start=$(date +%s)
fresh_database analytics_faults_reference
if jobs pipeline run --inline --manifest "$world/load.json" >"$logs/a-reference.log" 2>&1; then
  checksums >"$work/reference.checksums"
  pass "a. reference run on a fresh database: succeeded in $(elapsed "$start") s; $(wc -l <"$work/reference.checksums") tables, $(awk '{s += $2} END {print s}' "$work/reference.checksums") rows checksummed"
else
  fail "a. reference run: did not succeed (see $logs/a-reference.log); the other checks have nothing to compare with"
  exit 1
fi

# --- b. 10 × kill -9 of the worker during ingest and features ----------------------------------------------------
start=$(date +%s)
fresh_database analytics_faults_kill
run=$(jobs pipeline run --detach --manifest "$world/load.json" | sed -n 's/^pipeline run \([0-9]*\)$/\1/p')
start_worker
kills=0
while [ "$kills" -lt 10 ]; do
  # Until this worker holds the stage aimed at — ingest for the first five kills, the features build for the last
  # five — or the run is past features, which leaves nothing to kill.
  target=ingest; [ "$kills" -ge 5 ] && target=features
  stage=""
  for _ in $(seq 1500); do
    stage=$(q "SELECT stage FROM ops.pipeline_stage WHERE run_id = $run AND stage IN ('ingest', 'features') AND status = 'running' AND worker LIKE '%:$worker'")
    [ "$stage" = features ] || [ "$stage" = "$target" ] && break
    stage=""
    [ "$(q "SELECT count(*) FROM ops.pipeline_stage WHERE run_id = $run AND stage = 'features' AND status IN ('succeeded', 'skipped')")" = 1 ] && break
    sleep 0.2
  done
  [ -n "$stage" ] || break
  # A random point of the stage: the region's ingest takes about 6 s (less once files are loaded), its features
  # build about 20 s (each takeover starts it again); a later point would often find the stage over.
  if [ "$stage" = ingest ]; then delay=$((RANDOM % 50 + 5)); else delay=$((RANDOM % 150 + 10)); fi
  sleep "$((delay / 10)).$((delay % 10))"
  if [ -n "$(q "SELECT 1 FROM ops.pipeline_stage WHERE run_id = $run AND stage = '$stage' AND status = 'running' AND worker LIKE '%:$worker'")" ]; then
    kill -9 "$worker"
    wait "$worker" 2>/dev/null || true
    kills=$((kills + 1))
    note "kill -9 $kills: worker $worker, $((delay / 10)).$((delay % 10)) s into $stage"
    start_worker
  fi
done
status=$(wait_run "$run" 1200)
attempts=$(q "SELECT string_agg(coalesce(stage || ' ' || unit, stage) || ' ' || attempts, ', ' ORDER BY id) FROM ops.pipeline_stage WHERE run_id = $run")
note "run $run: $status after $(elapsed "$start") s; attempts: $attempts"
interrupted=$(q "SELECT count(*) FROM ingest.progress WHERE state = 'failed' AND message LIKE '%interrupted%'")
note "loads cut by a kill and marked interrupted by the reaper: $interrupted"
# Compared whatever the number of kills, so that a shortfall of kills still says whether the data held.
same=no; same_as_reference kill && same=yes
if [ "$kills" -eq 10 ] && [ "$status" = succeeded ] && [ "$same" = yes ]; then
  pass "b. 10 kill -9 of the worker during ingest and features: the run completed, 0 rows lost or duplicated"
else
  fail "b. kill -9: $kills kills, run $status, or data differing from the reference (see above)"
fi

# --- c. 2 workers drain 50 stage jobs ---------------------------------------------------------------------------
start=$(date +%s)
stop_worker "$worker"
marker=$(q "SELECT coalesce(max(id), 0) FROM hangfire.job")
first=""
for _ in $(seq 10); do
  id=$(jobs pipeline run --detach --manifest "$world/load.json" | sed -n 's/^pipeline run \([0-9]*\)$/\1/p')
  first=${first:-$id}
done
last=$id
queued=$(q "SELECT count(*) FROM hangfire.job WHERE id > $marker AND invocationdata::text LIKE '%PipelineJob%'")
start_worker; one=$worker
start_worker; two=$worker
for r in $(seq "$first" "$last"); do status=$(wait_run "$r" 900); [ "$status" = succeeded ] || break; done
runs=$(q "SELECT count(*) FROM ops.pipeline_run WHERE id BETWEEN $first AND $last AND status = 'succeeded'")
stages=$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE attempts = 1 AND status IN ('succeeded', 'skipped')) || ' ' || count(DISTINCT worker)
            FROM ops.pipeline_stage WHERE run_id BETWEEN $first AND $last")
jobs_done=$(q "WITH pipeline AS (SELECT id, statename FROM hangfire.job WHERE id > $marker AND invocationdata::text LIKE '%PipelineJob%')
               SELECT count(*) FILTER (WHERE statename = 'Succeeded') || ' ' ||
                      (SELECT count(*) FROM hangfire.state s JOIN pipeline p ON p.id = s.jobid WHERE s.name = 'Succeeded') || ' ' ||
                      (SELECT count(*) FROM hangfire.state s JOIN pipeline p ON p.id = s.jobid WHERE s.name = 'Processing')
               FROM pipeline")
new_work=$(q "SELECT (SELECT count(*) FROM features.build) || ' ' || (SELECT count(*) FROM ml.model_run)")
note "runs $first–$last: $runs succeeded in $(elapsed "$start") s; $queued stage jobs; stage rows, once-and-done, workers: $stages;"
note "Hangfire jobs succeeded, Succeeded states, Processing states: $jobs_done; features builds, model runs in the database: $new_work"
if [ "$queued" = 50 ] && [ "$runs" = 10 ] && [ "$stages" = "50 50 2" ] && [ "$jobs_done" = "50 50 50" ] && [ "$new_work" = "1 3" ]; then
  pass "c. 2 workers drained 50 stage jobs: each succeeded once and ran once, both workers took part, nothing rebuilt or retrained"
else
  fail "c. drain: expected 50 jobs, 10 runs, stage rows '50 50 2', jobs '50 50 50', builds and runs '1 3'"
fi
stop_worker "$one"
stop_worker "$two"

# --- d. PostgreSQL restarted during the features build -----------------------------------------------------------
start=$(date +%s)
fresh_database analytics_faults_restart
run=$(jobs pipeline run --detach --manifest "$world/load.json" | sed -n 's/^pipeline run \([0-9]*\)$/\1/p')
start_worker
for _ in $(seq 1200); do
  [ -n "$(q "SELECT 1 FROM ops.pipeline_stage WHERE run_id = $run AND stage = 'features' AND status = 'running'")" ] && break
  sleep 0.2
done
delay=$((RANDOM % 150 + 50))
sleep "$((delay / 10)).$((delay % 10))"
bash scripts/pg.sh stop
bash scripts/pg.sh start
note "PostgreSQL restarted (fast shutdown) $((delay / 10)).$((delay % 10)) s into the features build"
status=$(wait_run "$run" 1500)
stages=$(q "SELECT string_agg(coalesce(stage || ' ' || unit, stage) || ' ' || status || ' (' || attempts || ')', ', ' ORDER BY id) FROM ops.pipeline_stage WHERE run_id = $run")
running=$(q "SELECT count(*) FROM ops.pipeline_stage WHERE run_id = $run AND status = 'running'")
note "run $run: $status after $(elapsed "$start") s; stages (attempts): $stages"
if [ "$status" = succeeded ] && [ "$running" = 0 ] && same_as_reference restart; then
  pass "d. PostgreSQL restarted mid-run: the run resumed and completed with the reference's data"
elif [ "$status" = failed ] && [ "$running" = 0 ] && [ -n "$(q "SELECT error FROM ops.pipeline_run WHERE id = $run")" ]; then
  pass "d. PostgreSQL restarted mid-run: the run failed cleanly: $(q "SELECT error FROM ops.pipeline_run WHERE id = $run")"
else
  fail "d. PostgreSQL restarted mid-run: run $status, $running stage(s) still running"
fi
stop_worker "$worker"

# --- e. readiness with the database stopped ----------------------------------------------------------------------
(
  cd "$app/api"
  for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
  exec dotnet Analytics.Api.dll --urls "http://127.0.0.1:$api_port"
) >"$logs/api.log" 2>&1 </dev/null &
api=$!
pids+=("$api")
for _ in $(seq 120); do curl -fsS "http://127.0.0.1:$api_port/health" >/dev/null 2>&1 && break; sleep 0.5; done
before=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/health")
bash scripts/pg.sh stop
answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 20 "http://127.0.0.1:$api_port/health" || true)
bash scripts/pg.sh start
after=""
for _ in $(seq 60); do after=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/health"); [ "$after" = 200 ] && break; sleep 0.5; done
note "/health: $before with the database up; '$answer' (status, seconds) with it stopped; $after once it is back"
if [ "$before" = 200 ] && [ "${answer% *}" = 503 ] && awk -v t="${answer#* }" 'BEGIN {exit !(t < 5)}' && [ "$after" = 200 ]; then
  pass "e. readiness reported the stopped database within 5 s (${answer#* } s) and recovered"
else
  fail "e. readiness: expected 200, then 503 within 5 s, then 200"
fi
stop_worker "$api"

echo
echo "faults: $((5 - failures)) passed, $failures failed, in $(elapsed "$began") s (seed $seed)"
[ "$failures" -eq 0 ]
