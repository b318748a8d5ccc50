"""End-to-end fixtures: one server under test per pytest session, real clients against it.

The same tests run against two targets, chosen by the environment variable PGW_TARGET:
  gateway  (default) the iris-pgwire binary (PGW_BIN, default build/src/iris-pgwire) on a
           SQLite file in a temp dir, with --auth trust; a second instance with
           --auth scram-sha-256 serves the authentication tests.
  postgres a throwaway PostgreSQL 15 cluster (initdb/pg_ctl from PG_BINDIR, default
           /usr/lib/postgresql/15/bin), run as user postgres when we are root, on an ephemeral
           127.0.0.1 port; pg_hba trusts TRUST_USER and asks SCRAM of everybody else. The same
           cluster serves the authentication tests.
Running the suite against `postgres` proves that the tests encode real PostgreSQL behaviour.

With PGW_TARGET=gateway, PGW_BACKEND picks the gateway's backend:
  sqlite        (default) an SQLite file in the temp dir;
  odbc-postgres the ODBC backend through psqlODBC to a throwaway PostgreSQL 15 (started as
                for PGW_TARGET=postgres; DSN-less connection string, nothing in /etc);
  odbc-sqlite   the ODBC backend through sqliteodbc to an SQLite file;
  odbc-iris     the ODBC backend to a real InterSystems IRIS: IRIS_DSN is the backend URI
                (odbc:DSN=... or iris://user:pw@host:1972/NS); skipped when unset.
Tests that cannot hold through a backend are skipped with the reason (BACKEND_SKIPS below).

Every wait is bounded: server start <= 20 s, subprocesses have timeouts, and an autouse
watchdog cancels (then shuts down the sockets of) client connections registered with it when a
test runs longer than its budget (default 30 s, `@pytest.mark.budget(seconds)` to change).
On failure the server log lines written during the test are attached to the report.
"""

import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = os.environ.get("PGW_TARGET", "gateway")
BACKEND = os.environ.get("PGW_BACKEND", "sqlite")
PGW_BIN = os.environ.get("PGW_BIN", os.path.join(REPO_ROOT, "build", "src", "iris-pgwire"))
PG_BINDIR = os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin")

DBNAME = "e2e_db"
TRUST_USER = "e2e_trust"
SCRAM_USER = "e2e_scram"
SCRAM_PASSWORD = "e2e-S3cret pass"
UNKNOWN_USER = "e2e_nobody"

# libpq reads PG* variables (PGOPTIONS, PGAPPNAME, PGDATESTYLE, PGTZ, ...): the tests must not
# depend on the caller's environment, so drop them (but keep our own PGW_* and PG_BINDIR).
for _key in [k for k in os.environ if k.startswith("PG") and not k.startswith(("PGW_", "PG_"))]:
    del os.environ[_key]

SERVER_START_TIMEOUT = 20.0
CONNECT_TIMEOUT = 10
DEFAULT_TEST_BUDGET = 30.0
CLEANUP_BUDGET = 10.0
LOG_TAIL_BYTES = 20000


