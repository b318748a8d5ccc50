"""asyncpg (Debian python3-asyncpg): binary format everywhere, its pg_type introspection (the
recursive typeinfo query, run before it decodes a type it has no codec for, and by
set_type_codec), fetch, prepared statements, executemany, transactions; copy_records_to_table."""

import asyncio
import datetime as dt
import json
from decimal import Decimal

import asyncpg
import pytest

from conftest import TARGET

APP = "pgw-asyncpg"


def run(coro, timeout=30):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def connect(endpoint):
    return await asyncpg.connect(host=endpoint.host, port=endpoint.port, user=endpoint.user,
                                 database=endpoint.dbname, ssl=False, timeout=10,
                                 server_settings={"application_name": APP})


def test_fetch_binary_types_and_executemany(endpoint, fresh_table):
    t = fresh_table("a")

    async def main():
        conn = await connect(endpoint)
        try:
            row = await conn.fetchrow(
                "SELECT $1::int8 AS i, $2::text AS s, $3::numeric AS n, $4::date AS d, "
                "$5::timestamptz AS ts, $6::bool AS b, $7::float8 AS f, $8::bytea AS by",
                -5, "héllo", Decimal("12.345"), dt.date(2024, 2, 29),
                dt.datetime(2024, 2, 29, 13, 45, 59, 123456, tzinfo=dt.timezone.utc), True, 0.5,
                b"\x00\xff")
            assert dict(row) == {"i": -5, "s": "héllo", "n": Decimal("12.345"),
                                 "d": dt.date(2024, 2, 29),
                                 "ts": dt.datetime(2024, 2, 29, 13, 45, 59, 123456,
                                                   tzinfo=dt.timezone.utc),
                                 "b": True, "f": 0.5, "by": b"\x00\xff"}
            await conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, name text, v float8)")
            await conn.executemany(f"INSERT INTO {t} VALUES ($1, $2, $3)",
                                   [(i, f"n{i}", i / 4) for i in range(1, 6)])
            stmt = await conn.prepare(f"SELECT name, v FROM {t} WHERE id > $1 ORDER BY id")
            assert [tuple(r) for r in await stmt.fetch(3)] == [("n4", 1.0), ("n5", 1.25)]
            async with conn.transaction():
                await conn.execute(f"DELETE FROM {t} WHERE id = 5")
            with pytest.raises(asyncpg.UniqueViolationError):
                async with conn.transaction():
                    await conn.execute(f"INSERT INTO {t} VALUES (1, 'dup', 0)")
            assert await conn.fetchval(f"SELECT count(*) FROM {t}") == 4
        finally:
            await conn.close()

    run(main())


def test_type_introspection_set_type_codec(endpoint):
    """set_type_codec looks the type up in pg_type and runs asyncpg's recursive introspection
    query over the catalog before it installs the codec."""

    async def main():
        conn = await connect(endpoint)
        try:
            await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads,
                                      schema="pg_catalog")
            got = await conn.fetchval("SELECT $1::json", {"a": [1, 2, None]})
            assert got == {"a": [1, 2, None]}
            types = await conn.fetch(
                "SELECT t.typname, t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n "
                "ON n.oid = t.typnamespace WHERE n.nspname = 'pg_catalog' AND t.typname = "
                "ANY($1::text[]) ORDER BY t.oid", ["int4", "text", "numeric"])
            assert [tuple(r) for r in types] == [("int4", 23), ("text", 25), ("numeric", 1700)]
        finally:
            await conn.close()

    run(main())


def test_recursive_type_introspection(endpoint, fresh_table):
    """The query asyncpg runs before it decodes a type it has no built-in codec for (a
    composite, an array of one, a domain): its recursive typeinfo_tree over pg_type,
    pg_namespace, pg_attribute, pg_class and pg_range, run here through asyncpg's own
    introspection entry point."""
    t = fresh_table("ai")

    async def main():
        conn = await connect(endpoint)
        try:
            await conn.execute(f"CREATE TABLE {t} (id int8, name text, n numeric(5,1))")
            rowtype = await conn.fetchval("SELECT reltype FROM pg_class WHERE relname = $1", t)
            types, _ = await conn._introspect_types([1007, rowtype], 10)
            by_oid = {(r["oid"], r["depth"]): r for r in types}
            arr = by_oid[(1007, 0)]
            assert (arr["name"], arr["kind"], arr["elemtype"], arr["elemtype_name"],
                    arr["elemdelim"]) == ("_int4", b"b", 23, "integer", b",")
            row = by_oid[(rowtype, 0)]
            assert (row["ns"], row["name"], row["kind"]) == ("public", t, b"c")
            assert row["attrnames"] == ["id", "name", "n"]
            assert row["attrtypoids"] == [20, 25, 1700]
            assert by_oid[(23, 1)]["elemtype_name"] == "-"
            assert {(20, 1), (25, 1), (1700, 1)} <= set(by_oid)
        finally:
            await conn.close()

    run(main())


def test_copy_records_to_table(endpoint, fresh_table):
    t = fresh_table("ac")

    async def main():
        conn = await connect(endpoint)
        try:
            await conn.execute(f"CREATE TABLE {t} (id int, name text)")
            await conn.copy_records_to_table(t, records=[(1, "a"), (2, None)])
            assert await conn.fetch(f"SELECT * FROM {t} ORDER BY id") == [(1, "a"), (2, None)]
        finally:
            await conn.close()

    run(main())
