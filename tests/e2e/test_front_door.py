"""The front door: access rules, reload on SIGHUP, per-user / per-database caps, the delay after
a failed login, and logs free of secrets.

Rules and caps run against both targets with the same expectations: for the gateway, each test
starts its own iris-pgwire (--hba-file, --max-connections-per-user, ...); for PostgreSQL, the
test installs the same rules as the reference cluster's pg_hba.conf (or sets CONNECTION LIMIT)
and restores it afterwards. The failure delay and the log check are gateway-only (PostgreSQL's
auth_delay needs a restart with shared_preload_libraries; its log is not ours to check).
"""

import os
import pwd
import signal
import subprocess
import threading
import time

import psycopg
import pytest

import rawpg
from conftest import (DBNAME, SCRAM_PASSWORD, SCRAM_USER, TARGET, TRUST_USER, UNKNOWN_USER,
                      GatewayProcess)

RELOAD_TIMEOUT = 10.0
SHORT = 5.0

# The rules both servers get (the first lines keep the reference cluster's own set-up working).
RULES = f"""\
local all all trust
host all postgres 127.0.0.1/32 trust
host all {TRUST_USER} 127.0.0.1/32 trust
host all e2e_rejected 127.0.0.1/32 reject
host {DBNAME},e2e_limited {SCRAM_USER} 127.0.0.1/32 scram-sha-256
"""


def no_entry(user, db):
    return (f'no pg_hba.conf entry for host "127.0.0.1", user "{user}", database "{db}", '
            "no encryption")


def rejects(user, db):
    return (f'pg_hba.conf rejects connection for host "127.0.0.1", user "{user}", '
            f'database "{db}", no encryption')


class Server:
    """The server under test with `RULES`-style access rules that a test can change."""

    def __init__(self, target, tmp_path, extra_args=()):
        self.target = target
        self.tmp = str(tmp_path)
        self.gw = None
        self.saved_hba = None
        if TARGET == "gateway":
            self.rules_path = os.path.join(self.tmp, "hba.conf")
            with open(self.rules_path, "w") as f:
                f.write(RULES)
            users = os.path.join(target.tmpdir, "users")
            self.gw = GatewayProcess(self.tmp, "frontdoor",
                                     "sqlite:" + os.path.join(self.tmp, "fd.db"), "auto", users)
            self.gw.args += ["--hba-file", self.rules_path] + [str(a) for a in extra_args]
            self.gw.start()
            self.port = self.gw.port
        else:
            self.port = target.main.port
            self.rules_path = os.path.join(target.datadir, "pg_hba.conf")
            with open(self.rules_path) as f:
                self.saved_hba = f.read()
            self.write_rules(RULES)

    def write_rules(self, text):
        tmp = self.rules_path + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        if TARGET == "postgres" and os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(tmp, pw.pw_uid, pw.pw_gid)
        os.replace(tmp, self.rules_path)
        self.reload()

    def reload(self):
        if self.gw:
            self.gw.proc.send_signal(signal.SIGHUP)
        else:
            with psycopg.connect(self.dsn("postgres", dbname="postgres"), autocommit=True) as c:
                c.execute("SELECT pg_reload_conf()")

    def dsn(self, user, password=None, dbname=DBNAME):
        d = (f"host=127.0.0.1 port={self.port} dbname={dbname} user={user} "
             f"connect_timeout=5 sslmode=disable")
        if password is not None:
            d += f" password='{password}'"
        return d

    def login_error(self, user, password=None, dbname=DBNAME):
        """The server's answer to a login: None when it succeeded, else (SQLSTATE, message)."""
        conn = rawpg.RawConnection("127.0.0.1", self.port, timeout=SHORT)
        try:
            msgs = conn.startup(user, dbname, password=password)
        finally:
            conn.close()
        last = msgs[-1]
        if last[0] == "Z":
            return None
        fields = rawpg.error_fields(last[1])
        assert fields.get("S") == "FATAL", fields
        return fields.get("C"), fields.get("M")

    def log(self):
        if not self.gw:
            return ""
        with open(self.gw.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def close(self):
        if self.gw:
            self.gw.stop()
        elif self.saved_hba is not None:
            self.write_rules(self.saved_hba)


@pytest.fixture
def server(target, tmp_path):
    made = []

    def make(*extra_args):
        s = Server(target, tmp_path, extra_args)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def wait_for(predicate, what):
    deadline = time.monotonic() + RELOAD_TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {RELOAD_TIMEOUT} s")
        time.sleep(0.1)


# ----------------------------------------------------------------------------------------
# Access rules


def test_rules_decide_the_method_and_refuse_with_postgres_messages(server):
    s = server()
    assert s.login_error(TRUST_USER) is None
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD) is None
    assert s.login_error(SCRAM_USER, "wrong") == (
        "28P01", f'password authentication failed for user "{SCRAM_USER}"')
    assert s.login_error("e2e_rejected") == ("28000", rejects("e2e_rejected", DBNAME))
    # No rule for this user, nor for the SCRAM user on another database.
    assert s.login_error(UNKNOWN_USER) == ("28000", no_entry(UNKNOWN_USER, DBNAME))
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD, dbname="postgres") == (
        "28000", no_entry(SCRAM_USER, "postgres"))


