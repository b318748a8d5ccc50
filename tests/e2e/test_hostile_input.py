"""Hostile input, end to end: every bad input below gets PostgreSQL's answer, and the server
keeps serving another session meanwhile (checked after every case).

Runs against both targets with the same expectations; where the gateway answers differently
from PostgreSQL 15, the case says so (`differs`) and checks each server's own answer. Each case
is one row of CASES: (id, what is sent, expected answer). Answers:
  ("error", SQLSTATE, message)   ErrorResponse (ERROR), then the session goes on (ReadyForQuery)
  ("fatal", SQLSTATE, message)   FATAL ErrorResponse, then the connection is closed
  ("closed",)                    the connection is closed without an answer
  ("ignored",)                   no answer at all; the session then answers a query normally
Messages may be None where only the SQLSTATE is pinned.
"""

import socket
import struct
import time

import psycopg
import pytest

import rawpg
from conftest import DBNAME, TARGET, TRUST_USER, GatewayProcess
from rawpg import cstr, error_fields

READ_TIMEOUT = 10.0


def msg(t, payload=b""):
    return t.encode() + struct.pack("!I", len(payload) + 4) + payload


def startup_packet(params, version=rawpg.PROTOCOL_V3, terminator=True):
    body = struct.pack("!I", version)
    for k, v in params.items():
        body += cstr(k) + (v if isinstance(v, bytes) else cstr(v))
    if terminator:
        body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def parse(name, sql, oids=()):
    return msg("P", cstr(name) + (sql if isinstance(sql, bytes) else cstr(sql)) +
               struct.pack(f"!H{len(oids)}I", len(oids), *oids))


def bind(portal, stmt, params=(), count=None, tail=b"\0\0"):
    body = cstr(portal) + cstr(stmt) + struct.pack("!H", 0)
    body += struct.pack("!H", len(params) if count is None else count)
    for p in params:
        body += struct.pack("!i", len(p)) + p
    return msg("B", body + tail)


SYNC = msg("S")
QUERY_1 = msg("Q", cstr("SELECT 1"))


class Answer:
    """What the server sent back, read until ReadyForQuery, close, or quiet."""

    def __init__(self, msgs, closed):
        self.msgs = msgs
        self.closed = closed

    @property
    def errors(self):
        return [error_fields(b) for t, b in self.msgs if t == "E"]

    def describe(self):
        return f"{[t for t, _ in self.msgs]} closed={self.closed} errors={self.errors}"


def read_raw(conn):
    """Every byte until the server closes the connection."""
    data = conn.buf
    try:
        while True:
            chunk = conn.sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    answer = Answer([], True)
    answer.raw = data
    return answer


def read_answer(conn, quiet=None):
    """Messages until ReadyForQuery or EOF; with `quiet`, also stop after that many seconds
    without data (used for inputs PostgreSQL ignores)."""
    msgs = []
    conn.sock.settimeout(quiet or READ_TIMEOUT)
    try:
        while True:
            m = conn.read()
            msgs.append(m)
            if m[0] == "Z":
                return Answer(msgs, False)
    except socket.timeout:
        if quiet is None:
            raise
        return Answer(msgs, False)
    except (ConnectionError, OSError):
        return Answer(msgs, True)
    finally:
        conn.sock.settimeout(READ_TIMEOUT)


def logged_in(endpoint):
    conn = rawpg.RawConnection(endpoint.host, endpoint.port, timeout=READ_TIMEOUT)
    msgs = conn.startup(endpoint.user, endpoint.dbname)
    assert msgs[-1] == ("Z", b"I"), msgs[-1]
    return conn


def check(answer, expected, what):
    kind = expected[0]
    if kind == "raw":
        assert answer.raw.startswith(expected[1]), f"{what}: {answer.raw[:200]!r}"
        return
    errs = answer.errors
    if kind == "closed":
        assert answer.closed and not answer.msgs, f"{what}: {answer.describe()}"
        return
    if kind == "ignored":
        assert not answer.msgs and not answer.closed, f"{what}: {answer.describe()}"
        return
    assert errs, f"{what}: no ErrorResponse: {answer.describe()}"
    code, message = expected[1], expected[2]
    assert errs[0].get("C") == code, f"{what}: {errs[0]}"
    if message is not None:
        assert errs[0].get("M") == message, f"{what}: {errs[0]}"
    if kind == "fatal":
        assert errs[0].get("S") == "FATAL", f"{what}: {errs[0]}"
        assert answer.closed, f"{what}: connection left open after FATAL: {answer.describe()}"
    else:
        assert errs[0].get("S") == "ERROR", f"{what}: {errs[0]}"
        assert not answer.closed and answer.msgs[-1] == ("Z", b"I"), \
            f"{what}: session did not go on: {answer.describe()}"