def free_port():
    """An ephemeral TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(host, port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1.0):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Endpoint:
    """Where a server listens and how to reach it with each client library."""

    def __init__(self, host, port, dbname, user, password=None):
        self.host = host
        self.port = port
        self.dbname = dbname
        self.user = user
        self.password = password

    def dsn(self, **overrides):
        """A libpq conninfo string; keyword overrides replace or add parameters."""
        params = {
            "host": self.host,
            "port": str(self.port),
            "dbname": self.dbname,
            "user": self.user,
            "connect_timeout": str(CONNECT_TIMEOUT),
            "sslmode": "disable",
        }
        if self.password is not None:
            params["password"] = self.password
        for key, value in overrides.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return " ".join(f"{k}='{_quote(v)}'" for k, v in params.items())

    def psql_env(self, user=None, password=None):
        env = dict(os.environ)
        for key in list(env):
            if key.startswith("PG"):
                del env[key]
        env.update(
            PGHOST=self.host,
            PGPORT=str(self.port),
            PGDATABASE=self.dbname,
            PGUSER=user or self.user,
            PGCONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            PGSSLMODE="disable",
            PGAPPNAME="e2e_psql",
        )
        pw = password if password is not None else self.password
        if pw is not None:
            env["PGPASSWORD"] = pw
        return env


def _quote(value):
    return str(value).replace("\\", "\\\\").replace("'", "\\'")


class Target:
    """The servers under test: `main` (trust user) and `auth` (SCRAM required)."""

    kind = None

    def __init__(self):
        self.tmpdir = None
        self.main = None
        self.auth = None
        self.logs = []  # (label, path)

    def scram_endpoint(self, user=SCRAM_USER, password=SCRAM_PASSWORD):
        return Endpoint(self.auth.host, self.auth.port, DBNAME, user, password)

    def log_tail(self, path, start):
        try:
            with open(path, "rb") as f:
                f.seek(max(start, os.path.getsize(path) - LOG_TAIL_BYTES))
                return f.read().decode("utf-8", "replace")
        except OSError as e:
            return f"<cannot read {path}: {e}>"

    def log_sizes(self):
        sizes = {}
        for _, path in self.logs:
            try:
                sizes[path] = os.path.getsize(path)
            except OSError:
                sizes[path] = 0
        return sizes


class PostgresTarget(Target):
    kind = "postgres"

    def __init__(self):
        super().__init__()
        self.run_as = None
        self.datadir = None

    def _run(self, args, timeout=60, **kw):
        if self.run_as:
            args = ["runuser", "-u", self.run_as, "--"] + args
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)

    def start(self):
        self.tmpdir = tempfile.mkdtemp(prefix="pgw-e2e-pg-")
        if os.geteuid() == 0:
            self.run_as = "postgres"
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmpdir, pw.pw_uid, pw.pw_gid)
        self.datadir = os.path.join(self.tmpdir, "data")
        log = os.path.join(self.tmpdir, "postgres.log")
        self.logs.append(("postgres log", log))
        r = self._run([os.path.join(PG_BINDIR, "initdb"), "-D", self.datadir, "-U", "postgres",
                       "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed: {r.stdout}\n{r.stderr}")
        port = free_port()
        with open(os.path.join(self.datadir, "postgresql.conf"), "a") as f:
            f.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
                    f"unix_socket_directories = '{self.tmpdir}'\n"
                    "timezone = 'UTC'\nlog_timezone = 'UTC'\nfsync = off\n"
                    "max_connections = 50\npassword_encryption = 'scram-sha-256'\n")
        with open(os.path.join(self.datadir, "pg_hba.conf"), "w") as f:
            f.write("local all all trust\n"
                    f"host all postgres 127.0.0.1/32 trust\n"
                    f"host all {TRUST_USER} 127.0.0.1/32 trust\n"
                    "host all all 127.0.0.1/32 scram-sha-256\n")
        r = self._run([os.path.join(PG_BINDIR, "pg_ctl"), "-D", self.datadir, "-l", log,
                       "-w", "-t", str(int(SERVER_START_TIMEOUT)), "start"],
                      timeout=SERVER_START_TIMEOUT + 10)
        if r.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {r.stdout}\n{r.stderr}\n"
                               f"{self.log_tail(log, 0)}")
        setup = [
            f"CREATE ROLE {TRUST_USER} SUPERUSER LOGIN",
            f"CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{SCRAM_PASSWORD}'",
            f"CREATE DATABASE {DBNAME} OWNER {TRUST_USER}",
            f"GRANT ALL ON DATABASE {DBNAME} TO {SCRAM_USER}",
        ]
        for sql in setup:
            r = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                "-p", str(port), "-U", "postgres", "-d", "postgres", "-c", sql],
                               capture_output=True, text=True, timeout=30)
            if r.returncode != 0:
                raise RuntimeError(f"setup '{sql}' failed: {r.stderr}")
        self.main = Endpoint("127.0.0.1", port, DBNAME, TRUST_USER)
        self.auth = Endpoint("127.0.0.1", port, DBNAME, SCRAM_USER, SCRAM_PASSWORD)

    def stop(self):
        if self.datadir and os.path.exists(os.path.join(self.datadir, "postmaster.pid")):
            try:
                self._run([os.path.join(PG_BINDIR, "pg_ctl"), "-D", self.datadir, "-m",
                           "immediate", "-w", "-t", "20", "stop"], timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def _die_with_parent():
    """In the child before exec: SIGTERM the gateway if pytest itself dies."""
    try:
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:
        pass


class GatewayProcess:
    """One iris-pgwire process; its stdout and stderr go to a log file."""

    def __init__(self, tmpdir, name, backend, auth, users_file, extra_args=(), log_level=None):
        self.port_file = os.path.join(tmpdir, f"{name}.port")
        self.log = os.path.join(tmpdir, f"{name}.log")
        self.args = [PGW_BIN, "serve", "--listen", "127.0.0.1:0", "--port-file", self.port_file,
                     "--backend", backend, "--users-file", users_file, "--auth", auth,
                     "--log-level", log_level or os.environ.get("PGW_LOG_LEVEL", "info"),
                     *extra_args]
        self.proc = None
        self.port = None

    def start(self):
        logf = open(self.log, "wb")
        self.proc = subprocess.Popen(self.args, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        logf.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{' '.join(self.args)} exited with {self.proc.returncode}")
            try:
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text.isdigit():
                    self.port = int(text)
                    break
            except OSError:
                pass
            time.sleep(0.05)
        if self.port is None:
            raise RuntimeError(f"gateway did not write {self.port_file} within "
                               f"{SERVER_START_TIMEOUT} s")
        if not wait_for_port("127.0.0.1", self.port, deadline + 5):
            raise RuntimeError(f"gateway port {self.port} does not accept connections")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def odbc_driver(name):
    """Path of a Debian ODBC driver library (odbc-postgresql, libsqliteodbc)."""
    for libdir in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"):
        path = os.path.join(libdir, "odbc", name)
        if os.path.exists(path):
            return path
    raise RuntimeError(f"ODBC driver {name} not found (scripts/install-deps.sh --test)")


def psqlodbc_connection_string(port, dbname, user):
    """DSN-less psqlODBC connection: server-side prepare, cursors fetched 1000 rows at a time
    (UseDeclareFetch keeps the driver's memory bounded), booleans as SQL_BIT."""
    return (f"DRIVER={odbc_driver('psqlodbca.so')};Server=127.0.0.1;Port={port};"
            f"Database={dbname};UID={user};UseServerSidePrepare=1;UseDeclareFetch=1;"
            "Fetch=1000;BoolsAsChar=0;ConnSettings={SET client_encoding TO 'UTF8'}")


class GatewayTarget(Target):
    kind = "gateway"

    def __init__(self):
        super().__init__()
        self.procs = []
        self.backing = None  # PostgresTarget behind odbc-postgres

    def backend_uris(self):
        """(main, auth) --backend URIs and extra serve arguments for PGW_BACKEND."""
        if BACKEND == "sqlite":
            return ("sqlite:" + os.path.join(self.tmpdir, "main.db"),
                    "sqlite:" + os.path.join(self.tmpdir, "auth.db"), [])
        if BACKEND == "odbc-sqlite":
            drv = odbc_driver("libsqlite3odbc.so")
            return (f"odbc:DRIVER={drv};Database={os.path.join(self.tmpdir, 'main.db')}",
                    f"odbc:DRIVER={drv};Database={os.path.join(self.tmpdir, 'auth.db')}", [])
        if BACKEND == "odbc-postgres":
            self.backing = PostgresTarget()
            self.backing.start()
            self.logs.extend(self.backing.logs)
            uri = "odbc:" + psqlodbc_connection_string(self.backing.main.port, DBNAME, TRUST_USER)
            return uri, uri, ["--pool-health-interval-ms", "200", "--pool-validate-idle-ms", "0"]
        if BACKEND == "odbc-iris":
            uri = os.environ.get("IRIS_DSN")
            if not uri:
                pytest.skip("PGW_BACKEND=odbc-iris needs IRIS_DSN (odbc:DSN=... or "
                            "iris://user:password@host:1972/NAMESPACE)")
            if not uri.startswith(("odbc:", "iris://")):
                uri = "odbc:" + uri
            return uri, uri, ["--dialect", "iris"]
        raise RuntimeError(f"PGW_BACKEND must be sqlite, odbc-postgres, odbc-sqlite or odbc-iris, "
                           f"not {BACKEND!r}")

    def start(self):
        if not os.access(PGW_BIN, os.X_OK):
            raise RuntimeError(f"gateway binary {PGW_BIN} not found (set PGW_BIN)")
        self.tmpdir = tempfile.mkdtemp(prefix="pgw-e2e-gw-")
        users = os.path.join(self.tmpdir, "users")
        r = subprocess.run([PGW_BIN, "passwd", "--users-file", users, SCRAM_USER],
                           input=SCRAM_PASSWORD + "\n", capture_output=True, text=True,
                           timeout=30)
        if r.returncode != 0:
            raise RuntimeError(f"iris-pgwire passwd failed ({r.returncode}): {r.stderr}")
        main_uri, auth_uri, extra = self.backend_uris()
        main = GatewayProcess(self.tmpdir, "main", main_uri, "trust", users, extra,
                              log_level=os.environ.get("PGW_LOG_LEVEL", "debug"))
        auth = GatewayProcess(self.tmpdir, "auth", auth_uri, "scram-sha-256", users, extra)
        for proc, label in ((main, "gateway (trust) log"), (auth, "gateway (scram) log")):
            self.procs.append(proc)
            self.logs.append((label, proc.log))
            proc.start()
        self.main = Endpoint("127.0.0.1", main.port, DBNAME, TRUST_USER)
        self.auth = Endpoint("127.0.0.1", auth.port, DBNAME, SCRAM_USER, SCRAM_PASSWORD)

    def stop(self):
        for proc in self.procs:
            proc.stop()
        if self.procs:
            collect_catalog_queries(self.procs[0].log)
        if self.backing is not None:
            self.backing.stop()
        if self.tmpdir and not os.environ.get("PGW_KEEP_TMP"):
            shutil.rmtree(self.tmpdir, ignore_errors=True)


# The main gateway logs every statement that reads the catalog at debug level
# ("catalog query pid=N application_name=APP sql=..."); at the end of the run the distinct
# queries are written per application name to CATALOG_QUERIES_DIR (one file per client), which
# is what the README's client matrix reports.
CATALOG_QUERIES_DIR = os.environ.get("PGW_CATALOG_QUERIES_DIR",
                                     os.path.join(REPO_ROOT, "build", "catalog-queries"))
_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
_CATALOG_QUERY = re.compile(r" catalog query pid=\d+ application_name=(.*?) sql=(.*)$", re.S)


def collect_catalog_queries(log_path):
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return
    entries, current = [], None
    for line in lines:
        if _LOG_LINE.match(line):
            if current is not None:
                entries.append(current)
            current = line
        elif current is not None:
            current += "\n" + line
    if current is not None:
        entries.append(current)
    by_app = {}
    for entry in entries:
        m = _CATALOG_QUERY.search(entry)
        if m:
            by_app.setdefault(m.group(1) or "(none)", {}).setdefault(m.group(2).strip(), None)
    if not by_app:
        return
    os.makedirs(CATALOG_QUERIES_DIR, exist_ok=True)
    for app, queries in by_app.items():
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", app)
        with open(os.path.join(CATALOG_QUERIES_DIR, f"{name}.sql"), "w") as f:
            for q in queries:
                f.write(q + ";\n\n")


_TARGET_INSTANCE = None


@pytest.fixture(scope="session")
def target():
    """The started servers under test (see module docstring)."""
    global _TARGET_INSTANCE
    if TARGET == "postgres":
        t = PostgresTarget()
    elif TARGET == "gateway":
        t = GatewayTarget()
    else:
        raise RuntimeError(f"PGW_TARGET must be gateway or postgres, not {TARGET!r}")
    try:
        t.start()
    except Exception:
        for label, path in t.logs:
            print(f"----- {label} ({path}) -----\n{t.log_tail(path, 0)}")
        t.stop()
        raise
    _TARGET_INSTANCE = t
    yield t
    _TARGET_INSTANCE = None
    t.stop()


@pytest.fixture(scope="session")
def endpoint(target):
    """The main server, reached as the trust user."""
    return target.main


@pytest.fixture(scope="session")
def dsn(endpoint):
    """dsn(**overrides) -> libpq conninfo string for the main server."""
    return endpoint.dsn


# ----------------------------------------------------------------------------------------
# Watchdog: bounded tests even when the server stops answering.


class Watchdog:
    """Cancels, then severs, registered connections once the test budget is spent."""

    def __init__(self, budget):
        self.budget = budget
        self.conns = []
        self.fired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def register(self, conn):
        self.conns.append(conn)
        return conn

    def _run(self):
        if self._done.wait(self.budget):
            return
        self.fired = True
        # A cancel request can block on a server that does not answer: send it off-thread.
        threading.Thread(target=self._cancel_all, daemon=True).start()
        if self._done.wait(3.0):
            return
        for conn in list(self.conns):
            try:
                fd = conn.fileno()
                s = socket.socket(fileno=os.dup(fd))
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except Exception:
                pass

    def _cancel_all(self):
        for conn in list(self.conns):
            # Only psycopg 3 (ctypes releases the GIL in PQcancel). psycopg2's cancel()
            # holds the GIL while it waits for the server, which would freeze this watchdog.
            if hasattr(conn, "pgconn"):
                try:
                    conn.cancel()
                except Exception:
                    pass

    def stop(self):
        self._done.set()
        self._thread.join(timeout=5)


# Tests that cannot hold through a backend, with the reason (matched against the test id).
_SERVICE_LOGIN = ("service login: the target's current_user is the gateway's ODBC login, not "
                  "the client's user (--odbc-auth passthrough logs in as the client)")
_PSQLODBC_TYPES = ("psqlODBC describes json, jsonb, interval and array results as varchar "
                   "(SQL_DESC_TYPE_NAME 'unknown'), so clients receive them as text")
_PSQLODBC_DETAIL = ("psqlODBC's diagnostics carry the server's message but not its DETAIL "
                    "(Key (a)=(1) already exists.)")
_PSQLODBC_PARAMS = ("psqlODBC describes the parameters of a prepared statement as varchar or "
                    "timestamp whatever the column (SQLDescribeParam), so asyncpg encodes jsonb "
                    "and timestamptz arguments as the wrong type")
_PSQLODBC_NUMERIC = ("psqlODBC describes a numeric result column without its precision and "
                     "scale, so RowDescription carries typmod -1 for numeric(12,3)")
_SQLITE_PLACEMENT = ("time-sliced inline execution and per-transaction snapshots are properties "
                     "of the embedded SQLite backend; an ODBC statement holds a backend thread")
BACKEND_SKIPS = {
    "odbc-postgres": {
        "test_copy_differential.py::test_copy_from_error_matches_postgresql[unique-violation]":
            _PSQLODBC_DETAIL,
        "test_constraints.py::test_added_primary_key_over_duplicates_names_the_key":
            _PSQLODBC_DETAIL,
        "test_asyncpg.py::test_type_introspection_set_type_codec": _PSQLODBC_PARAMS,
        "test_asyncpg.py::test_fetch_binary_types_and_executemany": _PSQLODBC_PARAMS,
        "test_pgjdbc.py::test_core_types_batches_and_metadata": _PSQLODBC_NUMERIC,
        "test_placement.py::": _SQLITE_PLACEMENT,
        "test_psycopg3.py::test_lock_timeout_ends_a_lock_wait_with_55P03":
            "through ODBC a lock wait happens in the target, and the session's lock_timeout is "
            "not passed on to the target connection",
        "test_hostile_input.py::test_65535_parameters_are_accepted":
            "psqlODBC sends untyped parameters as unknown, so PostgreSQL cannot pick + for them",
        "test_auth.py::test_psql_right_password": _SERVICE_LOGIN,
        "test_auth.py::test_psycopg_right_password": _SERVICE_LOGIN,
        "test_psycopg2.py::test_scram_login_and_wrong_password": _SERVICE_LOGIN,
        "test_protocol_raw.py::test_runtime_error_during_execute":
            "the ODBC block cursor fetches a block of rows before the first DataRow is sent, so "
            "an error in a later row arrives before any row",
        "test_psycopg3.py::test_type_roundtrip_through_parameter_and_result[interval":
            _PSQLODBC_TYPES,
        "test_psycopg3.py::test_type_roundtrip_through_parameter_and_result[json": _PSQLODBC_TYPES,
        "test_psycopg3.py::test_all_types_stored_in_a_table_and_read_back": _PSQLODBC_TYPES,
        "test_psycopg3.py::test_transactions_commit_rollback_savepoint": _PSQLODBC_TYPES,
        "test_psycopg2.py::test_types_roundtrip": _PSQLODBC_TYPES,
        "test_psycopg2.py::test_transactions": _PSQLODBC_TYPES,
    },
}


# Through sqliteodbc only these hold: the SQLite dialect's SQL calls the pgw_* functions and
# catalog tables that the embedded SQLite backend registers on its own connections, and a
# sqliteodbc connection has none of them. The ones below exercise the ODBC path itself
# (transactions, savepoints, errors, limits) with SQL that needs none of those functions.
_ODBC_SQLITE_HOLDS = {
    "test_auth.py::test_psql_rejected[unknown-user]",
    "test_auth.py::test_psql_rejected[wrong-password]",
    "test_auth.py::test_psycopg_rejected[unknown-user]",
    "test_auth.py::test_psycopg_rejected[wrong-password]",
    "test_auth.py::test_raw_failure_is_28P01_after_full_sasl_exchange[unknown-user]",
    "test_auth.py::test_raw_failure_is_28P01_after_full_sasl_exchange[wrong-password]",
    "test_auth.py::test_raw_scram_exchange_verifies_server_signature",
    "test_limits.py::test_client_silent_at_startup_is_disconnected_after_authentication_timeout",
    "test_limits.py::test_deeply_nested_expression_errors_and_session_survives",
    "test_limits.py::test_max_connections_rejects_past_limit_and_frees_slot",
    "test_limits.py::test_message_length_over_limit_is_fatal_08p01[256MiB+1KiB]",
    "test_limits.py::test_message_length_over_limit_is_fatal_08p01[int32-max]",
    "test_limits.py::test_message_length_over_limit_is_fatal_08p01[uint32-huge]",
    "test_limits.py::test_pg_sleep_void_is_empty_text",
    "test_limits.py::test_sigterm_grace_exceeded_cancels_statement",
    "test_limits.py::test_sigterm_idle_session_gets_57p01_and_server_exits",
    "test_limits.py::test_sigterm_running_statement_completes_within_grace",
    "test_limits.py::test_startup_packet_of_10004_bytes_is_accepted",
    "test_limits.py::test_startup_packet_over_10000_bytes_is_refused",
    "test_protocol_raw.py::test_close_portal_and_missing_objects",
    "test_protocol_raw.py::test_duplicate_named_statement_is_an_error",
    "test_protocol_raw.py::test_empty_query",
    "test_protocol_raw.py::test_error_in_extended_batch_discards_until_sync",
    "test_protocol_raw.py::test_flush_delivers_pending_results_without_sync",
    "test_protocol_raw.py::test_multi_statement_query_is_one_implicit_transaction",
    "test_protocol_raw.py::test_ready_for_query_status_bytes",
    "test_protocol_raw.py::test_startup_parameters_and_backend_key",
    "test_protocol_raw.py::test_terminate_closes_socket",
    "test_protocol_raw.py::test_unnamed_portal_does_not_survive_sync",
    "test_psql.py::test_include_script",
    "test_psql.py::test_several_c_options_and_aligned_output",
    "test_psql.py::test_timing_on",
    "test_psycopg3.py::test_autocommit_makes_each_statement_visible",
    "test_psycopg3.py::test_explicit_savepoint_statements",
    "test_psycopg3.py::test_set_inside_rolled_back_transaction_is_undone",
    "test_psycopg3.py::test_syntax_error_reports_position",
    # COPY through sqliteodbc: the table from SQLTables/SQLColumns, COPY FROM through parameter
    # arrays and multi-row INSERTs, COPY TO through the block cursor.
    "test_asyncpg.py::test_copy_records_to_table",
    "test_copy_clients.py::test_psql_copy_both_ways",
    "test_copy_clients.py::test_psycopg2_copy_expert_both_ways",
    "test_copy_clients.py::test_copy_in_multi_statement_simple_query",
    "test_copy_clients.py::test_copy_with_server_file_or_program_needs_privilege",
    "test_copy_differential.py::test_copy_to_and_from_a_view_are_refused_as_in_postgresql",
    "test_copy_differential.py::test_copy_from_where_and_options_load_the_same_rows",
    "test_copy_differential.py::test_text_escapes_and_line_endings_load_the_same_rows",
    "test_copy_protocol.py::test_simple_copy_in_with_lines_split_across_messages",
    "test_copy_protocol.py::test_extended_copy_in_binary_with_pipelined_sync",
    "test_copy_protocol.py::test_copy_out_sends_one_copydata_per_row",
    "test_copy_protocol.py::test_binary_copy_out_framing",
    "test_copy_protocol.py::test_error_mid_copy_in_simple_protocol",
    "test_copy_protocol.py::test_copy_fail_in_extended_protocol_discards_until_sync",
    "test_copy_protocol.py::test_flush_and_sync_are_ignored_during_copy_in",
    "test_copy_protocol.py::test_unexpected_message_during_copy_in_ends_the_connection",
    "test_copy_protocol.py::test_copy_then_more_statements_in_one_query",
    "test_copy_protocol.py::test_terminate_during_copy_in_stores_nothing",
    "test_copy_server_files.py::test_copy_to_file_and_back",
    "test_copy_server_files.py::test_copy_binary_file_round_trip",
    "test_copy_server_files.py::test_copy_with_programs",
    "test_copy_server_files.py::test_file_errors_as_postgresql_words_them",
    "test_node_pg.py::test_pg_copy_streams",
    "test_pgjdbc.py::test_copy_manager_in_and_out",
    "test_pgx.py::test_copy_from",
    # The catalog through sqliteodbc: catalog SELECTs run on the gateway's catalog engine over
    # the model read with SQLTables/SQLColumns/SQLPrimaryKeys/SQLStatistics/SQLForeignKeys.
    # Column shapes (\\d) do not hold: the target's schema is the SQLite dialect's translation
    # (REAL for numeric, pgw_now() defaults), which sqliteodbc reports as stored.
    "test_catalog.py::test_show_all_and_pg_settings_agree",
    "test_catalog.py::test_set_config_is_set",
    "test_catalog.py::test_pg_stat_activity_lists_real_sessions",
    "test_catalog.py::test_catalog_is_live_and_oids_stable",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\dt psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\dt+ psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\d psqlmeta_books_author_title]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\dv psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\ds psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\df psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\dT psqlmeta_*]",
    "test_psql_meta.py::test_meta_command_matches_postgres[\\\\dn]",
    "test_psql_meta.py::test_list_databases_row_of_this_database",
    "test_psql_meta.py::test_list_roles_row_of_this_user",
    "test_psql_meta.py::test_expanded_display",
    "test_sqlalchemy.py::test_metadata_reflect",
}
_ODBC_SQLITE_REASON = ("the SQLite dialect needs the pgw_* SQL functions the embedded SQLite "
                       "backend registers on its connections; sqliteodbc connections lack them")


