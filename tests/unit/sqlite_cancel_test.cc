// Cancel from another thread: a long scan and pg_sleep end with 57014 within a second; a cancel
// that arrives while nothing runs does not affect the next statement.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Query;

constexpr auto kCancelDelay = std::chrono::milliseconds(100);
constexpr auto kCancelDeadline = std::chrono::seconds(1);

class SqliteCancelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
  }
  // Runs `sql`, cancelling it from another thread after kCancelDelay; returns the status and
  // the time from cancel to return.
  Status RunAndCancel(const std::string& sql, std::chrono::steady_clock::duration* latency) {
    std::chrono::steady_clock::time_point cancelled_at;
    std::thread canceller([&] {
      std::this_thread::sleep_for(kCancelDelay);
      cancelled_at = std::chrono::steady_clock::now();
      s_->Cancel();
    });
    Status st = Query(*s_, sql).status();
    auto returned_at = std::chrono::steady_clock::now();
    canceller.join();
    *latency = returned_at - cancelled_at;
    return st;
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteCancelTest, CancelsLongScan) {
  std::chrono::steady_clock::duration latency;
  Status st = RunAndCancel("SELECT count(*) FROM pgw_generate_series(1, 10000000000)", &latency);
  EXPECT_EQ(st.sqlstate(), "57014");
  EXPECT_EQ(st.message(), "canceling statement due to user request");
  EXPECT_LT(latency, kCancelDeadline);
  // The session is usable afterwards.
  auto r = Query(*s_, "SELECT 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(SqliteCancelTest, CancelsPgSleep) {
  std::chrono::steady_clock::duration latency;
  Status st = RunAndCancel("SELECT pgw_pg_sleep(10)", &latency);
  EXPECT_EQ(st.sqlstate(), "57014");
  EXPECT_LT(latency, kCancelDeadline);
}

TEST_F(SqliteCancelTest, CancelWhileIdleDoesNotAffectNextStatement) {
  s_->Cancel();
  auto r = Query(*s_, "SELECT count(*) FROM pgw_generate_series(1, 100000)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0][0], "100000");
  s_->Cancel();
  auto sleep = Query(*s_, "SELECT pgw_pg_sleep(0.02)");
  EXPECT_TRUE(sleep.ok()) << sleep.status().ToString();
}

TEST_F(SqliteCancelTest, CancelDoesNotLeakIntoOtherOpenCursor) {
  // A suspended portal stays open while another statement is cancelled.
  auto stmt = s_->Prepare(
      testing::Stmt(StatementKind::kQuery, "SELECT \"value\" FROM pgw_generate_series(1, 10)"));
  ASSERT_TRUE(stmt.ok());
  auto cursor = s_->Open(**stmt, {});
  ASSERT_TRUE(cursor.ok());
  testing::CollectSink sink;
  ASSERT_TRUE((*cursor)->Fetch(2, sink).ok());
  std::chrono::steady_clock::duration latency;
  Status st = RunAndCancel("SELECT count(*) FROM pgw_generate_series(1, 10000000000)", &latency);
  EXPECT_EQ(st.sqlstate(), "57014");
  EXPECT_LT(latency, kCancelDeadline);
  auto rest = (*cursor)->Fetch(0, sink);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(sink.rows.size(), 10u);
  EXPECT_TRUE(Query(*s_, "SELECT 1").ok());
}

}  // namespace
}  // namespace pgw
