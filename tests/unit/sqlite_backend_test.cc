// Prepare / Open / Fetch on the SQLite backend: memory and file databases, row limits and
// resumption, parameters of every storage kind, DDL scripts, result descriptions, the
// statement cache.
#include <gtest/gtest.h>

#include "backend/sqlite/sqlite_session.h"
#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::CollectSink;
using testing::Exec;
using testing::Query;
using testing::Rows;
using testing::Stmt;

class SqliteBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    session_ = testing::Connect(*backend_);
    ASSERT_NE(session_, nullptr);
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> session_;
};

TEST_F(SqliteBackendTest, DescribeAndDialect) {
  EXPECT_EQ(backend_->dialect(), Dialect::kSqlite);
  EXPECT_EQ(backend_->Describe(), "sqlite::memory:");
}

TEST_F(SqliteBackendTest, SelectLiteralRows) {
  auto rows = Query(*session_, "SELECT 1, 'two', 3.5, NULL, x'00ff'");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"1", "two", "3.5", "NULL", "\\x00ff"}));
}

TEST_F(SqliteBackendTest, DdlInsertSelectAndRowsAffected) {
  ASSERT_TRUE(Exec(*session_, "CREATE TABLE \"t\" (\"id\" integer PRIMARY KEY, \"v\" text)").ok());
  auto n = Exec(*session_, "INSERT INTO \"t\" VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                StatementKind::kInsert);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3u);
  auto u =
      Exec(*session_, "UPDATE \"t\" SET \"v\" = 'z' WHERE \"id\" >= 2", StatementKind::kUpdate);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, 2u);
  auto rows = Query(*session_, "SELECT \"id\", \"v\" FROM \"t\" ORDER BY \"id\"");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"1", "a"}, {"2", "z"}, {"3", "z"}}));
  auto d = Exec(*session_, "DELETE FROM \"t\"", StatementKind::kDelete);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, 3u);
}

TEST_F(SqliteBackendTest, ReturningReportsRowsAndChanges) {
  ASSERT_TRUE(Exec(*session_, "CREATE TABLE \"t\" (\"id\" integer PRIMARY KEY, \"v\" text)").ok());
  auto t =
      Stmt(StatementKind::kInsert, "INSERT INTO \"t\" (\"v\") VALUES ('a'), ('b') RETURNING \"id\"",
           {{"id", oid::kInt4, -1}});
  auto stmt = session_->Prepare(t);
  ASSERT_TRUE(stmt.ok());
  ASSERT_EQ((*stmt)->columns().size(), 1u);
  auto cursor = session_->Open(**stmt, {});
  ASSERT_TRUE(cursor.ok());
  CollectSink sink;
  auto r = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->done);
  EXPECT_EQ(sink.rows, (Rows{{"1"}, {"2"}}));
  EXPECT_EQ((*cursor)->rows_affected(), 2u);
}

TEST_F(SqliteBackendTest, RowLimitAndResumption) {
  auto stmt = session_->Prepare(
      Stmt(StatementKind::kQuery, "SELECT \"value\" FROM pgw_generate_series(1, 10)"));
  ASSERT_TRUE(stmt.ok());
  auto cursor = session_->Open(**stmt, {});
  ASSERT_TRUE(cursor.ok());
  CollectSink sink;
  auto r1 = (*cursor)->Fetch(4, sink);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->rows, 4u);
  EXPECT_FALSE(r1->done);
  auto r2 = (*cursor)->Fetch(4, sink);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->rows, 4u);
  EXPECT_FALSE(r2->done);
  auto r3 = (*cursor)->Fetch(4, sink);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->rows, 2u);
  EXPECT_TRUE(r3->done);
  ASSERT_EQ(sink.rows.size(), 10u);
  EXPECT_EQ(sink.rows[9][0], "10");
  auto r4 = (*cursor)->Fetch(4, sink);
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->rows, 0u);
  EXPECT_TRUE(r4->done);
}

TEST_F(SqliteBackendTest, SinkStopsFetchEarly) {
  auto stmt = session_->Prepare(
      Stmt(StatementKind::kQuery, "SELECT \"value\" FROM pgw_generate_series(1, 7)"));
  ASSERT_TRUE(stmt.ok());
  auto cursor = session_->Open(**stmt, {});
  ASSERT_TRUE(cursor.ok());
  CollectSink sink(3);  // returns false after every third row
  auto r = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 3u);
  EXPECT_FALSE(r->done);
  r = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 3u);
  r = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 1u);
  EXPECT_TRUE(r->done);
}

