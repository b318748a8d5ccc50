"""The COPY sub-protocol message by message (rawpg): CopyInResponse / CopyOutResponse with
their format codes, one CopyData per row out, CopyData in any chunking, CopyDone / CopyFail,
Sync and Flush ignored during COPY FROM STDIN, the error paths of both query protocols."""

import struct

import pytest

import rawpg
from rawpg import command_tag, error_fields

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
TRAILER = b"\xff\xff"


@pytest.fixture
def raw(endpoint):
    conn = rawpg.RawConnection(endpoint.host, endpoint.port)
    msgs = conn.startup(endpoint.user, endpoint.dbname)
    assert msgs[-1] == ("Z", b"I")
    yield conn
    conn.close()


@pytest.fixture
def table(raw, fresh_table):
    name = fresh_table("proto")
    raw.query(f"CREATE TABLE {name} (a int, b text)")
    assert raw.read_until()[-1] == ("Z", b"I")
    return name


def types_of(msgs):
    return "".join(t for t, _ in msgs)


def copy_response(body):
    fmt, n = struct.unpack_from("!bh", body)
    return fmt, list(struct.unpack_from(f"!{n}h", body, 3))


def query_rows(raw, sql):
    raw.query(sql)
    msgs = raw.read_until()
    return [rawpg.data_row(b) for t, b in msgs if t == "D"]


def rows_seen_by_a_new_session(endpoint, table):
    other = rawpg.RawConnection(endpoint.host, endpoint.port)
    try:
        assert other.startup(endpoint.user, endpoint.dbname)[-1] == ("Z", b"I")
        return int(query_rows(other, f"SELECT count(*) FROM {table}")[0][0])
    finally:
        other.close()


def test_simple_copy_in_with_lines_split_across_messages(raw, table):
    raw.query(f"COPY {table} FROM STDIN")
    t, body = raw.read()
    assert t == "G" and copy_response(body) == (0, [0, 0])
    for piece in (b"1\tone\n2\tt", b"wo\n", b"3\tthree\n"):
        raw.send("d", piece)
    raw.send("c")
    msgs = raw.read_until()
    assert types_of(msgs) == "CZ" and command_tag(msgs[0][1]) == "COPY 3"
    assert query_rows(raw, f"SELECT b FROM {table} ORDER BY a") == [[b"one"], [b"two"],
                                                                   [b"three"]]


def test_extended_copy_in_binary_with_pipelined_sync(raw, table):
    raw.parse("", f"COPY {table} FROM STDIN (FORMAT binary)")
    raw.bind("", "")
    raw.describe("P", "")
    raw.execute("")
    raw.sync()  # libpq sends Sync at once; the server ignores it during COPY FROM STDIN
    msgs = [raw.read() for _ in range(4)]
    assert types_of(msgs) == "12nG"
    assert copy_response(msgs[3][1]) == (1, [1, 1])
    row = struct.pack("!hi", 2, 4) + struct.pack("!i", 7) + struct.pack("!i", 3) + b"bin"
    raw.send("d", HEADER + row[:5])
    raw.send("d", row[5:] + TRAILER)
    raw.send("c")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "CZ", msgs
    assert command_tag(msgs[0][1]) == "COPY 1"
    assert query_rows(raw, f"SELECT a, b FROM {table}") == [[b"7", b"bin"]]


def test_copy_out_sends_one_copydata_per_row(raw, table):
    raw.query(f"INSERT INTO {table} VALUES (1, 'x'), (2, NULL), (3, 'z')")
    raw.read_until()
    raw.query(f"COPY {table} TO STDOUT (FORMAT csv, HEADER)")
    msgs = raw.read_until()
    assert types_of(msgs) == "HddddcCZ"
    assert copy_response(msgs[0][1]) == (0, [0, 0])
    assert [b for t, b in msgs if t == "d"] == [b"a,b\n", b"1,x\n", b"2,\n", b"3,z\n"]
    assert msgs[5] == ("c", b"")
    assert command_tag(msgs[6][1]) == "COPY 3"