def pytest_collection_modifyitems(config, items):
    skips = BACKEND_SKIPS.get(BACKEND, {}) if TARGET == "gateway" else {}
    for item in items:
        if TARGET == "gateway" and BACKEND == "odbc-sqlite":
            name = item.nodeid.split("tests/e2e/")[-1]
            if name not in _ODBC_SQLITE_HOLDS and not name.startswith("test_odbc_"):
                item.add_marker(pytest.mark.skip(reason=f"PGW_BACKEND={BACKEND}: "
                                                        f"{_ODBC_SQLITE_REASON}"))
            continue
        for pattern, reason in skips.items():
            if pattern in item.nodeid:
                item.add_marker(pytest.mark.skip(reason=f"PGW_BACKEND={BACKEND}: {reason}"))
                break


def _sigterm_to_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    config.addinivalue_line("markers", "budget(seconds): wall-time budget of one test")
    # SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C so session fixtures stop the servers.
    signal.signal(signal.SIGTERM, _sigterm_to_interrupt)


@pytest.fixture(autouse=True)
def watchdog(request):
    marker = request.node.get_closest_marker("budget")
    budget = marker.args[0] if marker else DEFAULT_TEST_BUDGET
    dog = Watchdog(budget)
    yield dog
    dog.stop()
    assert not dog.fired, f"test exceeded its {budget} s budget; connections were cancelled"