TEST_F(SqliteBackendTest, ParametersOfEveryKind) {
  std::string blob("\x00\x01\xff", 3);
  std::vector<Value> params = {Value::Int(-7), Value::Float(2.25), Value::Text("héllo"),
                               Value::Blob(blob), Value::Null()};
  auto rows = Query(*session_, "SELECT ?1, ?2, ?3, ?4, ?5, typeof(?4), typeof(?5)", params);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0],
            (std::vector<std::string>{"-7", "2.25", "héllo", "\\x0001ff", "NULL", "blob", "null"}));
}

TEST_F(SqliteBackendTest, EmptyBlobParameterIsNotNull) {
  auto rows = Query(*session_, "SELECT typeof(?1), length(?1)", {Value::Blob("")});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"blob", "0"}));
}

TEST_F(SqliteBackendTest, ParameterTypesExtendToBindCount) {
  auto t = Stmt(StatementKind::kQuery, "SELECT ?1 + ?3");
  t.num_params = 1;
  t.param_types = {oid::kInt4};
  auto stmt = session_->Prepare(t);
  ASSERT_TRUE(stmt.ok());
  EXPECT_EQ((*stmt)->param_types(), (std::vector<Oid>{oid::kInt4, 0, 0}));
}

TEST_F(SqliteBackendTest, TooManyParametersIsProtocolViolation) {
  auto stmt = session_->Prepare(Stmt(StatementKind::kQuery, "SELECT ?1"));
  ASSERT_TRUE(stmt.ok());
  std::vector<Value> params = {Value::Int(1), Value::Int(2)};
  auto cursor = session_->Open(**stmt, params);
  ASSERT_FALSE(cursor.ok());
  EXPECT_EQ(cursor.status().sqlstate(), "08P01");
}

TEST_F(SqliteBackendTest, ColumnsFromDeclaredTypesAndHints) {
  ASSERT_TRUE(Exec(*session_,
                   "CREATE TABLE \"t\" (\"a\" integer, \"b\" varchar(20), \"c\" numeric(10,2), "
                   "\"d\" timestamp with time zone, \"e\" boolean)")
                  .ok());
  auto stmt = session_->Prepare(
      Stmt(StatementKind::kQuery, "SELECT \"a\", \"b\", \"c\", \"d\", \"e\", 1 + 1 FROM \"t\""));
  ASSERT_TRUE(stmt.ok());
  const auto& cols = (*stmt)->columns();
  ASSERT_EQ(cols.size(), 6u);
  EXPECT_EQ(cols[0].name, "a");
  EXPECT_EQ(cols[0].type_oid, oid::kInt4);
  EXPECT_EQ(cols[0].typlen, 4);
  EXPECT_EQ(cols[1].type_oid, oid::kVarchar);
  EXPECT_EQ(cols[1].typmod, 24);
  EXPECT_EQ(cols[2].type_oid, oid::kNumeric);
  EXPECT_EQ(cols[2].typmod, ((10 << 16) | 2) + 4);
  EXPECT_EQ(cols[3].type_oid, oid::kTimestamptz);
  EXPECT_EQ(cols[4].type_oid, oid::kBool);
  EXPECT_EQ(cols[5].type_oid, oid::kText);  // no declared type, no hint
  EXPECT_EQ(cols[5].typlen, -1);

  auto hinted = Stmt(StatementKind::kQuery, "SELECT \"a\", 1 + 1 FROM \"t\"",
                     {{"a", 0, -1}, {"?column?", oid::kInt4, -1}});
  auto stmt2 = session_->Prepare(hinted);
  ASSERT_TRUE(stmt2.ok());
  const auto& cols2 = (*stmt2)->columns();
  ASSERT_EQ(cols2.size(), 2u);
  EXPECT_EQ(cols2[0].type_oid, oid::kInt4);  // hint 0: declared type
  EXPECT_EQ(cols2[1].name, "?column?");
  EXPECT_EQ(cols2[1].type_oid, oid::kInt4);
}

