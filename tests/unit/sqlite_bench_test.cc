// Timing printout (no timing assertions): a prepared point lookup by integer key through
// Prepare (statement cache hit) + Open + Fetch, against bare sqlite3 reset/bind/step on the
// same database. Checks the lookups return the right rows.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

constexpr int kRows = 10000;
constexpr int kLookups = 100000;

class SumSink final : public RowSink {
 public:
  bool OnRow(std::span<const Value> row) override {
    sum += row[0].i;
    ++rows;
    return true;
  }
  int64_t sum = 0;
  int64_t rows = 0;
};

double NanosPer(std::chrono::steady_clock::duration d, int n) {
  return std::chrono::duration<double, std::nano>(d).count() / n;
}

TEST(SqliteBenchTest, PointLookupOverhead) {
  testing::TempDbPath path;
  auto backend = testing::OpenBackend(path.path());
  ASSERT_NE(backend, nullptr);
  auto s = testing::Connect(*backend);
  ASSERT_TRUE(testing::Exec(*s,
                            "CREATE TABLE \"kv\" (\"k\" integer PRIMARY KEY, \"v\" integer);"
                            "INSERT INTO \"kv\" SELECT \"value\", \"value\" * 2 FROM "
                            "pgw_generate_series(1, 10000)")
                  .ok());
  const std::string sql = "SELECT \"v\" FROM \"kv\" WHERE \"k\" = ?1";
  TranslatedStatement t = testing::Stmt(StatementKind::kQuery, sql, {{"v", oid::kInt4, -1}});
  t.num_params = 1;
  t.param_types = {oid::kInt4};

  SumSink sink;
  int64_t expected = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kLookups; ++i) {
    int64_t key = i % kRows + 1;
    expected += key * 2;
    auto stmt = s->Prepare(t);
    ASSERT_TRUE(stmt.ok());
    Value param = Value::Int(key);
    auto cursor = s->Open(**stmt, std::span<const Value>(&param, 1));
    ASSERT_TRUE(cursor.ok());
    auto r = (*cursor)->Fetch(0, sink);
    ASSERT_TRUE(r.ok() && r->done);
  }
  auto backend_time = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(sink.rows, kLookups);
  EXPECT_EQ(sink.sum, expected);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.path().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* raw = nullptr;
  ASSERT_EQ(sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr),
            SQLITE_OK);
  int64_t raw_sum = 0;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kLookups; ++i) {
    sqlite3_bind_int64(raw, 1, i % kRows + 1);
    while (sqlite3_step(raw) == SQLITE_ROW) raw_sum += sqlite3_column_int64(raw, 0);
    sqlite3_reset(raw);
  }
  auto raw_time = std::chrono::steady_clock::now() - start;
  sqlite3_finalize(raw);
  sqlite3_close(db);
  EXPECT_EQ(raw_sum, expected);

  double per_backend = NanosPer(backend_time, kLookups);
  double per_raw = NanosPer(raw_time, kLookups);
  std::printf(
      "point lookup: backend Prepare+Open+Fetch %.0f ns, bare sqlite3 %.0f ns, "
      "overhead %.0f ns\n",
      per_backend, per_raw, per_backend - per_raw);
}

}  // namespace
}  // namespace pgw
