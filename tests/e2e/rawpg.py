"""A tiny PostgreSQL v3 protocol client for the raw protocol tests (socket + struct only).

It sends exactly the messages a test asks for and hands back every backend message as a
(type, body) pair, so tests can assert message order. Every read has a socket timeout.
Includes a SCRAM-SHA-256 client (RFC 5802/7677, as PostgreSQL uses it: empty username in the
client-first message, no channel binding).
"""

import base64
import hashlib
import hmac
import os
import socket
import struct

PROTOCOL_V3 = 196608
READ_TIMEOUT = 10.0


class ProtocolError(Exception):
    pass


def cstr(s):
    return s.encode("utf-8") + b"\0"


def split_cstrs(body):
    return [p.decode("utf-8") for p in body.split(b"\0")[:-1]]


def error_fields(body):
    """ErrorResponse / NoticeResponse body -> {field code char: text}."""
    fields = {}
    pos = 0
    while pos < len(body) and body[pos] != 0:
        code = chr(body[pos])
        end = body.index(b"\0", pos + 1)
        fields[code] = body[pos + 1:end].decode("utf-8")
        pos = end + 1
    return fields


def row_description(body):
    """RowDescription body -> list of dicts (name, table_oid, column, type_oid, size, mod, fmt)."""
    (count,) = struct.unpack_from("!h", body, 0)
    pos = 2
    fields = []
    for _ in range(count):
        end = body.index(b"\0", pos)
        name = body[pos:end].decode("utf-8")
        table_oid, column, type_oid, size, mod, fmt = struct.unpack_from("!IhIhih", body, end + 1)
        fields.append(dict(name=name, table_oid=table_oid, column=column, type_oid=type_oid,
                           size=size, mod=mod, fmt=fmt))
        pos = end + 1 + 18
    return fields


def parameter_description(body):
    (count,) = struct.unpack_from("!h", body, 0)
    return list(struct.unpack_from(f"!{count}I", body, 2))


def data_row(body):
    """DataRow body -> list of bytes or None."""
    (count,) = struct.unpack_from("!h", body, 0)
    pos = 2
    values = []
    for _ in range(count):
        (length,) = struct.unpack_from("!i", body, pos)
        pos += 4
        if length < 0:
            values.append(None)
        else:
            values.append(bytes(body[pos:pos + length]))
            pos += length
    return values


def command_tag(body):
    return body[:-1].decode("utf-8")


class RawConnection:
    def __init__(self, host, port, timeout=READ_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.parameters = {}
        self.backend_key = None

    # ---- low level -------------------------------------------------------------------
    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, msg_type, payload=b""):
        self.sock.sendall(msg_type.encode() + struct.pack("!I", len(payload) + 4) + payload)

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk

    def read(self):
        """Next backend message as (type char, body bytes)."""
        self._fill(5)
        msg_type = chr(self.buf[0])
        (length,) = struct.unpack_from("!I", self.buf, 1)
        if length < 4:
            raise ProtocolError(f"bad length {length} for message {msg_type!r}")
        self._fill(1 + length)
        body = self.buf[5:1 + length]
        self.buf = self.buf[1 + length:]
        return msg_type, body

    def read_until(self, stop_types=("Z",)):
        """Messages up to and including the first one whose type is in stop_types."""
        msgs = []
        while True:
            msg = self.read()
            msgs.append(msg)
            if msg[0] in stop_types:
                return msgs

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # ---- startup and authentication ---------------------------------------------------
    def startup(self, user, database, password=None, options=None):
        """Sends StartupMessage and authenticates; returns all messages through the first
        ReadyForQuery or ErrorResponse (auth requests included)."""
        params = {"user": user, "database": database}
        params.update(options or {})
        body = struct.pack("!I", PROTOCOL_V3)
        for k, v in params.items():
            body += cstr(k) + cstr(v)
        body += b"\0"
        self.send_raw(struct.pack("!I", len(body) + 4) + body)
        msgs = []
        scram = None
        while True:
            msg_type, body = self.read()
            msgs.append((msg_type, body))
            if msg_type == "E" or msg_type == "Z":
                return msgs
            if msg_type == "S":
                name, value = split_cstrs(body)
                self.parameters[name] = value
            elif msg_type == "K":
                self.backend_key = struct.unpack("!ii", body)
            elif msg_type == "R":
                (code,) = struct.unpack_from("!i", body)
                if code == 0:
                    continue
                if password is None:
                    raise ProtocolError(f"server asks for authentication {code}, no password")
                if code == 3:
                    self.send("p", cstr(password))
                elif code == 10:
                    mechanisms = split_cstrs(body[4:])
                    if "SCRAM-SHA-256" not in mechanisms:
                        raise ProtocolError(f"no SCRAM-SHA-256 in {mechanisms}")
                    scram = ScramClient(password)
                    first = scram.client_first().encode()
                    self.send("p", cstr("SCRAM-SHA-256") + struct.pack("!i", len(first)) + first)
                elif code == 11:
                    self.send("p", scram.client_final(body[4:].decode()).encode())
                elif code == 12:
                    scram.verify_server_final(body[4:].decode())
                else:
                    raise ProtocolError(f"unsupported authentication request {code}")

    # ---- message builders -------------------------------------------------------------
    def query(self, sql):
        self.send("Q", cstr(sql))

    def parse(self, name, sql, param_oids=()):
        self.send("P", cstr(name) + cstr(sql) + struct.pack(f"!h{len(param_oids)}I",
                                                            len(param_oids), *param_oids))

    def bind(self, portal, statement, params=(), param_formats=(), result_formats=()):
        body = cstr(portal) + cstr(statement)
        body += struct.pack(f"!h{len(param_formats)}h", len(param_formats), *param_formats)
        body += struct.pack("!h", len(params))
        for p in params:
            if p is None:
                body += struct.pack("!i", -1)
            else:
                data = p if isinstance(p, bytes) else str(p).encode("utf-8")
                body += struct.pack("!i", len(data)) + data
        body += struct.pack(f"!h{len(result_formats)}h", len(result_formats), *result_formats)
        self.send("B", body)

    def describe(self, kind, name):
        self.send("D", kind.encode() + cstr(name))

    def execute(self, portal, max_rows=0):
        self.send("E", cstr(portal) + struct.pack("!i", max_rows))

    def close_object(self, kind, name):
        self.send("C", kind.encode() + cstr(name))

    def sync(self):
        self.send("S")

    def flush(self):
        self.send("H")

    def terminate(self):
        self.send("X")


class ScramClient:
    """Client side of SCRAM-SHA-256 as PostgreSQL speaks it."""

    def __init__(self, password):
        self.password = password.encode("utf-8")  # ASCII passwords need no SASLprep
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n=,r={self.nonce}"
        self.server_signature = None

    def client_first(self):
        return "n,," + self.first_bare

    def client_final(self, server_first):
        attrs = dict(item.split("=", 1) for item in server_first.split(","))
        if not attrs["r"].startswith(self.nonce):
            raise ProtocolError("server nonce does not extend the client nonce")
        salt = base64.b64decode(attrs["s"])
        iterations = int(attrs["i"])
        salted = hashlib.pbkdf2_hmac("sha256", self.password, salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={attrs['r']}"
        auth_message = f"{self.first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self.server_signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
        return f"{without_proof},p={base64.b64encode(proof).decode()}"

    def verify_server_final(self, server_final):
        if not server_final.startswith("v="):
            raise ProtocolError(f"unexpected server-final-message {server_final!r}")
        if base64.b64decode(server_final[2:]) != self.server_signature:
            raise ProtocolError("server signature does not verify")
