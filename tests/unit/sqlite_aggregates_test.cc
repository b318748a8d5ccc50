// pgw_array_agg and pgw_string_agg (sqlite_aggregates.h). Expected values were taken from
// PostgreSQL 15 running the equivalent array_agg / string_agg queries (C.UTF-8 database).
#include "backend/sqlite/sqlite_aggregates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sqlite_test_util.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

class SqliteAggregatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
  }
  std::string One(const std::string& sql, std::vector<Value> params = {}) {
    return testing::One(*s_, sql, std::move(params));
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteAggregatesTest, ArrayAggQuotesLikeArrayOut) {
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('a'),(''),('a b'),('NULL'),('null'),('x\"y'),('b\\c'),"
                "('{'),(NULL),('é'),('tab' || char(9) || 'here'),('nul'),('a,b')) "
                "SELECT pgw_array_agg(x, 25) FROM t"),
            "{a,\"\",\"a b\",\"NULL\",\"null\",\"x\\\"y\",\"b\\\\c\",\"{\",NULL,é,"
            "\"tab\there\",nul,\"a,b\"}");
  EXPECT_EQ(One("WITH t(x) AS (VALUES (' a'),('a '),('a' || char(10) || 'b')) "
                "SELECT pgw_array_agg(x, 25) FROM t"),
            "{\" a\",\"a \",\"a\nb\"}");
}

TEST_F(SqliteAggregatesTest, ArrayAggOrderAndNulls) {
  const std::string t = "WITH t(x) AS (VALUES (3),(1),(NULL),(2)) ";
  EXPECT_EQ(One(t + "SELECT pgw_array_agg(x, 23) FROM t"), "{3,1,NULL,2}");
  EXPECT_EQ(One(t + "SELECT pgw_array_agg(x, 23, x, 0, 0) FROM t"), "{1,2,3,NULL}");
  EXPECT_EQ(One(t + "SELECT pgw_array_agg(x, 23, x, 1, 1) FROM t"), "{NULL,3,2,1}");
  EXPECT_EQ(One(t + "SELECT pgw_array_agg(x, 23, x, 0, 1) FROM t"), "{NULL,1,2,3}");
  EXPECT_EQ(One("SELECT pgw_array_agg(x, 23) FROM (SELECT 1 AS x) WHERE 0"), "NULL");
}

TEST_F(SqliteAggregatesTest, ArrayAggElementTypes) {
  // float8: NaN arrives as the text 'NaN' (SQLite cannot store a NaN REAL).
  EXPECT_EQ(One("WITH t(x) AS (VALUES (1.5),(0.1),('NaN'),(9e999)) "
                "SELECT pgw_array_agg(x, 701) FROM t"),
            "{1.5,0.1,NaN,Infinity}");
  EXPECT_EQ(One("WITH t(x) AS (VALUES (0.1),(1e10)) SELECT pgw_array_agg(x, 700) FROM t"),
            "{0.1,1e+10}");
  EXPECT_EQ(One("WITH t(x) AS (VALUES (1),(0),(NULL)) SELECT pgw_array_agg(x, 16) FROM t"),
            "{t,f,NULL}");
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('2024-01-01'),(NULL)) SELECT pgw_array_agg(x, 1082) FROM t"),
            "{2024-01-01,NULL}");
  EXPECT_EQ(One("SELECT pgw_array_agg('1 day', 1186)"), "{\"1 day\"}");
  EXPECT_EQ(One("SELECT pgw_array_agg('{\"a\": 1}', 114)"), "{\"{\\\"a\\\": 1}\"}");
  EXPECT_EQ(One("SELECT pgw_array_agg(x'0102', 17)"), "{\"\\\\x0102\"}");
  EXPECT_EQ(One("SELECT pgw_array_agg('2024-05-06 07:08:09+00', 1184)"),
            "{\"2024-05-06 07:08:09+00\"}");
}

TEST_F(SqliteAggregatesTest, SortsTextByBytesAndNumbersNumerically) {
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('b'),('B'),('a'),('é'),('e')) "
                "SELECT pgw_array_agg(x, 25, x, 0, 0) FROM t"),
            "{B,a,b,e,é}");
  EXPECT_EQ(One("WITH t(x, k) AS (VALUES (2, 2.0),(1, 1.5),(3, 3),(10, 10)) "
                "SELECT pgw_array_agg(x, 23, k, 0, 0) FROM t"),
            "{1,2,3,10}");
  // Stable: equal keys keep arrival order.
  EXPECT_EQ(One("WITH t(x, k) AS (VALUES ('p',1),('q',0),('r',1),('s',0)) "
                "SELECT pgw_array_agg(x, 25, k, 0, 0) FROM t"),
            "{q,s,p,r}");
  EXPECT_EQ(One("WITH t(x, y) AS (VALUES ('a',2),('b',1),('c',2),('d',NULL)) "
                "SELECT pgw_array_agg(x, 25, y, 1, 0, x, 0, 0) FROM t"),
            "{a,c,b,d}");
}

