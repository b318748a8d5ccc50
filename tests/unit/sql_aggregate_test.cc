// Order-aware aggregates (array_agg / string_agg with ORDER BY -> pgw_array_agg /
// pgw_string_agg), ORDER BY dropped from order-insensitive aggregates, set-returning
// generate_series as the whole target list, the PostgreSQL string functions the backend
// registers, and INSERT ... OVERRIDING.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

TEST(SqlAggregate, OrderedAggregates) {
  const Case cases[] = {
      {"select array_agg(age order by age) from users",
       "SELECT pgw_array_agg(\"age\", 23, \"age\", 0, 0) AS \"array_agg\" FROM \"users\""},
      {"select array_agg(name) from users",
       "SELECT pgw_array_agg(\"name\", 25) AS \"array_agg\" FROM \"users\""},
      {"select string_agg(name, ',' order by age desc nulls last, id) from users",
       "SELECT pgw_string_agg(\"name\", ',', \"age\", 1, 0, \"id\", 0, 0) AS \"string_agg\" FROM "
       "\"users\""},
      {"select string_agg(name, ',') from users",
       "SELECT pgw_string_agg(\"name\", ',') AS \"string_agg\" FROM \"users\""},
      // PostgreSQL's default NULL placement made explicit: DESC -> NULLS FIRST.
      {"select array_agg(id order by name desc, age asc nulls first) from users",
       "SELECT pgw_array_agg(\"id\", 20, \"name\", 1, 1, \"age\", 0, 1) AS \"array_agg\" FROM "
       "\"users\""},
      {"select array_agg(x) from t", "SELECT pgw_array_agg(\"x\", 25) AS \"array_agg\" FROM \"t\""},
      {"select user_id, array_agg(amount order by id) filter (where amount > 0) from orders group "
       "by user_id",
       "SELECT \"user_id\" AS \"user_id\", pgw_array_agg(\"amount\", 1700, \"id\", 0, 0) FILTER "
       "(WHERE \"amount\" > 0) AS \"array_agg\" FROM \"orders\" GROUP BY \"user_id\""},
      // Order cannot change these results: the ORDER BY is dropped.
      {"select count(id order by name), sum(age order by id desc), max(name order by id), "
       "bool_and(active order by id) from users",
       "SELECT count(\"id\") AS \"count\", sum(\"age\") AS \"sum\", max(\"name\") AS \"max\", "
       "bool_and(\"active\") AS \"bool_and\" FROM \"users\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

TEST(SqlAggregate, ResultHints) {
  TranslatedStatement st =
      One("select array_agg(age), array_agg(id order by id), array_agg(name), array_agg(active), "
          "array_agg(score), array_agg(created), array_agg(x), string_agg(name, ';'), "
          "array_agg(note) from users, orders");
  const Oid want[] = {oid::kInt4Array, oid::kInt8Array,      oid::kTextArray,
                      oid::kBoolArray, 1231 /* numeric[] */, 1185 /* timestamptz[] */,
                      oid::kTextArray, oid::kText,           oid::kVarcharArray};
  ASSERT_EQ(st.result_hints.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(st.result_hints[i].type_oid, want[i]) << "#" << i;
  }
  EXPECT_EQ(st.result_hints[7].name, "string_agg");
  // Both string_agg arguments are text.
  st = One("select string_agg($1, $2 order by id) from users");
  ASSERT_EQ(st.param_types.size(), 2u);
  EXPECT_EQ(st.param_types[0], oid::kText);
  EXPECT_EQ(st.param_types[1], oid::kText);
}

TEST(SqlAggregate, Unsupported) {
  const std::pair<const char*, const char*> cases[] = {
      {"select array_agg(distinct age order by age) from users",
       "DISTINCT with ORDER BY inside aggregate calls is not supported by the SQLite backend"},
      {"select count(distinct age order by age) from users",
       "DISTINCT with ORDER BY inside aggregate calls is not supported by the SQLite backend"},
      {"select array_agg(distinct age) from users",
       "array_agg(DISTINCT ...) is not supported by the SQLite backend"},
      {"select json_agg(age order by age) from users",
       "ORDER BY inside aggregate calls is not supported by the SQLite backend"},
      {"select array_agg(age) over (order by id) from users",
       "array_agg as a window function is not supported by the SQLite backend"},
  };
  for (const auto& [sql, message] : cases) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql;
    EXPECT_EQ(st.message(), message) << sql;
  }
  EXPECT_EQ(Error("select string_agg(name) from users").sqlstate(), "42883");
  EXPECT_EQ(Error("select array_agg(name, 1) from users").sqlstate(), "42883");
}

TEST(SqlAggregate, GenerateSeriesInTargetList) {
  const Case cases[] = {
      {"SELECT generate_series(1, 5)",
       "SELECT value AS \"generate_series\" FROM pgw_generate_series(1, 5)"},
      {"SELECT generate_series(1,3) AS n", "SELECT value AS \"n\" FROM pgw_generate_series(1, 3)"},
      {"select pg_catalog.generate_series(10, 1, -3) as n order by n limit 2",
       "SELECT value AS \"n\" FROM pgw_generate_series(10, 1, -3) ORDER BY \"n\" NULLS LAST "
       "LIMIT 2"},
      {"select x from (select generate_series(1, 2)) s(x)",
       "SELECT \"x\" AS \"x\" FROM (SELECT value AS \"x\" FROM pgw_generate_series(1, 2)) AS "
       "\"s\""},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
  TranslatedStatement st = One("select generate_series(1, 3)");
  ASSERT_EQ(st.result_hints.size(), 1u);
  EXPECT_EQ(st.result_hints[0].name, "generate_series");
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt4);
  st = One("select generate_series(1, 3::int8) as n");
  ASSERT_EQ(st.result_hints.size(), 1u);
  EXPECT_EQ(st.result_hints[0].name, "n");
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt8);
  st = One("select generate_series($1, $2)");
  EXPECT_EQ(st.param_types, (std::vector<Oid>{oid::kInt4, oid::kInt4}));
  // Anywhere else a set-returning function stays unsupported.
  for (const char* sql :
       {"select generate_series(1, 3), 1", "select generate_series(1, 3) from users",
        "select 1 where generate_series(1, 2) > 1", "select generate_series(1, 3) + 1",
        "select generate_series(now(), now(), interval '1 day')"}) {
    EXPECT_EQ(Error(sql).sqlstate(), "0A000") << sql;
  }
}

TEST(SqlAggregate, StringFunctions) {
  EXPECT_EQ(Sql("select left(name, 2), right(name, 2), lpad(name, 5, '*'), repeat('ab', 2), "
                "split_part(name, ',', 1), md5(name) from users"),
            "SELECT \"left\"(\"name\", 2) AS \"left\", \"right\"(\"name\", 2) AS \"right\", "
            "lpad(\"name\", 5, '*') AS \"lpad\", repeat('ab', 2) AS \"repeat\", "
            "split_part(\"name\", ',', 1) AS \"split_part\", md5(\"name\") AS \"md5\" FROM "
            "\"users\"");
  TranslatedStatement st =
      One("select initcap('a'), reverse('a'), ascii('a'), chr(65), starts_with('ab', 'a'), "
          "gen_random_uuid(), to_hex(255), translate('a', 'a', 'b'), concat_ws(',', 'a', 'b'), "
          "rpad('a', 2)");
  const Oid want[] = {oid::kText, oid::kText, oid::kInt4, oid::kText, oid::kBool,
                      oid::kUuid, oid::kText, oid::kText, oid::kText, oid::kText};
  ASSERT_EQ(st.result_hints.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(st.result_hints[i].type_oid, want[i]) << "#" << i;
  }
}

TEST(SqlAggregate, InsertOverriding) {
  EXPECT_EQ(Error("insert into t (id, v) overriding system value values (7, 'z')").message(),
            "OVERRIDING SYSTEM VALUE is not supported by the SQLite backend");
  EXPECT_EQ(Error("insert into t (id, v) overriding user value values (7, 'z')").sqlstate(),
            "0A000");
}

}  // namespace
}  // namespace pgw::testing