# ----------------------------------------------------------------------------------------
# Connections and unique names.


@pytest.fixture
def connect3(endpoint, watchdog):
    """connect3(**kw) -> psycopg 3 connection to the main server, closed after the test."""
    import psycopg
    conns = []

    def make(dsn=None, **kw):
        conn = psycopg.connect(dsn or endpoint.dsn(), **kw)
        conns.append(conn)
        return watchdog.register(conn)

    yield make
    for conn in conns:
        try:
            conn.close()
        except Exception:
            pass


@pytest.fixture
def connect2(endpoint, watchdog):
    """connect2(dsn=None) -> psycopg2 connection, closed after the test."""
    import psycopg2
    conns = []

    def make(dsn=None, **kw):
        conn = psycopg2.connect(dsn or endpoint.dsn(), **kw)
        conns.append(conn)
        return watchdog.register(conn)

    yield make
    for conn in conns:
        try:
            conn.close()
        except Exception:
            pass


_name_counter = itertools.count(1)


@pytest.fixture
def fresh_table(request, endpoint, watchdog):
    """fresh_table(tag='t') -> a table name unique to this test; such tables are dropped after."""
    import psycopg
    stem = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:32]
    names = []

    def make(tag="t"):
        name = f"e2e_{stem}_{tag}_{next(_name_counter)}"[:63]
        names.append(name)
        return name

    yield make
    if names:
        # Close the test's own connections first: an open transaction would block DROP.
        for conn in watchdog.conns:
            try:
                conn.close()
            except Exception:
                pass
        dog = Watchdog(CLEANUP_BUDGET)
        try:
            with psycopg.connect(endpoint.dsn(), autocommit=True) as conn:
                dog.register(conn)
                for name in names:
                    conn.execute(f"DROP TABLE IF EXISTS {name}")
        except Exception:
            pass
        finally:
            dog.stop()


def run_cmd(args, env, input_text=None, timeout=60):
    """Runs a client program with a hard timeout; returns CompletedProcess (text mode)."""
    return subprocess.run(args, env=env, input=input_text, capture_output=True, text=True,
                          timeout=timeout)


# ----------------------------------------------------------------------------------------
# Server logs on failure.


@pytest.fixture(autouse=True)
def _log_marks(request):
    if _TARGET_INSTANCE is not None:
        request.node._pgw_log_marks = _TARGET_INSTANCE.log_sizes()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or _TARGET_INSTANCE is None:
        return
    marks = getattr(item, "_pgw_log_marks", {})
    for label, path in _TARGET_INSTANCE.logs:
        text = _TARGET_INSTANCE.log_tail(path, marks.get(path, 0))
        report.sections.append((f"{label} ({report.when})", text or "<empty>"))