def test_rules_reload_on_sighup_without_dropping_sessions(server, watchdog):
    s = server()
    kept = watchdog.register(psycopg.connect(s.dsn(SCRAM_USER, SCRAM_PASSWORD), autocommit=True))
    # Turn the SCRAM user away, then reload.
    s.write_rules(RULES.replace(f"{SCRAM_USER} 127.0.0.1/32 scram-sha-256",
                                f"{SCRAM_USER} 127.0.0.1/32 reject"))
    wait_for(lambda: s.login_error(SCRAM_USER, SCRAM_PASSWORD) is not None,
             "the reloaded rules did not apply")
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD) == ("28000", rejects(SCRAM_USER, DBNAME))
    # The session that was in before the reload keeps working.
    assert kept.execute("SELECT 41 + 1").fetchone() == (42,)
    # A rules file that does not parse leaves the rules in force.
    s.write_rules("host all all 127.0.0.1/33 trust\n")
    time.sleep(0.5)
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD) == ("28000", rejects(SCRAM_USER, DBNAME))
    assert s.login_error(TRUST_USER) is None
    assert kept.execute("SELECT 1").fetchone() == (1,)
    if TARGET == "gateway":
        assert "access rules not reloaded" in s.log(), s.log()[-2000:]
    kept.close()


def test_bad_rules_file_stops_the_gateway_at_start(tmp_path):
    if TARGET != "gateway":
        pytest.skip("gateway-only: starts iris-pgwire with a broken --hba-file")
    rules = tmp_path / "hba.conf"
    rules.write_text("host all all 127.0.0.1/32 trust\nhost all +admins all trust\n")
    r = subprocess.run([os.environ.get("PGW_BIN", "build/src/iris-pgwire"), "serve", "--listen",
                        "127.0.0.1:0", "--backend", "sqlite::memory:", "--hba-file", str(rules)],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert f"{rules}:2: group membership" in r.stderr + r.stdout, r.stderr


# ----------------------------------------------------------------------------------------
# Per-user and per-database caps


class ConnectionLimit:
    """CONNECTION LIMIT on the reference server (restored afterwards); flags on the gateway."""

    def __init__(self, target, server_factory, per_user=0, per_database=0):
        self.target = target
        if TARGET == "gateway":
            args = []
            if per_user:
                args += ["--max-connections-per-user", per_user]
            if per_database:
                args += ["--max-connections-per-database", per_database]
            self.server = server_factory(*args)
            return
        self.server = server_factory()
        with psycopg.connect(self.server.dsn("postgres", dbname="postgres"),
                             autocommit=True) as c:
            if per_user:
                c.execute(f"ALTER ROLE {SCRAM_USER} CONNECTION LIMIT {per_user}")
            if per_database:
                c.execute("DROP DATABASE IF EXISTS e2e_limited")
                c.execute(f"CREATE DATABASE e2e_limited CONNECTION LIMIT {per_database}")
                c.execute(f"GRANT CONNECT ON DATABASE e2e_limited TO {SCRAM_USER}")
        self.restore = per_user, per_database

    def close(self):
        if TARGET == "postgres":
            with psycopg.connect(self.server.dsn("postgres", dbname="postgres"),
                                 autocommit=True) as c:
                c.execute(f"ALTER ROLE {SCRAM_USER} CONNECTION LIMIT -1")
                c.execute("DROP DATABASE IF EXISTS e2e_limited")


@pytest.fixture
def limited(target, server):
    made = []

    def make(**kw):
        lim = ConnectionLimit(target, server, **kw)
        made.append(lim)
        return lim.server

    yield make
    for lim in made:
        lim.close()


def test_max_connections_per_user(limited, watchdog):
    s = limited(per_user=2)
    conns = [watchdog.register(psycopg.connect(s.dsn(SCRAM_USER, SCRAM_PASSWORD)))
             for _ in range(2)]
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD) == (
        "53300", f'too many connections for role "{SCRAM_USER}"')
    assert s.login_error(TRUST_USER) is None, "other users are not affected"
    conns.pop().close()
    wait_for(lambda: s.login_error(SCRAM_USER, SCRAM_PASSWORD) is None,
             "the closed session's place was not given back")
    for c in conns:
        c.close()


