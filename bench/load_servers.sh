# Sourced by the load scripts: start/stop a throwaway PostgreSQL 15 cluster and an iris-pgwire
# gateway on ephemeral loopback ports, in $WORK, stopped and removed on exit.
# Sets PG_PORT / GW_PORT / GW_PID; needs WORK, PGW_BIN, PG_BINDIR (GW_BACKEND optional).

PG_DATA="$WORK/pg/data"
PG_STARTED=0
GW_PID=""

log() { echo "[$(basename "$0")] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

stop_servers() {
  if [[ -n "$GW_PID" ]] && kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  GW_PID=""
  if [[ $PG_STARTED -eq 1 ]]; then
    as_postgres timeout 60 "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop \
      >/dev/null 2>&1 || true
    PG_STARTED=0
  fi
}

cleanup() {
  local rc=$?
  stop_servers
  if [[ -z "${KEEP_WORKDIR:-}" ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
  exit $rc
}
trap cleanup EXIT INT TERM

# start_postgres MAX_CONNECTIONS
start_postgres() {
  rm -rf "$WORK/pg"
  mkdir -p "$WORK/pg"
  chmod 755 "$WORK"
  [[ $(id -u) -eq 0 ]] && chown -R postgres "$WORK/pg"
  as_postgres "$PG_BINDIR/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C \
    --no-sync >/dev/null
  PG_PORT=$(free_port)
  cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK/pg'
max_connections = $1
fsync = off
synchronous_commit = off
CONF
  as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/log" -w -t 30 start >/dev/null ||
    die "PostgreSQL did not start: $(tail -5 "$WORK/pg/log")"
  PG_STARTED=1
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE bench" >/dev/null
}

# start_gateway EXTRA_ARGS...
start_gateway() {
  rm -f "$WORK/gw.port"
  "$PGW_BIN" serve --listen 127.0.0.1:0 --port-file "$WORK/gw.port" \
    --backend "${GW_BACKEND:-sqlite:$WORK/gw.db}" --auth trust --log-level warn "$@" \
    >"$WORK/gw.log" 2>&1 </dev/null &
  GW_PID=$!
  for _ in $(seq 1 200); do [[ -s "$WORK/gw.port" ]] && break; sleep 0.1; done
  [[ -s "$WORK/gw.port" ]] || die "gateway did not start: $(tail -5 "$WORK/gw.log")"
  GW_PORT=$(cat "$WORK/gw.port")
}
