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


def _indexes(conn, table):
    return conn.execute(
        "SELECT c.relname, i.indisprimary, i.indisunique FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass ORDER BY 1",
        (table,)).fetchall()


def test_added_primary_key_keeps_rows_defaults_checks_indexes_and_views(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table()
    v = fresh_table("v")
    conn.execute(f"CREATE TABLE {t} (a int, b text DEFAULT 'dflt' CHECK (b <> 'bad'), c int)")
    conn.execute(f"CREATE INDEX {t}_c ON {t} (c)")
    conn.execute(f"INSERT INTO {t} (a, b, c) VALUES (3, 'x', 30), (1, 'y', 10), (2, NULL, 20)")
    conn.execute(f"CREATE VIEW {v} AS SELECT a, c FROM {t}")
    try:
        conn.execute(f"ALTER TABLE {t} ADD PRIMARY KEY (a)")
        assert conn.execute(f"SELECT a, b, c FROM {t} ORDER BY a").fetchall() == [
            (1, "y", 10), (2, None, 20), (3, "x", 30)]
        assert _indexes(conn, t) == [(f"{t}_c", False, False), (f"{t}_pkey", True, True)]
        assert conn.execute(f"SELECT c FROM {t} WHERE a = %s", (2,)).fetchone() == (20,)
        assert conn.execute(f"SELECT a FROM {t} WHERE c = 30").fetchone() == (3,)
        assert conn.execute(f"SELECT sum(c) FROM {v}").fetchone() == (60,)
        conn.execute(f"INSERT INTO {t} (a) VALUES (4)")
        assert conn.execute(f"SELECT b FROM {t} WHERE a = 4").fetchone() == ("dflt",)
        _expect(conn, f"INSERT INTO {t} (a, b) VALUES (5, 'bad')", errors.CheckViolation, "23514")
        err = _expect(conn, f"INSERT INTO {t} (a) VALUES (1)", errors.UniqueViolation, "23505")
        assert err.diag.constraint_name in (None, f"{t}_pkey")
        assert f"{t}_pkey" in err.diag.message_primary
    finally:
        conn.execute(f"DROP VIEW IF EXISTS {v}")


def test_added_primary_key_over_duplicates_names_the_key_and_changes_nothing(connect3,
                                                                              fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table()
    conn.execute(f"CREATE TABLE {t} (a int NOT NULL, b text NOT NULL, v int)")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x', 1), (2, 'x', 2), (1, 'x', 3)")
    err = _expect(conn, f"ALTER TABLE {t} ADD PRIMARY KEY (a, b)", errors.UniqueViolation,
                  "23505", f"could not create unique index \"{t}_pkey\"")
    assert err.diag.message_detail == "Key (a, b)=(1, x) is duplicated."
    assert _indexes(conn, t) == []
    conn.execute(f"INSERT INTO {t} VALUES (2, 'x', 4)")  # still no key
    assert conn.execute(f"SELECT count(*) FROM {t}").fetchone() == (4,)


def test_added_primary_key_errors(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table()
    k = fresh_table("k")
    conn.execute(f"CREATE TABLE {t} (a int, b int)")
    _expect(conn, f"ALTER TABLE {t} ADD PRIMARY KEY (nope)", errors.UndefinedColumn, "42703",
            f"column \"nope\" of relation \"{t}\" does not exist")
    _expect(conn, f"ALTER TABLE {t} ADD PRIMARY KEY (a), ADD PRIMARY KEY (b)",
            errors.InvalidTableDefinition, "42P16",
            f"multiple primary keys for table \"{t}\" are not allowed")
    conn.execute(f"ALTER TABLE {t} ADD PRIMARY KEY (a)")
    _expect(conn, f"ALTER TABLE {t} ADD PRIMARY KEY (b)", errors.InvalidTableDefinition,
            "42P16", f"multiple primary keys for table \"{t}\" are not allowed")
    conn.execute(f"CREATE TABLE {k} (a int PRIMARY KEY, b int)")
    _expect(conn, f"ALTER TABLE {k} ADD PRIMARY KEY (b)", errors.InvalidTableDefinition,
            "42P16", f"multiple primary keys for table \"{k}\" are not allowed")


def test_added_primary_key_rolls_back_with_its_transaction(connect3, fresh_table):
    conn = connect3()
    t = fresh_table()
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'one')")
    conn.commit()
    conn.execute(f"ALTER TABLE {t} ADD PRIMARY KEY (a)")
    conn.execute(f"INSERT INTO {t} VALUES (2, 'two')")
    assert _indexes(conn, t) == [(f"{t}_pkey", True, True)]
    conn.rollback()
    assert _indexes(conn, t) == []
    conn.execute(f"INSERT INTO {t} VALUES (1, 'again')")  # no key: duplicates are fine
    conn.commit()
    assert conn.execute(f"SELECT a, b FROM {t} ORDER BY b").fetchall() == [
        (1, "again"), (1, "one")]


def test_added_primary_key_on_a_temporary_table(connect3):
    conn = connect3()
    conn.execute("CREATE TEMP TABLE e2e_pk_temp (a int, b int)")
    conn.execute("CREATE INDEX e2e_pk_temp_b ON e2e_pk_temp (b)")
    conn.execute("INSERT INTO e2e_pk_temp VALUES (1, 10), (2, 20)")
    conn.execute("ALTER TABLE e2e_pk_temp ADD PRIMARY KEY (a)")
    _expect(conn, "INSERT INTO e2e_pk_temp VALUES (2, 21)", errors.UniqueViolation, "23505")
    conn.rollback()
    conn.execute("CREATE TEMP TABLE e2e_pk_temp (a int, b int)")
    conn.execute("INSERT INTO e2e_pk_temp VALUES (1, 10), (2, 20)")
    conn.execute("ALTER TABLE e2e_pk_temp ADD PRIMARY KEY (a)")
    conn.commit()
    assert conn.execute("SELECT b FROM e2e_pk_temp WHERE a = 2").fetchone() == (20,)
    _expect(conn, "INSERT INTO e2e_pk_temp VALUES (2, 21)", errors.UniqueViolation, "23505")
    conn.rollback()


def test_added_primary_key_on_a_referenced_table_keeps_the_referencing_rows(connect3,
                                                                            fresh_table):
    conn = connect3(autocommit=True)
    child = fresh_table("child")
    parent = fresh_table("parent")
    conn.execute(f"CREATE TABLE {parent} (id int UNIQUE, v text)")
    conn.execute(f"CREATE TABLE {child} (pid int REFERENCES {parent} (id) ON DELETE CASCADE)")
    conn.execute(f"INSERT INTO {parent} VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"INSERT INTO {child} VALUES (1), (2), (2)")
    conn.execute(f"ALTER TABLE {parent} ADD PRIMARY KEY (id)")
    assert conn.execute(f"SELECT pid FROM {child} ORDER BY pid").fetchall() == [(1,), (2,), (2,)]
    _expect(conn, f"INSERT INTO {parent} VALUES (1, 'dup')", errors.UniqueViolation, "23505")
    conn.execute(f"DELETE FROM {parent} WHERE id = 2")
    assert conn.execute(f"SELECT pid FROM {child}").fetchall() == [(1,)]
