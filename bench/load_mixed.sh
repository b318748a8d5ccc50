#!/usr/bin/env bash
# Mixed read/write load: CLIENTS (200) pgbench clients run a read/write script (a point read, an
# UPDATE, an INSERT, a read back; autocommit) for DURATION (60) s against the gateway, then
# against PostgreSQL 15; prints TPS, p99 latency and errors of both and the ratio. Then a
# SIGTERM during the same load on the gateway: every client must end with 57P01 (FATAL
# "terminating connection due to administrator command") and none with any other error (a
# torn result would show as a protocol or connection error).
# Environment: CLIENTS, DURATION, SCALE (1), JOBS (2), SIGTERM_AFTER (5), SHUTDOWN_ONLY=1 (skip
# the timed comparison), PGW_BIN, PG_BINDIR.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLIENTS=${CLIENTS:-200}
DURATION=${DURATION:-60}
SCALE=${SCALE:-1}
JOBS=${JOBS:-2}
SIGTERM_AFTER=${SIGTERM_AFTER:-5}
PGW_BIN=${PGW_BIN:-$REPO_ROOT/build/src/iris-pgwire}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/pgw-load-mixed.XXXXXX)
source "$REPO_ROOT/bench/load_servers.sh"
ulimit -n 65536 2>/dev/null || true

cat >"$WORK/mixed.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set delta random(-5000, 5000)
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, :aid, :delta, CURRENT_TIMESTAMP);
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
SQL

# run_load NAME PORT USER SECONDS -> prints "tps p99_ms errors", logs in $WORK/NAME.*
run_load() {
  local name=$1 port=$2 user=$3 secs=$4
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && timeout $((secs + 120)) pgbench -h 127.0.0.1 -p "$port" -U "$user" \
    -n -c "$CLIENTS" -j "$JOBS" -T "$secs" -f "$WORK/mixed.sql" -D scale="$SCALE" \
    -l --log-prefix=tx bench >"$WORK/$name.out" 2>"$WORK/$name.err") || true
  /usr/bin/python3 - "$WORK/$name" "$WORK/$name.out" "$WORK/$name.err" <<'PY'
import glob, re, sys
lat = []
for path in glob.glob(sys.argv[1] + "/tx*"):
    for line in open(path):
        parts = line.split()
        if len(parts) >= 3 and parts[2].isdigit():
            lat.append(int(parts[2]))
lat.sort()
p99 = lat[int(len(lat) * 0.99)] / 1000.0 if lat else float("nan")
out = open(sys.argv[2]).read()
m = re.search(r"tps = ([0-9.]+)", out)
tps = float(m.group(1)) if m else 0.0
errors = len([l for l in open(sys.argv[3]) if "error" in l.lower()])
failed = re.search(r"number of failed transactions: (\d+)", out)
errors += int(failed.group(1)) if failed else 0
print(f"{tps:.0f} {p99:.1f} {errors}")
PY
}

gw_tps=- gw_p99=- gw_err=- pg_tps=- pg_p99=- pg_err=-
if [[ -z "${SHUTDOWN_ONLY:-}" ]]; then
log "gateway: pgbench -i -s $SCALE"
start_gateway --max-connections $((CLIENTS + 20))
pgbench -h 127.0.0.1 -p "$GW_PORT" -U postgres -i -I dtGvp -s "$SCALE" bench >/dev/null 2>&1 ||
  die "pgbench -i against the gateway failed"
log "gateway: $CLIENTS clients, $DURATION s"
read -r gw_tps gw_p99 gw_err < <(run_load gw "$GW_PORT" postgres "$DURATION")
stop_servers

log "PostgreSQL 15: pgbench -i -s $SCALE"
start_postgres $((CLIENTS + 20))
pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s "$SCALE" bench >/dev/null 2>&1 ||
  die "pgbench -i against PostgreSQL failed"
log "PostgreSQL 15: $CLIENTS clients, $DURATION s"
read -r pg_tps pg_p99 pg_err < <(run_load pg "$PG_PORT" postgres "$DURATION")
stop_servers
fi

