"""COPY through real clients: psql \\copy both ways, psycopg 3 cursor.copy() (write_row and
rows(), text and binary), psycopg2 copy_expert, and the 250-row patients scenario loaded with
COPY ... FROM STDIN WITH (FORMAT csv, HEADER) and exported back byte for byte."""

import datetime as dt
import io
import os
import random
from decimal import Decimal

import pytest
from psycopg.types.json import Jsonb

from conftest import run_cmd

PATIENTS_DDL = ("PatientID integer PRIMARY KEY, FirstName varchar(50), LastName varchar(50), "
                "DateOfBirth date, Gender char(1), Status varchar(20), AdmissionDate date, "
                "DischargeDate date")
PATIENT_COLUMNS = ["patientid", "firstname", "lastname", "dateofbirth", "gender", "status",
                   "admissiondate", "dischargedate"]


def patients_csv(n, seed=250):
    """A deterministic patients CSV with a header line, quoted names and empty (NULL) dates."""
    rnd = random.Random(seed)
    first = ["James", "Mary", "José", "Zoë", "O'Brien", "Anne-Marie", "Li, Wei", 'Bob "B"']
    last = ["Smith", "García", "Müller", "N'Dour", "van der Berg", "Østergaard"]
    lines = ["PatientID,FirstName,LastName,DateOfBirth,Gender,Status,AdmissionDate,DischargeDate"]
    for i in range(1, n + 1):
        dob = dt.date(1930, 1, 1) + dt.timedelta(days=rnd.randrange(30000))
        adm = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3000))
        status = rnd.choice(["Active", "Discharged", "Admitted", "Transferred"])
        dis = "" if status in ("Active", "Admitted") else str(adm + dt.timedelta(rnd.randrange(60)))
        fields = [str(i), rnd.choice(first), rnd.choice(last), str(dob), rnd.choice("MF"),
                  status, str(adm), dis]
        out = []
        for f in fields:
            if any(c in f for c in ',"\n\r'):
                f = '"' + f.replace('"', '""') + '"'
            out.append(f)
        lines.append(",".join(out))
    return "\n".join(lines) + "\n"


def test_patients_csv_with_header_loads_and_exports_identically(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("patients")
    conn.execute(f"CREATE TABLE {t} ({PATIENTS_DDL})")
    data = patients_csv(250)
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
            copy.write(data.encode())
        assert cur.rowcount == 250
    assert conn.execute(f"SELECT count(*), count(DischargeDate) FROM {t}").fetchone()[0] == 250
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            exported = b"".join(bytes(b) for b in copy).decode()
    # PostgreSQL writes the header with the column names as stored (folded to lower case).
    header, _, body = data.partition("\n")
    assert exported == ",".join(PATIENT_COLUMNS) + "\n" + body


def test_psql_copy_both_ways(endpoint, connect3, fresh_table, tmp_path):
    conn = connect3(autocommit=True)
    t = fresh_table("psql")
    conn.execute(f"CREATE TABLE {t} ({PATIENTS_DDL})")
    src = tmp_path / "in.csv"
    src.write_text(patients_csv(250, seed=7))
    out = tmp_path / "out.csv"
    script = (f"\\copy {t} FROM '{src}' WITH (FORMAT csv, HEADER)\n"
              f"\\copy {t} TO '{out}' WITH (FORMAT csv, HEADER)\n"
              f"\\copy (SELECT PatientID, LastName FROM {t} WHERE PatientID <= 3 ORDER BY 1) "
              f"TO STDOUT\n")
    r = run_cmd(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-q", "-f", "-"], endpoint.psql_env(),
                input_text=script)
    assert r.returncode == 0, r.stderr
    assert out.read_text().split("\n", 1)[1] == src.read_text().split("\n", 1)[1]
    rows = conn.execute(f"SELECT PatientID, LastName FROM {t} WHERE PatientID <= 3 ORDER BY 1")
    assert r.stdout == "".join(f"{i}\t{n}\n" for i, n in rows.fetchall())


def test_psql_copy_error_reports_line_and_exit_code(endpoint, connect3, fresh_table, tmp_path):
    conn = connect3(autocommit=True)
    t = fresh_table("psqlerr")
    conn.execute(f"CREATE TABLE {t} (a int, d date)")
    src = tmp_path / "bad.csv"
    src.write_text("1,2020-01-01\n2,2020-01-02\n3,2020-02-31\n4,2020-01-04\n")
    r = run_cmd(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c",
                 f"\\copy {t} FROM '{src}' (FORMAT csv)"], endpoint.psql_env())
    assert r.returncode != 0
    assert 'date/time field value out of range: "2020-02-31"' in r.stderr, r.stderr
    assert f'COPY {t}, line 3, column d: "2020-02-31"' in r.stderr, r.stderr
    assert conn.execute(f"SELECT count(*) FROM {t}").fetchone() == (0,)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_psycopg3_write_row_and_rows(connect3, fresh_table, binary):
    conn = connect3(autocommit=True)
    t = fresh_table("pg3")
    conn.execute(f"CREATE TABLE {t} (id int8 PRIMARY KEY, name text, price numeric(10,2), "
                 f"born date, seen timestamptz, ok bool, data bytea, doc jsonb)")
    utc = dt.timezone.utc
    rows = [
        (1, "tab\there", Decimal("9.99"), dt.date(2000, 2, 29),
         dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=utc), True, b"\x00\xff\\", Jsonb({"a": 1})),
        (2, "new\nline \\ back", Decimal("-0.50"), None, None, False, b"", Jsonb([])),
        (3, None, None, dt.date(1, 1, 1), dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=utc),
         None, None, None),
    ]
    fmt = " (FORMAT BINARY)" if binary else ""
    types = ["int8", "text", "numeric", "date", "timestamptz", "bool", "bytea", "jsonb"]
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN{fmt}") as copy:
            if binary:
                copy.set_types(types)
            for r in rows:
                copy.write_row(r)
        assert cur.rowcount == 3
        with cur.copy(f"COPY {t} TO STDOUT{fmt}") as copy:
            copy.set_types(types)
            got = list(copy.rows())
    want = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows]
    got = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in got]
    want = [r[:7] + (None if r[7] is None else r[7].obj,) for r in want]
    assert got == want


