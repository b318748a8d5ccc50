"""PHP PDO pgsql (Debian php8.2-pgsql, tests/clients/php/client.php): connect, parameterised
query, prepared statement, transaction, error SQLSTATE."""

import os

import pytest

from clients import CLIENTS_SRC, run_client


@pytest.mark.budget(60)
def test_query_prepared_transaction(endpoint, fresh_table):
    t = fresh_table("php")
    dsn = (f"pgsql:host={endpoint.host};port={endpoint.port};dbname={endpoint.dbname};"
           "sslmode=disable;application_name=pgw-php-pdo")
    rc, steps, out = run_client(["php", os.path.join(CLIENTS_SRC, "php", "client.php"), dsn,
                                 endpoint.user, t])
    assert rc == 0 and steps == ["connect", "parameterised query", "prepared statement",
                                 "transaction", "error sqlstate"], out
