"""psql meta-commands (\\l \\dn \\dt \\dt+ \\d \\d+ \\di \\dv \\ds \\df \\du \\dT \\x) against the
server, compared with what a local PostgreSQL 15 prints for the same schema.

Against the gateway, a throwaway PostgreSQL 15 is started as the reference; against
PGW_TARGET=postgres the target is its own reference. The outputs are compared cell by cell
(column padding follows the cells, so it is normalized away), with sizes masked: the storage
engine differs, the shape must not. \\l and \\du compare the rows of this database and user
(a PostgreSQL cluster has more databases and roles than the gateway's one file).
"""

import re

import pytest

from conftest import TARGET, PostgresTarget, run_cmd

PREFIX = "psqlmeta"
SCHEMA = f"""
CREATE TABLE {PREFIX}_authors (id integer PRIMARY KEY, name text NOT NULL,
    email varchar(100) UNIQUE, born date, active boolean DEFAULT true);
CREATE TABLE {PREFIX}_books (id bigint PRIMARY KEY,
    author_id integer NOT NULL REFERENCES {PREFIX}_authors(id) ON DELETE CASCADE,
    title text NOT NULL DEFAULT 'untitled', price numeric(10,2),
    published timestamp with time zone DEFAULT now());
CREATE INDEX {PREFIX}_books_title_idx ON {PREFIX}_books (title);
CREATE UNIQUE INDEX {PREFIX}_books_author_title ON {PREFIX}_books (author_id, title);
CREATE VIEW {PREFIX}_cheap AS SELECT id, title FROM {PREFIX}_books WHERE price < 10;
INSERT INTO {PREFIX}_authors VALUES (1, 'Ann', 'ann@example.com', '1970-01-02', true),
    (2, 'Bob', NULL, NULL, false);
"""
DROP = f"DROP VIEW IF EXISTS {PREFIX}_cheap; DROP TABLE IF EXISTS {PREFIX}_books; " \
       f"DROP TABLE IF EXISTS {PREFIX}_authors;"


def psql(endpoint, *args):
    return run_cmd(["psql", "-X", "-w", *args], env=endpoint.psql_env(), timeout=30)


def run_script(endpoint, sql):
    r = psql(endpoint, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def servers(target):
    """(server under test, reference PostgreSQL 15), both with the schema."""
    reference = None
    if TARGET == "gateway":
        reference = PostgresTarget()
        reference.start()
        ref_endpoint = reference.main
    else:
        ref_endpoint = target.main
    endpoints = [target.main] if ref_endpoint is target.main else [target.main, ref_endpoint]
    try:
        for e in endpoints:
            run_script(e, DROP)
            run_script(e, SCHEMA)
        yield target.main, ref_endpoint
    finally:
        for e in endpoints:
            psql(e, "-q", "-c", DROP)
        if reference is not None:
            reference.stop()


def cells(line):
    return [c.strip() for c in line.split("|")]


def normalize(text, keep_first_cell=None):
    """Cell-normalized lines: padding dropped, Size cells masked, titles stripped."""
    out = []
    size_col = acl_col = None
    for line in text.splitlines():
        if "|" not in line:
            out.append(line.strip())
            continue
        row = cells(line)
        if "Size" in row:
            size_col = row.index("Size")
        elif size_col is not None and size_col < len(row) and re.fullmatch(
                r"\d+ (bytes|kB|MB)", row[size_col]):
            row[size_col] = "<size>"
        if "Access privileges" in row:
            acl_col = row.index("Access privileges")
        elif acl_col is not None and acl_col < len(row):
            # GRANTs are not modelled: the reference's set-up grants differ from none.
            row[acl_col] = "<acl>"
        if keep_first_cell is not None and row[0] not in keep_first_cell and not line.startswith(
                "-"):
            continue
        out.append(" | ".join(row))
    # psql centres titles and separators over the (differing) column widths.
    return [re.sub(r"^-[-+]*$", "---", l) for l in out if not re.fullmatch(r"\(\d+ rows?\)", l)]


def compare(servers, *args, keep=None):
    gateway, reference = servers
    got = psql(gateway, *args)
    want = psql(reference, *args)
    assert got.returncode == want.returncode, (got.stderr, want.stderr)
    assert normalize(got.stdout, keep) == normalize(want.stdout, keep), (
        f"psql {' '.join(args)} differs\n--- server under test:\n{got.stdout}{got.stderr}"
        f"\n--- PostgreSQL 15:\n{want.stdout}{want.stderr}")
    assert got.stderr == want.stderr
    return got.stdout + got.stderr


@pytest.mark.parametrize("command", [
    rf"\dt {PREFIX}_*",
    rf"\dt+ {PREFIX}_*",
    rf"\d {PREFIX}_books",
    rf"\d {PREFIX}_authors",
    rf"\d+ {PREFIX}_books",
    rf"\d+ {PREFIX}_authors",
    rf"\d {PREFIX}_cheap",
    rf"\di {PREFIX}_*",
    rf"\di+ {PREFIX}_*",
    rf"\d {PREFIX}_books_author_title",
    rf"\dv {PREFIX}_*",
    rf"\ds {PREFIX}_*",
    rf"\df {PREFIX}_*",
    rf"\dT {PREFIX}_*",
    r"\dn",
])
def test_meta_command_matches_postgres(servers, command):
    out = compare(servers, "-c", command)
    assert out.strip(), f"{command} printed nothing"


def test_list_of_tables_shows_the_schema(servers):
    out = compare(servers, "-c", rf"\dt {PREFIX}_*")
    assert f"{PREFIX}_authors" in out and f"{PREFIX}_books" in out
    out = compare(servers, "-c", rf"\d {PREFIX}_books")
    assert f'"{PREFIX}_books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES ' \
           f"{PREFIX}_authors(id) ON DELETE CASCADE" in out, out


def test_list_databases_row_of_this_database(servers):
    gateway, _ = servers
    compare(servers, "-c", r"\l", keep={gateway.dbname, "Name"})


def test_list_roles_row_of_this_user(servers):
    gateway, _ = servers
    compare(servers, "-c", r"\du", keep={gateway.user, "Role name"})


def test_expanded_display(servers):
    out = compare(servers, "-c", r"\x on", "-c",
                  f"SELECT id, name, email, born, active FROM {PREFIX}_authors ORDER BY id")
    assert "-[ RECORD 1 ]" in out and "name   | Ann" in out, out


def test_describe_after_ddl_from_another_session(servers):
    """The catalog is live: DDL in one session shows in the next \\d of another."""
    gateway, reference = servers
    for e in {id(gateway): gateway, id(reference): reference}.values():
        run_script(e, f"ALTER TABLE {PREFIX}_authors ADD COLUMN nickname varchar(20)")
    try:
        out = compare(servers, "-c", rf"\d {PREFIX}_authors")
        assert "nickname" in out and "character varying(20)" in out, out
    finally:
        for e in {id(gateway): gateway, id(reference): reference}.values():
            run_script(e, DROP)
            run_script(e, SCHEMA)
