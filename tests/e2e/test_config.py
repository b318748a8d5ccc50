"""`iris-pgwire serve --config FILE`: TOML keys of every type, flags overriding the file, and
clear errors for unknown keys and wrong value types."""

import os
import subprocess

import pytest

from conftest import DBNAME, PGW_BIN, TARGET, TRUST_USER, GatewayProcess

pytestmark = pytest.mark.skipif(TARGET != "gateway", reason="the gateway's configuration")


def _write(tmp_path, text):
    path = os.path.join(str(tmp_path), "gateway.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_config_file_keys_and_flag_override(tmp_path):
    import psycopg
    db = os.path.join(str(tmp_path), "cfg.db")
    config = _write(tmp_path, f"""
backend = "sqlite:{db}"
max_connections = 7
sqlite_exclusive = false
log_json = true
server_version = "15.9"
""")
    proc = GatewayProcess(str(tmp_path), "cfg", "sqlite::memory:", "trust",
                          os.path.join(str(tmp_path), "users"))
    # --backend on the command line overrides the file's; the other keys come from the file.
    proc.args += ["--config", config]
    proc.start()
    try:
        dsn = (f"host=127.0.0.1 port={proc.port} dbname={DBNAME} user={TRUST_USER} "
               f"connect_timeout=5 sslmode=disable")
        with psycopg.connect(dsn, autocommit=True) as conn:
            assert conn.execute("SHOW server_version").fetchone() == ("15.9",)
            conn.execute("CREATE TABLE cfg_t (id int PRIMARY KEY)")
    finally:
        proc.stop()
    assert not os.path.exists(db), "the --backend flag should have overridden the file"
    with open(proc.log) as f:
        first = f.readline()
    assert first.startswith("{"), f"log_json = true should log JSON lines: {first!r}"


@pytest.mark.parametrize("text, message", [
    ("no_such_key = 1\n", 'unrecognized configuration parameter "no_such_key"'),
    ('max_connections = "many"\n', 'invalid value for parameter "max_connections"'),
    ("sqlite_exclusive = 1\n", 'invalid value for parameter "sqlite_exclusive"'),
    ("listen = [\n", "could not parse configuration file"),
])
def test_config_file_errors(tmp_path, text, message):
    config = _write(tmp_path, text)
    r = subprocess.run([PGW_BIN, "serve", "--config", config, "--listen", "127.0.0.1:0"],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 2
    assert message in r.stderr


@pytest.mark.budget(30)
def test_busy_timeout_caps_every_lock_wait(tmp_path):
    # --busy-timeout-ms is a server-wide cap: a statement, or a COPY, that waits for another
    # session's lock past it gets 55P03, even when its own lock_timeout is longer.
    import psycopg
    from psycopg import errors
    db = os.path.join(str(tmp_path), "busy.db")
    proc = GatewayProcess(str(tmp_path), "busy", f"sqlite:{db}", "trust",
                          os.path.join(str(tmp_path), "users"),
                          extra_args=["--busy-timeout-ms", "300"])
    proc.start()
    dsn = (f"host=127.0.0.1 port={proc.port} dbname={DBNAME} user={TRUST_USER} "
           f"connect_timeout=5 sslmode=disable")
    try:
        with psycopg.connect(dsn, autocommit=True) as holder, \
                psycopg.connect(dsn, autocommit=True) as waiter:
            holder.execute("CREATE TABLE busy_t (id int PRIMARY KEY, v int)")
            holder.execute("INSERT INTO busy_t VALUES (1, 0)")
            holder.execute("BEGIN")
            holder.execute("UPDATE busy_t SET v = 1 WHERE id = 1")
            waiter.execute("SET lock_timeout = '1min'")
            with pytest.raises(errors.LockNotAvailable) as info:
                waiter.execute("UPDATE busy_t SET v = 2 WHERE id = 1")
            assert info.value.diag.message_primary == "could not obtain lock on relation"
            with pytest.raises(errors.LockNotAvailable):
                with waiter.cursor().copy("COPY busy_t FROM STDIN") as copy:
                    copy.write("2\t2\n")
            holder.execute("COMMIT")
            assert holder.execute("SELECT v FROM busy_t").fetchall() == [(1,)]
    finally:
        proc.stop()
