"""pgjdbc (Debian libpostgresql-jdbc-java 42.5): PreparedStatement with every core type,
addBatch/executeBatch, transactions, DatabaseMetaData getTables/getColumns/getPrimaryKeys/
getIndexInfo/getImportedKeys; CopyManager in and out (tests/clients/java/PgwJdbcClient.java)."""

import pytest

from clients import build_java, run_client
from conftest import TARGET

CORE_STEPS = ["connect", "ddl", "prepared statement with every core type",
              "addBatch/executeBatch and transactions", "DatabaseMetaData"]


@pytest.fixture(scope="module")
def jdbc():
    return build_java()


def url(endpoint):
    return f"jdbc:postgresql://{endpoint.host}:{endpoint.port}/{endpoint.dbname}"


@pytest.mark.budget(90)
def test_core_types_batches_and_metadata(jdbc, endpoint, fresh_table):
    t = fresh_table("j")
    fresh_table("j_p_dummy")  # keeps the name list; the _p table is dropped below
    try:
        rc, steps, out = run_client(jdbc + ["core", url(endpoint), endpoint.user, t], timeout=80)
    finally:
        import psycopg
        with psycopg.connect(endpoint.dsn(), autocommit=True) as c:
            c.execute(f"DROP TABLE IF EXISTS {t}")
            c.execute(f"DROP TABLE IF EXISTS {t}_p")
    assert rc == 0 and steps == CORE_STEPS, out


@pytest.mark.budget(60)
def test_copy_manager_in_and_out(jdbc, endpoint, fresh_table):
    t = fresh_table("jc")
    rc, steps, out = run_client(jdbc + ["copy", url(endpoint), endpoint.user, t])
    assert rc == 0 and steps == ["connect", "CopyManager"], out
