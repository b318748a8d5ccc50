"""A COPY is atomic and controllable: nothing of it remains after an error, a ROLLBACK, a
cancel or a client that dies mid-stream; inside BEGIN an error fails the transaction; a
CancelRequest stops it with 57014; pg_stat_progress_copy shows it from another session while
it runs, in both directions."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import psycopg
import pytest
from psycopg import errors

POLL_INTERVAL = 0.05
POLL_ROUNDS = 200  # at most 10 s of polling for a state another session must reach


def sqlstates(exc):
    """SQLSTATEs along an exception's chain (psycopg reports COPY errors at several points)."""
    seen = []
    while exc is not None and len(seen) < 10:
        diag = getattr(exc, "diag", None)
        if diag is not None and diag.sqlstate:
            seen.append(diag.sqlstate)
        exc = exc.__cause__ or exc.__context__
    return seen


def flush(conn):
    """Pushes libpq's buffered COPY data to the server."""
    for _ in range(1000):
        if conn.pgconn.flush() == 0:
            return
        time.sleep(0.001)
    raise AssertionError("could not flush COPY data")


def copy_in(conn, table, data):
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(data)


def count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rows_text(first, n):
    return "".join(f"{i}\tvalue {i}\n" for i in range(first, first + n)).encode()


def test_rollback_undoes_copy_and_commit_keeps_it(connect3, fresh_table):
    conn = connect3()
    t = fresh_table("tx")
    conn.execute(f"CREATE TABLE {t} (a int PRIMARY KEY, b text)")
    conn.commit()
    copy_in(conn, t, rows_text(1, 100))
    assert count(conn, t) == 100
    conn.rollback()
    assert count(conn, t) == 0
    copy_in(conn, t, rows_text(1, 100))
    conn.commit()
    other = connect3(autocommit=True)
    assert count(other, t) == 100


def test_error_inside_block_fails_the_transaction(connect3, fresh_table):
    conn = connect3()
    t = fresh_table("failed")
    conn.execute(f"CREATE TABLE {t} (a int PRIMARY KEY, b text)")
    conn.commit()
    conn.execute(f"INSERT INTO {t} VALUES (0, 'before')")
    with pytest.raises(errors.UniqueViolation):
        copy_in(conn, t, rows_text(1, 50) + b"0\tdup\n")
    with pytest.raises(errors.InFailedSqlTransaction):
        conn.execute(f"SELECT count(*) FROM {t}")
    conn.rollback()
    assert count(conn, t) == 0


def test_savepoint_keeps_work_before_a_failed_copy(connect3, fresh_table):
    conn = connect3()
    t = fresh_table("sp")
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    conn.commit()
    conn.execute(f"INSERT INTO {t} VALUES (0, 'kept')")
    conn.execute("SAVEPOINT s")
    with pytest.raises(errors.InvalidTextRepresentation):
        copy_in(conn, t, rows_text(1, 20) + b"x\ty\n")
    conn.execute("ROLLBACK TO SAVEPOINT s")
    copy_in(conn, t, rows_text(1, 5))
    conn.commit()
    assert conn.execute(f"SELECT count(*), min(b) FROM {t}").fetchone() == (6, "kept")


def test_malformed_csv_reports_its_line_and_inserts_nothing(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("malformed")
    conn.execute(f"CREATE TABLE {t} (id int, name text, born date)")
    good = "".join(f"{i},name {i},2000-01-01\n" for i in range(1, 3000))
    data = (good + '3000,"unterminated,2000-01-01\n' + good).encode()
    with pytest.raises(errors.BadCopyFileFormat) as info:
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} FROM STDIN (FORMAT csv)") as copy:
                copy.write(data)
    assert info.value.diag.message_primary == "unterminated CSV quoted field"
    # The quoted field runs to the end of the data, so the line number is the last one.
    assert info.value.diag.context.startswith(f"COPY {t}, line 6000: ")
    assert count(conn, t) == 0


