// The ODBC handles, connection, pool and session against a real ODBC driver: sqliteodbc
// (Debian libsqliteodbc) on a file in a temporary directory. No mocks.
#include "backend/odbc/odbc_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "backend/odbc/odbc_session.h"
#include "sql/translator.h"

namespace pgw::odbc {
namespace {

std::string SqliteDriver() {
  for (const char* dir :
       {"/usr/lib/x86_64-linux-gnu/odbc", "/usr/lib/aarch64-linux-gnu/odbc", "/usr/lib/odbc"}) {
    std::string path = std::string(dir) + "/libsqlite3odbc.so";
    if (std::filesystem::exists(path)) return path;
  }
  return "libsqlite3odbc.so";
}

class OdbcPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pgw-odbc-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto env = Environment::Create();
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = *env;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string ConnectionString(const std::string& file = "t.db") const {
    return "DRIVER=" + SqliteDriver() + ";Database=" + (dir_ / file).string();
  }
  std::shared_ptr<OdbcPool> MakePool(PoolOptions o, const std::string& conn = "") {
    return std::make_shared<OdbcPool>(env_, conn.empty() ? ConnectionString() : conn, std::nullopt,
                                      o);
  }

  std::filesystem::path dir_;
  std::shared_ptr<Environment> env_;
};

class CollectSink final : public RowSink {
 public:
  bool OnRow(std::span<const Value> row) override {
    std::vector<std::string> r;
    for (const Value& v : row) {
      r.push_back(v.is_null()                   ? "NULL"
                  : v.kind == Value::Kind::kInt ? std::to_string(v.i)
                                                : std::string(v.s));
    }
    rows.push_back(std::move(r));
    return true;
  }
  std::vector<std::vector<std::string>> rows;
};

TranslatedStatement Stmt(StatementKind kind, std::string sql, int params = 0) {
  TranslatedStatement t;
  t.kind = kind;
  t.sql = std::move(sql);
  t.num_params = params;
  t.param_types.assign(static_cast<size_t>(params), 0);
  t.returns_rows = kind == StatementKind::kQuery;
  return t;
}

// Runs `sql` in `s`; the rows as text.
Result<std::vector<std::vector<std::string>>> RunSql(OdbcSession& s, const TranslatedStatement& t,
                                                     std::vector<Value> params = {}) {
  PGW_TRY(std::unique_ptr<BackendStatement> st, s.Prepare(t));
  PGW_TRY(std::unique_ptr<Cursor> c, s.Open(*st, params));
  CollectSink sink;
  for (int i = 0; i < 1000; ++i) {
    PGW_TRY(FetchResult r, c->Fetch(0, sink));
    if (r.done) break;
  }
  return sink.rows;
}

TEST_F(OdbcPoolTest, HandlesAllocateMoveAndFree) {
  auto dbc = Handle::Allocate(SQL_HANDLE_DBC, env_->get());
  ASSERT_TRUE(dbc.ok());
  Handle moved = std::move(*dbc);
  EXPECT_TRUE(static_cast<bool>(moved));
  EXPECT_FALSE(static_cast<bool>(*dbc));
  EXPECT_EQ(moved.type(), SQL_HANDLE_DBC);
  moved.Reset();
  EXPECT_FALSE(static_cast<bool>(moved));
}

TEST_F(OdbcPoolTest, ConnectionKnowsItsTarget) {
  auto c = OdbcConnection::Open(env_, ConnectionString(), std::nullopt, 5);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->dialect(), Dialect::kSqlite);
  EXPECT_NE((*c)->dbms_name().find("SQLite"), std::string::npos);
  EXPECT_TRUE((*c)->Ping().ok());
  Status bad = (*c)->ExecuteDirect("SELECT * FROM no_such_table");
  EXPECT_EQ(bad.sqlstate(), "42P01") << bad.ToString();
  EXPECT_FALSE((*c)->broken());
}

TEST_F(OdbcPoolTest, SizeOverflowAndAcquireTimeout) {
  PoolOptions o;
  o.size = 1;
  o.overflow = 1;
  o.acquire_timeout_ms = 50;
  auto pool = MakePool(o);
  auto a = pool->Acquire();
  auto b = pool->Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(pool->stats().open, 2);
  auto c = pool->Acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().sqlstate(), "53300");
  b->reset();  // beyond `size`: closed, not kept
  EXPECT_EQ(pool->stats().open, 1);
  a->reset();  // kept idle
  EXPECT_EQ(pool->stats().idle, 1);
  auto d = pool->Acquire();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(pool->stats().connects, 2) << "the idle connection is reused";
}

TEST_F(OdbcPoolTest, BrokenConnectionsAreDiscarded) {
  auto pool = MakePool(PoolOptions{});
  {
    auto a = pool->Acquire();
    ASSERT_TRUE(a.ok());
    (*a)->conn().MarkBroken();
  }
  EXPECT_EQ(pool->stats().open, 0);
  EXPECT_EQ(pool->stats().discarded, 1);
  EXPECT_TRUE(pool->Acquire().ok());
}

TEST_F(OdbcPoolTest, ReturnedConnectionIsRolledBack) {
  auto pool = MakePool(PoolOptions{});
  {
    auto a = pool->Acquire();
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->conn().ExecuteDirect("CREATE TABLE t (x int)").ok());
    ASSERT_TRUE((*a)->conn().SetAutocommit(false).ok());
    ASSERT_TRUE((*a)->conn().ExecuteDirect("INSERT INTO t VALUES (1)").ok());
  }  // returned with a transaction open
  auto gen = std::make_shared<std::atomic<uint64_t>>(0);
  OdbcSession s(pool, Dialect::kSqlite, PoolMode::kTransaction, gen);
  auto rows = RunSql(s, Stmt(StatementKind::kQuery, "SELECT count(*) FROM t"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{{"0"}}));
}

