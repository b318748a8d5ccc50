"""psycopg2 against the server: client-side interpolation over the simple query protocol."""

import datetime as dt
import uuid
from decimal import Decimal

import psycopg2
import psycopg2.errors
import psycopg2.extras
import pytest
from psycopg2 import extensions as ext

psycopg2.extras.register_uuid()

# (sql type, python value, expected value back)
TYPE_CASES = [
    ("bool", True, True),
    ("int2", -32767, -32767),  # "-32768::int2" is -(32768::int2): out of range
    ("int4", 2147483647, 2147483647),
    ("int8", -9223372036854775807, -9223372036854775807),
    ("float4", 1.5, 1.5),
    ("float8", 0.1, 0.1),
    ("numeric", Decimal("123456789.012345"),
     Decimal("123456789.012345")),
    ("numeric(10,2)", Decimal("1.5"), Decimal("1.50")),
    ("text", "héllo ✓ 'quoted' \\ back", "héllo ✓ 'quoted' \\ back"),
    ("varchar(10)", "abc", "abc"),
    ("char(5)", "ab", "ab   "),
    ("bytea", psycopg2.Binary(bytes(range(256))), bytes(range(256))),
    ("date", dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ("time", dt.time(13, 45, 59, 123456), dt.time(13, 45, 59, 123456)),
    ("timestamp", dt.datetime(2024, 2, 29, 13, 45, 59, 123456),
     dt.datetime(2024, 2, 29, 13, 45, 59, 123456)),
    ("timestamptz", dt.datetime(2024, 2, 29, 13, 45, 59, 123456, tzinfo=dt.timezone.utc),
     dt.datetime(2024, 2, 29, 13, 45, 59, 123456, tzinfo=dt.timezone.utc)),
    ("interval", dt.timedelta(days=3, seconds=14706, microseconds=7),
     dt.timedelta(days=3, seconds=14706, microseconds=7)),
    ("uuid", uuid.UUID("12345678-9abc-def0-1234-56789abcdef0"),
     uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")),
    ("jsonb", psycopg2.extras.Json({"k": [1, None]}), {"k": [1, None]}),
]


def test_types_roundtrip(connect2, fresh_table):
    conn = connect2()
    conn.autocommit = True
    cur = conn.cursor()
    for sqltype, value, expected in TYPE_CASES:
        cur.execute(f"SELECT %s::{sqltype}, NULL::{sqltype}", (value,))
        got, null = cur.fetchone()
        if isinstance(got, memoryview):
            got = bytes(got)
        assert got == expected, f"{sqltype}: sent {value!r}, got {got!r}"
        assert null is None, f"NULL::{sqltype} came back as {null!r}"
    t = fresh_table()
    cols = ", ".join(f"c{i} {c[0]}" for i, c in enumerate(TYPE_CASES))
    cur.execute(f"CREATE TABLE {t} ({cols})")
    marks = ", ".join(["%s"] * len(TYPE_CASES))
    cur.execute(f"INSERT INTO {t} VALUES ({marks})", [c[1] for c in TYPE_CASES])
    cur.execute(f"SELECT * FROM {t}")
    row = cur.fetchone()
    for i, (sqltype, _, expected) in enumerate(TYPE_CASES):
        got = bytes(row[i]) if isinstance(row[i], memoryview) else row[i]
        assert got == expected, f"stored {sqltype}: {got!r} != {expected!r}"


def test_ddl_dml_and_rowcount(connect2, fresh_table):
    conn = connect2()
    cur = conn.cursor()
    t = fresh_table()
    cur.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, name varchar(20), born date)")
    cur.execute(f"INSERT INTO {t} VALUES (%s, %s, %s), (%s, %s, %s)",
                (1, "O'Brien", dt.date(1990, 1, 2), 2, "Zoë", None))
    assert cur.rowcount == 2 and cur.statusmessage == "INSERT 0 2"
    cur.execute(f"UPDATE {t} SET born = %(d)s WHERE id = %(id)s",
                {"d": dt.date(2000, 12, 31), "id": 2})
    assert cur.rowcount == 1
    conn.commit()
    cur.execute(f"SELECT id, name, born FROM {t} ORDER BY id")
    assert cur.fetchall() == [(1, "O'Brien", dt.date(1990, 1, 2)),
                              (2, "Zoë", dt.date(2000, 12, 31))]
    assert [d.name for d in cur.description] == ["id", "name", "born"]
    assert [d.type_code for d in cur.description] == [23, 1043, 1082]
    conn.commit()


def test_transactions(connect2, fresh_table):
    conn = connect2()
    other = connect2()
    other.autocommit = True
    t = fresh_table()
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE {t} (v int)")
    conn.commit()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS
    ocur = other.cursor()
    ocur.execute(f"SELECT count(*) FROM {t}")
    assert ocur.fetchone() == (0,), "uncommitted row visible to another session"
    conn.commit()
    cur.execute(f"INSERT INTO {t} VALUES (2)")
    conn.rollback()
    cur.execute("SAVEPOINT s")
    cur.execute(f"INSERT INTO {t} VALUES (3)")
    cur.execute("ROLLBACK TO SAVEPOINT s")
    cur.execute(f"INSERT INTO {t} VALUES (4)")
    conn.commit()
    ocur.execute(f"SELECT array_agg(v ORDER BY v) FROM {t}")
    assert ocur.fetchone() == ([1, 4],)


def test_failed_transaction_and_pgcodes(connect2, fresh_table):
    conn = connect2()
    cur = conn.cursor()
    t = fresh_table()
    cur.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, v int NOT NULL)")
    cur.execute(f"INSERT INTO {t} VALUES (1, 1)")
    conn.commit()
    cases = [
        ("SELECT * FROM e2e_missing_table", "42P01", psycopg2.errors.UndefinedTable),
        (f"SELECT nope FROM {t}", "42703", psycopg2.errors.UndefinedColumn),
        ("SELECT FROM WHERE", "42601", psycopg2.errors.SyntaxError),
        (f"INSERT INTO {t} VALUES (1, 1)", "23505", psycopg2.errors.UniqueViolation),
        (f"INSERT INTO {t} VALUES (2, NULL)", "23502", psycopg2.errors.NotNullViolation),
        ("SELECT 'x1'::int", "22P02", psycopg2.errors.InvalidTextRepresentation),
        ("SELECT 1 / 0", "22012", psycopg2.errors.DivisionByZero),
        ("SELECT -32768::int2", "22003", psycopg2.errors.NumericValueOutOfRange),
    ]
    for sql, pgcode, cls in cases:
        with pytest.raises(psycopg2.Error) as info:
            cur.execute(sql)
        assert isinstance(info.value, cls), f"{sql}: {type(info.value).__name__}"
        assert info.value.pgcode == pgcode, f"{sql}: pgcode {info.value.pgcode}"
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR
        with pytest.raises(psycopg2.errors.InFailedSqlTransaction) as info:
            cur.execute("SELECT 1")
        assert info.value.pgcode == "25P02"
        conn.rollback()
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)


