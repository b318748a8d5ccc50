// Translation of the constructs catalog queries use: reg* casts and their output as names,
// regular expression operators, = ANY(array), ARRAY(subquery), subscripts, unnest and other
// set-returning functions, information_schema, the catalog functions, boolean string constants.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

TEST(SqlCatalog, Translations) {
  const Case cases[] = {
      {"SELECT 'pg_class'::regclass",
       "SELECT pgw_regclass_out(pgw_regclass('pg_class')) AS \"regclass\""},
      {"SELECT relname FROM pg_catalog.pg_class c WHERE c.oid = 'foo'::regclass",
       "SELECT \"relname\" AS \"relname\" FROM \"pgw_pg_class\" AS \"c\" WHERE \"c\".\"oid\" = "
       "pgw_regclass('foo')"},
      {"SELECT 23::regtype::text, 23::regtype::oid",
       "SELECT pgw_regtype_out(23) AS \"text\", 23 AS \"oid\""},
      {"SELECT 1 WHERE 'abc' ~ '^a' AND 'x' !~* 'Y' AND 'n' OPERATOR(pg_catalog.~) '^(n)$' "
       "COLLATE pg_catalog.default",
       "SELECT 1 AS \"?column?\" WHERE (pgw_regex('abc', '^a', '')) AND (NOT pgw_regex('x', "
       "'Y', 'i')) AND (pgw_regex('n', '^(n)$' COLLATE BINARY, ''))"},
      {"SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_index i ON a.attnum "
       "= ANY(i.indkey)",
       "SELECT \"a\".\"attname\" AS \"attname\" FROM \"pgw_pg_attribute\" AS \"a\" JOIN "
       "\"pgw_pg_index\" AS \"i\" ON pgw_array_contains(\"i\".\"indkey\", \"a\".\"attnum\")"},
      {"SELECT ARRAY(SELECT relname FROM pg_class ORDER BY relname DESC)",
       "SELECT (SELECT coalesce(pgw_array_agg(\"relname\", 25, \"relname\", 1, 1), '{}') FROM "
       "\"pgw_pg_class\" AS \"pg_class\") AS \"array\""},
      {"SELECT x FROM pg_catalog.unnest('{a,b}'::text[]) x",
       "SELECT (\"x\".value) AS \"x\" FROM pgw_unnest(pgw_cast('{a,b}', 1009, -1)) AS \"x\""},
      {"SELECT unnest(i.indkey) AS k, generate_subscripts(i.indkey, 1) AS o FROM pg_index i",
       "SELECT \"pgw_srf0\".value AS \"k\", \"pgw_srf0\".subscript AS \"o\" FROM "
       "\"pgw_pg_index\" AS \"i\", pgw_unnest(\"i\".\"indkey\") AS \"pgw_srf0\""},
      {"SELECT (information_schema._pg_expandarray(i.indkey)).n FROM pg_index i",
       "SELECT \"pgw_srf0\".ordinality AS \"n\" FROM \"pgw_pg_index\" AS \"i\", "
       "pgw_unnest(\"i\".\"indkey\") AS \"pgw_srf0\""},
      {"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
       "SELECT \"table_name\" AS \"table_name\" FROM \"pgw_is_tables\" AS \"tables\" WHERE "
       "\"table_schema\" = 'public'"},
      {"SELECT format_type(23, -1), pg_get_userbyid(10), current_setting('search_path')",
       "SELECT pgw_format_type(23, -1) AS \"format_type\", pgw_pg_get_userbyid(10) AS "
       "\"pg_get_userbyid\", pgw_current_setting('search_path') AS \"current_setting\""},
      {"SELECT set_config('application_name', 'x', false)",
       "SELECT pgw_set_config('application_name', 'x', 0) AS \"set_config\""},
      {"SELECT (current_schemas(false))[1]",
       "SELECT pgw_array_element(pgw_current_schemas(0), 1) AS \"current_schemas\""},
      {"SELECT s.r FROM pg_catalog.pg_class c, pg_catalog.generate_series(1, c.relnatts) AS s(r)",
       "SELECT (\"s\".value) AS \"r\" FROM \"pgw_pg_class\" AS \"c\", pgw_generate_series(1, "
       "\"c\".\"relnatts\") AS \"s\""},
      {"SELECT id FROM users WHERE active = 'f'",
       "SELECT \"id\" AS \"id\" FROM \"users\" WHERE \"active\" = 0"},
      {"SELECT pg_catalog.pg_table_is_visible(c.oid), has_table_privilege('t', 'SELECT') FROM "
       "pg_class c",
       "SELECT pgw_visible(\"c\".\"oid\") AS \"pg_table_is_visible\", pgw_true('t', 'SELECT') "
       "AS \"has_table_privilege\" FROM \"pgw_pg_class\" AS \"c\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

TEST(SqlCatalog, RegTypeResultsAreTypedAndMarked) {
  TranslatedStatement st = One("SELECT 'int4'::regtype, relname FROM pg_catalog.pg_class");
  ASSERT_EQ(st.result_hints.size(), 2u);
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kRegtype);
  EXPECT_TRUE(st.uses_catalog);
  EXPECT_FALSE(One("SELECT id FROM users").uses_catalog);
}

TEST(SqlCatalog, ParameterCastToRegclassIsAName) {
  TranslatedStatement st = One("SELECT $1::regclass");
  EXPECT_EQ(st.sql, "SELECT pgw_regclass_out(pgw_regclass(?1)) AS \"regclass\"");
  ASSERT_EQ(st.param_types.size(), 1u);
  EXPECT_EQ(st.param_types[0], oid::kText);
}

// Backends whose target has no pg_catalog of the gateway's (ODBC): catalog SELECTs go to the
// catalog engine, translated with the SQLite dialect; everything else stays in the target's.
Result<std::vector<TranslatedStatement>> ForCatalogEngine(std::string_view sql, Dialect d) {
  TranslateOptions opts;
  opts.dialect = d;
  opts.catalog_engine = true;
  return Translate(sql, opts);
}

TEST(SqlCatalog, CatalogSelectsGoToTheEngineOnOdbcTargets) {
  for (Dialect d : {Dialect::kPostgres, Dialect::kIris, Dialect::kSqlite}) {
    struct Route {
      const char* sql;
      bool engine;
    };
    const Route routes[] = {
        {"SELECT relname FROM pg_catalog.pg_class", true},
        {"SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace", true},
        {"SELECT table_name FROM information_schema.tables", true},
        {"WITH t AS (SELECT relname FROM pg_class) SELECT * FROM t", true},
        {"SELECT pg_backend_pid()", true},
        {"SELECT pg_catalog.version()", true},
        {"SELECT current_setting('search_path'), current_user", true},
        {"SELECT 'users'::regclass", true},
        {"SELECT id FROM users", false},
        {"SELECT pg_backend_pid(), id FROM users", false},  // the target's table: the target's
        {"SELECT 1", false},
        {"SELECT pg_sleep(0)", false},
        {"INSERT INTO users (id) VALUES (1)", false},
    };
    for (const Route& r : routes) {
      auto st = ForCatalogEngine(r.sql, d);
      ASSERT_TRUE(st.ok()) << r.sql << ": " << st.status().message();
      EXPECT_EQ(st->front().on_catalog_engine, r.engine) << r.sql;
    }
  }
  auto st = ForCatalogEngine("SELECT relname FROM pg_catalog.pg_class", Dialect::kPostgres);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->front().sql,
            "SELECT \"relname\" AS \"relname\" FROM \"pgw_pg_class\" AS \"pg_class\"");
  // Without a catalog engine the PostgreSQL dialect passes the query through as written.
  TranslateOptions plain;
  plain.dialect = Dialect::kPostgres;
  auto through = Translate("SELECT relname FROM pg_catalog.pg_class", plain);
  ASSERT_TRUE(through.ok());
  EXPECT_FALSE(through->front().on_catalog_engine);
  EXPECT_EQ(through->front().sql, "SELECT relname FROM pg_catalog.pg_class");
}

TEST(SqlCatalog, CatalogJoinedWithATargetTableIsRefused) {
  auto st = ForCatalogEngine("SELECT c.relname FROM pg_class c JOIN users u ON u.id = c.oid",
                             Dialect::kIris);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().sqlstate(), "0A000");
  EXPECT_EQ(st.status().message(),
            "a query that reads the system catalog and the table \"users\" of the InterSystems "
            "IRIS target is not supported");
  EXPECT_EQ(st.status().info().position, 39);  // "users"
}

TEST(SqlCatalog, Unsupported) {
  const std::pair<const char*, const char*> cases[] = {
      {"SELECT (users).name FROM users",
       "field selection from this expression is not supported by the SQLite backend"},
      {"SELECT unnest(a.x), unnest(b.y) FROM users a, users b",
       "set-returning functions over different arrays in one SELECT list is not supported by "
       "the SQLite backend"},
      {"SELECT ARRAY(SELECT 1 UNION SELECT 2)",
       "this ARRAY(subquery) is not supported by the SQLite backend"},
  };
  for (const auto& [sql, message] : cases) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql;
    EXPECT_EQ(st.message(), message) << sql;
  }
}

}  // namespace
}  // namespace pgw::testing