TEST_F(SqliteBackendTest, NoRowStatementsHaveNoColumns) {
  ASSERT_TRUE(Exec(*session_, "CREATE TABLE \"t\" (\"a\" integer)").ok());
  auto stmt = session_->Prepare(Stmt(StatementKind::kInsert, "INSERT INTO \"t\" VALUES (?1)"));
  ASSERT_TRUE(stmt.ok());
  EXPECT_TRUE((*stmt)->columns().empty());
  EXPECT_EQ((*stmt)->param_types().size(), 1u);
}

TEST_F(SqliteBackendTest, MultiStatementScriptRunsInOrder) {
  auto n = Exec(*session_,
                "CREATE TABLE \"a\" (\"x\" integer); CREATE INDEX \"a_x\" ON \"a\" (\"x\"); "
                "INSERT INTO \"a\" VALUES (5);");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  auto rows = Query(*session_, "SELECT \"x\" FROM \"a\"");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"5"}}));
}

TEST_F(SqliteBackendTest, FailingScriptIsUndoneAsAUnit) {
  auto n = Exec(*session_, "CREATE TABLE \"a\" (\"x\" integer); CREATE TABLE \"a\" (\"y\" text)");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().sqlstate(), "42P07");
  auto rows = Query(*session_, "SELECT \"x\" FROM \"a\"");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().sqlstate(), "42P01");
}

TEST_F(SqliteBackendTest, EmptyStatementsAreNoOps) {
  EXPECT_TRUE(Exec(*session_, "").ok());
  EXPECT_TRUE(Exec(*session_, " ; ", StatementKind::kUtility).ok());
  auto rows = Query(*session_, "  ", {}, StatementKind::kEmpty);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_F(SqliteBackendTest, MultipleCommandsInPreparedStatementRefused) {
  auto stmt = session_->Prepare(Stmt(StatementKind::kQuery, "SELECT 1; SELECT 2"));
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().sqlstate(), "42601");
}

TEST_F(SqliteBackendTest, StatementCacheReusesPreparedSql) {
  auto* s = static_cast<SqliteSession*>(session_.get());
  size_t before = s->cached_statements();
  for (int i = 0; i < 5; ++i) {
    auto rows = Query(*session_, "SELECT ?1 * 2", {Value::Int(i)});
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*rows)[0][0], std::to_string(i * 2));
  }
  EXPECT_EQ(s->cached_statements(), before + 1);
}

TEST_F(SqliteBackendTest, TwoCursorsOnOneStatement) {
  auto stmt = session_->Prepare(
      Stmt(StatementKind::kQuery, "SELECT \"value\" FROM pgw_generate_series(1, ?1)"));
  ASSERT_TRUE(stmt.ok());
  std::vector<Value> p3 = {Value::Int(3)};
  std::vector<Value> p5 = {Value::Int(5)};
  auto c1 = session_->Open(**stmt, p3);
  ASSERT_TRUE(c1.ok());
  CollectSink s1;
  ASSERT_TRUE((*c1)->Fetch(1, s1).ok());
  auto c2 = session_->Open(**stmt, p5);  // the shared sqlite3_stmt is busy
  ASSERT_TRUE(c2.ok());
  CollectSink s2;
  auto r2 = (*c2)->Fetch(0, s2);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(s2.rows.size(), 5u);
  auto r1 = (*c1)->Fetch(0, s1);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(s1.rows, (Rows{{"1"}, {"2"}, {"3"}}));
}

TEST_F(SqliteBackendTest, CursorDestroyedEarlyReleasesStatement) {
  auto stmt = session_->Prepare(
      Stmt(StatementKind::kQuery, "SELECT \"value\" FROM pgw_generate_series(1, 100)"));
  ASSERT_TRUE(stmt.ok());
  {
    auto c = session_->Open(**stmt, {});
    ASSERT_TRUE(c.ok());
    CollectSink sink;
    ASSERT_TRUE((*c)->Fetch(10, sink).ok());
  }
  auto c = session_->Open(**stmt, {});
  ASSERT_TRUE(c.ok());
  CollectSink sink;
  auto r = (*c)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sink.rows.size(), 100u);
  EXPECT_EQ(sink.rows[0][0], "1");
}

TEST_F(SqliteBackendTest, StatementOutlivesSession) {
  auto stmt = session_->Prepare(Stmt(StatementKind::kQuery, "SELECT 42"));
  ASSERT_TRUE(stmt.ok());
  auto cursor = session_->Open(**stmt, {});
  ASSERT_TRUE(cursor.ok());
  session_.reset();
  CollectSink sink;
  auto r = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sink.rows, (Rows{{"42"}}));
}

