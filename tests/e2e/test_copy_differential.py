"""COPY, differentially: the server under test against a PostgreSQL 15 started for this module.

Both servers get the same tables and rows (through ordinary INSERTs), then
  - COPY TO STDOUT in text, CSV (with every option) and binary must produce the same bytes;
  - COPY FROM STDIN of PostgreSQL's own output must load rows that copy out identically;
  - each malformed or invalid COPY FROM must fail with the same SQLSTATE, message, detail, hint
    and CONTEXT (line, column, value), and leave the table empty on both.
With PGW_TARGET=postgres the server under test is itself PostgreSQL (a second cluster), which
proves the comparison is sound; with the gateway it proves the gateway matches PostgreSQL.
"""

import itertools

import psycopg
import pytest

from conftest import PostgresTarget

_names = itertools.count(1)

# Every core type with values that exercise quoting, escaping and special spellings.
TYPED_COLUMNS = [
    ("id", "int4"), ("i2", "int2"), ("i8", "int8"), ("f4", "float4"), ("f8", "float8"),
    ("num", "numeric(12,3)"), ("t", "text"), ("vc", "varchar(20)"), ("bc", "char(4)"),
    ("b", "bool"), ("d", "date"), ("tm", "time"), ("ts", "timestamp"), ("tz", "timestamptz"),
    ("iv", "interval"), ("by", "bytea"), ("js", "json"), ("jb", "jsonb"), ("u", "uuid"),
]
TYPED_ROWS = [
    "1, 1, 1, 1.5, 0.1, 1.5, 'plain', 'v', 'ab', true, '2024-02-29', '13:45:59.123456', "
    "'2024-02-29 13:45:59.5', '2024-02-29 13:45:59+00', '3 days 04:05:06', '\\x00ff'::bytea, "
    "'{\"a\": [1, 2]}', '{\"b\": 1, \"a\": \"x\"}', '12345678-9abc-def0-1234-56789abcdef0'",
    "2, -32768, -9223372036854775808, -3.25, -1.25e300, -0.001, "
    "E'tab\\there\\nnew\\\\line,comma\"quote''s', 'a;b|c', 'x', false, '1999-12-31', "
    "'00:00:00', '2000-01-01 00:00:00', '1970-01-01 00:00:00+00', '-1 mons +2 days', "
    "'\\x5c0d0a'::bytea, '[]', '[1, \"two\", null]', '00000000-0000-0000-0000-000000000000'",
    "3, null, null, null, null, null, '', '', null, null, null, null, null, null, null, "
    "'\\x'::bytea, 'null', 'null', null",
    "4, 7, 7, 'Infinity', '-Infinity', 12.5, '\\.', '\\N', '\"', true, '0001-01-01', "
    "'23:59:59', '2038-01-19 03:14:07', '2100-06-30 12:00:00+00', '1 year 2 mons', "
    "'\\x'::bytea, '\"é ✓\"', '{\"nested\": {\"k\": [true, false]}}', "
    "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
    "5, 0, 0, 'NaN', 'NaN', 0, 'NULL', 'ünïcödé ✓', 'abcd', false, '2024-01-01', "
    "'12:00:00', '2024-01-01 12:00:00.000001', '2024-01-01 12:00:00.999999+00', '00:00:01', "
    "'\\xdeadbeef'::bytea, '{}', '{}', '11111111-2222-3333-4444-555555555555'",
]

COPY_TO_VARIANTS = [
    "",
    "(FORMAT text, DELIMITER '|', NULL 'NULL')",
    "(FORMAT csv)",
    "(FORMAT csv, HEADER)",
    "(FORMAT csv, DELIMITER ';', NULL 'NUL', QUOTE '''', ESCAPE '\\')",
    "(FORMAT csv, FORCE_QUOTE *)",
    "(FORMAT csv, FORCE_QUOTE (t, vc, d), HEADER true)",
    "WITH CSV HEADER DELIMITER '|' FORCE QUOTE t",
    "(FORMAT binary)",
    "BINARY",
    "(HEADER on)",
]


@pytest.fixture(scope="module")
def reference(target):
    """A PostgreSQL 15 cluster of its own to compare with (also when the target is one)."""
    pg = PostgresTarget()
    try:
        pg.start()
        yield pg.main
    finally:
        pg.stop()


class Pair:
    """The same table on the server under test and on the reference."""

    def __init__(self, test_conn, ref_conn, name):
        self.conns = (test_conn, ref_conn)
        self.name = name

    def run(self, sql):
        for c in self.conns:
            c.execute(sql)

    def each(self, fn):
        return [fn(c) for c in self.conns]


