// Parameter numbering and type inference, and literal parameterization.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

struct ParamCase {
  const char* sql;
  std::vector<Oid> types;
};

TEST(SqlParams, TypeInference) {
  const ParamCase cases[] = {
      {"SELECT abalance FROM pgbench_accounts WHERE aid = $1", {oid::kInt4}},
      {"UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
       {oid::kInt4, oid::kInt4}},
      {"INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, "
       "CURRENT_TIMESTAMP)",
       {oid::kInt4, oid::kInt4, oid::kInt4, oid::kInt4}},
      {"insert into users values ($1, $2)", {oid::kInt8, oid::kText}},
      {"select * from users u where u.name = $2 and $1 = u.id", {oid::kInt8, oid::kText}},
      {"select * from users where id in ($1, $2)", {oid::kInt8, oid::kInt8}},
      {"select * from users limit $1 offset $2", {oid::kInt8, oid::kInt8}},
      {"select $1::int, $2::numeric, $3", {oid::kInt4, oid::kNumeric, 0}},
      {"update users set name = $1, active = $2 where id = $3",
       {oid::kText, oid::kBool, oid::kInt8}},
      {"select o.amount from orders o join users u on u.id = o.user_id where u.age > $1",
       {oid::kInt4}},
      {"select 1 from users where created between $1 and $2",
       {oid::kTimestamptz, oid::kTimestamptz}},
      {"select 1 from users where name like $1", {oid::kText}},
      {"insert into users (id, name) select $1, $2", {oid::kInt8, oid::kText}},
      {"select * from users where id = $3", {0, 0, oid::kInt8}},
      {"select * from nosuch where a = $1", {0}},
  };
  for (const ParamCase& c : cases) {
    TranslatedStatement st = One(c.sql);
    EXPECT_EQ(st.num_params, static_cast<int>(c.types.size())) << c.sql;
    EXPECT_EQ(st.param_types, c.types) << c.sql;
  }
  // No schema: no inference, but still counted.
  TranslatedStatement st = One("select * from users where id = $1", /*with_schema=*/false);
  EXPECT_EQ(st.num_params, 1);
  EXPECT_EQ(st.param_types, std::vector<Oid>{0});
}

TEST(SqlParams, ParameterNumbersBeyondWhatABindCarriesAreRefused) {
  // A Bind carries at most 65535 values; PostgreSQL answers 42P02 for $0 the same way.
  EXPECT_EQ(One("select * from users where id = $65535").num_params, 65535);
  for (const char* sql : {"select * from users where id = $65536",
                          "SELECT a, count(*) FROM t WHERE b > $0001385450599",
                          "select $0"}) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "42P02") << sql;
    EXPECT_NE(st.message().find("there is no parameter $"), std::string::npos) << st.message();
  }
}

TEST(SqlParams, ParameterizeLiterals) {
  TranslatedStatement st =
      One("select name from users where id = 5 and name = 'bob' order by 1 "
          "limit 10",
          true, /*parameterize=*/true);
  EXPECT_EQ(st.sql,
            "SELECT \"name\" AS \"name\" FROM \"users\" WHERE (\"id\" = ?1) AND (\"name\" = ?2) "
            "ORDER BY 1 NULLS LAST LIMIT ?3");
  EXPECT_EQ(st.num_params, 0);
  EXPECT_EQ(st.literal_locations, (std::vector<int>{34, 47, 70}));

  st = One("insert into users (id, name, age) values (1, 'x', -5), (2, 'y', 3.5)", true, true);
  EXPECT_EQ(st.sql,
            "INSERT INTO \"users\" (\"id\", \"name\", \"age\") VALUES (?1, ?2, ?3), (?4, ?5, ?6)");
  EXPECT_EQ(st.literal_locations, (std::vector<int>{42, 45, 50, 56, 59, 64}));

  // $n parameters come first; literals are numbered after them in input order.
  st =
      One("select 'a', 1 from users where name = $1 and age > 3 group by 2 order by 1", true, true);
  EXPECT_EQ(st.sql,
            "SELECT ?2 AS \"?column?\", ?3 AS \"?column?\" FROM \"users\" WHERE (\"name\" = ?1) "
            "AND (\"age\" > ?4) GROUP BY 2 ORDER BY 1 NULLS LAST");
  EXPECT_EQ(st.num_params, 1);
  EXPECT_EQ(st.literal_locations, (std::vector<int>{7, 12, 51}));
  ASSERT_EQ(st.result_hints.size(), 2u);
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kText);
  EXPECT_EQ(st.result_hints[1].type_oid, oid::kInt4);

  // Casts, typed literals, booleans, NULL and huge integers stay inline.
  st =
      One("select '2024-01-01'::date, date '2024-01-02', 5::int, true, null, "
          "99999999999999999999",
          true, true);
  EXPECT_EQ(st.sql,
            "SELECT pgw_cast('2024-01-01', 1082, -1) AS \"date\", pgw_cast('2024-01-02', 1082, "
            "-1) AS \"date\", 5 AS \"int4\", 1 AS \"?column?\", NULL AS \"?column?\", "
            "99999999999999999999 AS \"?column?\"");
  EXPECT_TRUE(st.literal_locations.empty());

  // A LATERAL column inlined twice keeps one parameter.
  st = One("select o.x, o.x + 1 from users u cross join lateral (select 7) as o(x)", true, true);
  EXPECT_EQ(st.sql, "SELECT (?2) AS \"x\", (?2) + ?1 AS \"?column?\" FROM \"users\" AS \"u\"");
  EXPECT_EQ(st.literal_locations, (std::vector<int>{18, 60}));
  // Utility statements are never parameterized.
  st = One("SET work_mem = '4MB'", true, true);
  EXPECT_TRUE(st.literal_locations.empty());
}

}  // namespace
}  // namespace pgw::testing
