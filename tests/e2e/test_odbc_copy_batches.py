"""COPY FROM in many-row batches, as the ODBC backend writes them (multi-row INSERTs and
parameter arrays in chunks of up to 1,000 rows, each under a savepoint): a row that fails deep
inside a batch is reported with its own line and the target's SQLSTATE, nothing of the COPY
stays, and in an explicit transaction the rows written before the COPY survive. Runs against
every target (PostgreSQL 15 is the reference for the line and the SQLSTATE)."""

import pytest

ROWS = 2600        # spans several chunks and groups
DUPLICATE_AT = 1777  # the line whose key repeats line 1


def _rows(n, dup_at=None):
    lines = []
    for i in range(1, n + 1):
        key = 1 if i == dup_at else i
        lines.append(f"{key}\tname {i}\t{i * 1.5}\n")
    return "".join(lines).encode()


def _count(conn, t):
    # int(): through sqliteodbc an aggregate's type is not described, so it arrives as text.
    return int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])


def _create(conn, t):
    conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, name text NOT NULL, score float8)")


def test_failing_row_deep_in_a_batch_is_reported_with_its_line(connect3, fresh_table):
    from psycopg import errors
    conn = connect3(autocommit=True)
    t = fresh_table("dup")
    _create(conn, t)
    with pytest.raises(errors.UniqueViolation) as info:
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} FROM STDIN") as copy:
                copy.write(_rows(ROWS, DUPLICATE_AT))
    assert info.value.diag.sqlstate == "23505"
    assert info.value.diag.context.startswith(f"COPY {t}, line {DUPLICATE_AT}")
    assert _count(conn, t) == 0


def test_batches_load_every_row_exactly(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("ok")
    _create(conn, t)
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN") as copy:
            copy.write(_rows(ROWS))
        assert cur.rowcount == ROWS
    n, total, first, top = conn.execute(
        f"SELECT count(*), sum(id), min(name), max(score) FROM {t}").fetchone()
    assert (int(n), int(total), first, float(top)) == (ROWS, ROWS * (ROWS + 1) // 2, "name 1",
                                                       ROWS * 1.5)


def test_failed_copy_in_a_transaction_keeps_earlier_rows_after_rollback_to(connect3,
                                                                           fresh_table):
    from psycopg import errors
    conn = connect3(autocommit=True)
    t = fresh_table("tx")
    _create(conn, t)
    conn.autocommit = False
    conn.execute(f"INSERT INTO {t} VALUES (-1, 'before', 0)")
    conn.execute("SAVEPOINT s")
    with pytest.raises(errors.UniqueViolation):
        with conn.cursor() as cur:
            with cur.copy(f"COPY {t} FROM STDIN") as copy:
                copy.write(_rows(ROWS, DUPLICATE_AT))
    conn.execute("ROLLBACK TO SAVEPOINT s")
    conn.commit()
    conn.autocommit = True
    assert conn.execute(f"SELECT id, name FROM {t}").fetchall() == [(-1, "before")]
