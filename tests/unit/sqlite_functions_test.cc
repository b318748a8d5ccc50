// The SQLite dialect's functions: pgw_cast, pgw_div/pgw_mod, session information, clocks,
// arrays, booleans and pgw_generate_series.
#include <gtest/gtest.h>

#include <cctype>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Query;
using testing::Rows;

// True when `s` has the shape of `pattern`, where 'd' stands for any digit.
bool HasShape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(s[i])) != 0;
    if (pattern[i] == 'd' ? !digit : s[i] != pattern[i]) return false;
  }
  return true;
}

// "YYYY-MM-DD HH:MM:SS[.f{1,6}]+00"
bool IsTimestamptzStorage(std::string_view s) {
  constexpr std::string_view kBase = "dddd-dd-dd dd:dd:dd";
  if (s.size() < kBase.size() + 3 || !HasShape(s.substr(0, kBase.size()), kBase)) return false;
  if (s.substr(s.size() - 3) != "+00") return false;
  std::string_view frac = s.substr(kBase.size(), s.size() - 3 - kBase.size());
  if (frac.empty()) return true;
  return frac.size() >= 2 && frac.size() <= 7 && frac[0] == '.' &&
         HasShape(frac.substr(1), std::string(frac.size() - 1, 'd'));
}

class SqliteFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_, "alice", "appdb");
    ASSERT_NE(s_, nullptr);
  }
  // The single value of a one-row, one-column query; the error's "SQLSTATE: message" otherwise.
  std::string One(const std::string& sql, std::vector<Value> params = {}) {
    auto r = Query(*s_, sql, std::move(params));
    if (!r.ok())
      return std::string(r.status().sqlstate()) + ": " + std::string(r.status().message());
    if (r->size() != 1 || (*r)[0].size() != 1) return "<shape>";
    return (*r)[0][0];
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteFunctionsTest, CastValidatesLikePostgres) {
  EXPECT_EQ(One("SELECT pgw_cast('42', 23)"), "42");
  EXPECT_EQ(One("SELECT typeof(pgw_cast('42', 23))"), "integer");
  EXPECT_EQ(One("SELECT pgw_cast('abc', 23)"),
            "22P02: invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(One("SELECT pgw_cast(NULL, 23)"), "NULL");
  EXPECT_EQ(One("SELECT pgw_cast(3000000000, 23)").substr(0, 5), "22003");
  EXPECT_EQ(One("SELECT pgw_cast(12, 25)"), "12");
  EXPECT_EQ(One("SELECT pgw_cast('2024-02-30', 1082)").substr(0, 5), "22008");
  EXPECT_EQ(One("SELECT pgw_cast('abcdef', 1043, 7)"), "abc");  // varchar(3)
}

TEST_F(SqliteFunctionsTest, DivAndMod) {
  EXPECT_EQ(One("SELECT pgw_div(7, 2)"), "3");
  EXPECT_EQ(One("SELECT pgw_div(-7, 2)"), "-3");  // truncates toward zero
  EXPECT_EQ(One("SELECT pgw_div(7.0, 2)"), "3.5");
  EXPECT_EQ(One("SELECT pgw_mod(-7, 3)"), "-1");
  EXPECT_EQ(One("SELECT pgw_div(1, 0)"), "22012: division by zero");
  EXPECT_EQ(One("SELECT pgw_mod(1, 0)"), "22012: division by zero");
  EXPECT_EQ(One("SELECT pgw_div(1.5, 0.0)"), "22012: division by zero");
  EXPECT_EQ(One("SELECT pgw_div(NULL, 0)"), "NULL");
  EXPECT_EQ(One("SELECT pgw_div(-9223372036854775807 - 1, -1)"), "22003: bigint out of range");
  EXPECT_EQ(One("SELECT pgw_mod(-9223372036854775807 - 1, -1)"), "0");
  EXPECT_EQ(One("SELECT pgw_div(?1, ?2)", {Value::Text("9"), Value::Int(3)}), "3");
}

TEST_F(SqliteFunctionsTest, SessionInformation) {
  EXPECT_EQ(One("SELECT pgw_current_database()"), "appdb");
  EXPECT_EQ(One("SELECT pgw_current_user()"), "alice");
  EXPECT_EQ(One("SELECT pgw_session_user()"), "alice");
  EXPECT_EQ(One("SELECT pgw_current_schema()"), "public");
  EXPECT_EQ(One("SELECT pgw_current_schemas(1)"), "{pg_catalog,public}");
  EXPECT_EQ(One("SELECT pgw_current_schemas(0)"), "{public}");
  EXPECT_EQ(One("SELECT pgw_pg_backend_pid()"), "4242");
  std::string version = One("SELECT pgw_version()");
  EXPECT_EQ(version.rfind("PostgreSQL 15.0 (iris-pgwire ", 0), 0u) << version;
  EXPECT_NE(version.find(", SQLite 3."), std::string::npos) << version;
}

TEST_F(SqliteFunctionsTest, TimestampsInStorageForm) {
  EXPECT_TRUE(IsTimestamptzStorage(One("SELECT pgw_now()"))) << One("SELECT pgw_now()");
  EXPECT_TRUE(IsTimestamptzStorage(One("SELECT pgw_statement_timestamp()")));
  EXPECT_TRUE(IsTimestamptzStorage(One("SELECT pgw_clock_timestamp()")));
  EXPECT_TRUE(HasShape(One("SELECT pgw_current_date()"), "dddd-dd-dd"));
  EXPECT_FALSE(IsTimestamptzStorage("2024-01-01 00:00:00.+00"));  // the checker can fail
  // The date is the date part of now() (both UTC).
  EXPECT_EQ(One("SELECT substr(pgw_now(), 1, 10) = pgw_current_date()"), "1");
}

TEST_F(SqliteFunctionsTest, ArrayPosition) {
  EXPECT_EQ(One("SELECT pgw_array_position('{pg_catalog,public}', 'public')"), "2");
  EXPECT_EQ(One("SELECT pgw_array_position('{pg_catalog,public}', 'pg_catalog')"), "1");
  EXPECT_EQ(One("SELECT pgw_array_position('{pg_catalog,public}', 'x')"), "NULL");
  EXPECT_EQ(One("SELECT pgw_array_position('{\"a,b\",\"c\\\"d\",NULL,3}', 'c\"d')"), "2");
  EXPECT_EQ(One("SELECT pgw_array_position('{\"a,b\",x}', 'a,b')"), "1");
  EXPECT_EQ(One("SELECT pgw_array_position('{1,NULL,3}', NULL)"), "2");
  EXPECT_EQ(One("SELECT pgw_array_position('{1,2,3}', 3)"), "3");
  EXPECT_EQ(One("SELECT pgw_array_position('{}', 'a')"), "NULL");
  EXPECT_EQ(One("SELECT pgw_array_position(NULL, 'a')"), "NULL");
  EXPECT_EQ(One("SELECT pgw_array_position(pgw_current_schemas(1), 'public')"), "2");
}

TEST_F(SqliteFunctionsTest, BoolOut) {
  EXPECT_EQ(One("SELECT pgw_bool_out(1)"), "t");
  EXPECT_EQ(One("SELECT pgw_bool_out(0)"), "f");
  EXPECT_EQ(One("SELECT pgw_bool_out('true')"), "t");
  EXPECT_EQ(One("SELECT pgw_bool_out('f')"), "f");
  EXPECT_EQ(One("SELECT pgw_bool_out(NULL)"), "NULL");
}

// pg_sleep returns void, which PostgreSQL prints as the empty string; NULL in gives NULL.
TEST_F(SqliteFunctionsTest, PgSleepReturnsVoid) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(One("SELECT pgw_pg_sleep(0.05)"), "");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
  EXPECT_EQ(One("SELECT pgw_pg_sleep(-1)"), "");
  EXPECT_EQ(One("SELECT pgw_pg_sleep(NULL)"), "NULL");
}