TEST_F(SqliteAggregatesTest, StringAgg) {
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('a'),(NULL),('b')) SELECT pgw_string_agg(x, ',') FROM t"),
            "a,b");
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('a'),(NULL),('b'),('B')) "
                "SELECT pgw_string_agg(x, ',', x, 1, 1) FROM t"),
            "b,a,B");
  EXPECT_EQ(One("WITH t(x) AS (VALUES (NULL)) SELECT pgw_string_agg(x, ',') FROM t"), "NULL");
  EXPECT_EQ(One("WITH t(x) AS (VALUES ('a'),('b')) SELECT pgw_string_agg(x, NULL) FROM t"), "ab");
  EXPECT_EQ(One("WITH t(x, y) AS (VALUES ('a',2),('b',1),('c',2),('d',NULL)) "
                "SELECT pgw_string_agg(x, '-', y, 0, 0, x, 1, 0) FROM t"),
            "b-c-a-d");
  // Each value after the first is preceded by its own row's separator.
  const std::string t = "WITH t(x, y) AS (VALUES ('a',','),('b','-'),('c',NULL),('d',';')) ";
  EXPECT_EQ(One(t + "SELECT pgw_string_agg(x, y) FROM t"), "a-bc;d");
  EXPECT_EQ(One(t + "SELECT pgw_string_agg(x, y, x, 1, 1) FROM t"), "dc-b,a");
  EXPECT_EQ(One("SELECT hex(pgw_string_agg(x'0102', x'ff'))"), "0102");
}

TEST_F(SqliteAggregatesTest, WindowFrames) {
  auto rows = testing::Query(*s_,
                             "WITH t(x) AS (VALUES (1),(2),(3)) SELECT pgw_array_agg(x, 23) OVER "
                             "(ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (testing::Rows{{"{1}"}, {"{1,2}"}, {"{2,3}"}}));
  rows = testing::Query(*s_,
                        "WITH t(id, x) AS (VALUES (1,'a'),(2,NULL),(3,'b'),(4,'c')) "
                        "SELECT pgw_string_agg(x, ',') OVER "
                        "(ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (testing::Rows{{"a"}, {"a"}, {"b"}, {"b,c"}}));
}

TEST_F(SqliteAggregatesTest, BadArgumentCountIsAnError) {
  EXPECT_EQ(One("SELECT pgw_array_agg(1, 23, 1)").substr(0, 5), "XX000");
}

// An error raised after some rows were collected aborts the statement and frees the state.
TEST_F(SqliteAggregatesTest, ErrorMidAggregateFailsTheStatement) {
  EXPECT_EQ(One("WITH t(x) AS (VALUES (1),(0),(2)) SELECT pgw_array_agg(pgw_div(1, x), 23) FROM t"),
            "22012: division by zero");
  EXPECT_EQ(One("WITH t(x) AS (VALUES (1),(2)) SELECT pgw_array_agg(x, 23, x, 0, 0) FROM t"),
            "{1,2}");
}

TEST(SqliteArrayElementTest, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendArrayElementText("plain", &out);
  AppendArrayElementText("NuLl", &out);
  AppendArrayElementText("a}b", &out);
  AppendArrayElementText("\v", &out);
  EXPECT_EQ(out, "plain\"NuLl\"\"a}b\"\"\v\"");
}

// Bind stores a NaN double as the text 'NaN'; reading it back must give NaN for float columns.
TEST_F(SqliteAggregatesTest, NaNRoundTripsThroughFloatColumns) {
  ASSERT_TRUE(testing::Exec(*s_, "CREATE TABLE f (a REAL, b REAL)").ok());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ASSERT_TRUE(testing::Exec(*s_, "INSERT INTO f VALUES (?1, ?2)", StatementKind::kInsert,
                            {Value::Float(nan), Value::Float(nan)})
                  .ok());
  auto rows = testing::Query(*s_, "SELECT a, typeof(a) FROM f");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (testing::Rows{{"NaN", "text"}}));
  for (Oid type : {oid::kFloat8, oid::kFloat4}) {
    std::string text;
    ASSERT_TRUE(EncodeValue(type, -1, Value::Text("NaN"), WireFormat::kText, &text).ok());
    EXPECT_EQ(text, "NaN");
    std::string binary;
    ASSERT_TRUE(EncodeValue(type, -1, Value::Text("NaN"), WireFormat::kBinary, &binary).ok());
    EXPECT_EQ(binary.size(), type == oid::kFloat8 ? 8u : 4u);
  }
  EXPECT_EQ(One("SELECT pgw_array_agg(a, 701) FROM f"), "{NaN}");
}

}  // namespace
}  // namespace pgw
