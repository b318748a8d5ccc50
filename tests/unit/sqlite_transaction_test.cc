// Transactions and savepoints on the SQLite backend; two sessions on one file database.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Exec;
using testing::Query;
using testing::Rows;

class SqliteTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend(path_.path(), 200);
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
    ASSERT_TRUE(Exec(*s_, "CREATE TABLE \"t\" (\"v\" integer)").ok());
  }
  Rows All(BackendSession& s) {
    auto r = Query(s, "SELECT \"v\" FROM \"t\" ORDER BY \"v\"");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Rows{};
  }
  Status Insert(BackendSession& s, int v) {
    return Exec(s, "INSERT INTO \"t\" VALUES (" + std::to_string(v) + ")", StatementKind::kInsert)
        .status();
  }
  testing::TempDbPath path_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteTransactionTest, CommitMakesChangesVisible) {
  auto other = testing::Connect(*backend_);
  ASSERT_TRUE(s_->Begin().ok());
  ASSERT_TRUE(Insert(*s_, 1).ok());
  EXPECT_EQ(All(*other), Rows{});
  EXPECT_EQ(All(*s_), (Rows{{"1"}}));
  ASSERT_TRUE(s_->Commit().ok());
  EXPECT_EQ(All(*other), (Rows{{"1"}}));
}

TEST_F(SqliteTransactionTest, RollbackDiscardsChanges) {
  ASSERT_TRUE(s_->Begin().ok());
  ASSERT_TRUE(Insert(*s_, 1).ok());
  ASSERT_TRUE(s_->Rollback().ok());
  EXPECT_EQ(All(*s_), Rows{});
  EXPECT_TRUE(s_->Rollback().ok());  // nothing to roll back: no error
}

TEST_F(SqliteTransactionTest, Savepoints) {
  ASSERT_TRUE(s_->Begin().ok());
  ASSERT_TRUE(Insert(*s_, 1).ok());
  ASSERT_TRUE(s_->Savepoint("sp one").ok());  // names are quoted
  ASSERT_TRUE(Insert(*s_, 2).ok());
  ASSERT_TRUE(s_->RollbackToSavepoint("sp one").ok());
  EXPECT_EQ(All(*s_), (Rows{{"1"}}));
  ASSERT_TRUE(Insert(*s_, 3).ok());
  ASSERT_TRUE(s_->ReleaseSavepoint("sp one").ok());
  ASSERT_TRUE(s_->Commit().ok());
  EXPECT_EQ(All(*s_), (Rows{{"1"}, {"3"}}));
}

TEST_F(SqliteTransactionTest, SavepointOutsideTransaction) {
  Status st = s_->Savepoint("x");
  EXPECT_EQ(st.sqlstate(), "25P01");
  EXPECT_EQ(st.message(), "SAVEPOINT can only be used in transaction blocks");
  EXPECT_EQ(s_->ReleaseSavepoint("x").sqlstate(), "25P01");
  EXPECT_EQ(s_->RollbackToSavepoint("x").sqlstate(), "25P01");
}

TEST_F(SqliteTransactionTest, DdlInTransactionRollsBack) {
  ASSERT_TRUE(s_->Begin().ok());
  ASSERT_TRUE(Exec(*s_, "CREATE TABLE \"tmp\" (\"x\" integer)").ok());
  ASSERT_TRUE(s_->Rollback().ok());
  EXPECT_EQ(Query(*s_, "SELECT * FROM \"tmp\"").status().sqlstate(), "42P01");
}

TEST_F(SqliteTransactionTest, NowIsStableWithinTransaction) {
  ASSERT_TRUE(s_->Begin().ok());
  auto a = Query(*s_, "SELECT pgw_now()");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto b = Query(*s_, "SELECT pgw_now(), pgw_clock_timestamp()");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0][0], (*b)[0][0]);
  EXPECT_NE((*b)[0][0], (*b)[0][1]);
  ASSERT_TRUE(s_->Commit().ok());
  auto c = Query(*s_, "SELECT pgw_now()");
  ASSERT_TRUE(c.ok());
  EXPECT_NE((*a)[0][0], (*c)[0][0]);
}

