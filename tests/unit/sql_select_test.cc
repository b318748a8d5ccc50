// SELECT translation: exact SQLite output, PostgreSQL column names and result type hints.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

TEST(SqlSelect, PgbenchCatalogQuery) {
  TranslatedStatement st = One(
      "select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c "
      "join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select "
      "pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join "
      "pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join "
      "pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' "
      "and o.n is not null group by 1, 2 order by 1 asc limit 1");
  EXPECT_EQ(st.sql,
            "SELECT (pgw_array_position(pgw_current_schemas(1), \"n\".\"nspname\")) AS \"n\", "
            "\"p\".\"partstrat\" AS \"partstrat\", count(\"i\".\"inhparent\") AS \"count\" FROM "
            "\"pgw_pg_class\" AS \"c\" JOIN \"pgw_pg_namespace\" AS \"n\" ON \"n\".\"oid\" = "
            "\"c\".\"relnamespace\" LEFT JOIN \"pgw_pg_partitioned_table\" AS \"p\" ON "
            "\"p\".\"partrelid\" = \"c\".\"oid\" LEFT JOIN \"pgw_pg_inherits\" AS \"i\" ON "
            "\"c\".\"oid\" = \"i\".\"inhparent\" WHERE (\"c\".\"relname\" = 'pgbench_accounts') "
            "AND ((pgw_array_position(pgw_current_schemas(1), \"n\".\"nspname\")) IS NOT NULL) "
            "GROUP BY 1, 2 ORDER BY 1 ASC NULLS LAST LIMIT 1");
  ASSERT_EQ(st.result_hints.size(), 3u);
  EXPECT_EQ(st.result_hints[0].name, "n");
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt4);
  EXPECT_EQ(st.result_hints[1].name, "partstrat");
  EXPECT_EQ(st.result_hints[2].name, "count");
  EXPECT_EQ(st.result_hints[2].type_oid, oid::kInt8);
  EXPECT_TRUE(st.returns_rows);
}

