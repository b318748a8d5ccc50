"""psycopg 3 async connections (what async SQLAlchemy and FastAPI applications use): concurrent
sessions, parameters, transactions, server-side cursors, pipeline mode, type introspection
through the catalog (TypeInfo.fetch, ::regtype), errors with SQLSTATE."""

import asyncio

import psycopg
import pytest
from psycopg import errors
from psycopg.types import TypeInfo

APP = "pgw-psycopg3-async"


def run(coro, timeout=20):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def connect(endpoint, **kw):
    return await psycopg.AsyncConnection.connect(endpoint.dsn(application_name=APP), **kw)


def test_async_queries_transactions_and_errors(endpoint, fresh_table):
    t = fresh_table()

    async def main():
        conn = await connect(endpoint)
        async with conn:
            await conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, name text, n numeric(6,2))")
            await conn.commit()
            async with conn.transaction():
                async with conn.cursor() as cur:
                    await cur.executemany(f"INSERT INTO {t} VALUES (%s, %s, %s)",
                                          [(1, "a", 1.5), (2, "b", None), (3, "c", 2)])
            with pytest.raises(errors.UniqueViolation):
                async with conn.transaction():
                    await conn.execute(f"INSERT INTO {t} VALUES (1, 'dup', 0)")
            cur = await conn.execute(f"SELECT id, name, n FROM {t} WHERE id >= %s ORDER BY id",
                                     [2])
            rows = await cur.fetchall()
            assert [r[:2] for r in rows] == [(2, "b"), (3, "c")]
            assert str(rows[1][2]) == "2.00"
            async with conn.cursor(name="srv") as named:
                await named.execute(f"SELECT id FROM {t} ORDER BY id")
                assert [r[0] async for r in named] == [1, 2, 3]
            await conn.commit()

    run(main())


def test_concurrent_async_sessions(endpoint):
    async def one(i):
        conn = await connect(endpoint, autocommit=True)
        async with conn:
            cur = await conn.execute("SELECT %s::int * 2, pg_backend_pid()", [i])
            value, pid = await cur.fetchone()
            return value, pid

    async def main():
        results = await asyncio.gather(*(one(i) for i in range(5)))
        assert [r[0] for r in results] == [0, 2, 4, 6, 8]
        assert len({r[1] for r in results}) == 5, "each session has its own backend pid"

    run(main())


def test_pipeline_mode(endpoint):
    async def main():
        conn = await connect(endpoint, autocommit=True)
        async with conn:
            async with conn.pipeline():
                c1 = await conn.execute("SELECT 1")
                c2 = await conn.execute("SELECT %s::text || 'b'", ["a"])
            assert await c1.fetchone() == (1,)
            assert await c2.fetchone() == ("ab",)

    run(main())


def test_type_introspection_through_the_catalog(endpoint):
    async def main():
        conn = await connect(endpoint, autocommit=True)
        async with conn:
            info = await TypeInfo.fetch(conn, "numeric")
            assert (info.name, info.oid, info.array_oid) == ("numeric", 1700, 1231)
            info = await TypeInfo.fetch(conn, "character varying")
            assert (info.name, info.oid) == ("varchar", 1043)
            assert await TypeInfo.fetch(conn, "no_such_type_here") is None
            cur = await conn.execute("SELECT 'int4'::regtype::oid, 'integer'::regtype, "
                                     "current_setting('application_name')")
            assert await cur.fetchone() == (23, "integer", APP)

    run(main())
