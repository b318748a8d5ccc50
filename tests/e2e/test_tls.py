"""TLS on the socket: SSLRequest, libpq's sslmode levels, SCRAM-SHA-256-PLUS channel binding,
hostssl rules, plaintext injected after SSLRequest, PostgreSQL 17 direct TLS (ALPN) and the
TLS 1.2 floor.

Each run makes its own CA and a server certificate for localhost / 127.0.0.1 with the openssl
command line. For the gateway, the module starts its own iris-pgwire with --ssl-cert-file and
hostssl rules; for PostgreSQL, the reference cluster gets ssl = on with the same certificate
and the same rules (restored afterwards). Direct TLS is PostgreSQL 17+, so those tests are
gateway-only.
"""

import os
import pwd
import socket
import ssl
import struct
import subprocess
import time

import psycopg
import pytest

import rawpg
from conftest import DBNAME, SCRAM_PASSWORD, SCRAM_USER, TARGET, TRUST_USER, GatewayProcess

SHORT = 5.0
SSL_REQUEST = struct.pack("!ii", 8, (1234 << 16) | 5679)

RULES = f"""\
local all all trust
host all postgres 127.0.0.1/32 trust
hostssl all {TRUST_USER} 127.0.0.1/32 trust
hostssl {DBNAME} {SCRAM_USER} 127.0.0.1/32 scram-sha-256
"""


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certs(d):
    """A CA and a server certificate it signed, for DNS:localhost and IP:127.0.0.1."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.crt", "-days", "2", "-subj", "/CN=iris-pgwire test CA", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=localhost", cwd=d)
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext", cwd=d)
    os.chmod(os.path.join(d, "server.key"), 0o600)


class TlsServer:
    def __init__(self, target, tmpdir):
        self.gw = None
        self.saved_hba = None
        if TARGET == "gateway":
            self.dir = tmpdir
            make_certs(self.dir)
            rules = os.path.join(self.dir, "hba.conf")
            with open(rules, "w") as f:
                f.write(RULES)
            self.gw = GatewayProcess(self.dir, "tls", "sqlite:" + os.path.join(self.dir, "t.db"),
                                     "auto", os.path.join(target.tmpdir, "users"))
            self.gw.args += ["--hba-file", rules,
                             "--ssl-cert-file", os.path.join(self.dir, "server.crt"),
                             "--ssl-key-file", os.path.join(self.dir, "server.key")]
            self.gw.start()
            self.port = self.gw.port
        else:
            # The cluster's own directory: the postgres user can read it, pytest's tmp may not.
            self.target = target
            self.dir = os.path.join(target.datadir, "tls-test")
            os.makedirs(self.dir, exist_ok=True)
            make_certs(self.dir)
            if os.geteuid() == 0:
                pw = pwd.getpwnam("postgres")
                for name in [""] + os.listdir(self.dir):
                    os.chown(os.path.join(self.dir, name), pw.pw_uid, pw.pw_gid)
            self.port = target.main.port
            self.hba_path = os.path.join(target.datadir, "pg_hba.conf")
            with open(self.hba_path) as f:
                self.saved_hba = f.read()
            with open(self.hba_path, "w") as f:
                f.write(RULES)
            self.admin(["ALTER SYSTEM SET ssl_cert_file = '%s'" % os.path.join(self.dir, "server.crt"),
                        "ALTER SYSTEM SET ssl_key_file = '%s'" % os.path.join(self.dir, "server.key"),
                        "ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()"])
            # pg_reload_conf only signals: wait (bounded) until TLS logins work.
            for _ in range(50):
                try:
                    psycopg.connect(self.dsn(TRUST_USER, "require")).close()
                    break
                except psycopg.OperationalError:
                    time.sleep(0.1)

    def admin(self, statements):
        with psycopg.connect(f"host=127.0.0.1 port={self.port} dbname=postgres user=postgres "
                             "sslmode=disable connect_timeout=5", autocommit=True) as c:
            for sql in statements:
                c.execute(sql)

    def dsn(self, user, sslmode, host="127.0.0.1", **extra):
        d = (f"host={host} hostaddr=127.0.0.1 port={self.port} dbname={DBNAME} user={user} "
             f"connect_timeout=5 sslmode={sslmode} sslrootcert={self.dir}/ca.crt")
        for k, v in extra.items():
            d += f" {k}='{v}'"
        return d

    def close(self):
        if self.gw:
            self.gw.stop()
        if self.saved_hba is not None:
            with open(self.hba_path, "w") as f:
                f.write(self.saved_hba)
            self.admin(["ALTER SYSTEM RESET ssl", "ALTER SYSTEM RESET ssl_cert_file",
                        "ALTER SYSTEM RESET ssl_key_file", "SELECT pg_reload_conf()"])


@pytest.fixture(scope="module")
def tls_server(target, tmp_path_factory):
    s = TlsServer(target, str(tmp_path_factory.mktemp("tls")))
    yield s
    s.close()


def ssl_in_use(conn):
    return conn.pgconn.ssl_in_use


@pytest.mark.parametrize("sslmode,host", [("require", "127.0.0.1"), ("verify-ca", "127.0.0.1"),
                                          ("verify-full", "127.0.0.1"),
                                          ("verify-full", "localhost")])
def test_libpq_sslmodes(tls_server, sslmode, host):
    with psycopg.connect(tls_server.dsn(TRUST_USER, sslmode, host=host)) as c:
        assert ssl_in_use(c)
        assert c.execute("SELECT 40 + 2").fetchone()[0] == 42


def test_verify_full_refuses_a_wrong_host_name(tls_server):
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(tls_server.dsn(TRUST_USER, "verify-full", host="wrong.invalid")).close()
    assert "wrong.invalid" in str(e.value)


def test_channel_binding_require_logs_in_with_scram_sha_256_plus(tls_server):
    dsn = tls_server.dsn(SCRAM_USER, "require", password=SCRAM_PASSWORD,
                         channel_binding="require")
    with psycopg.connect(dsn) as c:
        assert ssl_in_use(c)
        assert c.execute("SELECT 1").fetchone()[0] == 1
    with pytest.raises(psycopg.OperationalError):
        bad = tls_server.dsn(SCRAM_USER, "require", password="wrong",
                             channel_binding="require")
        psycopg.connect(bad).close()


def test_hostssl_rule_refuses_a_plain_connection(tls_server):
    conn = rawpg.RawConnection("127.0.0.1", tls_server.port, timeout=SHORT)
    try:
        msgs = conn.startup(TRUST_USER, DBNAME)
    finally:
        conn.close()
    fields = rawpg.error_fields(msgs[-1][1])
    assert msgs[-1][0] == "E"
    assert (fields["S"], fields["C"]) == ("FATAL", "28000")
    assert fields["M"] == (f'no pg_hba.conf entry for host "127.0.0.1", user "{TRUST_USER}", '
                           f'database "{DBNAME}", no encryption')


def startup_packet(user):
    body = struct.pack("!i", rawpg.PROTOCOL_V3) + rawpg.cstr("user") + rawpg.cstr(user)
    body += rawpg.cstr("database") + rawpg.cstr(DBNAME) + b"\0"
    return struct.pack("!i", len(body) + 4) + body


def test_plaintext_after_ssl_request_is_refused(tls_server):
    conn = rawpg.RawConnection("127.0.0.1", tls_server.port, timeout=SHORT)
    try:
        conn.send_raw(SSL_REQUEST + startup_packet(TRUST_USER))  # one segment
        assert conn.sock.recv(1) == b"S"
        # The server drops the injected bytes, completes the handshake, then refuses over TLS.
        conn.sock = client_context(tls_server).wrap_socket(conn.sock, server_hostname="localhost")
        kind, body = conn.read()
        fields = rawpg.error_fields(body)
        assert kind == "E"
        assert (fields["S"], fields["C"]) == ("FATAL", "08P01")
        assert fields["M"] == "received unencrypted data after SSL request"
        with pytest.raises(ConnectionError):
            conn.read()
    finally:
        conn.close()


def client_context(tls_server, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(tls_server.dir, "ca.crt"))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def tls_raw_connection(tls_server, ctx, ssl_request):
    conn = rawpg.RawConnection("127.0.0.1", tls_server.port, timeout=SHORT)
    if ssl_request:
        conn.send_raw(SSL_REQUEST)
        assert conn.sock.recv(1) == b"S"
    conn.sock = ctx.wrap_socket(conn.sock, server_hostname="localhost")
    return conn


@pytest.mark.skipif(TARGET == "postgres", reason="direct TLS negotiation is PostgreSQL 17+")
def test_direct_tls_with_alpn_logs_in(tls_server):
    conn = tls_raw_connection(tls_server, client_context(tls_server, ["postgresql"]), False)
    try:
        assert conn.sock.selected_alpn_protocol() == "postgresql"
        msgs = conn.startup(TRUST_USER, DBNAME)
        assert msgs[-1][0] == "Z"
        conn.query("SELECT 7")
        msgs = conn.read_until()
        assert [rawpg.data_row(b) for t, b in msgs if t == "D"] == [[b"7"]]
    finally:
        conn.close()


@pytest.mark.skipif(TARGET == "postgres", reason="direct TLS negotiation is PostgreSQL 17+")
def test_direct_tls_without_alpn_is_refused(tls_server):
    conn = tls_raw_connection(tls_server, client_context(tls_server), False)
    try:
        kind, body = conn.read()
        fields = rawpg.error_fields(body)
        assert kind == "E"
        assert (fields["S"], fields["C"]) == ("FATAL", "08P01")
        assert "without ALPN" in fields["M"]
    finally:
        conn.close()


def test_ssl_request_with_alpn_postgresql_logs_in(tls_server):
    conn = tls_raw_connection(tls_server, client_context(tls_server, ["postgresql"]), True)
    try:
        assert conn.startup(TRUST_USER, DBNAME)[-1][0] == "Z"
    finally:
        conn.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_tls_1_1_client_is_refused(tls_server):
    ctx = client_context(tls_server)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    conn = rawpg.RawConnection("127.0.0.1", tls_server.port, timeout=SHORT)
    try:
        conn.send_raw(SSL_REQUEST)
        assert conn.sock.recv(1) == b"S"
        with pytest.raises((ssl.SSLError, ConnectionError)):
            ctx.wrap_socket(conn.sock, server_hostname="localhost")
    finally:
        conn.close()
