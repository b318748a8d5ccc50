"""Primary keys are NOT NULL and unique, whether declared in CREATE TABLE (any key type, one or
several columns) or added later by ALTER TABLE ... ADD PRIMARY KEY, with PostgreSQL's errors."""

import pytest
from psycopg import errors

NOT_NULL = "null value in column \"{col}\" of relation \"{table}\" violates not-null constraint"


def _expect(conn, sql, exc, sqlstate, message=None):
    with pytest.raises(exc) as info:
        conn.execute(sql)
    assert info.value.diag.sqlstate == sqlstate
    if message is not None:
        assert info.value.diag.message_primary == message
    return info.value


@pytest.mark.parametrize("key_type", ["int", "bigint", "text", "uuid"])
def test_declared_primary_key_refuses_null(connect3, fresh_table, key_type):
    conn = connect3(autocommit=True)
    t = fresh_table()
    conn.execute(f"CREATE TABLE {t} (id {key_type} PRIMARY KEY, v text)")
    _expect(conn, f"INSERT INTO {t} VALUES (NULL, 'x')", errors.NotNullViolation, "23502",
            NOT_NULL.format(col="id", table=t))
    assert conn.execute(f"SELECT count(*) FROM {t}").fetchone() == (0,)


def test_composite_primary_key_refuses_null_and_duplicates(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table()
    conn.execute(f"CREATE TABLE {t} (a int, b text, v int, PRIMARY KEY (a, b))")
    conn.execute(f"INSERT INTO {t} VALUES (2, 'y', 1), (1, 'z', 2), (1, 'x', 3)")
    _expect(conn, f"INSERT INTO {t} VALUES (1, NULL, 4)", errors.NotNullViolation, "23502",
            NOT_NULL.format(col="b", table=t))
    _expect(conn, f"INSERT INTO {t} VALUES (1, 'x', 5)", errors.UniqueViolation, "23505")
    assert conn.execute(f"SELECT a, b, v FROM {t} ORDER BY a, b").fetchall() == [
        (1, "x", 3), (1, "z", 2), (2, "y", 1)]
    assert conn.execute(f"SELECT v FROM {t} WHERE a = %s AND b = %s", (1, "z")).fetchone() == (2,)


def test_added_primary_key_checks_existing_rows(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table()
    conn.execute(f"CREATE TABLE {t} (a int, v text)")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'one'), (NULL, 'none')")
    _expect(conn, f"ALTER TABLE {t} ADD PRIMARY KEY (a)", errors.NotNullViolation, "23502",
            f"column \"a\" of relation \"{t}\" contains null values")
    # Nothing of the failed ALTER remains: NULLs are still accepted, as the table has no key.
    conn.execute(f"INSERT INTO {t} VALUES (NULL, 'another')")
    conn.execute(f"DELETE FROM {t} WHERE a IS NULL")
    conn.execute(f"ALTER TABLE {t} ADD PRIMARY KEY (a)")
    _expect(conn, f"INSERT INTO {t} VALUES (NULL, 'x')", errors.NotNullViolation, "23502",
            NOT_NULL.format(col="a", table=t))
    _expect(conn, f"UPDATE {t} SET a = NULL WHERE a = 1", errors.NotNullViolation, "23502",
            NOT_NULL.format(col="a", table=t))
    _expect(conn, f"INSERT INTO {t} VALUES (1, 'dup')", errors.UniqueViolation, "23505")
    conn.execute(f"UPDATE {t} SET v = 'uno' WHERE a = 1")
    assert conn.execute(f"SELECT a, v FROM {t}").fetchall() == [(1, "uno")]