TEST(SqlSelect, Translations) {
  const Case cases[] = {
      {"SELECT abalance FROM pgbench_accounts WHERE aid = $1",
       "SELECT \"abalance\" AS \"abalance\" FROM \"pgbench_accounts\" WHERE \"aid\" = ?1"},
      {"select count(*) from pgbench_branches",
       "SELECT count(*) AS \"count\" FROM \"pgbench_branches\""},
      {"select 1, 1::int, -1, 'a'||'b', date '2024-01-01', 'x'::varchar, now(), "
       "current_timestamp, true, 1.5, 9999999999, null",
       "SELECT 1 AS \"?column?\", 1 AS \"int4\", -1 AS \"?column?\", 'a' || 'b' AS \"?column?\", "
       "pgw_cast('2024-01-01', 1082, -1) AS \"date\", 'x' AS \"varchar\", pgw_now() AS \"now\", "
       "pgw_now() AS \"current_timestamp\", 1 AS \"?column?\", 1.5 AS \"?column?\", 9999999999 AS "
       "\"?column?\", NULL AS \"?column?\""},
      {"select * from users",
       "SELECT \"users\".\"id\", \"users\".\"name\", \"users\".\"age\", \"users\".\"active\", "
       "\"users\".\"score\", \"users\".\"created\" FROM \"users\""},
      {"select * from public.users u where u.id = 1",
       "SELECT \"u\".\"id\", \"u\".\"name\", \"u\".\"age\", \"u\".\"active\", \"u\".\"score\", "
       "\"u\".\"created\" FROM \"users\" AS \"u\" WHERE \"u\".\"id\" = 1"},
      {"select * from users u join orders o using (id)",
       "SELECT * FROM \"users\" AS \"u\" JOIN \"orders\" AS \"o\" USING (\"id\")"},
      {"select * from unknown_table", "SELECT * FROM \"unknown_table\""},
      {"select coalesce(a, 0), nullif(1, 2), greatest(1, null, 3), case when age > 1 then 'x' "
       "else 'y' end from users",
       "SELECT coalesce(\"a\", 0) AS \"coalesce\", nullif(1, 2) AS \"nullif\", "
       "max(coalesce(1, NULL, 3), coalesce(NULL, 1, 3), coalesce(3, 1, NULL)) AS \"greatest\", "
       "CASE WHEN \"age\" > 1 THEN 'x' ELSE 'y' END AS \"case\" FROM \"users\""},
      {"select least(a, b) from t",
       "SELECT min(coalesce(\"a\", \"b\"), coalesce(\"b\", \"a\")) AS "
       "\"least\" FROM \"t\""},
      {"select exists(select 1 from orders o where o.user_id = u.id) from users u",
       "SELECT EXISTS (SELECT 1 AS \"?column?\" FROM \"orders\" AS \"o\" WHERE \"o\".\"user_id\" "
       "= \"u\".\"id\") AS \"exists\" FROM \"users\" AS \"u\""},
      {"select id from users where id in (select user_id from orders) and name ilike 'A%' and "
       "age between 1 and 10 and name is not null",
       "SELECT \"id\" AS \"id\" FROM \"users\" WHERE (\"id\" IN (SELECT \"user_id\" AS "
       "\"user_id\" FROM \"orders\")) AND (lower(\"name\") LIKE lower('A%') ESCAPE '\\') AND "
       "(\"age\" BETWEEN 1 AND 10) AND (\"name\" IS NOT NULL)"},
      {"select id from users where id not in (1, 2) and name not like 'a\\_%' escape '\\'",
       "SELECT \"id\" AS \"id\" FROM \"users\" WHERE (\"id\" NOT IN (1, 2)) AND (\"name\" NOT "
       "LIKE 'a\\_%' ESCAPE '\\')"},
      {"select x from (values (1, 'a'), (2, 'b')) as v(x, y)",
       "SELECT \"x\" AS \"x\" FROM (SELECT column1 AS \"x\", column2 AS \"y\" FROM (VALUES (1, "
       "'a'), (2, 'b'))) AS \"v\""},
      {"values (1, 'a'), (2, 'b')", "VALUES (1, 'a'), (2, 'b')"},
      {"with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select n "
       "from r",
       "WITH RECURSIVE \"r\"(\"n\") AS (SELECT 1 AS \"?column?\" UNION ALL SELECT \"n\" + 1 AS "
       "\"?column?\" FROM \"r\" WHERE \"n\" < 5) SELECT \"n\" AS \"n\" FROM \"r\""},
      {"select 1 union select 2 intersect select 3",
       "SELECT 1 AS \"?column?\" UNION SELECT * FROM (SELECT 2 AS \"?column?\" INTERSECT SELECT 3 "
       "AS \"?column?\")"},
      {"(select 1 order by 1 limit 1) union all select 2",
       "SELECT * FROM (SELECT 1 AS \"?column?\" ORDER BY 1 NULLS LAST LIMIT 1) UNION ALL SELECT 2 "
       "AS \"?column?\""},
      {"select id from users order by name desc, age limit all offset 5",
       "SELECT \"id\" AS \"id\" FROM \"users\" ORDER BY \"name\" DESC NULLS FIRST, \"age\" NULLS "
       "LAST LIMIT -1 OFFSET 5"},
      {"select id from users order by name asc nulls first, age desc nulls last",
       "SELECT \"id\" AS \"id\" FROM \"users\" ORDER BY \"name\" ASC NULLS FIRST, \"age\" DESC "
       "NULLS LAST"},
      {"select id from users fetch first 3 rows only",
       "SELECT \"id\" AS \"id\" FROM \"users\" "
       "LIMIT 3"},
      {"select distinct name from users", "SELECT DISTINCT \"name\" AS \"name\" FROM \"users\""},
      {"select 1 as a from users for update", "SELECT 1 AS \"a\" FROM \"users\""},
      {"select name, count(*) from users group by name having count(*) > 1",
       "SELECT \"name\" AS \"name\", count(*) AS \"count\" FROM \"users\" GROUP BY \"name\" "
       "HAVING count(*) > 1"},
      {"select u.id from users u left join orders o on o.user_id = u.id right join orders o2 on "
       "o2.id = o.id full join orders o3 on o3.id = o2.id",
       "SELECT \"u\".\"id\" AS \"id\" FROM \"users\" AS \"u\" LEFT JOIN \"orders\" AS \"o\" ON "
       "\"o\".\"user_id\" = \"u\".\"id\" RIGHT JOIN \"orders\" AS \"o2\" ON \"o2\".\"id\" = "
       "\"o\".\"id\" FULL JOIN \"orders\" AS \"o3\" ON \"o3\".\"id\" = \"o2\".\"id\""},
      {"select a.id from users a cross join orders b, pgbench_branches c",
       "SELECT \"a\".\"id\" AS \"id\" FROM \"users\" AS \"a\" CROSS JOIN \"orders\" AS \"b\", "
       "\"pgbench_branches\" AS \"c\""},
      {"select * from users where id = any(array[1,2,3])",
       "SELECT \"users\".\"id\", \"users\".\"name\", \"users\".\"age\", \"users\".\"active\", "
       "\"users\".\"score\", \"users\".\"created\" FROM \"users\" WHERE \"id\" IN (1, 2, 3)"},
      {"select x.a from (select 1 as a) x",
       "SELECT \"x\".\"a\" AS \"a\" FROM (SELECT 1 AS \"a\") AS \"x\""},
      {"select (select count(*) from orders) as n, (select max(id) from orders)",
       "SELECT (SELECT count(*) AS \"count\" FROM \"orders\") AS \"n\", (SELECT max(\"id\") AS "
       "\"max\" FROM \"orders\") AS \"max\""},
      {"select * from users u, lateral (select u.id + 1 as z) l",
       "SELECT \"u\".\"id\", \"u\".\"name\", \"u\".\"age\", \"u\".\"active\", \"u\".\"score\", "
       "\"u\".\"created\", (\"u\".\"id\" + 1) AS \"z\" FROM \"users\" AS \"u\""},
      {"select relname from pg_class",
       "SELECT \"relname\" AS \"relname\" FROM \"pgw_pg_class\" AS \"pg_class\""},
      {"select t.oid from pg_catalog.pg_type t where t.typname = $1",
       "SELECT \"t\".\"oid\" AS \"oid\" FROM \"pgw_pg_type\" AS \"t\" WHERE \"t\".\"typname\" = "
       "?1"},
      {"select * from generate_series(1, 3)",
       "SELECT \"generate_series\".\"generate_series\" FROM (SELECT value AS \"generate_series\" "
       "FROM pgw_generate_series(1, 3)) AS \"generate_series\""},
      {"select g from generate_series(1, 10, 2) g",
       "SELECT \"g\" AS \"g\" FROM (SELECT value AS \"g\" FROM pgw_generate_series(1, 10, 2)) AS "
       "\"g\""},
      {"select x from generate_series(1, 3) as s(x)",
       "SELECT \"x\" AS \"x\" FROM (SELECT value AS \"x\" FROM pgw_generate_series(1, 3)) AS "
       "\"s\""},
      {"select 1 as x order by x", "SELECT 1 AS \"x\" ORDER BY \"x\" NULLS LAST"},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

TEST(SqlSelect, Expressions) {
  const Case cases[] = {
      {"select a / b, a % b, (a - 1) / 10 + 1 from t",
       "SELECT pgw_div(\"a\", \"b\") AS \"?column?\", pgw_mod(\"a\", \"b\") AS \"?column?\", "
       "pgw_div(\"a\" - 1, 10) + 1 AS \"?column?\" FROM \"t\""},
      {"select -a, a * (b + 1), a || 'x' from t",
       "SELECT -\"a\" AS \"?column?\", \"a\" * (\"b\" + 1) AS \"?column?\", \"a\" || 'x' AS "
       "\"?column?\" FROM \"t\""},
      {"select a is true, a is not false, a is unknown, a is distinct from b, a is not distinct "
       "from b from t",
       "SELECT \"a\" IS TRUE AS \"?column?\", \"a\" IS NOT FALSE AS \"?column?\", \"a\" IS NULL "
       "AS \"?column?\", \"a\" IS NOT \"b\" AS \"?column?\", \"a\" IS \"b\" AS \"?column?\" FROM "
       "\"t\""},
      {"select not a and (b or c) from t",
       "SELECT (NOT \"a\") AND (\"b\" OR \"c\") AS \"?column?\" FROM \"t\""},
      {"select case a when 1 then 'one' when 2 then 'two' end from t",
       "SELECT CASE \"a\" WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS \"case\" FROM \"t\""},
      {"select coalesce(a) from t", "SELECT coalesce(\"a\", NULL) AS \"coalesce\" FROM \"t\""},
      {"select concat('a', name) from users",
       "SELECT (coalesce('a', '') || coalesce(\"name\", '')) AS \"concat\" FROM \"users\""},
      {"select string_agg(name, ','), count(distinct name), count(*) filter (where age > 1) from "
       "users",
       "SELECT pgw_string_agg(\"name\", ',') AS \"string_agg\", count(DISTINCT \"name\") AS "
       "\"count\", count(*) FILTER (WHERE \"age\" > 1) AS \"count\" FROM \"users\""},
      {"select trim(name), btrim(name, 'x'), position('a' in name), strpos(name, 'a'), "
       "substring(name from 2 for 3), char_length(name), replace(name, 'a', 'b') from users",
       "SELECT trim(\"name\") AS \"btrim\", trim(\"name\", 'x') AS \"btrim\", instr(\"name\", "
       "'a') AS \"position\", instr(\"name\", 'a') AS \"strpos\", substr(\"name\", 2, 3) AS "
       "\"substring\", length(\"name\") AS \"char_length\", replace(\"name\", 'a', 'b') AS "
       "\"replace\" FROM \"users\""},
      {"select random()", "SELECT (random() / 18446744073709551616.0 + 0.5) AS \"random\""},
      {"select pg_sleep(1)", "SELECT pgw_pg_sleep(1) AS \"pg_sleep\""},
      {"select my_func(1)", "SELECT my_func(1) AS \"my_func\""},
      {"select version(), current_database(), current_user, current_schema, pg_backend_pid()",
       "SELECT pgw_version() AS \"version\", pgw_current_database() AS \"current_database\", "
       "pgw_current_user() AS \"current_user\", pgw_current_schema() AS \"current_schema\", "
       "pgw_pg_backend_pid() AS \"pg_backend_pid\""},
      {"select current_date, localtimestamp, session_user, user, current_catalog, "
       "transaction_timestamp(), statement_timestamp(), clock_timestamp()",
       "SELECT pgw_current_date() AS \"current_date\", pgw_cast(pgw_now(), 1114, -1) AS "
       "\"localtimestamp\", pgw_session_user() AS \"session_user\", pgw_current_user() AS "
       "\"user\", pgw_current_database() AS \"current_catalog\", pgw_now() AS "
       "\"transaction_timestamp\", pgw_statement_timestamp() AS \"statement_timestamp\", "
       "pgw_clock_timestamp() AS \"clock_timestamp\""},
      {"select id::bigint, '5'::int, 5::bigint, 'abc'::text, 'x'::char(3), null::int, "
       "'1.5'::numeric(10,2), cast(age as text), active::text from users",
       "SELECT \"id\" AS \"id\", pgw_cast('5', 23, -1) AS \"int4\", 5 AS \"int8\", 'abc' AS "
       "\"text\", pgw_cast('x', 1042, 7) AS \"bpchar\", NULL AS \"int4\", pgw_cast('1.5', 1700, "
       "655366) AS \"numeric\", pgw_cast(\"age\", 25, -1) AS \"age\", pgw_bool_out(\"active\") "
       "AS \"active\" FROM \"users\""},
      {"select 'it''s'", "SELECT 'it''s' AS \"?column?\""},
      {"select \"Weird \"\"Name\"\"\" from t",
       "SELECT \"Weird \"\"Name\"\"\" AS \"Weird "
       "\"\"Name\"\"\" FROM \"t\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

struct HintCase {
  const char* sql;
  std::vector<std::pair<std::string, Oid>> hints;
};

TEST(SqlSelect, ResultHints) {
  const HintCase cases[] = {
      {"select 1, 9999999999, 1.5, 'a', true, null",
       {{"?column?", oid::kInt4},
        {"?column?", oid::kInt8},
        {"?column?", oid::kNumeric},
        {"?column?", oid::kText},
        {"?column?", oid::kBool},
        {"?column?", 0}}},
      {"select 1 = 1, 1 < 2 and true, not true, 1 is null, exists(select 1), 1 in (1), 'a' like "
       "'b'",
       {{"?column?", oid::kBool},
        {"?column?", oid::kBool},
        {"?column?", oid::kBool},
        {"?column?", oid::kBool},
        {"exists", oid::kBool},
        {"?column?", oid::kBool},
        {"?column?", oid::kBool}}},
      {"select count(*), sum(age), sum(id), avg(age), min(name), max(score) from users",
       {{"count", oid::kInt8},
        {"sum", oid::kInt8},
        {"sum", oid::kNumeric},
        {"avg", oid::kNumeric},
        {"min", oid::kText},
        {"max", oid::kNumeric}}},
      {"select now(), current_timestamp, current_date, version(), current_database(), "
       "current_user, length('x')",
       {{"now", oid::kTimestamptz},
        {"current_timestamp", oid::kTimestamptz},
        {"current_date", oid::kDate},
        {"version", oid::kText},
        {"current_database", oid::kName},
        {"current_user", oid::kName},
        {"length", oid::kInt4}}},
      {"select 1::int8, 'x'::varchar(10), age::numeric(5,1), age + 1, age + id, age * 1.5 from "
       "users",
       {{"int8", oid::kInt8},
        {"varchar", oid::kVarchar},
        {"age", oid::kNumeric},
        {"?column?", oid::kInt4},
        {"?column?", oid::kInt8},
        {"?column?", oid::kNumeric}}},
      {"select u.name, o.amount as total, o.note from users u join orders o on o.user_id = u.id",
       {{"name", oid::kText}, {"total", oid::kNumeric}, {"note", oid::kVarchar}}},
      {"select n from (select age as n from users) s", {{"n", oid::kInt4}}},
      {"select array_position(current_schemas(true), 'public'), case when true then 1 end, "
       "coalesce(null, 2)",
       {{"array_position", oid::kInt4}, {"case", oid::kInt4}, {"coalesce", oid::kInt4}}},
  };
  for (const HintCase& c : cases) {
    TranslatedStatement st = One(c.sql);
    ASSERT_EQ(st.result_hints.size(), c.hints.size()) << c.sql;
    for (size_t i = 0; i < c.hints.size(); ++i) {
      EXPECT_EQ(st.result_hints[i].name, c.hints[i].first) << c.sql << " #" << i;
      EXPECT_EQ(st.result_hints[i].type_oid, c.hints[i].second) << c.sql << " #" << i;
    }
  }
  TranslatedStatement st = One("select 'x'::varchar(10), 1.5::numeric(10,2)");
  EXPECT_EQ(st.result_hints[0].typmod, 14);
  EXPECT_EQ(st.result_hints[1].typmod, (10 << 16 | 2) + 4);
}

TEST(SqlSelect, WindowFunctions) {
  const Case cases[] = {
      {"select row_number() over () from users",
       "SELECT row_number() OVER () AS \"row_number\" FROM \"users\""},
      {"select rank() over (partition by age order by name desc) from users",
       "SELECT rank() OVER (PARTITION BY \"age\" ORDER BY \"name\" DESC NULLS FIRST) AS "
       "\"rank\" FROM \"users\""},
      {"select sum(age) over (order by id rows between unbounded preceding and current row) from "
       "users",
       "SELECT sum(\"age\") OVER (ORDER BY \"id\" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING "
       "AND CURRENT ROW) AS \"sum\" FROM \"users\""},
      {"select lag(name, 1) over (order by id rows 2 preceding) from users",
       "SELECT lag(\"name\", 1) OVER (ORDER BY \"id\" NULLS LAST ROWS 2 PRECEDING) AS \"lag\" "
       "FROM \"users\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
  TranslatedStatement st = One("select row_number() over (), lag(name) over () from users");
  ASSERT_EQ(st.result_hints.size(), 2u);
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt8);
  EXPECT_EQ(st.result_hints[1].type_oid, oid::kText);
}

TEST(SqlSelect, StarWithoutSchemaIsNotExpanded) {
  TranslatedStatement st = One("select * from users", /*with_schema=*/false);
  EXPECT_EQ(st.sql, "SELECT * FROM \"users\"");
  EXPECT_TRUE(st.result_hints.empty());
  st = One("select u.*, 1 from users u", /*with_schema=*/false);
  EXPECT_EQ(st.sql, "SELECT \"u\".*, 1 AS \"?column?\" FROM \"users\" AS \"u\"");
  EXPECT_TRUE(st.result_hints.empty());
}

TEST(SqlSelect, Unsupported) {
  const std::pair<const char*, const char*> cases[] = {
      {"select distinct on (id) id from users",
       "DISTINCT ON is not supported by the SQLite backend"},
      {"select 1 intersect all select 2", "INTERSECT ALL is not supported by the SQLite backend"},
      {"select 1 except all select 2", "EXCEPT ALL is not supported by the SQLite backend"},
      {"select created - created from users",
       "date/time arithmetic is not supported by the SQLite backend"},
      {"select * from users u, lateral (select * from orders o where o.user_id = u.id) x",
       "LATERAL subqueries is not supported by the SQLite backend"},
      {"select row_number() over w from users window w as ()",
       "named windows is not supported by the SQLite backend"},
      {"select 'a' similar to 'b'", "SIMILAR TO is not supported by the SQLite backend"},
      {"select generate_series(1, 3) + 1",
       "set-returning function generate_series in this position is not supported by the SQLite "
       "backend"},
      {"select * from json_each('{}')",
       "function json_each in FROM is not supported by the SQLite backend"},
  };
  for (const auto& [sql, message] : cases) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql;
    EXPECT_EQ(st.message(), message) << sql;
  }
  EXPECT_EQ(Error("select * from other.t").sqlstate(), "42P01");
  EXPECT_EQ(Error("select 1::nosuchtype").sqlstate(), "42704");
  EXPECT_EQ(Error("select 1::nosuchtype").message(), "type \"nosuchtype\" does not exist");
}

}  // namespace
}  // namespace pgw::testing