TEST_F(OdbcPoolTest, FailedConnectsBackOffThenRecover) {
  PoolOptions o;
  o.backoff_initial_ms = 1;
  o.backoff_max_ms = 2;
  std::filesystem::path missing = dir_ / "later";
  auto pool = MakePool(o, "DRIVER=" + SqliteDriver() + ";Database=" + (missing / "x.db").string());
  auto first = pool->Acquire();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(pool->stats().failed_connects, 1);
  std::filesystem::create_directories(missing);
  bool ok = false;
  for (int i = 0; i < 500 && !ok; ++i) {
    auto a = pool->Acquire();
    ok = a.ok();
    if (!ok) {
      EXPECT_TRUE(a.status().sqlstate() == "08006" || a.status().sqlstate() == "08001")
          << a.status().ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  EXPECT_TRUE(ok) << "the pool connects again once the target is reachable";
}

TEST_F(OdbcPoolTest, MaintainDropsIdleConnectionsPastTheirIdleTimeout) {
  PoolOptions o;
  o.idle_timeout_s = 0;  // no idle timeout
  auto pool = MakePool(o);
  { ASSERT_TRUE(pool->Acquire().ok()); }
  pool->Maintain();
  EXPECT_EQ(pool->stats().idle, 1) << "a healthy idle connection stays";
}

TEST_F(OdbcPoolTest, SessionStatementsParametersAndTransactions) {
  auto pool = MakePool(PoolOptions{});
  auto gen = std::make_shared<std::atomic<uint64_t>>(0);
  OdbcSession s(pool, Dialect::kSqlite, PoolMode::kTransaction, gen);
  ASSERT_TRUE(
      RunSql(s, Stmt(StatementKind::kDdl, "CREATE TABLE t (id integer, name text, b blob)")).ok());
  std::string long_text(20000, 'y');
  auto ins = Stmt(StatementKind::kInsert, "INSERT INTO t VALUES (?1, ?2, NULL)", 2);
  ASSERT_TRUE(RunSql(s, ins, {Value::Int(1), Value::Text("one")}).ok());
  ASSERT_TRUE(s.Begin().ok());
  ASSERT_TRUE(RunSql(s, ins, {Value::Int(2), Value::Text(long_text)}).ok());
  ASSERT_TRUE(s.Savepoint("sp").ok());
  ASSERT_TRUE(RunSql(s, ins, {Value::Int(3), Value::Null()}).ok());
  ASSERT_TRUE(s.RollbackToSavepoint("sp").ok());
  ASSERT_TRUE(s.Commit().ok());
  ASSERT_TRUE(s.Begin().ok());
  ASSERT_TRUE(RunSql(s, ins, {Value::Int(4), Value::Text("rolled back")}).ok());
  ASSERT_TRUE(s.Rollback().ok());
  auto rows = RunSql(s, Stmt(StatementKind::kQuery, "SELECT id, length(name) FROM t ORDER BY id"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{{"1", "3"}, {"2", "20000"}}));
  auto text = RunSql(s, Stmt(StatementKind::kQuery, "SELECT name FROM t WHERE id = ?1", 1),
                     {Value::Int(2)});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)[0][0], long_text) << "a long value is read whole";
  EXPECT_EQ(pool->stats().open - pool->stats().idle, 0) << "no connection held while idle";
}

TEST_F(OdbcPoolTest, ManyRowsStreamInBlocks) {
  auto pool = MakePool(PoolOptions{});
  auto gen = std::make_shared<std::atomic<uint64_t>>(0);
  OdbcSession s(pool, Dialect::kSqlite, PoolMode::kTransaction, gen);
  auto q = Stmt(StatementKind::kQuery,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) "
                "SELECT x, x * 2 FROM c");
  auto st = s.Prepare(q);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto cur = s.Open(**st, {});
  ASSERT_TRUE(cur.ok()) << cur.status().ToString();
  CollectSink sink;
  auto r = (*cur)->Fetch(10, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 10u);
  EXPECT_FALSE(r->done);
  auto rest = (*cur)->Fetch(0, sink);
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->done);
  ASSERT_EQ(sink.rows.size(), 5000u);
  EXPECT_EQ(sink.rows[4999], (std::vector<std::string>{"5000", "10000"}));
}

TEST_F(OdbcPoolTest, CancelFromAnotherThread) {
  auto pool = MakePool(PoolOptions{});
  auto gen = std::make_shared<std::atomic<uint64_t>>(0);
  OdbcSession s(pool, Dialect::kSqlite, PoolMode::kTransaction, gen);
  // Long but finite: without a working cancel the test fails instead of hanging.
  auto q = Stmt(StatementKind::kQuery,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
                "200000000) SELECT count(*) FROM c");
  auto st = s.Prepare(q);
  ASSERT_TRUE(st.ok());
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    for (int i = 0; i < 6000 && !done.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      s.Cancel();
    }
  });
  Status result;
  auto cur = s.Open(**st, {});
  if (!cur.ok()) {
    result = cur.status();
  } else {
    CollectSink sink;
    auto r = (*cur)->Fetch(0, sink);
    result = r.status();
  }
  done = true;
  canceller.join();
  EXPECT_EQ(result.sqlstate(), "57014") << result.ToString();
}

}  // namespace
}  // namespace pgw::odbc
