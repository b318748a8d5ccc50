"""The v3 protocol message by message, through the raw client in rawpg.py."""

import re
import struct

import pytest

import rawpg
from rawpg import command_tag, data_row, error_fields, parameter_description, row_description


@pytest.fixture
def raw(endpoint):
    conn = rawpg.RawConnection(endpoint.host, endpoint.port)
    msgs = conn.startup(endpoint.user, endpoint.dbname)
    assert msgs[-1] == ("Z", b"I"), f"startup did not end with ReadyForQuery 'I': {msgs[-1]}"
    conn.startup_messages = msgs
    yield conn
    conn.close()


def types_of(msgs):
    return "".join(t for t, _ in msgs)


def read_n(conn, n):
    return [conn.read() for _ in range(n)]


def rows_of(msgs):
    return [data_row(b) for t, b in msgs if t == "D"]


def test_startup_parameters_and_backend_key(raw):
    msgs = raw.startup_messages
    assert msgs[0] == ("R", struct.pack("!i", 0)), "trust login starts with AuthenticationOk"
    assert "K" in types_of(msgs), "BackendKeyData missing"
    assert types_of(msgs).index("K") < len(msgs) - 1
    p = raw.parameters
    assert re.match(r"^\d+(\.\d+)*", p.get("server_version", "")), f"server_version {p}"
    expected = {
        "server_encoding": "UTF8",
        "client_encoding": "UTF8",
        "DateStyle": "ISO, MDY",
        "integer_datetimes": "on",
        "standard_conforming_strings": "on",
    }
    for name, value in expected.items():
        assert p.get(name) == value, f"ParameterStatus {name} = {p.get(name)!r}, want {value!r}"


def test_simple_query_messages(raw):
    raw.query("SELECT 1 AS one, 'x'::text AS two UNION ALL SELECT 2, NULL")
    msgs = raw.read_until()
    assert types_of(msgs) == "TDDCZ", types_of(msgs)
    fields = row_description(msgs[0][1])
    assert [(f["name"], f["type_oid"], f["fmt"]) for f in fields] == [("one", 23, 0),
                                                                      ("two", 25, 0)]
    assert rows_of(msgs) == [[b"1", b"x"], [b"2", None]]
    assert command_tag(msgs[3][1]) == "SELECT 2"
    assert msgs[-1] == ("Z", b"I")


def test_execute_max_rows_suspends_portal(raw):
    raw.parse("", "SELECT g FROM generate_series(1, 5) AS g")
    raw.bind("", "")
    raw.execute("", max_rows=2)
    raw.flush()
    msgs = read_n(raw, 5)
    assert types_of(msgs) == "12DDs", f"first Execute(max_rows=2): {types_of(msgs)}"
    assert rows_of(msgs) == [[b"1"], [b"2"]]
    raw.execute("", max_rows=0)
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "DDDCZ", f"second Execute: {types_of(msgs)}"
    assert rows_of(msgs) == [[b"3"], [b"4"], [b"5"]]
    assert command_tag(msgs[3][1]) == "SELECT 3"
    assert msgs[-1] == ("Z", b"I")


def test_named_statement_and_portals(raw):
    raw.parse("e2e_stmt", "SELECT $1::int4 + 1 AS next", [23])
    raw.bind("e2e_portal_a", "e2e_stmt", params=["41"])
    raw.bind("e2e_portal_b", "e2e_stmt", params=[struct.pack("!i", 99)], param_formats=[1],
             result_formats=[1])
    raw.execute("e2e_portal_b")
    raw.execute("e2e_portal_a")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "122DCDCZ", types_of(msgs)
    assert rows_of(msgs) == [[struct.pack("!i", 100)], [b"42"]], "binary result, then text"
    # The named statement survives Sync; it can be bound again and then closed.
    raw.bind("", "e2e_stmt", params=["1"])
    raw.execute("")
    raw.close_object("S", "e2e_stmt")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "2DC3Z", types_of(msgs)
    assert rows_of(msgs) == [[b"2"]]
    raw.bind("", "e2e_stmt", params=["1"])
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "EZ"
    fields = error_fields(msgs[0][1])
    assert fields["C"] == "26000" and fields["M"] == 'prepared statement "e2e_stmt" does not exist'


def test_duplicate_named_statement_is_an_error(raw):
    raw.parse("e2e_dup", "SELECT 1")
    raw.parse("e2e_dup", "SELECT 2")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "1EZ", types_of(msgs)
    fields = error_fields(msgs[1][1])
    assert fields["C"] == "42P05" and fields["M"] == 'prepared statement "e2e_dup" already exists'


def test_unnamed_portal_does_not_survive_sync(raw):
    raw.parse("", "SELECT 1")
    raw.bind("", "")
    raw.sync()
    assert types_of(raw.read_until()) == "12Z"
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "EZ"
    fields = error_fields(msgs[0][1])
    assert fields["C"] == "34000" and fields["M"] == 'portal "" does not exist'


def test_close_portal_and_missing_objects(raw):
    raw.parse("", "SELECT 5")
    raw.bind("e2e_p", "")
    raw.close_object("P", "e2e_p")
    raw.close_object("S", "no_such_statement")  # closing what does not exist is not an error
    raw.close_object("P", "no_such_portal")
    raw.execute("e2e_p")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12333EZ", types_of(msgs)
    assert error_fields(msgs[5][1])["C"] == "34000"


