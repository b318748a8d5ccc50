// Statement classification, command tags, statement ranges, session-handled statements.
#include "sql_test_util.h"

namespace pgw::testing {
namespace {

struct KindCase {
  const char* sql;
  StatementKind kind;
  const char* tag;
};

TEST(SqlClassify, KindsAndTags) {
  const KindCase cases[] = {
      {"SELECT 1", StatementKind::kQuery, "SELECT"},
      {"VALUES (1)", StatementKind::kQuery, "SELECT"},
      {"TABLE users", StatementKind::kQuery, "SELECT"},
      {"WITH x AS (SELECT 1) SELECT * FROM x", StatementKind::kQuery, "SELECT"},
      {"INSERT INTO users (id) VALUES (1)", StatementKind::kInsert, "INSERT"},
      {"UPDATE users SET age = 1", StatementKind::kUpdate, "UPDATE"},
      {"DELETE FROM users", StatementKind::kDelete, "DELETE"},
      {"CREATE TABLE t (a int)", StatementKind::kDdl, "CREATE TABLE"},
      {"CREATE TABLE t2 AS SELECT 1 AS a", StatementKind::kDdl, "SELECT"},
      {"DROP TABLE t", StatementKind::kDdl, "DROP TABLE"},
      {"CREATE INDEX i ON t (a)", StatementKind::kDdl, "CREATE INDEX"},
      {"ALTER TABLE t ADD COLUMN b int", StatementKind::kDdl, "ALTER TABLE"},
      {"ALTER TABLE t RENAME TO u", StatementKind::kDdl, "ALTER TABLE"},
      {"TRUNCATE t", StatementKind::kDdl, "TRUNCATE TABLE"},
      {"CREATE VIEW v AS SELECT 1 AS a", StatementKind::kDdl, "CREATE VIEW"},
      {"DROP VIEW v", StatementKind::kDdl, "DROP VIEW"},
      {"DROP INDEX i", StatementKind::kDdl, "DROP INDEX"},
      {"VACUUM", StatementKind::kUtility, "VACUUM"},
      {"ANALYZE", StatementKind::kUtility, "ANALYZE"},
      {"CHECKPOINT", StatementKind::kUtility, "CHECKPOINT"},
      {"BEGIN", StatementKind::kBegin, "BEGIN"},
      {"BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", StatementKind::kBegin, "BEGIN"},
      {"START TRANSACTION", StatementKind::kBegin, "START TRANSACTION"},
      {"COMMIT", StatementKind::kCommit, "COMMIT"},
      {"END", StatementKind::kCommit, "COMMIT"},
      {"ROLLBACK", StatementKind::kRollback, "ROLLBACK"},
      {"ABORT", StatementKind::kRollback, "ROLLBACK"},
      {"SAVEPOINT s1", StatementKind::kSavepoint, "SAVEPOINT"},
      {"RELEASE s1", StatementKind::kRelease, "RELEASE"},
      {"RELEASE SAVEPOINT s1", StatementKind::kRelease, "RELEASE"},
      {"ROLLBACK TO s1", StatementKind::kRollbackTo, "ROLLBACK"},
      {"ROLLBACK TO SAVEPOINT s1", StatementKind::kRollbackTo, "ROLLBACK"},
      {"SET x = 1", StatementKind::kSet, "SET"},
      {"RESET x", StatementKind::kReset, "RESET"},
      {"SHOW x", StatementKind::kShow, "SHOW"},
      {"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", StatementKind::kNoOp, "SET"},
      {"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", StatementKind::kNoOp, "SET"},
      {"DISCARD ALL", StatementKind::kDiscard, "DISCARD ALL"},
      {"DEALLOCATE s", StatementKind::kDeallocate, "DEALLOCATE"},
      {"DEALLOCATE ALL", StatementKind::kDeallocate, "DEALLOCATE ALL"},
      {"LISTEN ch", StatementKind::kNoOp, "LISTEN"},
      {"UNLISTEN *", StatementKind::kNoOp, "UNLISTEN"},
      {"NOTIFY ch", StatementKind::kNoOp, "NOTIFY"},
      {"DECLARE c CURSOR FOR SELECT 1", StatementKind::kDeclareCursor, "DECLARE CURSOR"},
      {"FETCH 10 FROM c", StatementKind::kFetch, "FETCH"},
      {"MOVE 10 IN c", StatementKind::kFetch, "MOVE"},
      {"CLOSE c", StatementKind::kClosePortal, "CLOSE CURSOR"},
      {"COPY users FROM STDIN", StatementKind::kCopy, "COPY"},
      {"CREATE EXTENSION IF NOT EXISTS vector", StatementKind::kNoOp, "CREATE EXTENSION"},
  };
  for (const KindCase& c : cases) {
    TranslatedStatement st = One(c.sql);
    EXPECT_EQ(st.kind, c.kind) << c.sql;
    EXPECT_EQ(st.command_tag, c.tag) << c.sql;
  }
}

TEST(SqlClassify, EmptyAndCommentOnly) {
  for (const char* sql : {"", "   ", "-- just a comment", "/* block */", ";", " ; ;"}) {
    TranslatedStatement st = One(sql);
    EXPECT_EQ(st.kind, StatementKind::kEmpty) << sql;
    EXPECT_TRUE(st.sql.empty());
  }
}

TEST(SqlClassify, MultiStatementRanges) {
  TranslateOptions opts;
  std::string_view input = "BEGIN; SELECT 1;  UPDATE t SET a = 2";
  auto r = Translate(input, opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].kind, StatementKind::kBegin);
  EXPECT_EQ((*r)[1].kind, StatementKind::kQuery);
  EXPECT_EQ((*r)[2].kind, StatementKind::kUpdate);
  for (const TranslatedStatement& st : *r) {
    std::string_view text = input.substr(st.stmt_location, st.stmt_len);
    EXPECT_FALSE(text.empty());
  }
  EXPECT_EQ(input.substr((*r)[0].stmt_location, (*r)[0].stmt_len), "BEGIN");
  EXPECT_EQ(input.substr((*r)[2].stmt_location, (*r)[2].stmt_len), "UPDATE t SET a = 2");
}

TEST(SqlClassify, SyntaxErrorHasCursor) {
  Status st = Error("SELECT * FROM FROM t");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.sqlstate(), "42601");
  EXPECT_EQ(st.message(), "syntax error at or near \"FROM\"");
  EXPECT_EQ(st.info().position, 15);
  Status st2 = Error("SELECT 'abc");
  EXPECT_EQ(st2.sqlstate(), "42601");
  EXPECT_EQ(st2.message(), "unterminated quoted string at or near \"'abc\"");
}