# (id, phase, bytes to send, expected on PostgreSQL, expected on the gateway or None = same)
# phase "startup": sent as the first bytes of a new connection; "session": after login.
CASES = [
    # ---- frames
    ("length-below-4", "session", b"Q" + struct.pack("!I", 3), ("closed",),
     ("fatal", "08P01", "invalid message length")),
    ("length-zero", "session", b"Q" + struct.pack("!I", 0), ("closed",),
     ("fatal", "08P01", "invalid message length")),
    ("length-over-limit", "session", b"Q" + struct.pack("!I", 0x7FFFFFF0) + b"SELECT 1",
     ("closed",), ("fatal", "08P01", None)),
    ("unknown-message-type", "session", msg("Z", b""),
     ("fatal", "08P01", "invalid frontend message type 90"), None),
    ("unknown-type-byte-0xff", "session", b"\xff" + struct.pack("!I", 4),
     ("fatal", "08P01", "invalid frontend message type 255"), None),
    ("password-after-login", "session", msg("p", cstr("secret")),
     ("fatal", "08P01", "invalid frontend message type 112"), None),
    # ---- messages in the wrong state
    ("bind-before-parse-unnamed", "session", bind("", "") + SYNC,
     ("error", "26000", "unnamed prepared statement does not exist"), None),
    ("bind-before-parse-named", "session", bind("", "nope") + SYNC,
     ("error", "26000", 'prepared statement "nope" does not exist'), None),
    ("execute-missing-portal", "session", msg("E", cstr("ghost") + struct.pack("!i", 0)) + SYNC,
     ("error", "34000", 'portal "ghost" does not exist'), None),
    ("describe-missing-statement", "session", msg("D", b"S" + cstr("ghost")) + SYNC,
     ("error", "26000", 'prepared statement "ghost" does not exist'), None),
    ("describe-bad-subtype", "session", msg("D", b"X" + cstr("")) + SYNC,
     ("error", "08P01", "invalid DESCRIBE message subtype 88"), None),
    ("close-bad-subtype", "session", msg("C", b"X" + cstr("")) + SYNC,
     ("error", "08P01", "invalid CLOSE message subtype 88"), None),
    ("copydata-outside-copy", "session", msg("d", b"1\t2\n"), ("ignored",), None),
    ("copydone-outside-copy", "session", msg("c"), ("ignored",), None),
    ("copyfail-outside-copy", "session", msg("f", cstr("oops")), ("ignored",), None),
    ("query-during-startup", "startup", QUERY_1, ("closed",),
     ("fatal", "08P01", "invalid length of startup packet")),
    ("query-during-sasl", "sasl", QUERY_1,
     ("fatal", "08P01", "expected SASL response, got message type 81"), None),
    # ---- truncated messages (length word right, body cut short or malformed)
    ("query-without-terminator", "session", msg("Q", b"SELECT 1"),
     ("error", "08P01", "invalid string in message"), None),
    ("parse-truncated-param-types", "session",
     msg("P", cstr("") + cstr("SELECT $1") + struct.pack("!H", 3) + b"\0\0") + SYNC,
     ("error", "08P01", "insufficient data left in message"), None),
    ("bind-truncated-value", "session",
     parse("", "SELECT $1::text") + bind("", "", count=1, tail=struct.pack("!i", 100) + b"ab")
     + SYNC,
     ("error", "08P01", "insufficient data left in message"), None),
    ("execute-trailing-bytes", "session",
     parse("", "SELECT 1") + bind("", "") +
     msg("E", cstr("") + struct.pack("!i", 0) + b"junk") + SYNC,
     ("error", "08P01", "invalid message format"), None),
    ("sync-with-body", "session", msg("S", b"x"),
     ("error", "08P01", "invalid message format"), None),
    # ---- NUL inside strings
    ("nul-inside-query", "session", msg("Q", b"SELECT 1\0; SELECT 2\0"),
     ("error", "08P01", "invalid message format"), None),
    ("nul-inside-parse-query", "session",
     msg("P", cstr("") + b"SELECT 'a\0b'\0" + struct.pack("!H", 0)) + SYNC,
     ("error", "08P01", None), None),
    # ---- invalid UTF-8
    ("invalid-utf8-in-literal", "session", msg("Q", b"SELECT 'ab\xffcd'\0"),
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xff'), None),
    ("invalid-utf8-in-identifier", "session", msg("Q", b'SELECT 1 AS "a\xc3\x28b"\0'),
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xc3 0x28'), None),
    ("overlong-utf8", "session", msg("Q", b"SELECT '\xc0\xaf'\0"),
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xc0 0xaf'), None),
    ("utf8-surrogate", "session", msg("Q", b"SELECT '\xed\xa0\x80'\0"),
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xed 0xa0 0x80'), None),
    ("invalid-utf8-in-parse", "session",
     msg("P", cstr("") + b"SELECT '\xfe'\0" + struct.pack("!H", 0)) + SYNC,
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xfe'), None),
    ("invalid-utf8-in-bind-text-param", "session",
     parse("", "SELECT $1::text") + bind("", "", [b"\xff\xfe"]) + SYNC,
     ("error", "22021", 'invalid byte sequence for encoding "UTF8": 0xff'), None),
    # ---- huge parameter counts
    ("bind-claims-65535-params", "session",
     parse("", "SELECT $1::int") + bind("", "", count=65535, tail=b"") + SYNC,
     ("error", "08P01", "bind message supplies 65535 parameters, but prepared statement \"\" "
                        "requires 1"), None),
    ("bind-too-few-params", "session",
     parse("", "SELECT $1::int + $2::int") + bind("", "", [b"1"]) + SYNC,
     ("error", "08P01", "bind message supplies 1 parameters, but prepared statement \"\" "
                        "requires 2"), None),
    # ---- startup packets
    # PostgreSQL answers a 2.0 client in the 2.0 format ('E' and a bare string, no length word);
    # the gateway answers in the v3 format. Same text, same SQLSTATE (v2 has no field for it).
    ("startup-protocol-2", "startup", startup_packet({"user": TRUST_USER}, version=2 << 16),
     ("raw", b"E" + b"FATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0"),
     ("fatal", "0A000", "unsupported frontend protocol 2.0: server supports 3.0 to 3.0")),
    ("startup-no-user", "startup", startup_packet({"database": DBNAME}),
     ("fatal", "28000", "no PostgreSQL user name specified in startup packet"), None),
    ("startup-no-terminator", "startup", startup_packet({"user": TRUST_USER}, terminator=False),
     ("fatal", "08P01", "invalid startup packet layout: expected terminator as last byte"), None),
    ("startup-length-below-8", "startup", struct.pack("!I", 4), ("closed",),
     ("fatal", "08P01", "invalid length of startup packet")),
]


def send_case(endpoint, phase, data):
    if phase == "startup":
        conn = rawpg.RawConnection(endpoint.host, endpoint.port, timeout=READ_TIMEOUT)
    elif phase == "sasl":
        conn = rawpg.RawConnection(endpoint.host, endpoint.port, timeout=READ_TIMEOUT)
    else:
        conn = logged_in(endpoint)
    conn.send_raw(data)
    return conn


def expected_for(case):
    _, _, _, on_postgres, on_gateway = case
    if TARGET == "gateway" and on_gateway is not None:
        return on_gateway
    return on_postgres


@pytest.fixture
def bystander(endpoint, watchdog):
    """Another session that must keep being served while the hostile input goes on."""
    conn = watchdog.register(psycopg.connect(endpoint.dsn(), autocommit=True))
    yield conn
    conn.close()


@pytest.mark.parametrize("case", [c for c in CASES if c[3] is not None and c[1] != "sasl"],
                         ids=[c[0] for c in CASES if c[3] is not None and c[1] != "sasl"])
def test_bad_input(endpoint, bystander, case):
    name, phase, data, _, _ = case
    expected = expected_for(case)
    conn = send_case(endpoint, phase, data)
    try:
        if expected[0] == "raw":
            answer = read_raw(conn)
        else:
            answer = read_answer(conn, quiet=1.0 if expected[0] == "ignored" else None)
        check(answer, expected, name)
        if not answer.closed:
            conn.send_raw(QUERY_1)  # the session goes on normally
            after = read_answer(conn)
            assert [t for t, _ in after.msgs] == ["T", "D", "C", "Z"], after.describe()
    finally:
        conn.close()
    assert bystander.execute("SELECT 2").fetchone() == (2,)


def scram_target(target):
    return target.scram_endpoint()


def test_query_during_sasl_exchange(target, bystander):
    ep = target.scram_endpoint()
    conn = rawpg.RawConnection(ep.host, ep.port, timeout=READ_TIMEOUT)
    try:
        conn.send_raw(startup_packet({"user": ep.user, "database": ep.dbname}))
        t, body = conn.read()
        assert t == "R" and struct.unpack("!i", body[:4])[0] == 10, (t, body)
        conn.send_raw(QUERY_1)
        check(read_answer(conn), ("fatal", "08P01", "expected SASL response, got message type 81"),
              "query during SASL")
    finally:
        conn.close()
    assert bystander.execute("SELECT 3").fetchone() == (3,)


def test_65535_parameters_are_accepted(endpoint, bystander):
    n = 65535
    sql = "SELECT " + "+".join(f"${i}" for i in range(1, 51)) + " AS s"
    # The statement uses 50 parameters, declares 65535 of them (PostgreSQL's maximum), and the
    # Bind supplies all 65535: both servers accept it.
    conn = logged_in(endpoint)
    try:
        conn.send_raw(parse("", sql, [23] * n) + bind("", "", [b"1"] * n) +
                      msg("E", cstr("") + struct.pack("!i", 0)) + SYNC)
        answer = read_answer(conn)
        assert not answer.errors, answer.describe()
        rows = [rawpg.data_row(b) for t, b in answer.msgs if t == "D"]
        assert rows == [[b"50"]], answer.describe()
    finally:
        conn.close()
    assert bystander.execute("SELECT 4").fetchone() == (4,)


@pytest.mark.parametrize("shape", ["parens", "functions", "unary-minus", "arrays", "subselects"])
def test_10000_deep_nesting(connect3, bystander, shape):
    depth = 10000
    sql = {
        "parens": "SELECT " + "(" * depth + "1" + ")" * depth,
        "functions": "SELECT " + "abs(" * depth + "1" + ")" * depth,
        "unary-minus": "SELECT " + "- " * depth + "1",
        "arrays": "SELECT " + "ARRAY[" * depth + "1" + "]" * depth,
        "subselects": "SELECT " + "(SELECT " * depth + "1" + ")" * depth,
    }[shape]
    conn = connect3(autocommit=True)
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql)
    # PostgreSQL 15: 42601 "memory exhausted" from its parser stack, or 54001 "stack depth
    # limit exceeded". The gateway parses with the same grammar.
    assert info.value.sqlstate in ("42601", "54001", "54000"), \
        f"{shape}: {info.value.sqlstate} {info.value}"
    assert conn.execute("SELECT 1").fetchone() == (1,)
    assert bystander.execute("SELECT 5").fetchone() == (5,)


def test_truncated_frame_then_client_vanishes(endpoint, bystander):
    """Half a message, then the client closes its side: the server ends the session quietly."""
    conn = logged_in(endpoint)
    try:
        conn.send_raw(b"Q" + struct.pack("!I", 100) + b"SELECT")
        conn.sock.shutdown(socket.SHUT_WR)
        answer = read_answer(conn)
        assert answer.closed and not answer.msgs, answer.describe()
    finally:
        conn.close()
    assert bystander.execute("SELECT 6").fetchone() == (6,)


def test_truncated_frame_at_every_offset(endpoint, bystander):
    """A Query sent in two parts split at every offset is answered exactly once, correctly."""
    data = msg("Q", cstr("SELECT 42"))
    conn = logged_in(endpoint)
    try:
        for cut in range(1, len(data)):
            conn.send_raw(data[:cut])
            time.sleep(0.002)
            conn.send_raw(data[cut:])
            answer = read_answer(conn)
            rows = [rawpg.data_row(b) for t, b in answer.msgs if t == "D"]
            assert rows == [[b"42"]], (cut, answer.describe())
    finally:
        conn.close()
    assert bystander.execute("SELECT 7").fetchone() == (7,)


# ----------------------------------------------------------------------------------------
# Slowloris: a client that trickles its startup packet is disconnected at
# authentication_timeout, while others are served.

SLOW_AUTH_TIMEOUT = 2


@pytest.fixture
def slow_server(target, tmp_path):
    """(endpoint host, port) of a server with authentication_timeout = 2 s."""
    if TARGET == "gateway":
        gw = GatewayProcess(str(tmp_path), "slow", "sqlite:" + str(tmp_path / "slow.db"), "trust",
                            str(tmp_path / "users"))
        gw.args += ["--authentication-timeout", str(SLOW_AUTH_TIMEOUT)]
        gw.start()
        yield "127.0.0.1", gw.port
        gw.stop()
        return
    admin = target.main.dsn(user="postgres", dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f"ALTER SYSTEM SET authentication_timeout = '{SLOW_AUTH_TIMEOUT}s'")
        c.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)
    yield target.main.host, target.main.port
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute("ALTER SYSTEM RESET authentication_timeout")
        c.execute("SELECT pg_reload_conf()")


@pytest.mark.budget(30)
def test_slowloris_startup_is_cut_at_authentication_timeout(slow_server, watchdog):
    host, port = slow_server
    packet = startup_packet({"user": TRUST_USER, "database": DBNAME, "application_name": "x" * 200})
    slow = [socket.create_connection((host, port), timeout=READ_TIMEOUT) for _ in range(5)]
    t0 = time.monotonic()
    closed_after = [None] * len(slow)
    sent = 0
    try:
        # One byte per 0.1 s from each slow client, bounded in count and time.
        while sent < len(packet) - 1 and time.monotonic() - t0 < 15:
            for i, s in enumerate(slow):
                if closed_after[i] is not None:
                    continue
                try:
                    s.sendall(packet[sent:sent + 1])
                except OSError:
                    closed_after[i] = time.monotonic() - t0
            sent += 1
            if all(c is not None for c in closed_after):
                break
            # Meanwhile a normal client logs in and queries.
            if sent % 10 == 0:
                with psycopg.connect(f"host={host} port={port} dbname={DBNAME} user={TRUST_USER} "
                                     "sslmode=disable connect_timeout=5") as c:
                    watchdog.register(c)
                    assert c.execute("SELECT 8").fetchone() == (8,)
            time.sleep(0.1)
        for i, s in enumerate(slow):
            if closed_after[i] is None:
                s.settimeout(5)
                try:
                    data = s.recv(100)
                    assert data == b"", f"slow client {i} got data {data!r}"
                except ConnectionResetError:
                    pass
                closed_after[i] = time.monotonic() - t0
    finally:
        for s in slow:
            s.close()
    # Every slow client was cut off before it could finish its packet.
    assert sent < len(packet) - 1, "a slow client finished its startup packet"
    assert all(c is not None and c >= SLOW_AUTH_TIMEOUT * 0.9 for c in closed_after), closed_after


# ----------------------------------------------------------------------------------------
# A client that disappears mid-transaction: its transaction is rolled back and its locks
# released, so the other sessions proceed.


def vanish(conn):
    """Drops the connection without Terminate (as a crashed client or a cut cable would)."""
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()


@pytest.mark.parametrize("when", ["idle-in-transaction", "mid-statement"])
def test_client_vanishes_mid_transaction(endpoint, fresh_table, watchdog, when):
    table = fresh_table()
    with psycopg.connect(endpoint.dsn(), autocommit=True) as setup:
        watchdog.register(setup)
        setup.execute(f"CREATE TABLE {table} (v int)")
    conn = logged_in(endpoint)
    conn.send_raw(msg("Q", cstr(f"BEGIN; INSERT INTO {table} VALUES (1)")))
    assert read_answer(conn).msgs[-1] == ("Z", b"T")
    if when == "mid-statement":
        conn.send_raw(msg("Q", cstr(f"INSERT INTO {table} SELECT 2 FROM pg_sleep(1)")))
        time.sleep(0.2)
    vanish(conn)
    # Another session writes (on SQLite this needs the vanished session's write lock) and sees
    # none of the vanished transaction's rows.
    with psycopg.connect(endpoint.dsn(), autocommit=True) as c:
        watchdog.register(c)
        c.execute(f"INSERT INTO {table} VALUES (3)")
        rows = c.execute(f"SELECT v FROM {table} ORDER BY v").fetchall()
    assert rows == [(3,)], f"the vanished client's rows survived: {rows}"