def test_describe_statement(raw):
    raw.parse("e2e_desc", "SELECT $1::int4 AS a, $2::text AS b, $1 + 0.5 AS c")
    raw.describe("S", "e2e_desc")
    raw.parse("e2e_ins", "CREATE TEMP TABLE e2e_tmp_desc (x int)")
    raw.describe("S", "e2e_ins")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "1tT1tnZ", types_of(msgs)
    assert parameter_description(msgs[1][1]) == [23, 25], "inferred parameter types"
    fields = row_description(msgs[2][1])
    assert [(f["name"], f["type_oid"], f["fmt"]) for f in fields] == [
        ("a", 23, 0), ("b", 25, 0), ("c", 1700, 0)]
    assert parameter_description(msgs[4][1]) == []


def test_describe_portal(raw):
    raw.parse("", "SELECT 7::int8 AS big, 'x'::varchar(3) AS v")
    raw.bind("", "", result_formats=[1, 0])
    raw.describe("P", "")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12TDCZ", types_of(msgs)
    fields = row_description(msgs[2][1])
    assert [(f["name"], f["type_oid"], f["fmt"]) for f in fields] == [("big", 20, 1),
                                                                      ("v", 1043, 0)]
    assert rows_of(msgs) == [[struct.pack("!q", 7), b"x"]]


def test_error_in_extended_batch_discards_until_sync(raw):
    raw.parse("", "SELECT 1")
    raw.bind("", "")
    raw.execute("")
    raw.parse("", "SELECT * FROM e2e_no_such_relation")
    raw.parse("", "SELECT 2")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12DCEZ", f"messages after the error must be skipped: {msgs}"
    fields = error_fields(msgs[4][1])
    assert fields["C"] == "42P01" and fields["S"] == "ERROR"
    assert msgs[-1] == ("Z", b"I")
    raw.parse("", "SELECT 3")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12DCZ" and rows_of(msgs) == [[b"3"]]


def test_runtime_error_during_execute(raw):
    raw.parse("", "SELECT 10 / x FROM (VALUES (1), (0), (2)) AS v(x)")
    raw.bind("", "")
    raw.execute("")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12DEZ", types_of(msgs)
    assert rows_of(msgs) == [[b"10"]]
    assert error_fields(msgs[3][1])["C"] == "22012"


def test_flush_delivers_pending_results_without_sync(raw):
    raw.parse("e2e_flush", "SELECT 1")
    raw.flush()
    assert raw.read() == ("1", b""), "ParseComplete must arrive after Flush"
    raw.bind("", "e2e_flush")
    raw.execute("")
    raw.flush()
    msgs = read_n(raw, 3)
    assert types_of(msgs) == "2DC"
    raw.sync()
    assert raw.read() == ("Z", b"I")


def test_ready_for_query_status_bytes(raw):
    def run(sql):
        raw.query(sql)
        return raw.read_until()

    msgs = run("BEGIN")
    assert types_of(msgs) == "CZ" and msgs[-1] == ("Z", b"T")
    msgs = run("SELECT 1 / 0")
    assert types_of(msgs) == "EZ" and msgs[-1] == ("Z", b"E")
    msgs = run("SELECT 1")
    assert types_of(msgs) == "EZ" and msgs[-1] == ("Z", b"E")
    assert error_fields(msgs[0][1])["C"] == "25P02"
    msgs = run("ROLLBACK")
    assert command_tag(msgs[0][1]) == "ROLLBACK" and msgs[-1] == ("Z", b"I")
    # The same through the extended protocol.
    raw.parse("", "BEGIN")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12CZ" and msgs[-1] == ("Z", b"T")
    msgs = run("COMMIT")
    assert msgs[-1] == ("Z", b"I")


def test_empty_query(raw):
    raw.query("")
    assert raw.read_until() == [("I", b""), ("Z", b"I")]
    raw.query("  ;  ")
    assert types_of(raw.read_until()) == "IZ"
    raw.parse("", "")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    assert types_of(raw.read_until()) == "12IZ"


def test_multi_statement_query_is_one_implicit_transaction(raw, fresh_table):
    t = fresh_table()

    def run(sql):
        raw.query(sql)
        return raw.read_until()

    assert run(f"CREATE TABLE {t} (v int)")[-1] == ("Z", b"I")
    msgs = run(f"INSERT INTO {t} VALUES (1); SELECT 1 / 0; INSERT INTO {t} VALUES (2)")
    assert types_of(msgs) == "CEZ", types_of(msgs)
    assert msgs[-1] == ("Z", b"I")
    msgs = run(f"SELECT count(*) FROM {t}")
    assert rows_of(msgs) == [[b"0"]], "the failure must roll back the first INSERT too"

    msgs = run(f"BEGIN; INSERT INTO {t} VALUES (10); COMMIT; "
               f"INSERT INTO {t} VALUES (20); SELECT 1 / 0")
    assert types_of(msgs) == "CCCCEZ", types_of(msgs)
    msgs = run(f"SELECT v FROM {t} ORDER BY v")
    assert rows_of(msgs) == [[b"10"]], "explicit COMMIT keeps 10; the implicit tail rolls back"


def test_terminate_closes_socket(raw):
    raw.terminate()
    raw.sock.settimeout(5)
    assert raw.sock.recv(1) == b"", "server must close the connection after Terminate"
