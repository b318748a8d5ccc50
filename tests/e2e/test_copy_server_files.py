"""COPY to and from server files and programs, for a user allowed to: on PostgreSQL the trust
user is a superuser; on the gateway a dedicated instance runs with --copy-file-users and
--copy-program-users naming it (the shared instance allows nobody, see test_copy_clients)."""

import os
import pathlib
import shutil
import tempfile

import psycopg
import pytest
from psycopg import errors

from conftest import DBNAME, TARGET, TRUST_USER, GatewayProcess


@pytest.fixture(scope="module")
def privileged(target, tmp_path_factory):
    """DSN of a server where TRUST_USER may use server files and programs."""
    if TARGET == "postgres":
        yield target.main.dsn()
        return
    tmp = str(tmp_path_factory.mktemp("copyfiles"))
    gw = GatewayProcess(tmp, "files", "sqlite:" + os.path.join(tmp, "files.db"), "trust",
                        os.path.join(tmp, "users"))
    gw.args += ["--copy-file-users", f"someone, {TRUST_USER}", "--copy-program-users",
                TRUST_USER]
    gw.start()
    try:
        yield (f"host=127.0.0.1 port={gw.port} dbname={DBNAME} user={TRUST_USER} "
               f"connect_timeout=10 sslmode=disable")
    finally:
        gw.stop()


@pytest.fixture
def shared_dir():
    """A directory the server process can reach and write (PostgreSQL runs as user postgres,
    and pytest's own temp dirs are private to us)."""
    d = tempfile.mkdtemp(prefix="pgw-e2e-copyfiles-")
    os.chmod(d, 0o777)
    yield pathlib.Path(d)
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def conn(privileged, watchdog):
    c = watchdog.register(psycopg.connect(privileged, autocommit=True))
    yield c
    c.close()


def make_table(conn, name, rows=3):
    conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute(f"CREATE TABLE {name} (id int, name text, born date)")
    for i in range(1, rows + 1):
        conn.execute(f"INSERT INTO {name} VALUES ({i}, 'n,{i}', '2000-01-0{i}')")


def test_copy_to_file_and_back(conn, shared_dir):
    make_table(conn, "e2e_files_src")
    path = shared_dir / "out.csv"
    cur = conn.execute(f"COPY e2e_files_src TO '{path}' (FORMAT csv, HEADER)")
    assert cur.rowcount == 3
    assert path.read_text() == ("id,name,born\n1,\"n,1\",2000-01-01\n2,\"n,2\",2000-01-02\n"
                                "3,\"n,3\",2000-01-03\n")
    make_table(conn, "e2e_files_dst", rows=0)
    cur = conn.execute(f"COPY e2e_files_dst FROM '{path}' (FORMAT csv, HEADER match)")
    assert cur.rowcount == 3
    assert conn.execute("SELECT count(*), max(name) FROM e2e_files_dst").fetchone() == (3, "n,3")


def test_copy_binary_file_round_trip(conn, shared_dir):
    make_table(conn, "e2e_files_bin")
    path = shared_dir / "out.bin"
    conn.execute(f"COPY e2e_files_bin TO '{path}' (FORMAT binary)")
    data = path.read_bytes()
    assert data.startswith(b"PGCOPY\n\xff\r\n\x00") and data.endswith(b"\xff\xff")
    conn.execute(f"COPY e2e_files_bin FROM '{path}' (FORMAT binary)")
    assert conn.execute("SELECT count(*) FROM e2e_files_bin").fetchone() == (6,)


def test_copy_with_programs(conn, shared_dir):
    make_table(conn, "e2e_files_prog")
    path = shared_dir / "prog.txt"
    cur = conn.execute(f"COPY (SELECT id, name FROM e2e_files_prog ORDER BY id) "
                       f"TO PROGRAM 'cat > {path}'")
    assert cur.rowcount == 3
    assert path.read_text() == "1\tn,1\n2\tn,2\n3\tn,3\n"
    cur = conn.execute(f"COPY e2e_files_prog (id, name) FROM PROGRAM 'cat {path}'")
    assert cur.rowcount == 3
    with pytest.raises(errors.ExternalRoutineException) as info:
        conn.execute("COPY e2e_files_prog FROM PROGRAM 'exit 3'")
    assert info.value.diag.message_primary == 'program "exit 3" failed'
    assert info.value.diag.message_detail == "child process exited with exit code 3"
    assert conn.execute("SELECT count(*) FROM e2e_files_prog").fetchone() == (6,)


def test_file_errors_as_postgresql_words_them(conn, shared_dir):
    make_table(conn, "e2e_files_err", rows=0)
    missing = shared_dir / "missing.csv"
    with pytest.raises(errors.UndefinedFile) as info:
        conn.execute(f"COPY e2e_files_err FROM '{missing}'")
    assert info.value.diag.message_primary == (
        f'could not open file "{missing}" for reading: No such file or directory')
    assert info.value.diag.message_hint.startswith("COPY FROM instructs the PostgreSQL server")
    with pytest.raises(errors.InvalidName) as info:
        conn.execute("COPY e2e_files_err TO 'relative.csv'")
    assert info.value.diag.message_primary == "relative path not allowed for COPY to file"
    bad = shared_dir / "bad.csv"
    bad.write_text("1,x,2000-01-01\n2,y,2000-13-01\n")
    with pytest.raises(errors.DatetimeFieldOverflow) as info:
        conn.execute(f"COPY e2e_files_err FROM '{bad}' (FORMAT csv)")
    assert info.value.diag.context == 'COPY e2e_files_err, line 2, column born: "2000-13-01"'
    assert conn.execute("SELECT count(*) FROM e2e_files_err").fetchone() == (0,)
