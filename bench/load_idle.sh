#!/usr/bin/env bash
# Idle connections held: opens IDLE_CONNECTIONS (10000) logged-in sessions to the gateway and
# holds them, and reports the server's RSS growth per connection; then the same for PostgreSQL 15
# with PG_CONNECTIONS (500: one process each, 10000 would not fit this machine) measured as PSS,
# and the ratio. Bounded: every connection attempt and the whole run have timeouts.
# The gateway runs on sqlite::memory: by default (IDLE_BACKEND): a session on a database file
# holds four descriptors (socket, database, -wal, -shm), and 10,000 of them need more than a
# 20,000 open-files limit; in memory a session holds one.
# Environment: IDLE_CONNECTIONS, PG_CONNECTIONS, HOLD_SECONDS (5), IDLE_BACKEND, PGW_BIN, PG_BINDIR.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
PG_CONNECTIONS=${PG_CONNECTIONS:-500}
HOLD_SECONDS=${HOLD_SECONDS:-5}
PGW_BIN=${PGW_BIN:-$REPO_ROOT/build/src/iris-pgwire}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/pgw-load-idle.XXXXXX)
source "$REPO_ROOT/bench/load_servers.sh"

ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "ulimit -n = $(ulimit -n)"

# hold_idle PORT N PIDS_CMD: connects N sessions, reports "memory before after" in KiB.
hold_idle() {
  /usr/bin/python3 - "$@" <<'PY'
import os, socket, struct, subprocess, sys, time
port, n, mode, hold = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
pids_cmd = sys.argv[5]

def pids():
    return [int(p) for p in subprocess.run(["bash", "-c", pids_cmd], capture_output=True,
                                           text=True).stdout.split()]

def memory_kib():
    total = 0
    for pid in pids():
        try:
            if mode == "rss":
                with open(f"/proc/{pid}/status") as f:
                    total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            else:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    total += next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total

def startup(user, db):
    body = struct.pack("!I", 196608) + b"user\0" + user + b"\0database\0" + db + b"\0\0"
    return struct.pack("!I", len(body) + 4) + body

before = memory_kib()
socks = []
deadline = time.monotonic() + 600
packet = startup(b"postgres", b"bench")
for i in range(n):
    if time.monotonic() > deadline:
        sys.exit(f"gave up after {i} connections (time)")
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
    except OSError as e:
        sys.exit(f"connection {i} failed: {e}")
    s.sendall(packet)
    buf = b""
    while not buf.endswith(b"Z\0\0\0\5I"):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit(f"connection {i} closed during login: {buf[:200]!r}")
        if chunk[:1] == b"E":
            sys.exit(f"connection {i} refused: {chunk[:200]!r}")
        buf += chunk
    socks.append(s)
time.sleep(hold)
after = memory_kib()
# All still alive? One query on the first and the last.
for s in (socks[0], socks[-1]):
    s.sendall(b"Q" + struct.pack("!I", 13) + b"SELECT 1\0")
    data = b""
    while not data.endswith(b"Z\0\0\0\5I"):
        data += s.recv(4096)
print(before, after)
for s in socks:
    s.close()
PY
}

GW_BACKEND=${IDLE_BACKEND:-sqlite::memory:} start_gateway --max-connections $((IDLE_CONNECTIONS + 100)) --backend-threads 2
log "gateway: $IDLE_CONNECTIONS idle sessions"
read -r gw_before gw_after < <(hold_idle "$GW_PORT" "$IDLE_CONNECTIONS" rss "$HOLD_SECONDS" \
  "echo $GW_PID")
log "gateway: memory before/after (KiB): $gw_before $gw_after"
stop_servers

start_postgres $((PG_CONNECTIONS + 10))
log "PostgreSQL 15: $PG_CONNECTIONS idle sessions"
read -r pg_before pg_after < <(hold_idle "$PG_PORT" "$PG_CONNECTIONS" pss "$HOLD_SECONDS" \
  "p=\$(head -1 $PG_DATA/postmaster.pid); echo \$p; pgrep -P \$p")

/usr/bin/python3 - "$IDLE_CONNECTIONS" "$gw_before" "$gw_after" "$PG_CONNECTIONS" "$pg_before" "$pg_after" <<'PY'
import sys
n, b, a, pn, pb, pa = map(int, sys.argv[1:])
gw = (a - b) / n
pg = (pa - pb) / pn
print("| server | idle sessions | memory before (MiB) | after (MiB) | per session (KiB) |")
print("|---|---:|---:|---:|---:|")
print(f"| iris-pgwire (RSS) | {n} | {b/1024:.1f} | {a/1024:.1f} | {gw:.1f} |")
print(f"| PostgreSQL 15 (PSS, all processes) | {pn} | {pb/1024:.1f} | {pa/1024:.1f} | {pg:.1f} |")
print(f"\nratio gateway/PostgreSQL per session: {gw/pg:.2f}")
PY
