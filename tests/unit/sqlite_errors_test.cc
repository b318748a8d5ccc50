// The SQLite -> PostgreSQL error mapping: one test per SQLSTATE, provoked through real SQL where
// SQLite can produce the condition, else through MapSqliteError directly.
#include "backend/sqlite/sqlite_errors.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Exec;
using testing::Query;

class SqliteErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
    ASSERT_TRUE(Exec(*s_,
                     "CREATE TABLE \"parent\" (\"id\" integer PRIMARY KEY, \"code\" text UNIQUE, "
                     "\"a\" integer, \"b\" integer, \"name\" text NOT NULL, "
                     "\"qty\" integer CHECK (\"qty\" > 0), UNIQUE (\"a\", \"b\"));"
                     "CREATE UNIQUE INDEX \"parent_name_idx\" ON \"parent\" (\"name\");"
                     "CREATE TABLE \"child\" (\"pid\" integer REFERENCES \"parent\" (\"id\"));"
                     "CREATE TABLE \"textkey\" (\"k\" text PRIMARY KEY)")
                    .ok());
    ASSERT_TRUE(
        Exec(*s_, "INSERT INTO \"parent\" VALUES (1, 'c1', 1, 1, 'n1', 1)", StatementKind::kInsert)
            .ok());
  }
  Status Run(const std::string& sql, StatementKind kind = StatementKind::kQuery) {
    if (kind == StatementKind::kQuery) return Query(*s_, sql).status();
    return Exec(*s_, sql, kind).status();
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteErrorsTest, UndefinedTable) {
  Status st = Run("SELECT * FROM \"nosuch\"");
  EXPECT_EQ(st.sqlstate(), "42P01");
  EXPECT_EQ(st.message(), "relation \"nosuch\" does not exist");
}

TEST_F(SqliteErrorsTest, UndefinedColumn) {
  Status st = Run("SELECT \"nope\" FROM \"parent\"");
  EXPECT_EQ(st.sqlstate(), "42703");
  EXPECT_EQ(st.message(), "column \"nope\" does not exist");
  st = Run("SELECT \"parent\".\"nope\" FROM \"parent\"");
  EXPECT_EQ(st.sqlstate(), "42703");
  EXPECT_EQ(st.message(), "column parent.nope does not exist");
}

TEST_F(SqliteErrorsTest, PrimaryKeyViolation) {
  Status st = Run("INSERT INTO \"parent\" VALUES (1, 'c2', 2, 2, 'n2', 1)", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23505");
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"parent_pkey\"");
  st = Run("INSERT INTO \"textkey\" VALUES ('x'), ('x')", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23505");
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"textkey_pkey\"");
}

TEST_F(SqliteErrorsTest, UniqueViolationNamesConstraint) {
  Status st = Run("INSERT INTO \"parent\" VALUES (2, 'c1', 2, 2, 'n2', 1)", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23505");
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"parent_code_key\"");
  st = Run("INSERT INTO \"parent\" VALUES (2, 'c2', 1, 1, 'n2', 1)", StatementKind::kInsert);
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"parent_a_b_key\"");
  st = Run("INSERT INTO \"parent\" VALUES (2, 'c2', 2, 2, 'n1', 1)", StatementKind::kInsert);
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"parent_name_idx\"");
}

TEST_F(SqliteErrorsTest, NotNullViolation) {
  Status st = Run("INSERT INTO \"parent\" VALUES (3, 'c3', 3, 3, NULL, 1)", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23502");
  EXPECT_EQ(st.message(),
            "null value in column \"name\" of relation \"parent\" violates not-null constraint");
}

TEST_F(SqliteErrorsTest, ForeignKeyViolation) {
  Status st = Run("INSERT INTO \"child\" VALUES (99)", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23503");
}

TEST_F(SqliteErrorsTest, CheckViolation) {
  Status st =
      Run("INSERT INTO \"parent\" VALUES (4, 'c4', 4, 4, 'n4', -1)", StatementKind::kInsert);
  EXPECT_EQ(st.sqlstate(), "23514");
}

TEST_F(SqliteErrorsTest, DuplicateTableAndIndex) {
  Status st = Run("CREATE TABLE \"parent\" (\"x\" integer)", StatementKind::kDdl);
  EXPECT_EQ(st.sqlstate(), "42P07");
  EXPECT_EQ(st.message(), "relation \"parent\" already exists");
  st = Run("CREATE INDEX \"parent_name_idx\" ON \"parent\" (\"a\")", StatementKind::kDdl);
  EXPECT_EQ(st.sqlstate(), "42P07");
  EXPECT_EQ(st.message(), "relation \"parent_name_idx\" already exists");
}

TEST_F(SqliteErrorsTest, UndefinedFunction) {
  Status st = Run("SELECT no_such_fn(1)");
  EXPECT_EQ(st.sqlstate(), "42883");
  EXPECT_NE(std::string(st.message()).find("function no_such_fn"), std::string::npos);
  EXPECT_NE(std::string(st.message()).find("does not exist"), std::string::npos);
}

TEST_F(SqliteErrorsTest, SyntaxError) {
  Status st = Run("SELEC 1");
  EXPECT_EQ(st.sqlstate(), "42601");
  EXPECT_EQ(st.message(), "syntax error at or near \"SELEC\"");
}

TEST_F(SqliteErrorsTest, FunctionErrorsCarryTheirSqlstate) {
  Status st = Run("SELECT pgw_div(1, 0)");
  EXPECT_EQ(st.sqlstate(), "22012");
  EXPECT_EQ(st.message(), "division by zero");
}

TEST_F(SqliteErrorsTest, UndefinedSavepoint) {
  ASSERT_TRUE(s_->Begin().ok());
  Status st = s_->RollbackToSavepoint("nope");
  EXPECT_EQ(st.sqlstate(), "3B001");
  EXPECT_EQ(st.message(), "savepoint \"nope\" does not exist");
  EXPECT_TRUE(s_->Rollback().ok());
}

TEST(SqliteErrorMapTest, ResultCodes) {
  EXPECT_EQ(MapSqliteError(SQLITE_BUSY, "database is locked", nullptr).sqlstate(), "55P03");
  EXPECT_EQ(MapSqliteError(SQLITE_BUSY_SNAPSHOT, "database is locked", nullptr).sqlstate(),
            "40001");
  Status cancel = MapSqliteError(SQLITE_INTERRUPT, "interrupted", nullptr);
  EXPECT_EQ(cancel.sqlstate(), "57014");
  EXPECT_EQ(cancel.message(), "canceling statement due to user request");
  EXPECT_EQ(MapSqliteError(SQLITE_FULL, "database or disk is full", nullptr).sqlstate(), "53100");
  EXPECT_EQ(MapSqliteError(SQLITE_NOMEM, "out of memory", nullptr).sqlstate(), "53200");
  EXPECT_EQ(MapSqliteError(SQLITE_ERROR, "something odd", nullptr).sqlstate(), "XX000");
  EXPECT_EQ(MapSqliteError(SQLITE_ERROR, "something odd", nullptr).message(), "something odd");
  Status marked = MapSqliteError(SQLITE_ERROR,
                                 "\x01"
                                 "22023step size cannot equal zero",
                                 nullptr);
  EXPECT_EQ(marked.sqlstate(), "22023");
  EXPECT_EQ(marked.message(), "step size cannot equal zero");
  EXPECT_EQ(MapSqliteError(SQLITE_ERROR, "incomplete input", nullptr).message(),
            "syntax error at end of input");
}

}  // namespace
}  // namespace pgw
