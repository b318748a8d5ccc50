"""Rust tokio-postgres (Debian librust-tokio-postgres-dev, built offline from Debian's cargo
registry, tests/clients/rust): connect, parameterised query, prepared statement, transaction,
error SQLSTATE."""

import pytest

from clients import build_rust, run_client


@pytest.fixture(scope="module")
def client():
    return build_rust()


@pytest.mark.budget(60)
def test_query_prepared_transaction(client, endpoint, fresh_table):
    t = fresh_table("r")
    conninfo = (f"host={endpoint.host} port={endpoint.port} user={endpoint.user} "
                f"dbname={endpoint.dbname} application_name=pgw-tokio-postgres "
                "connect_timeout=10")
    rc, steps, out = run_client(client + [conninfo, t])
    assert rc == 0 and steps == ["connect", "parameterised query", "prepared statement",
                                 "transaction", "error sqlstate"], out
