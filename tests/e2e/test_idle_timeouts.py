"""idle_in_transaction_session_timeout (25P03) and idle_session_timeout (57P05): a session that
waits too long for its next command, inside or outside a transaction block, is ended with
PostgreSQL's FATAL; a session that keeps working is not. Both targets: PostgreSQL 15 has both
settings. The settings come by SET and by startup options here; the gateway's
--idle-*-timeout flags set the same defaults.
"""

import os

import pytest

import rawpg
from conftest import DBNAME, TARGET, TRUST_USER, Endpoint, GatewayProcess

SHORT = 10.0


def connect(endpoint, options=None):
    conn = rawpg.RawConnection(endpoint.host, endpoint.port, timeout=SHORT)
    msgs = conn.startup(TRUST_USER, DBNAME, options=options)
    assert msgs[-1][0] == "Z", msgs
    return conn


def run(conn, sql):
    conn.query(sql)
    msgs = conn.read_until()
    assert not [m for m in msgs if m[0] == "E"], msgs
    return msgs


def expect_fatal(conn, code, message):
    kind, body = conn.read()  # bounded by the socket timeout
    fields = rawpg.error_fields(body)
    assert kind == "E", (kind, body)
    assert (fields["S"], fields["C"], fields["M"]) == ("FATAL", code, message)
    with pytest.raises((ConnectionError, OSError)):
        conn.read()


def test_idle_in_transaction_timeout_ends_the_session(endpoint):
    conn = connect(endpoint)
    try:
        run(conn, "SET idle_in_transaction_session_timeout = '300ms'")
        run(conn, "SELECT 1")  # outside a transaction the timeout does not apply
        msgs = run(conn, "BEGIN")
        assert msgs[-1] == ("Z", b"T")
        expect_fatal(conn, "25P03", "terminating connection due to idle-in-transaction timeout")
    finally:
        conn.close()


def test_idle_session_timeout_from_startup_options(endpoint):
    conn = connect(endpoint, options={"options": "-c idle_session_timeout=300"})
    try:
        conn.query("SHOW idle_session_timeout")
        rows = [rawpg.data_row(b) for t, b in conn.read_until() if t == "D"]
        assert rows == [[b"300ms"]]
        expect_fatal(conn, "57P05", "terminating connection due to idle-session timeout")
    finally:
        conn.close()


def test_idle_session_timeout_does_not_apply_inside_a_transaction(endpoint):
    conn = connect(endpoint)
    try:
        run(conn, "BEGIN")
        run(conn, "SET idle_session_timeout = '200ms'")
        conn.sock.settimeout(0.8)
        with pytest.raises(TimeoutError):
            conn.read()  # nothing comes: inside a block only the other timeout counts
        conn.sock.settimeout(SHORT)
        msgs = run(conn, "COMMIT")
        assert msgs[-1] == ("Z", b"I")
        expect_fatal(conn, "57P05", "terminating connection due to idle-session timeout")
    finally:
        conn.close()


@pytest.mark.skipif(TARGET == "postgres", reason="the --idle-session-timeout flag is the gateway's")
def test_idle_session_timeout_flag_sets_the_default(target, tmp_path):
    gw = GatewayProcess(str(tmp_path), "idle", "sqlite:" + str(tmp_path / "idle.db"), "trust",
                        os.path.join(target.tmpdir, "users"),
                        extra_args=["--idle-session-timeout", "300"])
    gw.start()
    try:
        conn = connect(Endpoint("127.0.0.1", gw.port, DBNAME, TRUST_USER))
        try:
            expect_fatal(conn, "57P05", "terminating connection due to idle-session timeout")
        finally:
            conn.close()
    finally:
        gw.stop()
