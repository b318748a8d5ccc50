#!/usr/bin/env bash
# Compares COPY throughput of the iris-pgwire gateway (SQLite backend) with a throwaway
# PostgreSQL 15 cluster on the same machine: a generated patients table (ROWS rows, about 60 MB
# of CSV at 1,000,000 rows) with a primary key, loaded with COPY ... FROM STDIN (FORMAT csv,
# HEADER) and exported with COPY ... TO STDOUT (FORMAT csv), then the same in binary format.
# Prints rows/s, MB/s (of COPY data), the gateway's peak RSS growth during each COPY, and
# the ratios, as a Markdown table on stdout (progress on stderr). psql is the client for both
# (psql -c "COPY ..." with the data on its standard input / output). The two servers run one
# after the other, so they do not share the 2 CPUs.
#
# Builds nothing: uses PGW_BIN (default build/src/iris-pgwire). Everything it starts (the
# cluster, the gateway, temp files) is stopped and removed on exit.
#
# Usage: bench/copy_compare.sh
# Environment: ROWS (1000000), RUNS (best of, 1), PGW_BIN, PG_BINDIR
#              (/usr/lib/postgresql/15/bin), KEEP_WORKDIR=1 keeps the temp dir.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-1}
PGW_BIN=${PGW_BIN:-$REPO_ROOT/build/src/iris-pgwire}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
START_TIMEOUT=20   # seconds for a server to accept connections
COPY_TIMEOUT=900   # seconds for one COPY

case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

BENCH_NAME=copy_compare
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"

now() { date +%s.%N; }


DDL="DROP TABLE IF EXISTS patients; CREATE TABLE patients (PatientID integer PRIMARY KEY,
  FirstName varchar(50), LastName varchar(50), DateOfBirth date, Gender char(1),
  Status varchar(20), AdmissionDate date, DischargeDate date)"


# Peak RSS bookkeeping for the gateway: clear_refs=5 resets VmHWM to the current RSS.
rss_reset() { [[ -z "$GW_PID" ]] || echo 5 >"/proc/$GW_PID/clear_refs" 2>/dev/null || true; }
rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# run_copy LABEL PORT SQL IN OUT -> "seconds rss_growth_kb" of the best of RUNS runs; before
# each COPY FROM the table is emptied.
run_copy() {
  local label=$1 port=$2 sql=$3 in=$4 out=$5 best="" best_rss=0
  for _ in $(seq 1 "$RUNS"); do
    if [[ $sql == *"FROM STDIN"* ]]; then psql_at "$port" -c "TRUNCATE patients"; fi
    local base=0
    if [[ $label == gw ]]; then
      rss_reset
      base=$(rss_kb "$GW_PID" VmRSS)
    fi
    local t0 t1
    t0=$(now)
    psql_at "$port" -c "$sql" <"$in" >"$out" || die "$label: $sql"
    t1=$(now)
    local secs rss=0
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [[ $label == gw ]]; then rss=$(($(rss_kb "$GW_PID" VmHWM) - base)); fi
    log "$label: $sql: ${secs} s${GW_PID:+, peak RSS +$((rss / 1024)) MB}"
    if [[ -z "$best" ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs
      best_rss=$rss
    fi
  done
  echo "$best $best_rss"
}

OPS=(csv_from csv_to bin_from bin_to)
declare -A SQL=(
  [csv_from]="COPY patients FROM STDIN (FORMAT csv, HEADER)"
  [csv_to]="COPY patients TO STDOUT (FORMAT csv)"
  [bin_from]="COPY patients FROM STDIN (FORMAT binary)"
  [bin_to]="COPY patients TO STDOUT (FORMAT binary)"
)
declare -A PG_T GW_T GW_RSS BYTES

measure() {  # measure LABEL PORT
  local label=$1 port=$2 r
  psql_at "$port" -c "$DDL"
  r=$(run_copy "$label" "$port" "${SQL[csv_from]}" "$WORK/patients.csv" /dev/null)
  eval "${label^^}_T[csv_from]=${r% *}; ${label^^}_RSS[csv_from]=${r#* }"
  r=$(run_copy "$label" "$port" "${SQL[csv_to]}" /dev/null "$WORK/out-$label.csv")
  eval "${label^^}_T[csv_to]=${r% *}; ${label^^}_RSS[csv_to]=${r#* }"
  r=$(run_copy "$label" "$port" "${SQL[bin_from]}" "$WORK/patients.bin" /dev/null)
  eval "${label^^}_T[bin_from]=${r% *}; ${label^^}_RSS[bin_from]=${r#* }"
  r=$(run_copy "$label" "$port" "${SQL[bin_to]}" /dev/null "$WORK/out-$label.bin")
  eval "${label^^}_T[bin_to]=${r% *}; ${label^^}_RSS[bin_to]=${r#* }"
}

log "generating $ROWS patients"
generate_patients_csv "$ROWS" "$WORK/patients.csv"
BYTES[csv_from]=$(stat -c %s "$WORK/patients.csv")

start_postgres
declare -A PG_RSS
psql_at "$PG_PORT" -c "$DDL"
psql_at "$PG_PORT" -c "${SQL[csv_from]}" <"$WORK/patients.csv"
# The binary input for both servers: PostgreSQL's own COPY TO (FORMAT binary) of the data.
psql_at "$PG_PORT" -c "${SQL[bin_to]}" >"$WORK/patients.bin" </dev/null
BYTES[bin_from]=$(stat -c %s "$WORK/patients.bin")
measure pg "$PG_PORT"
stop_postgres

start_gateway
measure gw "$GW_PORT"
BYTES[csv_to]=$(stat -c %s "$WORK/out-gw.csv")
BYTES[bin_to]=$(stat -c %s "$WORK/out-gw.bin")
# Same rows, same bytes per row (row order is each server's physical order).
cmp -s <(sort "$WORK/out-gw.csv") <(sort "$WORK/out-pg.csv") ||
  die "COPY TO csv output differs from PostgreSQL's"
[[ ${BYTES[bin_to]} -eq $(stat -c %s "$WORK/out-pg.bin") ]] ||
  die "COPY TO binary output size differs from PostgreSQL's"

echo
echo "COPY of $ROWS patients rows (psql client, best of $RUNS), $(nproc) CPUs"
echo
echo "| COPY | gateway rows/s | gateway MB/s | PostgreSQL rows/s | PostgreSQL MB/s | ratio | gateway peak RSS growth |"
echo "|------|---------------:|-------------:|------------------:|----------------:|------:|------------------------:|"
for op in "${OPS[@]}"; do
  awk -v op="${SQL[$op]}" -v rows="$ROWS" -v bytes="${BYTES[$op]}" -v g="${GW_T[$op]}" \
      -v p="${PG_T[$op]}" -v rss="${GW_RSS[$op]}" 'BEGIN {
    printf "| %s | %.0f | %.1f | %.0f | %.1f | %.2f | %.1f MB |\n", op, rows / g,
           bytes / g / 1e6, rows / p, bytes / p / 1e6, p / g, rss / 1024 }'
done
