"""Go pgx v4 (Debian golang-github-jackc-pgx-v4-dev, tests/clients/go): Query, QueryRow, Exec
with parameters, Batch, transactions, errors; CopyFrom."""

import pytest

from clients import build_go, run_client
from conftest import TARGET


@pytest.fixture(scope="module")
def pgx():
    return build_go()


def conninfo(endpoint):
    return (f"host={endpoint.host} port={endpoint.port} user={endpoint.user} "
            f"dbname={endpoint.dbname} sslmode=disable application_name=pgw-pgx "
            "connect_timeout=10")


@pytest.mark.budget(120)
def test_query_exec_batch_transaction(pgx, endpoint, fresh_table):
    t = fresh_table("g")
    rc, steps, out = run_client(pgx + ["core", conninfo(endpoint), t])
    assert rc == 0 and steps == ["connect", "QueryRow", "Exec with parameters", "Query",
                                 "Batch", "transaction and errors"], out


@pytest.mark.budget(120)
def test_copy_from(pgx, endpoint, fresh_table):
    t = fresh_table("gc")
    rc, steps, out = run_client(pgx + ["copy", conninfo(endpoint), t])
    assert rc == 0 and steps == ["connect", "CopyFrom"], out
