// INSERT / UPDATE / DELETE translation, RETURNING hints, DEFAULT handling, ON CONFLICT.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

TEST(SqlDml, Translations) {
  const Case cases[] = {
      {"UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
       "UPDATE \"pgbench_accounts\" SET \"abalance\" = \"abalance\" + ?1 WHERE \"aid\" = ?2"},
      {"INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, "
       "CURRENT_TIMESTAMP)",
       "INSERT INTO \"pgbench_history\" (\"tid\", \"bid\", \"aid\", \"delta\", \"mtime\") VALUES "
       "(?1, ?2, ?3, ?4, pgw_now())"},
      {"insert into pgbench_branches(bid,bbalance) values(1,0)",
       "INSERT INTO \"pgbench_branches\" (\"bid\", \"bbalance\") VALUES (1, 0)"},
      {"insert into pgbench_accounts(aid,bid,abalance,filler) select aid, (aid - 1) / 100000 + 1, "
       "0, '' from generate_series(1, 100000) as aid",
       "INSERT INTO \"pgbench_accounts\" (\"aid\", \"bid\", \"abalance\", \"filler\") SELECT "
       "\"aid\" AS \"aid\", pgw_div(\"aid\" - 1, 100000) + 1 AS \"?column?\", 0 AS \"?column?\", "
       "'' AS \"?column?\" FROM (SELECT value AS \"aid\" FROM pgw_generate_series(1, 100000)) AS "
       "\"aid\""},
      {"insert into users values (1, 'a', default, default, default, default)",
       "INSERT INTO \"users\" (\"id\", \"name\") VALUES (1, 'a')"},
      {"insert into users (id, name, age) values (1, default, 2), (3, default, 4)",
       "INSERT INTO \"users\" (\"id\", \"age\") VALUES (1, 2), (3, 4)"},
      {"insert into users default values", "INSERT INTO \"users\" DEFAULT VALUES"},
      {"insert into users (id) values (default)", "INSERT INTO \"users\" DEFAULT VALUES"},
      {"insert into t values (1, 2), (3, 4)", "INSERT INTO \"t\" VALUES (1, 2), (3, 4)"},
      {"insert into users (id, name) values (1, 'a') on conflict (id) do update set name = "
       "excluded.name where users.age > 1 returning *",
       "INSERT INTO \"users\" (\"id\", \"name\") VALUES (1, 'a') ON CONFLICT (\"id\") DO UPDATE "
       "SET \"name\" = \"excluded\".\"name\" WHERE \"users\".\"age\" > 1 RETURNING \"id\", "
       "\"name\", \"age\", \"active\", \"score\", \"created\""},
      {"insert into users (id) values (1) on conflict do nothing",
       "INSERT INTO \"users\" (\"id\") VALUES (1) ON CONFLICT DO NOTHING"},
      {"insert into users (id, name) select id, name from users on conflict (id) do nothing",
       "INSERT INTO \"users\" (\"id\", \"name\") SELECT * FROM (SELECT \"id\" AS \"id\", \"name\" "
       "AS \"name\" FROM \"users\") WHERE true ON CONFLICT (\"id\") DO NOTHING"},
      {"insert into users as u (id) values (1) returning u.id as new_id",
       "INSERT INTO \"users\" AS \"u\" (\"id\") VALUES (1) RETURNING \"id\" AS \"new_id\""},
      {"update users set (name, age) = ($1, $2) where id = $3 returning id, name",
       "UPDATE \"users\" SET (\"name\", \"age\") = (?1, ?2) WHERE \"id\" = ?3 RETURNING \"id\" AS "
       "\"id\", \"name\" AS \"name\""},
      {"update users set name = 'x', age = age + 1",
       "UPDATE \"users\" SET \"name\" = 'x', \"age\" = \"age\" + 1"},
      {"update pgbench_tellers t set tbalance = tbalance + o.amount from orders o where t.tid = "
       "o.id",
       "UPDATE \"pgbench_tellers\" AS \"t\" SET \"tbalance\" = \"tbalance\" + \"o\".\"amount\" "
       "FROM \"orders\" AS \"o\" WHERE \"t\".\"tid\" = \"o\".\"id\""},
      {"update users set (name, age) = (select note, id from orders limit 1)",
       "UPDATE \"users\" SET (\"name\", \"age\") = (SELECT \"note\" AS \"note\", \"id\" AS "
       "\"id\" FROM \"orders\" LIMIT 1)"},
      {"delete from orders using users where orders.user_id = users.id and users.age < 18",
       "DELETE FROM \"orders\" WHERE EXISTS (SELECT 1 FROM \"users\" WHERE (\"orders\".\"user_id\" "
       "= \"users\".\"id\") AND (\"users\".\"age\" < 18))"},
      {"delete from users where id = $1 returning *",
       "DELETE FROM \"users\" WHERE \"id\" = ?1 RETURNING \"id\", \"name\", \"age\", \"active\", "
       "\"score\", \"created\""},
      {"delete from t", "DELETE FROM \"t\""},
      {"with x as (select 1 as id) delete from users where id in (select id from x)",
       "WITH \"x\" AS (SELECT 1 AS \"id\") DELETE FROM \"users\" WHERE \"id\" IN (SELECT \"id\" AS "
       "\"id\" FROM \"x\")"},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.pg), c.sqlite) << c.pg;
}

TEST(SqlDml, KindsAndReturning) {
  TranslatedStatement st = One("insert into users (id) values (1)");
  EXPECT_EQ(st.kind, StatementKind::kInsert);
  EXPECT_FALSE(st.returns_rows);
  EXPECT_TRUE(st.result_hints.empty());
  st = One("update users set age = 1 returning id, age + 1 as next, name");
  EXPECT_TRUE(st.returns_rows);
  ASSERT_EQ(st.result_hints.size(), 3u);
  EXPECT_EQ(st.result_hints[0].name, "id");
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt8);
  EXPECT_EQ(st.result_hints[1].name, "next");
  EXPECT_EQ(st.result_hints[1].type_oid, oid::kInt4);
  EXPECT_EQ(st.result_hints[2].type_oid, oid::kText);
  st = One("delete from users returning *");
  EXPECT_EQ(st.kind, StatementKind::kDelete);
  EXPECT_EQ(st.result_hints.size(), 6u);
}

TEST(SqlDml, Unsupported) {
  EXPECT_EQ(Error("insert into users (id) values (1) on conflict on constraint users_pkey do "
                  "nothing")
                .sqlstate(),
            "0A000");
  EXPECT_EQ(Error("insert into users (id, name) values (1, default), (default, 'a')").sqlstate(),
            "0A000");
  EXPECT_EQ(Error("insert into nosuch values (default)", true).sqlstate(), "0A000");
  EXPECT_EQ(Error("update users set name = 'x' where current of c").sqlstate(), "0A000");
  EXPECT_EQ(Error("update users set name = default").message(),
            "DEFAULT in this position is not supported by the SQLite backend");
  Status st = Error("insert into users (id) values (1) on conflict do update set id = 2");
  EXPECT_EQ(st.sqlstate(), "42601");
}

}  // namespace
}  // namespace pgw::testing