def test_binary_copy_out_framing(raw, table):
    raw.query(f"COPY {table} TO STDOUT (FORMAT binary)")
    msgs = raw.read_until()
    assert types_of(msgs) == "HdcCZ"
    assert msgs[1][1] == HEADER + TRAILER, "no rows: signature and trailer in one message"
    raw.query(f"INSERT INTO {table} VALUES (5, 'e')")
    raw.read_until()
    raw.parse("", f"COPY {table} TO STDOUT (FORMAT binary)")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "12HddcCZ"
    assert copy_response(msgs[2][1]) == (1, [1, 1])
    row = struct.pack("!hi", 2, 4) + struct.pack("!i", 5) + struct.pack("!i", 1) + b"e"
    assert msgs[3][1] == HEADER + row, "the signature travels with the first row"
    assert msgs[4][1] == TRAILER


def test_error_mid_copy_in_simple_protocol(raw, table):
    raw.query(f"COPY {table} FROM STDIN")
    assert raw.read()[0] == "G"
    raw.send("d", b"1\tok\nbad\tline\n")
    msgs = raw.read_until()
    assert types_of(msgs) == "EZ", "error and ReadyForQuery at once, before CopyDone"
    fields = error_fields(msgs[0][1])
    assert fields["C"] == "22P02" and fields["W"] == f'COPY {table}, line 2, column a: "bad"'
    raw.send("d", b"2\tignored\n")  # the client's remaining data is ignored
    raw.send("c")
    assert query_rows(raw, f"SELECT count(*) FROM {table}") == [[b"0"]]


def test_copy_fail_in_extended_protocol_discards_until_sync(raw, table):
    raw.parse("", f"COPY {table} FROM STDIN")
    raw.bind("", "")
    raw.execute("")
    raw.sync()
    assert types_of([raw.read() for _ in range(3)]) == "12G"
    raw.send("d", b"1\tx\n")
    raw.send("f", b"client gave up\0")
    raw.send("d", b"2\ty\n")
    raw.sync()
    msgs = raw.read_until()
    assert types_of(msgs) == "EZ"
    fields = error_fields(msgs[0][1])
    assert (fields["C"], fields["M"]) == ("57014", "COPY from stdin failed: client gave up")
    assert query_rows(raw, f"SELECT count(*) FROM {table}") == [[b"0"]]


def test_flush_and_sync_are_ignored_during_copy_in(raw, table):
    raw.query(f"COPY {table} FROM STDIN")
    assert raw.read()[0] == "G"
    raw.flush()
    raw.sync()
    raw.send("d", b"1\tx\n")
    raw.send("c")
    msgs = raw.read_until()
    assert types_of(msgs) == "CZ" and command_tag(msgs[0][1]) == "COPY 1"


def test_unexpected_message_during_copy_in_ends_the_connection(endpoint, raw, table):
    raw.query(f"COPY {table} FROM STDIN")
    assert raw.read()[0] == "G"
    raw.send("d", b"1\tx\n")
    raw.query("SELECT 1")
    msgs = []
    with pytest.raises(ConnectionError):
        for _ in range(10):
            msgs.append(raw.read())
    assert types_of(msgs) == "EE"
    first, second = error_fields(msgs[0][1]), error_fields(msgs[1][1])
    assert (first["S"], first["C"], first["M"], first["W"]) == (
        "ERROR", "08P01", "unexpected message type 0x51 during COPY from stdin",
        f"COPY {table}, line 2")
    assert (second["S"], second["C"], second["M"]) == (
        "FATAL", "08P01", "terminating connection because protocol synchronization was lost")
    assert rows_seen_by_a_new_session(endpoint, table) == 0


def test_copy_then_more_statements_in_one_query(raw, table):
    raw.query(f"COPY {table} FROM STDIN; SELECT count(*) FROM {table}")
    assert raw.read()[0] == "G"
    raw.send("d", b"1\tx\n2\ty\n\\.\n")
    raw.send("c")
    msgs = raw.read_until()
    assert types_of(msgs) == "CTDCZ"
    assert command_tag(msgs[0][1]) == "COPY 2"
    assert rawpg.data_row(msgs[2][1]) == [b"2"]


def test_terminate_during_copy_in_stores_nothing(endpoint, raw, table):
    raw.query(f"COPY {table} FROM STDIN")
    assert raw.read()[0] == "G"
    raw.send("d", b"1\tx\n")
    raw.terminate()
    raw.close()
    assert rows_seen_by_a_new_session(endpoint, table) == 0
