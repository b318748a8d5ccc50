"""Ruby pg (Debian ruby-pg, tests/clients/ruby/client.rb): connect, parameterised query,
prepared statement, transaction, error SQLSTATE."""

import os

import pytest

from clients import CLIENTS_SRC, run_client


@pytest.mark.budget(60)
def test_query_prepared_transaction(endpoint, fresh_table):
    t = fresh_table("rb")
    env = endpoint.psql_env()
    env.pop("PGAPPNAME", None)
    rc, steps, out = run_client(["ruby", os.path.join(CLIENTS_SRC, "ruby", "client.rb"), t],
                                env=env)
    assert rc == 0 and steps == ["connect", "parameterised query", "prepared statement",
                                 "transaction", "error sqlstate"], out