def test_named_cursor_fetchmany(connect2):
    conn = connect2()
    cur = conn.cursor(name="e2e_pg2_cursor")
    cur.itersize = 25
    cur.execute("SELECT g, 'r' || g FROM generate_series(1, 100) AS g")
    assert cur.fetchmany(5) == [(i, f"r{i}") for i in range(1, 6)]
    assert cur.fetchone() == (6, "r6")
    assert [r[0] for r in cur] == list(range(7, 101))
    cur.close()
    conn.commit()


def test_executemany_and_execute_values(connect2, fresh_table):
    conn = connect2()
    conn.autocommit = True
    cur = conn.cursor()
    t = fresh_table()
    cur.execute(f"CREATE TABLE {t} (id int, s text)")
    cur.executemany(f"INSERT INTO {t} VALUES (%s, %s)", [(i, str(i)) for i in range(20)])
    psycopg2.extras.execute_values(cur, f"INSERT INTO {t} VALUES %s",
                                   [(i, str(i)) for i in range(20, 30)])
    cur.execute(f"SELECT count(*), sum(id) FROM {t}")
    assert cur.fetchone() == (30, 435)


def test_multi_statement_query_returns_last_result(connect2):
    conn = connect2()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT 1; SELECT 2, 'two'")
    assert cur.fetchall() == [(2, "two")]


def test_scram_login_and_wrong_password(target, connect2):
    good = target.scram_endpoint()
    conn = connect2(good.dsn())
    cur = conn.cursor()
    cur.execute("SELECT current_user")
    assert cur.fetchone() == (good.user,)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(good.dsn(password="wrong-password"))
    assert f'password authentication failed for user "{good.user}"' in str(info.value)
    # The server keeps serving after a failed login.
    conn2 = connect2(good.dsn())
    cur2 = conn2.cursor()
    cur2.execute("SELECT 40 + 2")
    assert cur2.fetchone() == (42,)
