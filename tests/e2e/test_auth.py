"""SCRAM-SHA-256 authentication: right password, wrong password, unknown user.

A wrong password and an unknown user must be indistinguishable to the client: the same
SASL exchange and the same FATAL 28P01 `password authentication failed for user "x"`.
"""

import psycopg
import pytest

import rawpg
from conftest import SCRAM_PASSWORD, SCRAM_USER, UNKNOWN_USER, run_cmd


def failure_text(user):
    return f'password authentication failed for user "{user}"'


def psql(target, user, password, sql="SELECT current_user"):
    ep = target.scram_endpoint()
    return run_cmd(["psql", "-X", "-w", "-A", "-t", "-c", sql],
                   env=ep.psql_env(user=user, password=password), timeout=30)


def test_psql_right_password(target):
    r = psql(target, SCRAM_USER, SCRAM_PASSWORD)
    assert r.returncode == 0, f"psql failed: {r.stderr}"
    assert r.stdout.strip() == SCRAM_USER


@pytest.mark.parametrize("user,password", [(SCRAM_USER, "not-the-password"),
                                           (UNKNOWN_USER, SCRAM_PASSWORD)],
                         ids=["wrong-password", "unknown-user"])
def test_psql_rejected(target, user, password):
    r = psql(target, user, password)
    assert r.returncode == 2, f"psql exit code {r.returncode}, stderr {r.stderr!r}"
    assert f"FATAL:  {failure_text(user)}" in r.stderr, r.stderr
    assert r.stdout == ""


def test_psycopg_right_password(target, connect3):
    conn = connect3(target.scram_endpoint().dsn())
    assert conn.execute("SELECT current_user, 1 + 1").fetchone() == (SCRAM_USER, 2)


@pytest.mark.parametrize("user,password", [(SCRAM_USER, "not-the-password"),
                                           (UNKNOWN_USER, SCRAM_PASSWORD)],
                         ids=["wrong-password", "unknown-user"])
def test_psycopg_rejected(target, user, password):
    dsn = target.scram_endpoint(user=user, password=password).dsn()
    with pytest.raises(psycopg.OperationalError) as info:
        psycopg.connect(dsn)
    assert failure_text(user) in str(info.value), str(info.value)


def raw_login(target, user, password):
    ep = target.scram_endpoint()
    conn = rawpg.RawConnection(ep.host, ep.port)
    try:
        return conn.startup(user, ep.dbname, password=password)
    finally:
        conn.close()


def test_raw_scram_exchange_verifies_server_signature(target):
    msgs = raw_login(target, SCRAM_USER, SCRAM_PASSWORD)
    types = [m[0] for m in msgs]
    assert types[-1] == "Z", f"login did not reach ReadyForQuery: {types}"
    auth_codes = [int.from_bytes(b[:4], "big") for t, b in msgs if t == "R"]
    assert auth_codes == [10, 11, 12, 0], f"authentication request sequence {auth_codes}"
    sasl = next(b for t, b in msgs if t == "R")
    assert "SCRAM-SHA-256" in rawpg.split_cstrs(sasl[4:])


@pytest.mark.parametrize("user,password", [(SCRAM_USER, "not-the-password"),
                                           (UNKNOWN_USER, SCRAM_PASSWORD)],
                         ids=["wrong-password", "unknown-user"])
def test_raw_failure_is_28P01_after_full_sasl_exchange(target, user, password):
    msgs = raw_login(target, user, password)
    types = [m[0] for m in msgs]
    auth_codes = [int.from_bytes(b[:4], "big") for t, b in msgs if t == "R"]
    assert auth_codes == [10, 11], f"{user}: auth sequence {auth_codes} (must not leak)"
    assert types[-1] == "E", f"expected ErrorResponse last, got {types}"
    fields = rawpg.error_fields(msgs[-1][1])
    assert fields.get("S") == "FATAL" and fields.get("V") == "FATAL"
    assert fields.get("C") == "28P01", fields
    assert fields.get("M") == failure_text(user), fields


def test_server_keeps_serving_after_failures(target, connect3):
    for _ in range(3):
        raw_login(target, UNKNOWN_USER, "x")
    conn = connect3(target.scram_endpoint().dsn())
    assert conn.execute("SELECT 7").fetchone() == (7,)
