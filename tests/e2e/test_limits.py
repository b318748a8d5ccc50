"""Server limits and shutdown: connection cap, SIGTERM handling, oversized messages, deep nesting.

Gateway only: every test starts its own iris-pgwire process (ephemeral port, own SQLite file,
--auth trust) with the flags it needs, and signals it; the expectations are PostgreSQL's:
  53300 "sorry, too many clients already" past max_connections, the slot freed on disconnect;
  57P01 "terminating connection due to administrator command" on shutdown;
  08P01 (FATAL, connection closed) for a message length word past the limit and for a startup
  packet past 10000 bytes (PostgreSQL only closes the connection there; both are accepted).
Each test is bounded (watchdog budget, socket timeouts, process waits with timeouts).
"""

import os
import signal
import socket
import struct
import subprocess
import time

import psycopg
import pytest

import rawpg
from conftest import DBNAME, TARGET, TRUST_USER, GatewayProcess
from rawpg import command_tag, data_row, error_fields

pytestmark = pytest.mark.skipif(
    TARGET != "gateway",
    reason="gateway-only: these tests start and SIGTERM their own iris-pgwire processes "
           "with special flags (--max-connections, --shutdown-grace-seconds)")

EXIT_TIMEOUT = 10.0          # a stopped gateway must be gone by then (beyond its grace)
SLOT_RELEASE_TIMEOUT = 5.0   # a closed session frees its connection slot within this
SHORT_READ_TIMEOUT = 5.0
LOG_TAIL = 4000


class LimitGateway:
    """One gateway process for one test: extra flags, own temp dir, killed at teardown."""

    def __init__(self, tmpdir, extra_args):
        self.proc = GatewayProcess(str(tmpdir), "limits", "sqlite:" + os.path.join(
            str(tmpdir), "limits.db"), "trust", os.path.join(str(tmpdir), "users"))
        self.proc.args += [str(a) for a in extra_args]
        self.host = "127.0.0.1"
        self.port = None

    def start(self):
        self.proc.start()
        self.port = self.proc.port
        return self

    @property
    def popen(self):
        return self.proc.proc

    def dsn(self, **extra):
        params = dict(host=self.host, port=self.port, dbname=DBNAME, user=TRUST_USER,
                      connect_timeout=5, sslmode="disable")
        params.update(extra)
        return " ".join(f"{k}={v}" for k, v in params.items())

    def connect(self, watchdog, **kw):
        conn = psycopg.connect(self.dsn(), autocommit=True, **kw)
        return watchdog.register(conn)

    def raw(self, timeout=rawpg.READ_TIMEOUT):
        return rawpg.RawConnection(self.host, self.port, timeout=timeout)

    def raw_session(self, timeout=rawpg.READ_TIMEOUT):
        conn = self.raw(timeout)
        msgs = conn.startup(TRUST_USER, DBNAME)
        assert msgs[-1] == ("Z", b"I"), f"startup failed: {msgs[-1]}{self.ctx()}"
        return conn

    def sigterm(self):
        self.popen.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout=EXIT_TIMEOUT):
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def log(self):
        try:
            with open(self.proc.log, "rb") as f:
                data = f.read()
            return data[-LOG_TAIL:].decode("utf-8", "replace")
        except OSError as e:
            return f"<no log: {e}>"

    def ctx(self):
        return f"\n--- gateway log ---\n{self.log()}"

    def kill(self):
        p = self.popen
        if p is not None and p.poll() is None:
            p.kill()
            p.wait(timeout=10)


@pytest.fixture
def gateway(tmp_path):
    """gateway(*extra_args) -> started LimitGateway; killed after the test if still running."""
    started = []

    def make(*extra_args):
        gw = LimitGateway(tmp_path, extra_args)
        started.append(gw)
        return gw.start()

    yield make
    for gw in started:
        gw.kill()


def fatal_of(msgs):
    """The fields of the first ErrorResponse in msgs (None if there is none)."""
    for t, body in msgs:
        if t == "E":
            return error_fields(body)
    return None


def read_to_close(conn):
    """Every message until the server closes the connection (bounded by the socket timeout)."""
    msgs = []
    try:
        while True:
            msgs.append(conn.read())
    except (ConnectionError, OSError):
        pass
    return msgs


def assert_closed(conn, what):
    """The server has closed conn: the next read sees EOF (or a reset), not a timeout."""
    try:
        extra = conn.read()
    except socket.timeout:
        pytest.fail(f"{what}: connection still open (read timed out)")
    except (ConnectionError, OSError):
        return
    pytest.fail(f"{what}: expected the connection closed, got another message {extra!r}")