def test_psycopg2_copy_expert_both_ways(connect2, fresh_table):
    conn = connect2()
    conn.autocommit = True
    t = fresh_table("pg2")
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE {t} (a int, b text)")
    cur.copy_expert(f"COPY {t} FROM STDIN WITH (FORMAT csv)",
                    io.StringIO("1,one\n2,\"two, too\"\n3,\n"))
    assert cur.rowcount == 3
    out = io.StringIO()
    cur.copy_expert(f"COPY {t} TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)", out)
    assert out.getvalue() == '"1","one"\n"2","two, too"\n"3",\n'
    cur.copy_expert(f"COPY (SELECT b FROM {t} ORDER BY a DESC) TO STDOUT", out)
    assert out.getvalue().endswith("\\N\ntwo, too\none\n")


def test_large_copy_streams_both_ways(connect3, fresh_table):
    """More rows than fit in one output flush or one insert batch, in pieces both ways."""
    conn = connect3(autocommit=True)
    t = fresh_table("big")
    conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, label text, n float8)")
    total = 30000
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN") as copy:
            for i in range(total):
                copy.write(f"{i}\tlabel {i} {'x' * (i % 50)}\t{i / 7}\n")
        assert cur.rowcount == total
        with cur.copy(f"COPY {t} TO STDOUT") as copy:
            count = sum(1 for _ in copy.rows())
    assert count == total
    assert conn.execute(f"SELECT sum(id), max(length(label)) FROM {t}").fetchone() == (
        total * (total - 1) // 2, len(f"label {total - 1} ") + 49)


def test_copy_in_multi_statement_simple_query(endpoint, connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("multi")
    conn.execute(f"CREATE TABLE {t} (a int)")
    r = run_cmd(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-c",
                 f"COPY {t} FROM STDIN; SELECT count(*) FROM {t}"], endpoint.psql_env(),
                input_text="1\n2\n3\n\\.\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "3"


def test_copy_where_excludes_rows(connect3, fresh_table):
    conn = connect3(autocommit=True)
    t = fresh_table("where")
    conn.execute(f"CREATE TABLE {t} (a int, b text)")
    with conn.cursor() as cur:
        with cur.copy(f"COPY {t} FROM STDIN WHERE a % 2 = 0 AND b <> 'skip'") as copy:
            copy.write(b"1\tx\n2\ty\n3\tz\n4\tskip\n6\tw\n")
        assert cur.rowcount == 2
    assert conn.execute(f"SELECT a FROM {t} ORDER BY a").fetchall() == [(2,), (6,)]


def test_copy_with_server_file_or_program_needs_privilege(target):
    """Refused to a user without the privilege, before the relation is even looked at."""
    import psycopg
    with psycopg.connect(target.scram_endpoint().dsn(), autocommit=True) as conn:
        for sql in ("COPY e2e_no_such_table FROM '/tmp/pgw-no-such-file'",
                    "COPY e2e_no_such_table TO '/tmp/pgw-out'",
                    "COPY e2e_no_such_table FROM PROGRAM 'true'",
                    "COPY (SELECT 1) TO PROGRAM 'cat'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
                conn.execute(sql)
            assert info.value.diag.message_hint == (
                "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for "
                "anyone."), sql