@pytest.fixture
def pair(connect3, reference, watchdog):
    ref = watchdog.register(psycopg.connect(reference.dsn(), autocommit=True))
    made = []

    def make(columns_sql):
        name = f"e2e_copydiff_{next(_names)}"
        p = Pair(connect3(autocommit=True), ref, name)
        p.run(f"DROP TABLE IF EXISTS {name}")
        p.run(f"CREATE TABLE {name} ({columns_sql})")
        made.append(p)
        return p

    yield make
    for p in made:
        for c in p.conns:
            try:
                c.execute(f"DROP TABLE IF EXISTS {p.name}")
            except Exception:
                pass
    ref.close()


def copy_out(conn, sql):
    with conn.cursor() as cur:
        with cur.copy(sql) as copy:
            return b"".join(bytes(chunk) for chunk in copy)


def copy_in(conn, sql, data, chunk=7):
    """Runs COPY FROM STDIN with `data` sent in small pieces; returns (rowcount, error fields)."""
    with conn.cursor() as cur:
        try:
            with cur.copy(sql) as copy:
                for i in range(0, len(data), chunk):
                    copy.write(data[i:i + chunk])
            return cur.rowcount, None
        except psycopg.Error as e:
            d = e.diag
            return None, (d.sqlstate, d.message_primary, d.message_detail, d.message_hint,
                          d.context, d.statement_position)


def typed_table(pair):
    p = pair(", ".join(f"{n} {t}" for n, t in TYPED_COLUMNS))
    for row in TYPED_ROWS:
        p.run(f"INSERT INTO {p.name} VALUES ({row})")
    return p


@pytest.mark.parametrize("options", COPY_TO_VARIANTS)
def test_copy_to_bytes_match_postgresql(pair, options):
    p = typed_table(pair)
    got, want = p.each(lambda c: copy_out(c, f"COPY {p.name} TO STDOUT {options}"))
    assert got == want, f"COPY TO {options or '(text)'} differs:\n got  {got!r}\n want {want!r}"


@pytest.mark.parametrize("fmt", ["text", "csv", "binary"])
def test_copy_to_with_column_list_and_query(pair, fmt):
    p = typed_table(pair)
    for sql in (f"COPY {p.name} (t, id, by) TO STDOUT (FORMAT {fmt})",
                f"COPY (SELECT id, t, d FROM {p.name} WHERE id >= 2 ORDER BY id DESC) "
                f"TO STDOUT (FORMAT {fmt})"):
        got, want = p.each(lambda c: copy_out(c, sql))
        assert got == want, f"{sql}:\n got  {got!r}\n want {want!r}"


@pytest.mark.parametrize("fmt", ["text", "csv", "binary"])
def test_postgresql_output_loads_and_copies_out_identically(pair, fmt):
    src = typed_table(pair)
    want = copy_out(src.conns[1], f"COPY {src.name} TO STDOUT (FORMAT {fmt})")
    dst = pair(", ".join(f"{n} {t}" for n, t in TYPED_COLUMNS))
    counts = dst.each(lambda c: copy_in(c, f"COPY {dst.name} FROM STDIN (FORMAT {fmt})", want,
                                        chunk=13))
    assert counts[0] == (len(TYPED_ROWS), None), counts[0]
    assert counts[1] == (len(TYPED_ROWS), None), counts[1]
    got = copy_out(dst.conns[0], f"COPY {dst.name} TO STDOUT (FORMAT {fmt})")
    assert got == want, f"{fmt} round trip:\n got  {got!r}\n want {want!r}"


