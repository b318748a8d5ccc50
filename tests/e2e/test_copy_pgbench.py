"""pgbench -i with client-side data generation (the default steps dtgvp): pgbench_accounts is
loaded with COPY ... FROM STDIN (FREEZE) inside the transaction that truncated it."""

from conftest import run_cmd


def test_pgbench_init_client_side_generation(endpoint, connect3):
    r = run_cmd(["pgbench", "-i", "-I", "dtgvp", "-s", "1"], env=endpoint.psql_env(), timeout=120)
    assert r.returncode == 0, f"pgbench -i failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    assert "client-side generate" in r.stderr, r.stderr
    conn = connect3(autocommit=True)
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_branches),"
        " (SELECT count(*) FROM pgbench_tellers), (SELECT count(*) FROM pgbench_history)"
    ).fetchone()
    assert counts == (100000, 1, 10, 0), f"scale 1 row counts: {counts}"
    assert conn.execute(
        "SELECT sum(aid), min(bid), max(bid), sum(abalance), count(DISTINCT filler) "
        "FROM pgbench_accounts").fetchone() == (5000050000, 1, 1, 0, 1)
    r = run_cmd(["pgbench", "-S", "-t", "50", "-M", "prepared"], env=endpoint.psql_env(),
                timeout=60)
    assert r.returncode == 0, f"pgbench -S after client-side init:\n{r.stdout}\n{r.stderr}"
