"""node-postgres `pg` (npm, tests/clients/node): parameterised and prepared queries,
transactions, errors, the catalog queries an ORM sends; pg-copy-streams COPY in and out."""

import pytest

from clients import node_client, run_client
from conftest import TARGET


def env(endpoint):
    e = endpoint.psql_env()
    e.pop("PGAPPNAME", None)
    return e


@pytest.mark.budget(60)
def test_queries_transactions_and_catalog(endpoint, fresh_table):
    t = fresh_table("n")
    rc, steps, out = run_client(node_client() + ["core", t], env=env(endpoint))
    assert rc == 0 and steps == ["connect", "parameterised query", "prepared statement",
                                 "transaction", "error sqlstate", "catalog queries"], out


@pytest.mark.budget(60)
def test_pg_copy_streams(endpoint, fresh_table):
    t = fresh_table("nc")
    rc, steps, out = run_client(node_client() + ["copy", t], env=env(endpoint))
    assert rc == 0 and steps == ["connect", "pg-copy-streams"], out
