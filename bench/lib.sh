# Shared by the bench/*_compare.sh scripts: a work directory removed on exit, a throwaway
# PostgreSQL 15 cluster and a gateway process on ephemeral loopback ports, both stopped on exit.
# Source it after setting BENCH_NAME, PGW_BIN, PG_BINDIR and START_TIMEOUT; it sets WORK,
# PG_PORT (start_postgres) and GW_PORT / GW_PID (start_gateway). GW_BACKEND, when set, is the
# gateway's --backend (default: an SQLite file in WORK).

log() { echo "[$BENCH_NAME] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK=$(mktemp -d "/tmp/pgw-$BENCH_NAME.XXXXXX")
chmod 711 "$WORK"  # the cluster runs as user postgres, below $WORK/pg
PG_DATA="$WORK/pg/data"
PG_STARTED=0
GW_PID=""

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  local rc=$?
  if [[ -n "$GW_PID" ]] && kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  if [[ $PG_STARTED -eq 1 ]]; then
    as_postgres timeout 60 "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop \
      >/dev/null 2>&1 || true
  fi
  if [[ -z "${KEEP_WORKDIR:-}" ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

start_postgres() {
  mkdir -p "$WORK/pg"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$WORK/pg"; fi
  as_postgres "$PG_BINDIR/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C \
    >"$WORK/pg/initdb.log" 2>&1 || { cat "$WORK/pg/initdb.log" >&2; die "initdb failed"; }
  PG_PORT=$(free_port)
  cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK/pg'
CONF
  PG_STARTED=1
  as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w \
    -t "$START_TIMEOUT" start >/dev/null || { cat "$WORK/pg/server.log" >&2; die "pg_ctl start"; }
  log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null
  PG_STARTED=0
}

start_gateway() {
  [[ -x "$PGW_BIN" ]] || die "gateway binary $PGW_BIN not found (set PGW_BIN)"
  "$PGW_BIN" serve --listen 127.0.0.1:0 --port-file "$WORK/gateway.port" \
    --backend "${GW_BACKEND:-sqlite:$WORK/gateway.db}" --auth trust --log-level warn \
    >"$WORK/gateway.log" 2>&1 </dev/null &
  GW_PID=$!
  local waited=0
  until [[ -s "$WORK/gateway.port" ]]; do
    kill -0 "$GW_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; die "gateway exited"; }
    ((waited++ < START_TIMEOUT * 10)) || die "gateway wrote no port file in ${START_TIMEOUT}s"
    sleep 0.1
  done
  GW_PORT=$(tr -d '[:space:]' <"$WORK/gateway.port")
  log "gateway $PGW_BIN (pid $GW_PID) on 127.0.0.1:$GW_PORT"
}

# The patients CSV: PatientID, FirstName, LastName, DateOfBirth, Gender, Status,
# AdmissionDate, DischargeDate (empty = NULL for patients still in), with a header line.
generate_patients_csv() {  # generate_patients_csv ROWS OUT
  /usr/bin/python3 - "$1" >"$2" <<'EOF'
import datetime, random, sys
n = int(sys.argv[1])
rnd = random.Random(42)
first = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
         "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica"]
last = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson"]
status = ["Active", "Discharged", "Admitted", "Transferred"]
dates = [(datetime.date(1930, 1, 1) + datetime.timedelta(days=d)).isoformat()
         for d in range(0, 40000)]
out = sys.stdout
out.write("PatientID,FirstName,LastName,DateOfBirth,Gender,Status,AdmissionDate,"
          "DischargeDate\n")
buf = []
for i in range(1, n + 1):
    adm = 31000 + rnd.randrange(3000)
    st = rnd.choice(status)
    dis = "" if st in ("Active", "Admitted") else dates[adm + rnd.randrange(60)]
    buf.append(f"{i},{rnd.choice(first)},{rnd.choice(last)},{dates[rnd.randrange(30000)]},"
               f"{rnd.choice('MF')},{st},{dates[adm]},{dis}\n")
    if len(buf) == 10000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
EOF
}

# psql as the benches use it, to a server on 127.0.0.1 (COPY_TIMEOUT seconds at most).
psql_at() {  # psql_at PORT ARGS...
  local port=$1
  shift
  PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres PGCONNECT_TIMEOUT=10 \
    timeout "$COPY_TIMEOUT" psql -X -q -v ON_ERROR_STOP=1 "$@"
}