TEST_F(SqliteBackendTest, DescriptionRefreshedAfterSchemaChange) {
  ASSERT_TRUE(Exec(*session_, "CREATE TABLE \"t\" (\"a\" integer)").ok());
  auto s1 = session_->Prepare(Stmt(StatementKind::kQuery, "SELECT * FROM \"t\""));
  ASSERT_TRUE(s1.ok());
  EXPECT_EQ((*s1)->columns().size(), 1u);
  ASSERT_TRUE(Exec(*session_, "ALTER TABLE \"t\" ADD COLUMN \"b\" text").ok());
  auto s2 = session_->Prepare(Stmt(StatementKind::kQuery, "SELECT * FROM \"t\""));
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ((*s2)->columns().size(), 2u);
}

TEST(SqliteFileBackendTest, FileDatabaseIsCreatedAndPersists) {
  testing::TempDbPath path;
  {
    auto backend = testing::OpenBackend(path.path());
    ASSERT_NE(backend, nullptr);
    EXPECT_EQ(backend->Describe(), "sqlite:" + path.path());
    auto s = testing::Connect(*backend);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(Exec(*s, "CREATE TABLE \"k\" (\"v\" text)").ok());
    ASSERT_TRUE(Exec(*s, "INSERT INTO \"k\" VALUES ('kept')", StatementKind::kInsert).ok());
    auto mode = Query(*s, "PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    EXPECT_EQ((*mode)[0][0], "wal");
  }
  auto backend = testing::OpenBackend(path.path());
  ASSERT_NE(backend, nullptr);
  auto s = testing::Connect(*backend);
  auto rows = Query(*s, "SELECT \"v\" FROM \"k\"");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"kept"}}));
}

TEST(SqliteMemoryBackendTest, SessionsShareOneMemoryDatabase) {
  auto backend = testing::OpenBackend();
  ASSERT_NE(backend, nullptr);
  auto a = testing::Connect(*backend);
  auto b = testing::Connect(*backend);
  ASSERT_TRUE(Exec(*a, "CREATE TABLE \"shared\" (\"v\" integer)").ok());
  ASSERT_TRUE(Exec(*a, "INSERT INTO \"shared\" VALUES (7)", StatementKind::kInsert).ok());
  auto rows = Query(*b, "SELECT \"v\" FROM \"shared\"");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"7"}}));
  // A second backend gets its own database.
  auto other = testing::OpenBackend();
  auto c = testing::Connect(*other);
  EXPECT_FALSE(Query(*c, "SELECT \"v\" FROM \"shared\"").ok());
}

TEST(SqliteSchemaLookupTest, ColumnsAndTypes) {
  auto backend = testing::OpenBackend();
  auto s = testing::Connect(*backend);
  ASSERT_TRUE(Exec(*s, "CREATE TABLE \"t\" (\"id\" bigint, \"name\" varchar(10))").ok());
  const SchemaLookup& schema = backend->schema();
  EXPECT_EQ(schema.TableColumns("t"), (std::vector<std::string>{"id", "name"}));
  auto type = schema.ColumnType("t", "name");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->type_oid, oid::kVarchar);
  EXPECT_EQ(type->typmod, 14);
  EXPECT_FALSE(schema.ColumnType("t", "nope").has_value());
  EXPECT_TRUE(schema.TableColumns("missing").empty());
  // Invalidated by a schema change.
  ASSERT_TRUE(Exec(*s, "ALTER TABLE \"t\" ADD COLUMN \"extra\" integer").ok());
  EXPECT_EQ(schema.TableColumns("t").size(), 3u);
  // Catalog relations answer by their SQLite name; "pg_class" would be a user table.
  EXPECT_TRUE(schema.TableColumns("pg_class").empty());
  auto relkind = schema.ColumnType("pgw_pg_class", "relkind");
  ASSERT_TRUE(relkind.has_value());
  EXPECT_EQ(relkind->type_oid, oid::kChar);
  EXPECT_EQ(schema.TableColumns("pgw_pg_namespace"),
            (std::vector<std::string>{"oid", "nspname", "nspowner", "nspacl"}));
}

}  // namespace
}  // namespace pgw