def assert_no_new_session(gw, what):
    """A new client cannot get a session: connection refused, closed, or an error at startup."""
    try:
        conn = gw.raw(timeout=SHORT_READ_TIMEOUT)
    except OSError:
        return "refused"
    try:
        try:
            msgs = conn.startup(TRUST_USER, DBNAME)
        except (ConnectionError, OSError):
            return "closed"
        assert msgs[-1][0] == "E", f"{what}: a new session started after SIGTERM: {msgs}"
        return fatal_of(msgs).get("C")
    finally:
        conn.close()


def select_one(conn):
    return conn.execute("SELECT 1").fetchone()[0]


# ----------------------------------------------------------------------------------------
# max_connections


@pytest.mark.budget(20)
def test_max_connections_rejects_past_limit_and_frees_slot(gateway, watchdog):
    gw = gateway("--max-connections", 3)
    conns = [gw.connect(watchdog) for _ in range(3)]
    for c in conns:
        assert select_one(c) == 1

    # The 4th, raw: FATAL 53300 and the connection is closed.
    raw = gw.raw(timeout=SHORT_READ_TIMEOUT)
    try:
        msgs = raw.startup(TRUST_USER, DBNAME)
        fields = fatal_of(msgs)
        assert fields is not None, f"4th connection was not refused: {msgs}{gw.ctx()}"
        assert fields.get("C") == "53300", fields
        assert fields.get("S") == "FATAL" and fields.get("V") == "FATAL", fields
        assert fields.get("M") == "sorry, too many clients already", fields
        assert_closed(raw, "after 53300")
    finally:
        raw.close()

    # The 4th, through libpq: the same message.
    with pytest.raises(psycopg.OperationalError) as exc_info:
        gw.connect(watchdog)
    assert "sorry, too many clients already" in str(exc_info.value)

    # The refused attempts did not disturb the admitted sessions.
    for c in conns:
        assert select_one(c) == 1

    # Closing one session frees its slot (asynchronously: retry only on 53300, bounded).
    conns.pop().close()
    deadline = time.monotonic() + SLOT_RELEASE_TIMEOUT
    while True:
        try:
            conns.append(gw.connect(watchdog))
            break
        except psycopg.OperationalError as e:
            if "too many clients" not in str(e) or time.monotonic() > deadline:
                raise AssertionError(f"slot not released after close: {e}{gw.ctx()}")
            time.sleep(0.05)
    for c in conns:
        assert select_one(c) == 1
    # And the limit still holds with the new session in.
    with pytest.raises(psycopg.OperationalError, match="sorry, too many clients already"):
        gw.connect(watchdog)
    for c in conns:
        c.close()


# ----------------------------------------------------------------------------------------
# SIGTERM


@pytest.mark.budget(20)
def test_sigterm_idle_session_gets_57p01_and_server_exits(gateway):
    # The grace period is far longer than the read timeout: an idle session that waited for it
    # would get nothing before the read times out.
    gw = gateway("--shutdown-grace-seconds", 60)
    idle = gw.raw_session(timeout=SHORT_READ_TIMEOUT)
    try:
        gw.sigterm()
        msgs = read_to_close(idle)
        assert msgs, f"idle session got nothing before the close{gw.ctx()}"
        t, body = msgs[0]
        assert t == "E", f"expected ErrorResponse, got {msgs}"
        fields = error_fields(body)
        assert fields.get("C") == "57P01", fields
        assert fields.get("S") == "FATAL" and fields.get("V") == "FATAL", fields
        assert fields.get("M") == "terminating connection due to administrator command", fields
        assert len(msgs) == 1, f"messages after the FATAL: {msgs[1:]}"
        assert_no_new_session(gw, "idle shutdown")
    finally:
        idle.close()
    rc = gw.wait_exit()
    assert rc == 0, f"gateway exit status {rc} (None = still running){gw.ctx()}"
    with pytest.raises(OSError):
        socket.create_connection((gw.host, gw.port), timeout=2).close()