# (column definitions, COPY options, input, what it exercises)
FROM_ERRORS = [
    ("a int, d date", "(FORMAT csv)", b"1,1999-01-01\n2,1999-13-01\n", "month out of range"),
    ("a int, d date", "(FORMAT csv)", b"1,1999-02-30\n", "day out of range"),
    ("a int, b int", "", b"1\t2\nx\t3\n", "invalid integer"),
    ("a int, b int", "", b"1\t99999999999\n", "integer out of range"),
    ("a varchar(3)", "", b"abcd\n", "value too long"),
    ("a char(2)", "", b"abc\n", "char too long"),
    ("a numeric(5,2)", "", b"1234\n", "numeric overflow"),
    ("a bool", "(FORMAT csv)", b"maybe\n", "invalid boolean"),
    ("a json", "", b"{x\n", "invalid json"),
    ("a uuid", "", b"not-a-uuid\n", "invalid uuid"),
    ("a bytea", "", b"\\\\xZZ\n", "invalid bytea hex"),
    ("a timestamp", "", b"2024-01-01 25:00:00\n", "hour out of range"),
    ("a int not null, b text", "(FORMAT csv)", b"1,x\n,y\n", "not-null violation"),
    ("a int primary key, b text", "(FORMAT csv)", b"1,x\n2,y\n1,z\n", "unique violation"),
    ("a int, b int", "(FORMAT csv)", b"1,2\n3\n", "missing data for column"),
    ("a int, b int", "", b"1\t2\t3\n", "extra data after last expected column"),
    ("a int, b text", "(FORMAT csv)", b'1,"open\n2,x\n', "unterminated quoted field"),
    ("a int, b text", "(FORMAT csv)", b'1,"multi\nline"\n2,"x\n', "line numbers after quoted newline"),
    ("a int, b text", "", b"1\tx\r\n2\ty\n", "mixed line endings"),
    ("a int, b text", "", b"1\tx\r2\ty\r3\tz\n", "CR then LF"),
    ("a int, b text", "", b"1\tok\n\\.x\n", "end-of-copy marker corrupt"),
    ("a int, b text", "", b"1\t\xc3\x28\n", "invalid UTF-8"),
    ("a int, b text", "(FORMAT csv)", b"\xef\xbb\xbf1,x\n", "UTF-8 BOM is data"),
    ("a int, b text", "(FORMAT csv, HEADER match)", b"a,c\n1,x\n", "header mismatch"),
    ("a int, b text", "(FORMAT csv, HEADER match)", b"a\n", "header field count"),
    ("a int", "(FORMAT binary)", b"PGCOPY\nxx", "binary signature"),
    ("a int, b int", "(FORMAT binary)",
     b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + b"\x00\x01\x00\x00\x00\x04\x00\x00\x00\x01",
     "binary field count"),
    ("a int", "(FORMAT binary)",
     b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + b"\x00\x01\x00\x00\x00\x02\x00\x01",
     "binary int4 length"),
    ("a int, b text", "(FORMAT csv, FORCE_NOT_NULL (c))", b"1,x\n", "force not null unknown"),
    ("a int, b text", "(FORMAT text, DEFAULT 'x')", b"1\tx\n", "DEFAULT is PostgreSQL 16"),
    ("a int", "(FORMAT csv, FORMAT text)", b"1\n", "conflicting options"),
    ("a int", "(FORMAT xml)", b"1\n", "unknown format"),
    ("a int", "(DELIMITER '||')", b"1\n", "two-byte delimiter"),
    ("a int", "(FORMAT binary, HEADER)", b"", "header in binary"),
    ("a int", "(QUOTE '\"')", b"1\n", "quote outside CSV"),
    ("a int", "(FORMAT csv, FORCE_QUOTE *)", b"1\n", "force quote in COPY FROM"),
    ("a int", "(FREEZE maybe)", b"1\n", "bad boolean option"),
]


@pytest.mark.parametrize("columns,options,data,what", FROM_ERRORS,
                         ids=[c[3].replace(" ", "-") for c in FROM_ERRORS])
def test_copy_from_error_matches_postgresql(pair, columns, options, data, what):
    p = pair(columns)
    got, want = p.each(lambda c: copy_in(c, f"COPY {p.name} FROM STDIN {options}", data))
    assert want[1] is not None, f"{what}: PostgreSQL accepted the input"
    assert got == want, f"{what}:\n got  {got}\n want {want}"
    counts = p.each(lambda c: c.execute(f"SELECT count(*) FROM {p.name}").fetchone()[0])
    assert counts == [0, 0], f"{what}: rows left behind after the error: {counts}"


# COPY statements that fail before any data is read: (columns, statement with {t}).
STATEMENT_ERRORS = [
    ("a int", "COPY {t} (nope) FROM STDIN"),
    ("a int", "COPY {t} (a, a) FROM STDIN"),
    ("a int, g int GENERATED ALWAYS AS (a * 2) STORED", "COPY {t} (a, g) FROM STDIN"),
    ("a int, g int GENERATED ALWAYS AS (a * 2) STORED", "COPY {t} (g) TO STDOUT"),
    ("a int", "COPY {t}_missing FROM STDIN"),
    ("a int", "COPY {t} TO STDOUT (FORMAT csv, HEADER match)"),
    ("a int", "COPY {t} TO STDOUT (FORMAT csv, FORCE_QUOTE (b))"),
    ("a int", "COPY {t} TO STDOUT (FORMAT csv, FORCE_NOT_NULL (a))"),
    ("a int", "COPY (SELECT a FROM {t}) TO STDOUT (FORMAT csv, FORCE_QUOTE (b))"),
]


@pytest.mark.parametrize("columns,sql", STATEMENT_ERRORS)
def test_copy_statement_error_matches_postgresql(pair, columns, sql):
    p = pair(columns)
    stmt = sql.format(t=p.name)
    def outcome(c):
        if " FROM " in stmt:
            rows, err = copy_in(c, stmt, b"")
            return ("ok", rows) if err is None else err[:4]
        try:
            return ("ok", copy_out(c, stmt))
        except psycopg.Error as e:
            d = e.diag
            return (d.sqlstate, d.message_primary, d.message_detail, d.message_hint)

    got, want = p.each(outcome)
    assert want[0] != "ok", f"PostgreSQL accepted {stmt}"
    assert got == want, f"{stmt}:\n got  {got}\n want {want}"