TEST(SqlClassify, TransactionDetails) {
  EXPECT_EQ(One("SAVEPOINT my_sp").name, "my_sp");
  EXPECT_EQ(One("RELEASE SAVEPOINT my_sp").name, "my_sp");
  EXPECT_EQ(One("ROLLBACK TO my_sp").name, "my_sp");
  for (const char* sql : {"COMMIT AND CHAIN", "ROLLBACK AND CHAIN", "PREPARE TRANSACTION 'x'",
                          "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'"}) {
    Status st = Error(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql;
  }
}

TEST(SqlClassify, SetShowReset) {
  TranslatedStatement st = One("SET search_path TO a, \"B\"");
  EXPECT_EQ(st.name, "search_path");
  EXPECT_EQ(st.values, (std::vector<std::string>{"a", "B"}));
  st = One("SET TIME ZONE 'UTC'");
  EXPECT_EQ(st.name, "timezone");
  EXPECT_EQ(st.values, (std::vector<std::string>{"UTC"}));
  st = One("SET application_name = 'pgbench'");
  EXPECT_EQ(st.values, (std::vector<std::string>{"pgbench"}));
  st = One("SET statement_timeout TO 5000");
  EXPECT_EQ(st.values, (std::vector<std::string>{"5000"}));
  st = One("SET extra_float_digits = 3");
  EXPECT_EQ(st.name, "extra_float_digits");
  EXPECT_EQ(st.values, (std::vector<std::string>{"3"}));
  st = One("SET DateStyle TO DEFAULT");
  EXPECT_EQ(st.kind, StatementKind::kSet);
  EXPECT_EQ(st.name, "datestyle");
  EXPECT_TRUE(st.values.empty());
  st = One("SET LOCAL work_mem = '4MB'");
  EXPECT_TRUE(st.is_local);
  st = One("SET client_min_messages TO warning");
  EXPECT_EQ(st.values, (std::vector<std::string>{"warning"}));
  st = One("SHOW TRANSACTION ISOLATION LEVEL");
  EXPECT_EQ(st.name, "transaction_isolation");
  st = One("SHOW ALL");
  EXPECT_EQ(st.name, "all");
  st = One("SHOW server_version");
  ASSERT_EQ(st.result_hints.size(), 1u);
  EXPECT_EQ(st.result_hints[0].name, "server_version");
  st = One("RESET ALL");
  EXPECT_EQ(st.kind, StatementKind::kReset);
  EXPECT_EQ(st.name, "all");
  st = One("RESET search_path");
  EXPECT_EQ(st.name, "search_path");
}

TEST(SqlClassify, CursorsAndMisc) {
  TranslatedStatement st =
      One("DECLARE c BINARY CURSOR WITH HOLD FOR SELECT aid FROM pgbench_accounts");
  EXPECT_EQ(st.name, "c");
  EXPECT_TRUE(st.binary);
  EXPECT_TRUE(st.with_hold);
  EXPECT_EQ(st.sql, "SELECT \"aid\" AS \"aid\" FROM \"pgbench_accounts\"");
  ASSERT_EQ(st.result_hints.size(), 1u);
  EXPECT_EQ(st.result_hints[0].type_oid, oid::kInt4);
  st = One("FETCH ALL FROM c");
  EXPECT_EQ(st.fetch_count, -1);
  EXPECT_EQ(st.name, "c");
  st = One("FETCH NEXT FROM c");
  EXPECT_EQ(st.fetch_count, 1);
  st = One("MOVE FORWARD 5 IN c");
  EXPECT_TRUE(st.is_move);
  EXPECT_EQ(st.fetch_count, 5);
  EXPECT_EQ(Error("FETCH PRIOR FROM c").sqlstate(), "0A000");
  st = One("CLOSE ALL");
  EXPECT_EQ(st.name, "");
  st = One("DISCARD PLANS");
  EXPECT_EQ(st.kind, StatementKind::kDiscard);
  EXPECT_EQ(st.command_tag, "DISCARD PLANS");
  EXPECT_EQ(One("DEALLOCATE PREPARE s1").name, "s1");
  EXPECT_EQ(Error("EXPLAIN SELECT 1").sqlstate(), "0A000");
  EXPECT_EQ(Error("CREATE SCHEMA s").sqlstate(), "0A000");
  EXPECT_EQ(Error("CREATE EXTENSION postgis").sqlstate(), "0A000");
  EXPECT_EQ(Error("CREATE EXTENSION postgis").message(),
            "extension \"postgis\" is not supported by the SQLite backend");
}

TEST(SqlClassify, DepthLimit) {
  std::string deep = "SELECT ";
  for (int i = 0; i < kMaxTransformDepth + 10; ++i) deep += "abs(";
  deep += "1";
  for (int i = 0; i < kMaxTransformDepth + 10; ++i) deep += ")";
  Status st = Error(deep);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.sqlstate(), "54001");
  std::string arith = "SELECT 1";
  for (int i = 0; i < kMaxTransformDepth + 10; ++i) arith += " + 1";
  st = Error(arith);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.sqlstate(), "54001");
  EXPECT_EQ(st.message(), "stack depth limit exceeded");
  EXPECT_FALSE(st.info().hint.empty());
}

}  // namespace
}  // namespace pgw::testing