@pytest.mark.budget(20)
def test_sigterm_running_statement_completes_within_grace(gateway):
    # Grace far longer than the read timeout: a session kept open until the grace period ended
    # would time out without the FATAL, and the message check below fails.
    gw = gateway("--shutdown-grace-seconds", 60)
    conn = gw.raw_session(timeout=SHORT_READ_TIMEOUT + 5)
    try:
        conn.query("SELECT pg_sleep(1) AS slept, 42 AS answer")
        time.sleep(0.3)  # the statement is running
        gw.sigterm()
        time.sleep(0.2)
        # While the statement still runs, no new session is admitted.
        refused = assert_no_new_session(gw, "shutdown with a running statement")
        assert gw.popen.poll() is None, "gateway exited before the running statement finished"
        msgs = read_to_close(conn)
        types = "".join(t for t, _ in msgs)
        # PostgreSQL order: the statement's result, then (idle again) the shutdown FATAL.
        assert types in ("TDCZE", "TDCE"), f"messages {types}: {msgs}{gw.ctx()}"
        rows = [data_row(b) for t, b in msgs if t == "D"]
        # Only the second column: the void value is checked by test_pg_sleep_void_is_empty_text.
        assert len(rows) == 1 and rows[0][1] == b"42", rows
        assert command_tag(msgs[2][1]) == "SELECT 1"
        fields = error_fields(msgs[-1][1])
        assert fields.get("C") == "57P01", fields
        assert fields.get("S") == "FATAL", fields
        assert fields.get("M") == "terminating connection due to administrator command", fields
    finally:
        conn.close()
    rc = gw.wait_exit()
    assert rc == 0, f"gateway exit status {rc} (None = still running){gw.ctx()}"
    assert refused is not None


@pytest.mark.budget(20)
def test_pg_sleep_void_is_empty_text(gateway, watchdog):
    """Found by the SIGTERM test above, which runs pg_sleep through the raw client."""
    gw = gateway()
    conn = gw.raw_session(timeout=SHORT_READ_TIMEOUT)
    try:
        conn.query("SELECT pg_sleep(0)")
        msgs = conn.read_until()
        assert [t for t, _ in msgs] == ["T", "D", "C", "Z"], msgs
        assert data_row(msgs[1][1]) == [b""], msgs[1]
    finally:
        conn.close()


@pytest.mark.budget(20)
def test_sigterm_grace_exceeded_cancels_statement(gateway):
    gw = gateway("--shutdown-grace-seconds", 1)
    conn = gw.raw_session(timeout=10)
    try:
        conn.query("SELECT pg_sleep(30)")
        time.sleep(0.3)
        gw.sigterm()
        # The read timeout (10 s) is shorter than the sleep (30 s): without the cancel at the end
        # of the grace period no error would arrive before it.
        msgs = read_to_close(conn)
        errors = [error_fields(b) for t, b in msgs if t == "E"]
        assert errors, f"no error after the grace period: {msgs}{gw.ctx()}"
        codes = [e.get("C") for e in errors]
        assert set(codes) <= {"57014", "57P01"}, errors
        assert codes[-1] == "57P01" or codes == ["57014"], errors
        assert not any(t == "D" for t, _ in msgs), f"pg_sleep(30) returned a row: {msgs}"
    finally:
        conn.close()
    rc = gw.wait_exit(timeout=5)
    assert rc == 0, f"gateway exit status {rc} (None = still running){gw.ctx()}"


# ----------------------------------------------------------------------------------------
# Oversized input


MESSAGE_LIMIT = 256 << 20


@pytest.mark.budget(20)
@pytest.mark.parametrize("length_word", [MESSAGE_LIMIT + 1024, 0x7FFFFFFF, 0xFFFFFFF0],
                         ids=["256MiB+1KiB", "int32-max", "uint32-huge"])
def test_message_length_over_limit_is_fatal_08p01(gateway, watchdog, length_word):
    gw = gateway()
    other = gw.connect(watchdog)
    conn = gw.raw_session(timeout=SHORT_READ_TIMEOUT)
    try:
        # Only the header and a few body bytes: the length word alone must be refused.
        conn.send_raw(b"Q" + struct.pack("!I", length_word) + b"SELECT 1")
        msgs = read_to_close(conn)
        fields = fatal_of(msgs)
        assert fields is not None, f"no ErrorResponse for length {length_word}: {msgs}{gw.ctx()}"
        assert fields.get("C") == "08P01", fields
        assert fields.get("S") == "FATAL", fields
        assert [t for t, _ in msgs] == ["E"], msgs
    finally:
        conn.close()
    assert select_one(other) == 1
    with psycopg.connect(gw.dsn(), autocommit=True) as fresh:
        watchdog.register(fresh)
        assert select_one(fresh) == 1


def startup_packet(total_length):
    """A StartupMessage of exactly total_length bytes (length word included), padded with an
    application_name value."""
    base = (struct.pack("!I", rawpg.PROTOCOL_V3) + rawpg.cstr("user") + rawpg.cstr(TRUST_USER)
            + rawpg.cstr("database") + rawpg.cstr(DBNAME) + rawpg.cstr("application_name"))
    pad = total_length - 4 - len(base) - 2
    assert pad > 0
    body = base + b"a" * pad + b"\0\0"
    packet = struct.pack("!I", len(body) + 4) + body
    assert len(packet) == total_length
    return packet


