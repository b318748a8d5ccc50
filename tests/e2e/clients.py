"""Building and running the compiled client programs in tests/clients/ (Java, Go, Rust,
node): each is built once per run into build/clients/ from Debian's packages (npm packages
from tests/clients/node/package-lock.json), with a bounded time, then run as a subprocess that
prints "ok <step>" lines."""

import os
import shutil
import subprocess

from conftest import REPO_ROOT

CLIENTS_SRC = os.path.join(REPO_ROOT, "tests", "clients")
BUILD_DIR = os.path.join(REPO_ROOT, "build", "clients")
BUILD_TIMEOUT = 600
RUN_TIMEOUT = 60


def _run(args, timeout, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def build_java():
    out = os.path.join(BUILD_DIR, "java")
    src = os.path.join(CLIENTS_SRC, "java", "PgwJdbcClient.java")
    target = os.path.join(out, "PgwJdbcClient.class")
    if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
        os.makedirs(out, exist_ok=True)
        _run(["javac", "-cp", "/usr/share/java/postgresql.jar", "-d", out, src], BUILD_TIMEOUT)
    return ["java", "-cp", f"{out}:/usr/share/java/postgresql.jar", "PgwJdbcClient"]


def build_go():
    out = os.path.join(BUILD_DIR, "go", "pgw-go-client")
    src = os.path.join(CLIENTS_SRC, "go")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(
            os.path.join(src, "main.go")):
        env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode", GOFLAGS="",
                   GOCACHE=os.path.join(BUILD_DIR, "go", "cache"))
        _run(["go", "build", "-o", out, "."], BUILD_TIMEOUT, cwd=src, env=env)
    return [out]


def build_rust():
    target_dir = os.path.join(BUILD_DIR, "rust")
    out = os.path.join(target_dir, "debug", "pgw-rust-client")
    src = os.path.join(CLIENTS_SRC, "rust")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(
            os.path.join(src, "src", "main.rs")):
        # Debian's toolchain, whatever else is on PATH.
        env = dict(os.environ, CARGO_TARGET_DIR=target_dir, RUSTC="/usr/bin/rustc",
                   CARGO_HOME=os.path.join(target_dir, "cargo-home"))
        _run(["/usr/bin/cargo", "build", "--offline"], BUILD_TIMEOUT, cwd=src, env=env)
    return [out]


def node_client():
    src = os.path.join(CLIENTS_SRC, "node")
    if not os.path.isdir(os.path.join(src, "node_modules", "pg")):
        raise RuntimeError("node packages missing: run scripts/install-deps.sh --test")
    return ["node", os.path.join(src, "client.js")]


def run_client(args, env=None, timeout=RUN_TIMEOUT):
    """Runs a client program; returns (returncode, ok-steps, output)."""
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
    steps = [line[3:] for line in r.stdout.splitlines() if line.startswith("ok ")]
    return r.returncode, steps, r.stdout + r.stderr


def have(program):
    return shutil.which(program) is not None
