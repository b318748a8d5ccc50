"""pgbench: initialise with server-side data generation, then select-only runs in every mode."""

import re

import pytest

from conftest import run_cmd

TRANSACTIONS = 200
CLIENTS = 2


@pytest.fixture(scope="module")
def initialised(endpoint):
    r = run_cmd(["pgbench", "-i", "-I", "dtGvp", "-s", "1"], env=endpoint.psql_env(), timeout=90)
    assert r.returncode == 0, f"pgbench -i failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r


def test_initialisation_created_tables(initialised, connect3):
    assert "done in" in initialised.stderr, initialised.stderr
    conn = connect3(autocommit=True)
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_branches),"
        " (SELECT count(*) FROM pgbench_tellers), (SELECT count(*) FROM pgbench_history)"
    ).fetchone()
    assert counts == (100000, 1, 10, 0), f"scale 1 row counts: {counts}"
    assert conn.execute("SELECT abalance FROM pgbench_accounts WHERE aid = 777").fetchone() == (
        0,)


@pytest.mark.budget(60)
@pytest.mark.parametrize("mode", ["simple", "extended", "prepared"])
def test_select_only(initialised, endpoint, mode):
    r = run_cmd(["pgbench", "-S", "-t", str(TRANSACTIONS), "-c", str(CLIENTS),
                 "-M", mode], env=endpoint.psql_env(), timeout=50)
    out = r.stdout
    assert r.returncode == 0, f"pgbench -M {mode} exit {r.returncode}:\n{out}\n{r.stderr}"
    assert f"query mode: {mode}" in out, out
    total = TRANSACTIONS * CLIENTS
    assert f"number of transactions actually processed: {total}/{total}" in out, out
    failed = re.search(r"number of failed transactions: (\d+)", out)
    assert failed is None or failed.group(1) == "0", f"failures reported:\n{out}"
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    assert tps and float(tps.group(1)) > 0, f"no tps line:\n{out}"
