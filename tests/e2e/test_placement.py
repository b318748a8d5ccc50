"""Long statements never stall other sessions (their queries, logins or cancels), and a
statement moved off the I/O thread part-way (its time slice expired after it had produced rows)
returns exactly its result, once.

The gateway runs short read-only statements inline on its I/O threads and moves anything longer
to backend worker threads; logins and cancels have threads of their own (README, "Design
notes"). Worker threads grow with demand, so a statement that needs one never waits for a long
statement to end. These tests hold more long statements at once than the gateway has I/O
threads or warm statement workers, and check by the order of events (never by a time
threshold) that another session's queries, its writes (which always run on a worker thread), a
login and the cancels complete while the long ones still run.
"""

import threading
import time

import pytest

# More long statements at once than there are I/O threads (one per core by default).
LONG_SESSIONS = 4
# Long statements that outlast the short queries on any machine (10^10 rows of CPU, a minute
# of sleep): the test cancels them once the short queries are done, so each must end with 57014
# and none may finish first. LONG_TIMEOUT bounds them should the cancel not arrive.
CPU_QUERY = ("SELECT count(*) FROM generate_series(1, 100000) AS a, "
             "generate_series(1, 100000) AS b")
SLEEP_QUERY = "SELECT pg_sleep(60)"
LONG_TIMEOUT = "40s"
# Rows come quickly until g = 500, whose subquery is long: the statement's time slice expires
# after it has produced rows, which must then be neither lost nor sent twice.
LATE_SLOW = ("SELECT g, (SELECT count(*) FROM generate_series(1, "
             "CASE WHEN g = {slow} THEN 2000000 ELSE 1 END) AS s) AS c "
             "FROM generate_series(1, {n}) AS g")


def _expected_late_slow(n, slow):
    return [(g, 2000000 if g == slow else 1) for g in range(1, n + 1)]


@pytest.mark.budget(60)
def test_long_statements_do_not_stall_other_sessions(connect3):
    import psycopg
    ended = {}
    outcome = {}
    started = threading.Barrier(LONG_SESSIONS + 1, timeout=30)
    conns = [connect3(autocommit=True) for _ in range(LONG_SESSIONS)]
    for conn in conns:
        conn.execute(f"SET statement_timeout = '{LONG_TIMEOUT}'")
    short = connect3(autocommit=True)
    short.execute("CREATE TEMP TABLE placement_short (i int)")

    def run_long(i, conn):
        query = CPU_QUERY if i % 2 == 0 else SLEEP_QUERY
        started.wait()
        try:
            outcome[i] = f"finished: {conn.execute(query).fetchone()[0]!r}"
        except psycopg.errors.QueryCanceled:
            outcome[i] = "canceled"
        except Exception as e:  # reported below, with the others
            outcome[i] = f"failed: {e!r}"
        ended[i] = time.monotonic()

    threads = [threading.Thread(target=run_long, args=(i, c)) for i, c in enumerate(conns)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.3)  # let the long statements start
    for i in range(20):
        assert short.execute("SELECT %s::int + 1", (i,)).fetchone() == (i + 1,)
        assert short.execute("SELECT 'short'").fetchone() == ("short",)
        short.execute("INSERT INTO placement_short VALUES (%s)", (i,))
    assert short.execute("SELECT count(*) FROM placement_short").fetchone() == (20,)
    # Logging in needs a backend session: that too must not queue behind the long statements.
    late_login = connect3(autocommit=True)
    assert late_login.execute("SELECT 'logged in'").fetchone() == ("logged in",)
    short_done = time.monotonic()
    late = [i for i, at in list(ended.items()) if at <= short_done]
    for conn in conns:
        conn.cancel()
    for t in threads:
        t.join(timeout=50)
    assert len(ended) == LONG_SESSIONS, "a long statement did not end"
    assert not late, f"short queries or a login finished only after long statements {late}"
    # Each was still running, and the cancels got through while every worker was busy.
    assert outcome == {i: "canceled" for i in range(LONG_SESSIONS)}


@pytest.mark.budget(60)
def test_statement_moved_after_producing_rows_extended_protocol(connect3):
    conn = connect3(autocommit=True)
    query = LATE_SLOW.format(slow="%s", n="%s")
    for _ in range(2):  # the second run starts where the first was moved to
        rows = conn.execute(query, (500, 1000)).fetchall()
        assert rows == _expected_late_slow(1000, 500)
    # Still fast and correct for a parameter that makes it short.
    assert conn.execute(query, (0, 10)).fetchall() == _expected_late_slow(10, 0)


@pytest.mark.budget(60)
def test_statement_moved_after_producing_rows_simple_protocol(connect2):
    conn = connect2()
    conn.autocommit = True
    cur = conn.cursor()
    for _ in range(2):
        cur.execute(LATE_SLOW.format(slow=700, n=900))
        assert cur.fetchall() == _expected_late_slow(900, 700)
    # In a multi-statement query the earlier statements' results stay exactly once.
    cur.execute("SELECT 1; " + LATE_SLOW.format(slow=300, n=400) + "; SELECT 3")
    assert cur.fetchall() == [(3,)]


@pytest.mark.budget(60)
def test_moved_statement_inside_transaction_keeps_its_snapshot(connect3, fresh_table):
    import psycopg
    table = fresh_table()
    setup = connect3(autocommit=True)
    setup.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, v text)")
    setup.execute(f"INSERT INTO {table} SELECT g, 'v' || g FROM generate_series(1, 50) AS g")
    # Repeatable read: one snapshot for the whole transaction, in PostgreSQL as in SQLite.
    reader = connect3()
    reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    with reader.transaction():
        assert reader.execute(f"SELECT count(*) FROM {table}").fetchone() == (50,)
        writer = connect3(autocommit=True)
        writer.execute(f"INSERT INTO {table} VALUES (51, 'late')")
        # A long statement inside the reader's transaction: still the transaction's snapshot.
        rows = reader.execute(
            f"SELECT count(*), (SELECT count(*) FROM generate_series(1, 3000) AS a, "
            f"generate_series(1, 1000) AS b) FROM {table}").fetchone()
        assert rows == (50, 3000000)
    assert reader.execute(f"SELECT count(*) FROM {table}").fetchone() == (51,)
