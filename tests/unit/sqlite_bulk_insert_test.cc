// The SQLite backend's COPY support: DescribeRelation (kinds, flags, oids) and the bulk sink
// (groups and single rows, the failing row of a batch, unique-violation DETAIL, WHERE
// exclusions, identity columns, never writing outside the caller's transaction).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Exec;
using testing::One;

class SqliteBulkInsertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend(path_.path());
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
    ASSERT_TRUE(Exec(*s_,
                     "CREATE TABLE \"t\" (\"id\" integer PRIMARY KEY, \"name\" text NOT "
                     "NULL, \"n\" integer DEFAULT 7)")
                    .ok());
  }

  RelationInfo Describe(std::string_view name) {
    Result<RelationInfo> r = s_->DescribeRelation("", name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RelationInfo{};
  }

  // A batch of (id, name) rows; names live in the batch's bytes.
  static RowBatch Batch(int first, int count) {
    RowBatch b;
    b.num_columns = 2;
    b.bytes.reserve(static_cast<size_t>(count) * 16);
    for (int i = 0; i < count; ++i) {
      size_t at = b.bytes.size();
      b.bytes += "name" + std::to_string(first + i);
      b.values.push_back(Value::Int(first + i));
      b.values.push_back(Value::Text(std::string_view(b.bytes).substr(at)));
      b.lines.push_back(i + 1);
    }
    return b;
  }

  std::unique_ptr<BulkSink> Sink(std::string where = "") {
    RelationInfo rel = Describe("t");
    BulkInsertSpec spec;
    spec.table = "t";
    spec.columns = {rel.columns[0], rel.columns[1]};
    spec.where_sql = std::move(where);
    auto r = s_->OpenBulkInsert(spec);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : nullptr;
  }

  testing::TempDbPath path_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteBulkInsertTest, DescribesColumnsAndKinds) {
  RelationInfo rel = Describe("t");
  EXPECT_EQ(rel.kind, RelationInfo::Kind::kTable);
  EXPECT_GE(rel.oid, 16384u);
  ASSERT_EQ(rel.columns.size(), 3u);
  EXPECT_EQ(rel.columns[0].name, "id");
  EXPECT_TRUE(rel.columns[0].not_null);      // a primary key
  EXPECT_FALSE(rel.columns[0].has_default);  // not auto-numbered: it must be given
  EXPECT_TRUE(rel.columns[1].not_null);
  EXPECT_TRUE(rel.columns[2].has_default);
  EXPECT_EQ(rel.columns[2].type_oid, oid::kInt4);
  ASSERT_TRUE(Exec(*s_, "CREATE VIEW \"v\" AS SELECT \"id\" FROM \"t\"").ok());
  EXPECT_EQ(Describe("v").kind, RelationInfo::Kind::kView);
  EXPECT_EQ(Describe("pg_class").kind, RelationInfo::Kind::kCatalog);
  Result<RelationInfo> missing = s_->DescribeRelation("", "nope");
  EXPECT_EQ(missing.status().sqlstate(), "42P01");
  EXPECT_EQ(missing.status().message(), "relation \"nope\" does not exist");
  EXPECT_EQ(s_->DescribeRelation("public", "pg_class").status().sqlstate(), "42P01");
  EXPECT_EQ(s_->DescribeRelation("", "pgw_oids").status().sqlstate(), "42P01");
}

TEST_F(SqliteBulkInsertTest, GroupsAndSingleRowsAllLand) {
  auto sink = Sink();
  ASSERT_TRUE(s_->Begin().ok());
  RowBatch b = Batch(1, 100);  // three groups of 32 and four single rows
  BulkWriteResult r;
  ASSERT_TRUE(sink->Write(b, &r).ok());
  EXPECT_EQ(r.inserted, 100u);
  ASSERT_TRUE(s_->Commit().ok());
  EXPECT_EQ(One(*s_, "SELECT count(*) || ',' || sum(\"id\") || ',' || min(\"n\") FROM \"t\""),
            "100,5050,7");
}

TEST_F(SqliteBulkInsertTest, ReportsTheFailingRowInsideAGroup) {
  auto sink = Sink();
  ASSERT_TRUE(s_->Begin().ok());
  RowBatch b = Batch(1, 40);
  b.values[2 * 20] = Value::Int(5);  // row 20 repeats id 5
  BulkWriteResult r;
  Status st = sink->Write(b, &r);
  EXPECT_EQ(st.sqlstate(), "23505");
  EXPECT_EQ(st.message(), "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(st.info().detail, "Key (id)=(5) already exists.");
  EXPECT_EQ(r.failed_row, 20u);
  ASSERT_TRUE(s_->Rollback().ok());
  EXPECT_EQ(One(*s_, "SELECT count(*) FROM \"t\""), "0");
}

TEST_F(SqliteBulkInsertTest, WhereConditionCountsExcludedRows) {
  auto sink = Sink("\"id\" % 3 = 0");
  ASSERT_TRUE(s_->Begin().ok());
  RowBatch b = Batch(1, 10);
  BulkWriteResult r;
  ASSERT_TRUE(sink->Write(b, &r).ok());
  EXPECT_EQ(r.inserted, 3u);
  EXPECT_EQ(r.excluded, 7u);
  ASSERT_TRUE(s_->Commit().ok());
  EXPECT_EQ(One(*s_, "SELECT group_concat(\"id\") FROM \"t\""), "3,6,9");
}

TEST_F(SqliteBulkInsertTest, NeverWritesOutsideTheCallersTransaction) {
  auto sink = Sink();
  RowBatch b = Batch(1, 3);
  BulkWriteResult r;
  Status st = sink->Write(b, &r);  // no transaction open: would autocommit each row
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(r.inserted, 0u);
  EXPECT_EQ(One(*s_, "SELECT count(*) FROM \"t\""), "0");
}

TEST_F(SqliteBulkInsertTest, GeneratedAlwaysIdentityTakesCopiedValues) {
  // The translator's guard triggers for GENERATED ALWAYS AS IDENTITY (sql/sqlite_dialect.cc).
  ASSERT_TRUE(Exec(*s_,
                   "CREATE TABLE \"g\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"v\" text);"
                   "CREATE TRIGGER \"pgw_identity_g_id\" BEFORE INSERT ON \"g\" WHEN NEW.\"id\" "
                   "<> -1 BEGIN SELECT RAISE(ABORT, 'refused'); END")
                  .ok());
  RelationInfo rel = Describe("g");
  EXPECT_TRUE(rel.columns[0].has_default);
  BulkInsertSpec spec;
  spec.table = "g";
  spec.columns = rel.columns;
  {
    auto sink = s_->OpenBulkInsert(spec);
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    ASSERT_TRUE(s_->Begin().ok());
    RowBatch b;
    b.num_columns = 2;
    b.values = {Value::Int(5), Value::Text("a")};
    b.lines = {1};
    BulkWriteResult r;
    ASSERT_TRUE((*sink)->Write(b, &r).ok());
    ASSERT_TRUE(s_->Commit().ok());
  }
  EXPECT_EQ(One(*s_, "SELECT \"id\" || \"v\" FROM \"g\""), "5a");
  // The guard is back once the sink is gone.
  EXPECT_FALSE(Exec(*s_, "INSERT INTO \"g\" VALUES (6, 'b')", StatementKind::kInsert).ok());
}

}  // namespace
}  // namespace pgw