TEST_F(SqliteFunctionsTest, GenerateSeries) {
  auto r = Query(*s_, "SELECT \"value\" FROM pgw_generate_series(1, 5)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Rows{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}));
  r = Query(*s_, "SELECT \"value\" FROM pgw_generate_series(10, 1, -4)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Rows{{"10"}, {"6"}, {"2"}}));
  r = Query(*s_, "SELECT \"value\" FROM pgw_generate_series(5, 1)");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = Query(*s_, "SELECT \"value\" FROM pgw_generate_series(1, NULL)");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(One("SELECT count(*) FROM pgw_generate_series(1, 3, 0)"),
            "22023: step size cannot equal zero");
  // Bounded by int64: no overflow past the maximum.
  EXPECT_EQ(One("SELECT count(*) FROM pgw_generate_series(9223372036854775806, "
                "9223372036854775807)"),
            "2");
  EXPECT_EQ(One("SELECT sum(\"value\") FROM pgw_generate_series(1, 100)"), "5050");
  // Arguments from a correlated outer row.
  r = Query(*s_,
            "SELECT \"o\".\"value\", count(*) FROM pgw_generate_series(1, 3) AS \"o\", "
            "pgw_generate_series(1, \"o\".\"value\") AS \"i\" GROUP BY 1 ORDER BY 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (Rows{{"1", "1"}, {"2", "2"}, {"3", "3"}}));
}

}  // namespace
}  // namespace pgw