def refused_startup(gw, data):
    """Sends data as the startup phase; returns 'closed' or the ErrorResponse fields."""
    conn = gw.raw(timeout=SHORT_READ_TIMEOUT)
    try:
        try:
            conn.send_raw(data)
        except OSError:
            return "closed"
        msgs = read_to_close(conn)
        if not msgs:
            return "closed"
        assert msgs[0][0] == "E", f"oversized startup packet was accepted: {msgs}{gw.ctx()}"
        return error_fields(msgs[0][1])
    finally:
        conn.close()


@pytest.mark.budget(20)
def test_startup_packet_over_10000_bytes_is_refused(gateway, watchdog):
    gw = gateway()
    other = gw.connect(watchdog)
    # PostgreSQL: the packet body (length word excluded) may be at most 10000 bytes.
    version = struct.pack("!I", rawpg.PROTOCOL_V3)
    cases = {
        "length word only, 10005": struct.pack("!I", 10005) + version,
        "length word only, 1 MiB": struct.pack("!I", 1 << 20) + version,
        "whole packet, 10005 bytes": startup_packet(10005),
        "whole packet, 20000 bytes": startup_packet(20000),
    }
    for name, data in cases.items():
        result = refused_startup(gw, data)
        if result != "closed":
            assert result.get("C") == "08P01", (name, result)
            assert result.get("S") == "FATAL", (name, result)
        assert select_one(other) == 1, name
    with psycopg.connect(gw.dsn(), autocommit=True) as fresh:
        watchdog.register(fresh)
        assert select_one(fresh) == 1


@pytest.mark.budget(20)
def test_startup_packet_of_10004_bytes_is_accepted(gateway):
    gw = gateway()
    conn = gw.raw(timeout=SHORT_READ_TIMEOUT)
    try:
        conn.send_raw(startup_packet(10004))
        msgs = conn.read_until(("Z", "E"))
        assert msgs[-1] == ("Z", b"I"), f"startup packet of 10004 bytes refused: {msgs[-1]}"
        conn.query("SELECT 1")
        assert data_row(conn.read_until()[1][1]) == [b"1"]
    except (ConnectionError, OSError) as e:
        pytest.fail(f"startup packet of 10004 bytes: connection closed ({e!r})")
    finally:
        conn.close()


# ----------------------------------------------------------------------------------------
# Deep nesting


@pytest.mark.budget(20)
def test_deeply_nested_expression_errors_and_session_survives(gateway, watchdog):
    gw = gateway()
    conn = gw.connect(watchdog)
    other = gw.connect(watchdog)
    depth = 10000
    sql = "SELECT " + "(" * depth + "1" + ")" * depth
    with pytest.raises(psycopg.Error) as exc_info:
        conn.execute(sql)
    err = exc_info.value
    # PostgreSQL 15 answers 42601 "memory exhausted at or near "("" (its parser stack);
    # 54001 "stack depth limit exceeded" is the other acceptable answer.
    assert err.sqlstate in ("54001", "42601"), \
        f"got SQLSTATE {err.sqlstate}: {err}{gw.ctx()}"
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert select_one(conn) == 1, f"session unusable after {err.sqlstate}"
    assert select_one(other) == 1
    # A moderately nested one still works (the limit is not absurdly low).
    assert conn.execute("SELECT " + "(" * 100 + "7" + ")" * 100).fetchone()[0] == 7
    print(f"deep nesting answered SQLSTATE {err.sqlstate}: {str(err).splitlines()[0]}")


# ----------------------------------------------------------------------------------------
# authentication_timeout

def test_client_silent_at_startup_is_disconnected_after_authentication_timeout(gateway):
    gw = gateway("--authentication-timeout", "1")
    # The read timeout (5 s) is longer than authentication_timeout (1 s): the close must come
    # before it.
    idle = gw.raw(timeout=SHORT_READ_TIMEOUT)
    assert_closed(idle, "client that never sent a startup packet")
    # A client that logs in is not affected, even after the timeout has passed.
    conn = gw.raw_session()
    time.sleep(1.5)
    assert select_one_raw(conn) == "SELECT 1", gw.ctx()
    conn.close()


def select_one_raw(conn):
    conn.query("SELECT 1")
    msgs = conn.read_until(("Z",))
    return next(rawpg.command_tag(body) for t, body in msgs if t == "C")