CLIENT_KILLED_MID_COPY = textwrap.dedent("""
    import os, signal, sys, psycopg
    conn = psycopg.connect(sys.argv[1], autocommit=True)
    with conn.cursor().copy(f"COPY {sys.argv[2]} FROM STDIN") as copy:
        for i in range(20000):
            copy.write(f"{i}\\tdata {i}\\n")
        while conn.pgconn.flush() != 0:
            pass
        print("sent", flush=True)
        sys.stdin.readline()
        os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.budget(60)
def test_client_killed_mid_copy_leaves_nothing(endpoint, connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("killed")
    conn.execute(f"CREATE TABLE {t} (a int PRIMARY KEY, b text)")
    proc = subprocess.Popen([sys.executable, "-c", CLIENT_KILLED_MID_COPY, endpoint.dsn(), t],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "sent"
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert count(conn, t) == 0
    # The dead session's transaction is gone: the table takes writes again (a lock the dead
    # session still held would make this wait, then fail).
    copy_in(conn, t, rows_text(1, 10))
    assert count(conn, t) == 10


@pytest.mark.budget(60)
def test_cancel_stops_copy_from_stdin(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("cancelin")
    conn.execute(f"CREATE TABLE {t} (a int PRIMARY KEY, b text)")
    canceled = threading.Event()
    started = time.monotonic()
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} FROM STDIN") as copy:
                for chunk in range(2000):  # bounded: far more than the cancel needs
                    copy.write(rows_text(chunk * 1000, 1000))
                    if chunk == 20:
                        threading.Thread(target=lambda: (conn.cancel(), canceled.set())).start()
    assert canceled.wait(10)
    assert "57014" in sqlstates(info.value), (sqlstates(info.value), info.value)
    print(f"COPY FROM STDIN stopped {time.monotonic() - started:.2f} s after it started")
    assert count(conn, t) == 0


@pytest.mark.budget(90)
def test_cancel_stops_copy_to_stdout(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("cancelout")
    conn.execute(f"CREATE TABLE {t} (a int PRIMARY KEY, b text)")
    copy_in(conn, t, rows_text(0, 200000))
    read = 0
    with pytest.raises(errors.QueryCanceled):
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} TO STDOUT") as copy:
                for _ in copy:
                    read += 1
                    if read == 10:
                        conn.cancel()
    assert read < 200000 + 1
    assert conn.execute("SELECT 1").fetchone() == (1,)


def progress_row(observer, pid):
    return observer.execute(
        "SELECT command, type, relid, bytes_processed, bytes_total, tuples_processed, "
        "tuples_excluded, datname FROM pg_catalog.pg_stat_progress_copy WHERE pid = %s", [pid]).fetchone()


def poll(fn, what):
    for _ in range(POLL_ROUNDS):
        got = fn()
        if got:
            return got
        time.sleep(POLL_INTERVAL)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.budget(60)
def test_progress_view_shows_a_running_copy_from(connect3, fresh_table, endpoint):
    conn = connect3(autocommit=True)
    observer = connect3(autocommit=True)
    t = fresh_table("progress")
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    relid = observer.execute("SELECT oid FROM pg_catalog.pg_class WHERE relname = %s",
                             [t]).fetchone()[0]
    pid = conn.info.backend_pid
    data = rows_text(1, 1000)
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN") as copy:
            copy.write(data)
            flush(conn)
            row = poll(lambda: (lambda r: r if r and r[5] == 1000 else None)(
                progress_row(observer, pid)), "1000 rows in pg_stat_progress_copy")
            assert row == ("COPY FROM", "PIPE", relid, len(data), 0, 1000, 0, endpoint.dbname)
    assert progress_row(observer, pid) is None


@pytest.mark.budget(90)
def test_progress_view_shows_a_running_copy_to(connect3, fresh_table):
    conn = connect3(autocommit=True)
    observer = connect3(autocommit=True)
    t = fresh_table("progressout")
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    copy_in(conn, t, rows_text(0, 100000))
    pid = conn.info.backend_pid
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} TO STDOUT") as copy:
            it = iter(copy)
            next(it)  # the server now waits on the socket, its progress visible meanwhile
            row = poll(lambda: progress_row(observer, pid), "a COPY TO in pg_stat_progress_copy")
            assert row[:3] == ("COPY TO", "PIPE", row[2])
            assert row[5] > 0 and row[3] > 0, row
            assert sum(1 for _ in it) == 100000 - 1
    assert progress_row(observer, pid) is None


@pytest.mark.budget(60)
def test_statement_timeout_stops_a_copy(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("timeout")
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    conn.execute("SET statement_timeout = '300ms'")
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} FROM STDIN") as copy:
                for chunk in range(100):  # about 10 s at most
                    copy.write(rows_text(chunk * 10, 10))
                    flush(conn)
                    time.sleep(0.1)
    assert "57014" in sqlstates(info.value), info.value
    conn.execute("SET statement_timeout = 0")
    assert count(conn, t) == 0