# shutdown_under_load NAME PORT STOP_COMMAND: pgbench load, then STOP_COMMAND after
# SIGTERM_AFTER s; prints "clients_with_57P01 clients_with_other_errors".
shutdown_under_load() {
  local name=$1 port=$2
  shift 2
  (cd "$WORK" && timeout 180 pgbench -h 127.0.0.1 -p "$port" -U postgres -n -c "$CLIENTS" \
    -j "$JOBS" -T 60 -f "$WORK/mixed.sql" -D scale="$SCALE" bench >"$WORK/$name.term.out" \
    2>"$WORK/$name.term.err") &
  local bench_pid=$!
  sleep "$SIGTERM_AFTER"
  "$@"
  wait "$bench_pid" || true
  # pgbench prints the server's message, then (libpq's) "perhaps the backend died" for the
  # same client: count clients, not lines.
  /usr/bin/python3 - "$WORK/$name.term.err" <<'PY'
import re, sys
shutdown = 0
other = []
for line in open(sys.argv[1]):
    if "terminating connection due to administrator command" in line:
        shutdown += 1
    elif re.search(r"client \d+ aborted", line) or "Run was aborted" in line:
        continue  # pgbench's own account of the connection loss that follows the FATAL
    elif "error" in line.lower() or "fatal" in line.lower():
        other.append(line.strip())
for line in other[:10]:
    print(line, file=sys.stderr)
print(shutdown, len(other))
PY
}

log "gateway: SIGTERM after $SIGTERM_AFTER s of load"
start_gateway --max-connections $((CLIENTS + 20)) --shutdown-grace-seconds 10
pgbench -h 127.0.0.1 -p "$GW_PORT" -U postgres -i -I dtGvp -s "$SCALE" bench >/dev/null 2>&1 ||
  die "pgbench -i against the gateway failed"
read -r gw_down gw_other < <(shutdown_under_load gw "$GW_PORT" kill -TERM "$GW_PID")
gw_rc=0
wait "$GW_PID" || gw_rc=$?
GW_PID=""

log "PostgreSQL 15: fast shutdown (pg_ctl -m fast) after $SIGTERM_AFTER s of load"
start_postgres $((CLIENTS + 20))
pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s "$SCALE" bench >/dev/null 2>&1 ||
  die "pgbench -i against PostgreSQL failed"
pg_stop() { as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; }
read -r pg_down pg_other < <(shutdown_under_load pg "$PG_PORT" pg_stop)
PG_STARTED=0

/usr/bin/python3 - "$CLIENTS" "$DURATION" "$gw_tps" "$gw_p99" "$gw_err" "$pg_tps" "$pg_p99" \
  "$pg_err" <<'PY'
import sys
c, d, gt, gp, ge, pt, pp, pe = sys.argv[1:]
print(f"| server | clients | seconds | TPS | p99 latency (ms) | errors |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| iris-pgwire | {c} | {d} | {gt} | {gp} | {ge} |")
print(f"| PostgreSQL 15 | {c} | {d} | {pt} | {pp} | {pe} |")
ratio = float(gt) / float(pt) if pt not in ("-", "0") else float("nan")
print(f"\nTPS ratio gateway/PostgreSQL: {ratio:.2f}")
PY
echo
echo "| shutdown under load | clients | clients given 57P01 | other errors |"
echo "|---|---:|---:|---:|"
echo "| iris-pgwire, SIGTERM (exit status $gw_rc) | $CLIENTS | $gw_down | $gw_other |"
echo "| PostgreSQL 15, pg_ctl -m fast | $CLIENTS | $pg_down | $pg_other |"
if [[ "$gw_down" -ne "$CLIENTS" || "$gw_other" -ne 0 ]]; then
  log "unexpected shutdown errors (gateway):"
  grep -v "administrator command\|aborted" "$WORK/gw.term.err" | head -20 >&2
fi
