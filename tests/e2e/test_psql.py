"""psql against the server: -c, \\i scripts, \\timing, errors and exit codes, -A -t output."""

from conftest import run_cmd


def psql(endpoint, *args, input_text=None):
    return run_cmd(["psql", "-X", "-w", "-v", "ON_ERROR_STOP=1", *args],
                   env=endpoint.psql_env(), input_text=input_text, timeout=30)


def ok(result):
    assert result.returncode == 0, (
        f"psql exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}")
    return result.stdout


def test_multi_statement_command_line(endpoint, fresh_table):
    t = fresh_table()
    out = ok(psql(endpoint, "-A", "-t", "-c",
                  f"CREATE TABLE {t} (id int, name text); "
                  f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b'); "
                  f"SELECT count(*) || ':' || string_agg(name, ',' ORDER BY id) FROM {t}"))
    # psql 15 sends the line as one Query and prints every result (tags included with -t).
    assert out == "CREATE TABLE\nINSERT 0 2\n2:a,b\n", repr(out)


def test_several_c_options_and_aligned_output(endpoint, fresh_table):
    t = fresh_table()
    out = ok(psql(endpoint, "-c", f"CREATE TABLE {t} (id int, name text)",
                  "-c", f"INSERT INTO {t} VALUES (1, 'alpha'), (2, NULL)",
                  "-c", f"SELECT id, name FROM {t} ORDER BY id"))
    assert out == (
        "CREATE TABLE\n"
        "INSERT 0 2\n"
        " id | name  \n"
        "----+-------\n"
        "  1 | alpha\n"
        "  2 | \n"
        "(2 rows)\n\n"), f"aligned output differs:\n{out}"


def test_include_script(endpoint, fresh_table, tmp_path):
    t = fresh_table()
    script = tmp_path / "script.sql"
    script.write_text(
        f"CREATE TABLE {t} (k text PRIMARY KEY, v int);\n"
        f"INSERT INTO {t} VALUES ('x', 1);\n"
        f"INSERT INTO {t}\n  VALUES ('y', 2),\n         ('z', 3);\n"
        "-- a comment line\n"
        f"UPDATE {t} SET v = v * 10 WHERE k <> 'x';\n"
        f"SELECT k, v FROM {t} ORDER BY k;\n")
    out = ok(psql(endpoint, "-A", "-t", "-c", f"\\i {script}"))
    assert out.splitlines()[-3:] == ["x|1", "y|20", "z|30"], out
    out = ok(psql(endpoint, "-A", "-t", input_text=f"SELECT sum(v) FROM {t};\n"))
    assert out == "51\n", "statements read from stdin"


def test_failing_script_stops_with_exit_code_3(endpoint, fresh_table, tmp_path):
    t = fresh_table()
    script = tmp_path / "fail.sql"
    script.write_text(f"CREATE TABLE {t} (v int);\n"
                      "SELECT * FROM e2e_psql_missing;\n"
                      f"INSERT INTO {t} VALUES (1);\n")
    r = psql(endpoint, "-f", str(script))
    assert r.returncode == 3, f"ON_ERROR_STOP in a script exits 3, got {r.returncode}"
    assert f'psql:{script}:2: ERROR:  relation "e2e_psql_missing" does not exist' in r.stderr, (
        r.stderr)
    assert "LINE 1: SELECT * FROM e2e_psql_missing;" in r.stderr, r.stderr
    out = ok(psql(endpoint, "-A", "-t", "-c", f"SELECT count(*) FROM {t}"))
    assert out == "0\n", "statements after the failure must not run"


def test_timing_on(endpoint):
    out = ok(psql(endpoint, "-c", "\\timing on", "-c", "SELECT 1 AS x"))
    assert "Timing is on." in out, out
    assert "Time: " in out and " ms" in out, out


def test_failing_statement_error_text_and_exit_code(endpoint):
    r = psql(endpoint, "-c", "SELECT 1/0")
    assert r.returncode == 1, f"psql -c with a failing statement exits 1, got {r.returncode}"
    assert r.stderr == "ERROR:  division by zero\n", repr(r.stderr)
    r = psql(endpoint, "-c", "SELECT nope FROM (SELECT 1 AS yes) s")
    assert r.returncode == 1
    assert r.stderr.startswith('ERROR:  column "nope" does not exist\n'
                               "LINE 1: SELECT nope FROM (SELECT 1 AS yes) s\n"
                               "               ^\n"), repr(r.stderr)
    r = psql(endpoint, "-v", "VERBOSITY=verbose", "-c", "SELEC 1")
    assert r.returncode == 1
    assert r.stderr.startswith('ERROR:  42601: syntax error at or near "SELEC"\n'
                               "LINE 1: SELEC 1\n        ^\n"), repr(r.stderr)


def test_typed_values_unaligned_tuples_only(endpoint):
    out = ok(psql(endpoint, "-A", "-t", "-c",
                  "SELECT true, false, NULL::bool, DATE '2024-02-29', 42::int8, "
                  "1.50::numeric(5,2), "
                  "'a b'::text, TIME '01:02:03', TIMESTAMP '2024-01-02 03:04:05.5', "
                  "INTERVAL '1 day 2 hours', '\\xdead'::bytea, 2.5::float8"))
    assert out == ("t|f||2024-02-29|42|1.50|a b|01:02:03|2024-01-02 03:04:05.5|"
                   "1 day 02:00:00|\\xdead|2.5\n"), repr(out)
    out = ok(psql(endpoint, "-A", "-t", "-F", ",", "-c",
                  "SELECT g, g % 2 = 0 FROM generate_series(1, 3) AS g"))
    assert out == "1,f\n2,t\n3,f\n", repr(out)


def test_psql_describe_connection_info(endpoint):
    out = ok(psql(endpoint, "-A", "-t", "-c", "SELECT current_database(), current_user"))
    assert out == f"{endpoint.dbname}|{endpoint.user}\n"
