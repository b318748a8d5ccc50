"""The SQLite database file: held exclusively by the running gateway (default), shareable with
--sqlite-exclusive false, and a plain SQLite file with every committed row once it stops."""

import os
import sqlite3

import pytest

from conftest import DBNAME, TARGET, TRUST_USER, GatewayProcess

pytestmark = pytest.mark.skipif(TARGET != "gateway", reason="the gateway's SQLite file")


def _start(tmp_path, name, extra):
    db = os.path.join(str(tmp_path), f"{name}.db")
    proc = GatewayProcess(str(tmp_path), name, "sqlite:" + db, "trust",
                          os.path.join(str(tmp_path), "users"))
    proc.args += extra
    proc.start()
    return proc, db


def _dsn(proc):
    return (f"host=127.0.0.1 port={proc.port} dbname={DBNAME} user={TRUST_USER} "
            f"connect_timeout=5 sslmode=disable")


def _count_outside(db):
    with sqlite3.connect(db, timeout=0.2) as ext:
        return ext.execute("SELECT count(*) FROM kept").fetchone()[0]


def test_exclusive_file_is_locked_while_serving_and_complete_after(tmp_path):
    import psycopg
    proc, db = _start(tmp_path, "excl", [])
    try:
        with psycopg.connect(_dsn(proc), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (id int PRIMARY KEY)")
            conn.execute("INSERT INTO kept SELECT g FROM generate_series(1, 100) AS g")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                _count_outside(db)
            assert not os.path.exists(db + "-shm"), "the WAL index should live in memory"
    finally:
        proc.stop()
    assert _count_outside(db) == 100


def test_shared_file_can_be_read_by_another_process(tmp_path):
    import psycopg
    proc, db = _start(tmp_path, "shared", ["--sqlite-exclusive", "false"])
    try:
        with psycopg.connect(_dsn(proc), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (id int PRIMARY KEY)")
            conn.execute("INSERT INTO kept VALUES (1), (2)")
            assert _count_outside(db) == 2
    finally:
        proc.stop()
