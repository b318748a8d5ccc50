"""The ODBC backend when its target goes away: PostgreSQL (behind psqlODBC) is restarted under
a running gateway. The session whose transaction was on the lost connection gets 08006 and can
roll back and go on; new sessions succeed once the target is back, without a gateway restart;
no committed row is lost and the uncommitted one is gone."""

import os
import time

import pytest

from conftest import BACKEND, PG_BINDIR, TARGET

pytestmark = pytest.mark.skipif(
    TARGET != "gateway" or BACKEND != "odbc-postgres",
    reason="restarts the PostgreSQL behind the ODBC backend (PGW_BACKEND=odbc-postgres)")

RECOVERY_BUDGET_S = 40.0


def _restart(backing):
    log = os.path.join(backing.tmpdir, "postgres.log")  # -l: the pipe must not stay open
    r = backing._run([os.path.join(PG_BINDIR, "pg_ctl"), "-D", backing.datadir, "-l", log,
                      "-m", "fast", "-w", "-t", "30", "restart"], timeout=45)
    assert r.returncode == 0, f"pg_ctl restart failed: {r.stdout}\n{r.stderr}"


@pytest.mark.budget(90)
def test_target_restart_gives_08006_then_recovers_without_losing_commits(target, connect3,
                                                                        fresh_table, endpoint):
    import psycopg
    from psycopg import errors
    table = fresh_table()
    setup = connect3(autocommit=True)
    setup.execute(f"CREATE TABLE {table} (id int PRIMARY KEY)")
    for i in range(1, 11):
        setup.execute(f"INSERT INTO {table} VALUES (%s)", [i])
    setup.close()

    inflight = connect3()
    inflight.execute(f"INSERT INTO {table} VALUES (11)")  # open transaction, not committed

    _restart(target.backing)

    with pytest.raises(errors.ConnectionFailure) as exc:
        inflight.execute(f"SELECT count(*) FROM {table}")
    assert exc.value.sqlstate == "08006"
    inflight.rollback()

    # New sessions: refused (08006) while the pool backs off, then served again.
    deadline = time.monotonic() + RECOVERY_BUDGET_S
    count = None
    last = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(endpoint.dsn(), autocommit=True) as conn:
                count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            break
        except psycopg.Error as e:
            last = e
            time.sleep(0.2)
    assert count is not None, f"no session succeeded within {RECOVERY_BUDGET_S} s: {last}"
    assert count == 10, "committed rows must survive, the uncommitted one must not"

    # The session that lost its connection goes on with a fresh one.
    inflight.execute(f"INSERT INTO {table} VALUES (12)")
    inflight.commit()
    assert inflight.execute(f"SELECT max(id), count(*) FROM {table}").fetchone() == (12, 11)
