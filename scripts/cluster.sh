# Sourced by the scripts that run the pipeline on databases of their own (faults.sh, national.sh): starts the
# private PostGIS cluster (scripts/pg.sh) and defines
#   super ARGS...          psql as the cluster's superuser (quiet, tuples only, stops on the first error)
#   q SQL                  one statement on the database $db
#   fresh_database NAME    NAME dropped if it exists, created with PostGIS, migrated by the owner role (through the
#                          caller's `jobs` function, log in $logs/migrate.log); $db and Database__ConnectionString
#                          (the application's role) then point to it
# Settings (environment): ANALYTICS_PG_PORT and ANALYTICS_PG_DIR as for scripts/pg.sh.
bash scripts/pg.sh start
eval "$(bash scripts/pg.sh env)"
pg_dir=$(bash scripts/pg.sh status | sed -n 's/.*data in //p')
pg_port=${ANALYTICS_PG_PORT:-55432}
app_connection=$Database__ConnectionString
owner_connection=$Database__OwnerConnectionString
# Only migrations run as the owner; everything else as the application's role.
unset Database__OwnerConnectionString
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
super() { as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -h "$pg_dir/run" -p "$pg_port" -U postgres -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q() { super -d "$db" -c "$1"; }

fresh_database() {
  db=$1
  super -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER analytics"
  super -d "$db" -c "CREATE EXTENSION postgis"
  export Database__ConnectionString=${app_connection/Database=analytics/Database=$db}
  Database__OwnerConnectionString=${owner_connection/Database=analytics/Database=$db} jobs db migrate >>"$logs/migrate.log" 2>&1
}