TEST_F(SqliteTransactionTest, WriterLockWaitTimesOutWith55P03) {
  auto other = testing::Connect(*backend_);
  ASSERT_TRUE(s_->Begin().ok());
  ASSERT_TRUE(Insert(*s_, 1).ok());  // holds the write lock
  auto start = std::chrono::steady_clock::now();
  Status st = Insert(*other, 2);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(st.sqlstate(), "55P03") << st.ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(150));  // busy_timeout is 200 ms
  EXPECT_LT(waited, std::chrono::seconds(5));
  ASSERT_TRUE(s_->Commit().ok());
  EXPECT_TRUE(Insert(*other, 2).ok());
}

TEST_F(SqliteTransactionTest, StaleSnapshotUpgradeIs40001) {
  auto other = testing::Connect(*backend_);
  ASSERT_TRUE(s_->Begin().ok());
  EXPECT_EQ(All(*s_), Rows{});          // read snapshot taken
  ASSERT_TRUE(Insert(*other, 5).ok());  // another session commits a write
  Status st = Insert(*s_, 6);           // upgrade from a stale snapshot
  EXPECT_EQ(st.sqlstate(), "40001") << st.ToString();
  EXPECT_TRUE(s_->Rollback().ok());
}

TEST_F(SqliteTransactionTest, ReadersDoNotBlockWriter) {
  auto reader = testing::Connect(*backend_);
  ASSERT_TRUE(Insert(*s_, 1).ok());
  ASSERT_TRUE(reader->Begin().ok());
  EXPECT_EQ(All(*reader), (Rows{{"1"}}));
  EXPECT_TRUE(Insert(*s_, 2).ok());
  EXPECT_EQ(All(*reader), (Rows{{"1"}}));  // snapshot isolation inside the transaction
  ASSERT_TRUE(reader->Commit().ok());
  EXPECT_EQ(All(*reader), (Rows{{"1"}, {"2"}}));
}

}  // namespace
}  // namespace pgw

namespace pgw {
namespace {

// Shared-cache in-memory databases lock tables (SQLITE_LOCKED), which SQLite's busy timeout does
// not cover: the backend waits them out for the busy timeout too.
TEST(SqliteMemoryLockTest, ReaderWaitsForWriterThenTimesOut) {
  auto backend = testing::OpenBackend(":memory:", 200);
  ASSERT_NE(backend, nullptr);
  auto writer = testing::Connect(*backend);
  auto reader = testing::Connect(*backend);
  ASSERT_TRUE(testing::Exec(*writer, "CREATE TABLE \"m\" (\"v\" integer)").ok());
  ASSERT_TRUE(writer->Begin().ok());
  ASSERT_TRUE(testing::Exec(*writer, "INSERT INTO \"m\" VALUES (1)", StatementKind::kInsert).ok());
  auto start = std::chrono::steady_clock::now();
  Status st = testing::Query(*reader, "SELECT count(*) FROM \"m\"").status();
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(st.sqlstate(), "55P03") << st.ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::seconds(5));
  ASSERT_TRUE(writer->Commit().ok());
  auto rows = testing::Query(*reader, "SELECT count(*) FROM \"m\"");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0][0], "1");
}

TEST(SqliteMemoryLockTest, ReaderProceedsWhenWriterCommits) {
  auto backend = testing::OpenBackend(":memory:", 5000);
  auto writer = testing::Connect(*backend);
  auto reader = testing::Connect(*backend);
  ASSERT_TRUE(testing::Exec(*writer, "CREATE TABLE \"m\" (\"v\" integer)").ok());
  ASSERT_TRUE(writer->Begin().ok());
  ASSERT_TRUE(testing::Exec(*writer, "INSERT INTO \"m\" VALUES (1)", StatementKind::kInsert).ok());
  std::thread committer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(writer->Commit().ok());
  });
  auto rows = testing::Query(*reader, "SELECT count(*) FROM \"m\"");
  committer.join();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0][0], "1");
}

}  // namespace
}  // namespace pgw