def test_copy_to_and_from_a_view_are_refused_as_in_postgresql(pair):
    p = pair("a int")
    view = p.name + "_v"
    p.run(f"CREATE VIEW {view} AS SELECT a FROM {p.name}")
    try:
        for stmt, fn in ((f"COPY {view} TO STDOUT", copy_out),
                         (f"COPY {view} FROM STDIN", lambda c, s: copy_in(c, s, b"1\n"))):
            def outcome(c):
                try:
                    r = fn(c, stmt)
                    return r if isinstance(r, tuple) and r[1] else ("ok",)
                except psycopg.Error as e:
                    return (e.diag.sqlstate, e.diag.message_primary, e.diag.message_hint)
            got, want = p.each(outcome)
            got = got[1][:2] + (got[1][3],) if len(got) == 2 and got[1] else got
            want = want[1][:2] + (want[1][3],) if len(want) == 2 and want[1] else want
            assert got == want, f"{stmt}:\n got  {got}\n want {want}"
    finally:
        p.run(f"DROP VIEW IF EXISTS {view}")


def test_copy_fail_message_and_context_match(pair):
    p = pair("a int, b text")

    class Abort(Exception):
        pass

    def run(c):
        with c.cursor() as cur:
            try:
                with cur.copy(f"COPY {p.name} FROM STDIN") as copy:
                    copy.write(b"1\tx\n2\ty\n")
                    raise Abort("stop here")
            except psycopg.Error as e:
                return (e.diag.sqlstate, e.diag.message_primary, e.diag.context)
            except Abort:
                return "no error"

    got, want = p.each(run)
    assert got == want, f"CopyFail:\n got  {got}\n want {want}"
    assert p.each(lambda c: c.execute(f"SELECT count(*) FROM {p.name}").fetchone()[0]) == [0, 0]


def test_copy_from_where_and_options_load_the_same_rows(pair):
    p = pair("a int, b text, c text")
    data = (b"a;b;c\n1;x;NUL\n2;\"q;\"\"uoted\";\n3;y;z\n4;NUL;\n")
    stmt = (f"COPY {p.name} FROM STDIN WITH (FORMAT csv, HEADER match, DELIMITER ';', "
            f"NULL 'NUL', FORCE_NOT_NULL (b), FORCE_NULL (c)) WHERE a <> 3")
    results = p.each(lambda c: copy_in(c, stmt, data))
    assert results[0] == results[1] == (3, None), results
    got, want = p.each(lambda c: copy_out(c, f"COPY {p.name} TO STDOUT (FORMAT csv)"))
    assert got == want, f"\n got  {got!r}\n want {want!r}"


def test_text_escapes_and_line_endings_load_the_same_rows(pair):
    p = pair("a int, b text")
    inputs = [
        b"1\t\\x41\\101\\t\\\\\\N\r\n2\t\\N\r\n\\.\r\n",
        b"3\tcr only\r4\t\\r\\n\r",
        b"5\tno final newline",
    ]
    for data in inputs:
        results = p.each(lambda c: copy_in(c, f"COPY {p.name} FROM STDIN", data, chunk=3))
        assert results[0] == results[1], f"{data!r}: {results}"
    got, want = p.each(lambda c: copy_out(c, f"COPY {p.name} TO STDOUT"))
    assert got == want, f"\n got  {got!r}\n want {want!r}"


def test_identity_columns_take_copied_values_as_in_postgresql(pair):
    p = pair("id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text")
    results = p.each(lambda c: copy_in(c, f"COPY {p.name} (id, v) FROM STDIN", b"5\ta\n7\tb\n"))
    assert results[0] == results[1] == (2, None), results
    results = p.each(lambda c: copy_in(c, f"COPY {p.name} (v) FROM STDIN", b"c\n"))
    assert results[0] == results[1] == (1, None), results
    got, want = p.each(lambda c: c.execute(
        f"SELECT v FROM {p.name} WHERE id IN (5, 7) ORDER BY id").fetchall())
    assert got == want == [("a",), ("b",)]
    # An explicit value is still refused by INSERT (the COPY did not turn the guard off).
    outcomes = p.each(lambda c: _insert_error(c, f"INSERT INTO {p.name} (id, v) VALUES (9, 'x')"))
    assert outcomes[0] == outcomes[1] and outcomes[1][0] == "428C9", outcomes


def _insert_error(conn, sql):
    try:
        conn.execute(sql)
        return ("ok",)
    except psycopg.Error as e:
        return (e.diag.sqlstate, e.diag.message_primary)
