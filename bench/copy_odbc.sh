#!/usr/bin/env bash
# COPY FROM through the ODBC backend: a generated patients table (ROWS rows of CSV, the same
# generator and table as bench/copy_compare.sh) loaded with COPY ... FROM STDIN (FORMAT csv,
# HEADER) through the gateway running `--backend odbc:<psqlODBC to a throwaway PostgreSQL 15>`,
# against that PostgreSQL's own COPY of the same file, measured in the same run into the same
# cluster. Prints rows/s both ways and the ratio as a Markdown table on stdout (progress on
# stderr). psql is the client for both. The issue's target is >= 30,000 rows/s through psqlODBC.
#
# Builds nothing: uses PGW_BIN (default build/src/iris-pgwire). Everything it starts (the
# cluster, the gateway, temp files) is stopped and removed on exit.
#
# Usage: bench/copy_odbc.sh
# Environment: ROWS (1000000), RUNS (best of, 1), PGW_BIN, PG_BINDIR
#              (/usr/lib/postgresql/15/bin), KEEP_WORKDIR=1 keeps the temp dir.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-1}
PGW_BIN=${PGW_BIN:-$REPO_ROOT/build/src/iris-pgwire}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
START_TIMEOUT=20   # seconds for a server to accept connections
COPY_TIMEOUT=1800  # seconds for one COPY

case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

BENCH_NAME=copy_odbc
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"

now() { date +%s.%N; }


odbc_driver() {
  local d
  for d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib; do
    if [[ -e "$d/odbc/psqlodbca.so" ]]; then echo "$d/odbc/psqlodbca.so"; return; fi
  done
  die "psqlODBC (Debian odbc-postgresql) not found"
}

log "generating $ROWS patients"
generate_patients_csv "$ROWS" "$WORK/patients.csv"

DDL="DROP TABLE IF EXISTS patients; CREATE TABLE patients (PatientID integer PRIMARY KEY,
  FirstName varchar(50), LastName varchar(50), DateOfBirth date, Gender char(1),
  Status varchar(20), AdmissionDate date, DischargeDate date)"
COPY_SQL="COPY patients FROM STDIN (FORMAT csv, HEADER)"

start_postgres
psql_at "$PG_PORT" -c "$DDL"
GW_BACKEND="odbc:DRIVER=$(odbc_driver);Server=127.0.0.1;Port=$PG_PORT;Database=postgres;"
GW_BACKEND+="UID=postgres;UseServerSidePrepare=1;UseDeclareFetch=1;Fetch=1000;BoolsAsChar=0;"
GW_BACKEND+="ConnSettings={SET client_encoding TO 'UTF8'}"
start_gateway

# best_of LABEL PORT -> seconds of the best of RUNS loads into an emptied table.
best_of() {
  local label=$1 port=$2 best=""
  for _ in $(seq 1 "$RUNS"); do
    psql_at "$PG_PORT" -c "TRUNCATE patients"
    local t0 t1 secs
    t0=$(now)
    psql_at "$port" -c "$COPY_SQL" <"$WORK/patients.csv" || die "$label: $COPY_SQL"
    t1=$(now)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    local n
    n=$(psql_at "$PG_PORT" -At -c "SELECT count(*) FROM patients")
    [[ $n -eq $ROWS ]] || die "$label: $n rows loaded, not $ROWS"
    log "$label: ${secs} s"
    if [[ -z "$best" ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs
    fi
  done
  echo "$best"
}

PG_T=$(best_of postgres "$PG_PORT")
GW_T=$(best_of gateway-odbc "$GW_PORT")

echo
echo "COPY FROM of $ROWS patients rows, CSV (psql client, best of $RUNS), $(nproc) CPUs"
echo
echo "| COPY FROM | gateway via psqlODBC rows/s | PostgreSQL 15 rows/s | ratio (gateway / PostgreSQL) |"
echo "|-----------|----------------------------:|---------------------:|-----------------------------:|"
awk -v rows="$ROWS" -v g="$GW_T" -v p="$PG_T" 'BEGIN {
  printf "| csv | %.0f | %.0f | %.3f |\n", rows / g, rows / p, p / g }'