def test_max_connections_per_database(limited, watchdog):
    s = limited(per_database=1)
    first = watchdog.register(psycopg.connect(s.dsn(SCRAM_USER, SCRAM_PASSWORD,
                                                    dbname="e2e_limited")))
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD, dbname="e2e_limited") == (
        "53300", 'too many connections for database "e2e_limited"')
    assert s.login_error(SCRAM_USER, SCRAM_PASSWORD) is None, "other databases are not affected"
    first.close()


# ----------------------------------------------------------------------------------------
# Failed logins: the delay, and secrets never logged (gateway-only)

gateway_only = pytest.mark.skipif(
    TARGET != "gateway",
    reason="gateway-only: PostgreSQL's auth_delay needs shared_preload_libraries and a restart, "
           "and PostgreSQL's log is not the gateway's")

DELAY_MS = 1500


@gateway_only
@pytest.mark.budget(30)
def test_failed_login_is_answered_after_the_delay_without_holding_a_thread(server, watchdog):
    # One backend thread: if the delay held it, the login below could not complete meanwhile.
    s = server("--auth-failure-delay-ms", DELAY_MS, "--backend-threads", 1)
    s.write_rules("host all all 127.0.0.1/32 scram-sha-256\n")
    wait_for(lambda: s.login_error(UNKNOWN_USER, "x")[0] == "28P01", "rules not reloaded")
    result = {}

    def fail_login():
        t0 = time.monotonic()
        result["answer"] = s.login_error(SCRAM_USER, "wrong")
        result["took"] = time.monotonic() - t0

    t = threading.Thread(target=fail_login)
    t.start()
    time.sleep(0.3)  # the failed login is now waiting out its delay
    ok = watchdog.register(psycopg.connect(s.dsn(SCRAM_USER, SCRAM_PASSWORD), autocommit=True))
    assert ok.execute("SELECT 5").fetchone() == (5,)
    served_while_waiting = "answer" not in result
    ok.close()
    t.join(timeout=20)
    assert result.get("answer") == (
        "28P01", f'password authentication failed for user "{SCRAM_USER}"'), result
    # A lower bound only (a busy machine makes it later, never earlier).
    assert result["took"] >= DELAY_MS / 1000.0 * 0.95, result
    assert served_while_waiting, "another login was not served during the delay"
    # The unknown user gets the same answer after the same delay.
    t0 = time.monotonic()
    assert s.login_error(UNKNOWN_USER, SCRAM_PASSWORD) == (
        "28P01", f'password authentication failed for user "{UNKNOWN_USER}"')
    assert time.monotonic() - t0 >= DELAY_MS / 1000.0 * 0.95


@gateway_only
def test_no_password_or_verifier_in_the_log(target, tmp_path, watchdog):
    users = os.path.join(target.tmpdir, "users")
    with open(users) as f:
        line = next(l for l in f if l.startswith(f'"{SCRAM_USER}"'))
    verifier = line.split('"')[3]
    stored_key, server_key = verifier.split("$")[2].split(":")
    gw = GatewayProcess(str(tmp_path), "debuglog", "sqlite:" + str(tmp_path / "d.db"),
                        "scram-sha-256", users)
    gw.args[gw.args.index("--log-level") + 1] = "trace"
    gw.start()
    try:
        wrong = "Wr0ng-Secret-Attempt"
        for user, password in ((SCRAM_USER, SCRAM_PASSWORD), (SCRAM_USER, wrong),
                               (UNKNOWN_USER, wrong), (UNKNOWN_USER, SCRAM_PASSWORD)):
            conn = rawpg.RawConnection("127.0.0.1", gw.port, timeout=SHORT)
            try:
                conn.startup(user, DBNAME, password=password)
            finally:
                conn.close()
        c = watchdog.register(psycopg.connect(
            f"host=127.0.0.1 port={gw.port} dbname={DBNAME} user={SCRAM_USER} "
            f"password='{SCRAM_PASSWORD}' sslmode=disable"))
        c.execute("SELECT 1")
        c.close()
        gw.proc.send_signal(signal.SIGHUP)  # reload the users file: its lines are not logged
        time.sleep(0.5)
    finally:
        gw.stop()
    with open(gw.log, "rb") as f:
        log = f.read().decode("utf-8", "replace")
    assert "authentication failed" in log, "the failures were not logged at all"
    for secret in (SCRAM_PASSWORD, wrong, verifier, stored_key, server_key):
        assert secret not in log, f"secret {secret[:4]}... found in the log"
