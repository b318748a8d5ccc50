#!/usr/bin/env bash
# Compares pgbench select-only throughput of the iris-pgwire gateway (SQLite backend) with a
# throwaway PostgreSQL 15 cluster, for the simple, extended and prepared query modes, and
# prints a Markdown table on stdout (progress goes to stderr).
#
# Builds nothing: uses PGW_BIN (default build/src/iris-pgwire). Everything it starts (the
# cluster, the gateway, temp files) is stopped and removed on exit.
#
# Usage: bench/pgbench_compare.sh [--postgres-only | --gateway-only]
# Environment: DURATION (s per run, 10), SCALE (10), CLIENTS (8), JOBS (2), PGW_BIN,
#              PG_BINDIR (/usr/lib/postgresql/15/bin), KEEP_WORKDIR=1 keeps the temp dir.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10}
SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-8}
JOBS=${JOBS:-2}
PGW_BIN=${PGW_BIN:-$REPO_ROOT/build/src/iris-pgwire}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
MODES=(simple extended prepared)
START_TIMEOUT=20        # seconds to wait for a server to accept connections
INIT_TIMEOUT=900        # seconds for pgbench -i
RUN_SLACK=120           # seconds allowed beyond DURATION for one pgbench run

RUN_POSTGRES=1
RUN_GATEWAY=1
case "${1:-}" in
  "") ;;
  --postgres-only) RUN_GATEWAY=0 ;;
  --gateway-only) RUN_POSTGRES=0 ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

BENCH_NAME=pgbench_compare
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"

# pgbench_env PORT -> environment assignments for a pgbench run against 127.0.0.1:PORT.
pgbench_env() {
  echo "PGHOST=127.0.0.1 PGPORT=$1 PGUSER=postgres PGDATABASE=postgres PGCONNECT_TIMEOUT=10"
}

# init_db LABEL PORT INIT_STEPS...
init_db() {
  local label=$1 port=$2
  shift 2
  log "initialising $label: pgbench -i $* -s $SCALE"
  env $(pgbench_env "$port") timeout "$INIT_TIMEOUT" pgbench -i "$@" -s "$SCALE" \
    >"$WORK/init-$label.log" 2>&1 || { cat "$WORK/init-$label.log" >&2; die "init $label"; }
}

# run_tps LABEL PORT MODE -> prints the tps (without initial connection time).
run_tps() {
  local label=$1 port=$2 mode=$3 out="$WORK/run-$1-$3.log"
  log "running $label -M $mode for ${DURATION}s"
  env $(pgbench_env "$port") timeout $((DURATION + RUN_SLACK)) pgbench -S -c "$CLIENTS" \
    -j "$JOBS" -T "$DURATION" -M "$mode" >"$out" 2>&1 || { cat "$out" >&2; die "$label $mode"; }
  if grep -Eq 'number of failed transactions: [1-9]' "$out"; then
    cat "$out" >&2
    die "$label -M $mode reported failed transactions"
  fi
  local tps
  tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$out")
  [[ -n "$tps" ]] || { cat "$out" >&2; die "no tps line for $label $mode"; }
  echo "$tps"
}

declare -A PG_TPS GW_TPS
if [[ $RUN_POSTGRES -eq 1 ]]; then
  start_postgres
  init_db postgres "$PG_PORT"
  for mode in "${MODES[@]}"; do PG_TPS[$mode]=$(run_tps postgres "$PG_PORT" "$mode"); done
  stop_postgres
fi
if [[ $RUN_GATEWAY -eq 1 ]]; then
  start_gateway
  init_db gateway "$GW_PORT" -I dtGvp
  for mode in "${MODES[@]}"; do GW_TPS[$mode]=$(run_tps gateway "$GW_PORT" "$mode"); done
fi

echo
echo "pgbench -S -c $CLIENTS -j $JOBS -T $DURATION, scale $SCALE, $(nproc) CPUs"
echo
echo "| mode | gateway TPS | PostgreSQL TPS | ratio |"
echo "|------|------------:|---------------:|------:|"
for mode in "${MODES[@]}"; do
  gw=${GW_TPS[$mode]:-n/a}
  pg=${PG_TPS[$mode]:-n/a}
  ratio=n/a
  if [[ $gw != n/a && $pg != n/a ]]; then
    ratio=$(awk -v g="$gw" -v p="$pg" 'BEGIN { if (p > 0) printf "%.2f", g / p; else print "n/a" }')
  fi
  fmt() { [[ $1 == n/a ]] && echo n/a || printf '%.0f' "$1"; }
  echo "| $mode | $(fmt "$gw") | $(fmt "$pg") | $ratio |"
done
