// DDL translation: CREATE TABLE spellings and constraints, serial/identity keys, DROP,
// TRUNCATE, ALTER TABLE, CREATE INDEX, views, VACUUM/ANALYZE.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

TEST(SqlDdl, Translations) {
  const Case cases[] = {
      {"drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, "
       "pgbench_tellers",
       "DROP TABLE IF EXISTS \"pgbench_accounts\";\nDROP TABLE IF EXISTS "
       "\"pgbench_branches\";\nDROP TABLE IF EXISTS \"pgbench_history\";\nDROP TABLE IF EXISTS "
       "\"pgbench_tellers\""},
      {"drop table public.t cascade", "DROP TABLE \"t\""},
      {"drop view v", "DROP VIEW \"v\""},
      {"drop index if exists i", "DROP INDEX IF EXISTS \"i\""},
      {"create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with "
       "(fillfactor=100)",
       "CREATE TABLE \"pgbench_tellers\" (\"tid\" integer NOT NULL, \"bid\" integer, \"tbalance\" "
       "integer, \"filler\" character(84))"},
      {"create table pgbench_history(tid int,bid int,aid    int,delta int,mtime timestamp,filler "
       "char(22))",
       "CREATE TABLE \"pgbench_history\" (\"tid\" integer, \"bid\" integer, \"aid\" integer, "
       "\"delta\" integer, \"mtime\" timestamp without time zone, \"filler\" character(22))"},
      {"create table t (id serial primary key, name varchar(20) not null default 'x', price "
       "numeric(10,2), at timestamptz default now(), flag boolean default true, unique (name))",
       "CREATE TABLE \"t\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" character "
       "varying(20) NOT NULL DEFAULT 'x', \"price\" numeric(10,2), \"at\" timestamp with time "
       "zone DEFAULT (pgw_now()), \"flag\" boolean DEFAULT 1, UNIQUE (\"name\"))"},
      {"create table t (id bigint generated always as identity primary key, d double precision, "
       "b bytea, u uuid, j jsonb, js json, r real, s smallint, tx text, dt date)",
       "CREATE TABLE \"t\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"d\" double precision, "
       "\"b\" bytea, \"u\" uuid, \"j\" jsonb, \"js\" json, \"r\" real, \"s\" smallint, \"tx\" "
       "text, \"dt\" date)"},
      {"create table t (id bigserial, v int, primary key (id))",
       "CREATE TABLE \"t\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"v\" integer)"},
      {"create temp table if not exists t (a int primary key, b int references u (id) on delete "
       "cascade, c int check (c > 0), constraint fk foreign key (b) references u (id) on update "
       "set null)",
       "CREATE TEMP TABLE IF NOT EXISTS \"t\" (\"a\" integer PRIMARY KEY, \"b\" integer "
       "REFERENCES \"u\" (\"id\") ON DELETE CASCADE, \"c\" integer CHECK (\"c\" > 0), CONSTRAINT "
       "\"fk\" FOREIGN KEY (\"b\") REFERENCES \"u\" (\"id\") ON UPDATE SET NULL)"},
      {"create table t (a int default -1, b text default 'x' || 'y', c int constraint nn not "
       "null)",
       "CREATE TABLE \"t\" (\"a\" integer DEFAULT (-1), \"b\" text DEFAULT ('x' || 'y'), \"c\" "
       "integer CONSTRAINT \"nn\" NOT NULL)"},
      {"create table t2 as select id, name from users",
       "CREATE TABLE \"t2\" AS SELECT \"id\" AS \"id\", \"name\" AS \"name\" FROM \"users\""},
      {"create table t2 (x) as select 1 with no data",
       "CREATE TABLE \"t2\" AS SELECT * FROM (SELECT 1 AS \"x\") LIMIT 0"},
      {"truncate table pgbench_accounts, pgbench_branches",
       "DELETE FROM \"pgbench_accounts\";\nDELETE FROM \"pgbench_branches\""},
      {"alter table pgbench_branches add primary key (bid)",
       "CREATE UNIQUE INDEX \"pgbench_branches_pkey\" ON \"pgbench_branches\" (\"bid\")"},
      {"alter table t add constraint t_uq unique (a, b)",
       "CREATE UNIQUE INDEX \"t_uq\" ON \"t\" (\"a\", \"b\")"},
      {"alter table t add unique (a, b)",
       "CREATE UNIQUE INDEX \"t_a_b_key\" ON \"t\" (\"a\", "
       "\"b\")"},
      {"alter table t add column c varchar(5) default 'q', drop column d",
       "ALTER TABLE \"t\" ADD COLUMN \"c\" character varying(5) DEFAULT 'q';\nALTER TABLE \"t\" "
       "DROP COLUMN \"d\""},
      {"alter table t rename to u", "ALTER TABLE \"t\" RENAME TO \"u\""},
      {"alter table t rename column a to b", "ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"b\""},
      {"create index on users (name, age desc) where age > 1",
       "CREATE INDEX \"users_name_age_idx\" ON \"users\" (\"name\", \"age\" DESC) WHERE \"age\" > "
       "1"},
      {"create unique index if not exists ui on users using hash (lower(name))",
       "CREATE UNIQUE INDEX IF NOT EXISTS \"ui\" ON \"users\" ((lower(\"name\")))"},
      {"create index i on items using hnsw (embedding vector_cosine_ops)",
       "CREATE INDEX \"i\" ON \"items\" (\"embedding\")"},
      {"create view v as select id from users",
       "CREATE VIEW \"v\" AS SELECT \"id\" AS \"id\" FROM \"users\""},
      {"create or replace view v (x) as select 1",
       "DROP VIEW IF EXISTS \"v\";\nCREATE VIEW \"v\" (\"x\") AS SELECT 1 AS \"?column?\""},
      {"vacuum analyze pgbench_branches", "ANALYZE \"pgbench_branches\""},
      {"vacuum (analyze, verbose) a, b", "ANALYZE \"a\";\nANALYZE \"b\""},
      {"vacuum pgbench_branches", ""},
      {"vacuum full", ""},
      {"analyze", "ANALYZE"},
      {"analyze users", "ANALYZE \"users\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

TEST(SqlDdl, TruncateRestartIdentity) {
  // Without a schema the counters are reset; with one that has no sqlite_sequence (no
  // AUTOINCREMENT table yet) there is nothing to reset.
  EXPECT_EQ(Sql("truncate t restart identity", /*with_schema=*/false),
            "DELETE FROM \"t\";\nDELETE FROM sqlite_sequence WHERE name = 't'");
  EXPECT_EQ(Sql("truncate t restart identity"), "DELETE FROM \"t\"");
  EXPECT_EQ(Sql("truncate t continue identity", false), "DELETE FROM \"t\"");
}

TEST(SqlDdl, DdlConstantsStayInline) {
  TranslatedStatement st =
      One("create table t (a int default 5, b text default 'x')", true, /*parameterize=*/true);
  EXPECT_EQ(st.sql, "CREATE TABLE \"t\" (\"a\" integer DEFAULT 5, \"b\" text DEFAULT 'x')");
  EXPECT_TRUE(st.literal_locations.empty());
  EXPECT_EQ(st.num_params, 0);
}

TEST(SqlDdl, Unsupported) {
  const std::pair<const char*, const char*> cases[] = {
      {"create table t (id serial, x int)",
       "serial column \"id\" that is not the primary key is not supported by the SQLite "
       "backend"},
      {"create table t (id int generated by default as identity, x int)",
       "identity column \"id\" that is not the primary key is not supported by the SQLite "
       "backend"},
      {"create table t (a int) partition by range (a)",
       "PARTITION BY is not supported by the SQLite backend"},
      {"create table t (a int) inherits (u)", "INHERITS is not supported by the SQLite backend"},
      {"alter table t add foreign key (a) references u (id)",
       "ALTER TABLE ... ADD FOREIGN KEY is not supported by the SQLite backend"},
      {"alter table t alter column a type bigint",
       "ALTER COLUMN ... TYPE is not supported by the SQLite backend"},
      {"alter table t alter column a set not null",
       "ALTER COLUMN ... SET NOT NULL is not supported by the SQLite backend"},
      {"create materialized view mv as select 1",
       "materialized views is not supported by the SQLite backend"},
  };
  for (const auto& [sql, message] : cases) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql;
    EXPECT_EQ(st.message(), message) << sql;
  }
  EXPECT_EQ(Error("create table t (a nosuchtype)").sqlstate(), "42704");
  EXPECT_EQ(Error("drop table other.t").sqlstate(), "3F000");
}

}  // namespace
}  // namespace pgw::testing
