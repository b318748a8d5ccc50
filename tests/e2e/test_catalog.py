"""The live catalog through psycopg 3: settings (SHOW ALL, pg_settings, current_setting,
set_config agree), pg_stat_activity over real sessions, regclass resolution and its errors,
stable oids, DDL from another session, and the catalog functions tools call."""

import psycopg
import pytest
from psycopg import errors


def test_show_all_and_pg_settings_agree(connect3):
    conn = connect3(autocommit=True)
    conn.execute("SET statement_timeout = '5s'")
    shown = {name: value for name, value, _ in conn.execute("SHOW ALL").fetchall()}
    settings = dict(conn.execute("SELECT name, setting FROM pg_catalog.pg_settings").fetchall())
    for name in ("application_name", "DateStyle", "search_path", "TimeZone", "client_encoding",
                 "standard_conforming_strings"):
        assert shown[name] == settings[name], name
    assert shown["statement_timeout"] == "5s"
    assert conn.execute("SELECT setting, unit FROM pg_settings WHERE name = 'statement_timeout'"
                        ).fetchone() == ("5000", "ms")
    assert conn.execute("SELECT current_setting('statement_timeout')").fetchone() == ("5s",)


def test_set_config_is_set(connect3):
    conn = connect3()
    assert conn.execute("SELECT set_config('application_name', 'via_set_config', false)"
                        ).fetchone() == ("via_set_config",)
    assert conn.execute("SHOW application_name").fetchone() == ("via_set_config",)
    conn.rollback()  # SET inside a rolled-back transaction is undone
    assert conn.execute("SHOW application_name").fetchone() != ("via_set_config",)
    conn.rollback()
    conn.execute("SELECT set_config('search_path', 'public', true)")
    assert conn.execute("SELECT current_setting('search_path')").fetchone() == ("public",)
    conn.commit()  # SET LOCAL ends with the transaction
    assert conn.execute("SELECT current_setting('search_path')").fetchone() == ('"$user", public',)
    assert conn.execute("SELECT current_setting('no.such_setting', true)").fetchone() == (None,)
    conn.rollback()
    with pytest.raises(errors.UndefinedObject) as e:
        conn.execute("SELECT current_setting('no_such_setting')")
    assert 'unrecognized configuration parameter "no_such_setting"' in str(e.value)


def test_pg_stat_activity_lists_real_sessions(connect3, endpoint):
    me = connect3(autocommit=True)
    other = connect3(dsn=endpoint.dsn(application_name="e2e_activity_other"))
    other.execute("SELECT 42")
    other_pid = other.info.backend_pid
    rows = me.execute(
        "SELECT pid, usename, datname, application_name, state, query, "
        "backend_start IS NOT NULL FROM pg_stat_activity WHERE pid IN (%s, pg_backend_pid()) "
        "ORDER BY pid = pg_backend_pid()", [other_pid]).fetchall()
    assert len(rows) == 2, rows
    assert rows[0][:5] == (other_pid, endpoint.user, endpoint.dbname, "e2e_activity_other",
                           "idle in transaction")
    assert rows[0][5] == "SELECT 42" and rows[0][6] is True
    assert rows[1][4] == "active" and "pg_stat_activity" in rows[1][5]
    assert me.execute("SELECT count(*) FROM pg_locks WHERE pid = -1").fetchone() == (0,)


def test_regclass_and_catalog_functions(connect3, fresh_table):
    t = fresh_table()
    conn = connect3(autocommit=True)
    conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, v text DEFAULT 'd')")
    oid = conn.execute("SELECT oid FROM pg_class WHERE relname = %s", [t]).fetchone()[0]
    assert conn.execute(f"SELECT '{t}'::regclass::oid, 'public.{t}'::regclass::oid, "
                        f"%s::regclass::text", [t]).fetchone() == (oid, oid, t)
    assert conn.execute("SELECT 'pg_class'::regclass::oid, 1259::regclass::text").fetchone() == (
        1259, "pg_class")
    assert conn.execute("SELECT to_regclass('no_such_rel_e2e')").fetchone() == (None,)
    with pytest.raises(errors.UndefinedTable) as e:
        conn.execute("SELECT 'no_such_rel_e2e'::regclass")
    assert 'relation "no_such_rel_e2e" does not exist' in str(e.value)
    row = conn.execute(
        "SELECT format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), "
        "col_description(a.attrelid, a.attnum), obj_description(a.attrelid, 'pg_class'), "
        "pg_table_is_visible(a.attrelid), has_table_privilege(a.attrelid, 'SELECT') "
        "FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = %s::regclass AND a.attname = 'v'", [t]).fetchone()
    assert row == ("text", "'d'::text", None, None, True, True)
    idx = conn.execute("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s",
                       [oid]).fetchone()[0]
    assert idx == f"CREATE UNIQUE INDEX {t}_pkey ON public.{t} USING btree (id)"
    assert conn.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s",
                        [oid]).fetchone() == ("PRIMARY KEY (id)",)
    assert conn.execute(
        "SELECT pg_encoding_to_char(6), pg_is_in_recovery(), pg_postmaster_start_time() < now(), "
        "current_schema(), current_schemas(false), pg_get_userbyid(10) IS NOT NULL, "
        "array_to_string(ARRAY(SELECT relname FROM pg_class WHERE relname IN ('pg_type', "
        "'pg_class') ORDER BY relname), ',')").fetchone() == (
        "UTF8", False, True, "public", ["public"], True, "pg_class,pg_type")


def test_catalog_is_live_and_oids_stable(connect3, fresh_table):
    t = fresh_table()
    a = connect3(autocommit=True)
    b = connect3(autocommit=True)
    a.execute(f"CREATE TABLE {t} (x int)")
    oid = b.execute("SELECT oid FROM pg_class WHERE relname = %s", [t]).fetchone()[0]
    a.execute(f"ALTER TABLE {t} ADD COLUMN y varchar(7)")
    cols = b.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                     "WHERE attrelid = %s AND attnum > 0 ORDER BY attnum", [oid]).fetchall()
    assert cols == [("x", "integer"), ("y", "character varying(7)")]
    assert a.execute("SELECT oid FROM pg_class WHERE relname = %s", [t]).fetchone() == (oid,)
    assert b.execute("SELECT count(*) FROM pg_type WHERE typrelid = %s", [oid]).fetchone() == (1,)
    assert b.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = %s",
                     [t]).fetchone() == (2,)
