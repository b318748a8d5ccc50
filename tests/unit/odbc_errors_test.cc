// ODBC diagnostics -> PostgreSQL SQLSTATEs, placeholders, and type mapping.
#include "backend/odbc/odbc_errors.h"

#include <gtest/gtest.h>

#include <vector>

#include "backend/odbc/odbc_placeholders.h"
#include "backend/odbc/odbc_types.h"

namespace pgw::odbc {
namespace {

Status Map(std::string state, int native, std::string message, Dialect d) {
  std::vector<DiagRecord> diags = {{std::move(state), native, std::move(message)}};
  return MapOdbcDiagnostics(diags, d, "execute");
}

TEST(OdbcErrors, PostgresStatesPassThroughWithCleanMessages) {
  Status st =
      Map("42P01", 7,
          "[unixODBC]ERROR: relation \"nope\" does not exist;\nError while executing the query",
          Dialect::kPostgres);
  EXPECT_EQ(st.sqlstate(), "42P01");
  EXPECT_EQ(st.message(), "relation \"nope\" does not exist");
  EXPECT_EQ(st.info().detail, "");  // the target chose the SQLSTATE: nothing to explain
}

TEST(OdbcErrors, IrisSqlcodes) {
  // ODBC reports IRIS SQLCODEs as positive native errors (RERR_sql).
  EXPECT_EQ(Map("23000", 119, "UNIQUE or PRIMARY KEY Constraint failed", Dialect::kIris).sqlstate(),
            "23505");
  EXPECT_EQ(Map("S0002", 30, "Table 'SQLUser.T' not found", Dialect::kIris).sqlstate(), "42P01");
  EXPECT_EQ(Map("S0022", 29, "Field 'X' not found", Dialect::kIris).sqlstate(), "42703");
  EXPECT_EQ(Map("23000", 108, "Required field missing", Dialect::kIris).sqlstate(), "23502");
  EXPECT_EQ(Map("23000", 121, "FOREIGN KEY constraint failed", Dialect::kIris).sqlstate(), "23503");
  Status st = Map("HY000", 114, "rows locked", Dialect::kIris);
  EXPECT_EQ(st.sqlstate(), "55P03");
  EXPECT_EQ(st.info().detail, "ODBC SQLSTATE HY000, native error 114");
}

TEST(OdbcErrors, SqliteMessages) {
  EXPECT_EQ(Map("HY000", 19, "UNIQUE constraint failed: t.id (19)", Dialect::kSqlite).sqlstate(),
            "23505");
  EXPECT_EQ(Map("HY000", 1, "no such table: t (1)", Dialect::kSqlite).sqlstate(), "42P01");
}

TEST(OdbcErrors, OdbcStateClasses) {
  EXPECT_EQ(Map("42S02", 0, "no table", Dialect::kIris).sqlstate(), "42P01");
  EXPECT_EQ(Map("42S22", 0, "no column", Dialect::kIris).sqlstate(), "42703");
  EXPECT_EQ(Map("HY008", 0, "Operation canceled", Dialect::kPostgres).sqlstate(), "57014");
  EXPECT_EQ(Map("22012", 0, "division by zero", Dialect::kIris).sqlstate(), "22012");
  EXPECT_EQ(Map("HYC00", 0, "Optional feature", Dialect::kIris).sqlstate(), "0A000");
  EXPECT_EQ(Map("HY000", 0, "something", Dialect::kIris).sqlstate(), "XX000");
}

TEST(OdbcErrors, LostConnectionIs08006) {
  std::vector<DiagRecord> diags = {{"08S01", 0, "Communication link failure"}};
  EXPECT_TRUE(IsConnectionLost(diags));
  EXPECT_EQ(MapOdbcDiagnostics(diags, Dialect::kIris, "fetch").sqlstate(), "08006");
  std::vector<DiagRecord> pg = {{"HY000", 0, "server closed the connection unexpectedly"}};
  EXPECT_TRUE(IsConnectionLost(pg));
  EXPECT_EQ(MapOdbcDiagnostics(pg, Dialect::kPostgres, "fetch").sqlstate(), "08006");
  std::vector<DiagRecord> ok = {{"42P01", 0, "relation does not exist"}};
  EXPECT_FALSE(IsConnectionLost(ok));
}

TEST(OdbcErrors, WarningsAreSkippedAndEmptyIsInternal) {
  std::vector<DiagRecord> diags = {{"01004", 0, "String data, right truncated"},
                                   {"22001", 0, "value too long"}};
  EXPECT_EQ(MapOdbcDiagnostics(diags, Dialect::kIris, "insert").sqlstate(), "22001");
  EXPECT_EQ(MapOdbcDiagnostics({}, Dialect::kIris, "insert").sqlstate(), "XX000");
}

TEST(OdbcPlaceholders, NumberedMarkersBecomeQuestionMarks) {
  auto r = ToOdbcMarkers("SELECT $2, $1 || '$1 ?' || \"$3\", $2 -- $4\n/* $5 /* $6 */ */", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sql, "SELECT ?, ? || '$1 ?' || \"$3\", ? -- $4\n/* $5 /* $6 */ */");
  EXPECT_EQ(r->markers, (std::vector<int>{2, 1, 2}));
}

TEST(OdbcPlaceholders, DollarQuotesAndEscapeStrings) {
  auto r = ToOdbcMarkers("SELECT $tag$ $1 ' $tag$, E'it\\'s $1', $1, a$1", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sql, "SELECT $tag$ $1 ' $tag$, E'it\\'s $1', ?, a$1");
  EXPECT_EQ(r->markers, (std::vector<int>{1}));
}

TEST(OdbcPlaceholders, SqliteStyleAndRefusals) {
  auto r = ToOdbcMarkers("SELECT ?1 + ?12, ?1", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sql, "SELECT ? + ?, ?");
  EXPECT_EQ(r->markers, (std::vector<int>{1, 12, 1}));
  auto q = ToOdbcMarkers("SELECT '{\"a\":1}'::jsonb ? 'a'", true);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().sqlstate(), "0A000");
  EXPECT_FALSE(ToOdbcMarkers("SELECT $0", true).ok());
}

TEST(OdbcTypes, ResultColumns) {
  ColumnType i = MapResultColumn(SQL_INTEGER, 10, 0, "", Dialect::kIris);
  EXPECT_EQ(i.oid, oid::kInt4);
  EXPECT_EQ(i.c_type, SQL_C_SBIGINT);
  ColumnType b = MapResultColumn(SQL_BIT, 1, 0, "BIT", Dialect::kIris);
  EXPECT_EQ(b.oid, oid::kBool);  // IRIS BIT is a boolean, not PostgreSQL's bit(1)
  ColumnType v = MapResultColumn(SQL_VARCHAR, 20, 0, "VARCHAR", Dialect::kIris);
  EXPECT_EQ(v.oid, oid::kVarchar);
  EXPECT_EQ(v.typmod, 24);
  EXPECT_EQ(v.max_bytes, 81u);
  ColumnType n = MapResultColumn(SQL_NUMERIC, 10, 2, "NUMERIC", Dialect::kIris);
  EXPECT_EQ(n.oid, oid::kNumeric);
  EXPECT_EQ(n.typmod, ((10 << 16) | 2) + 4);
  ColumnType vec = MapResultColumn(SQL_VARCHAR, 100, 0, "VECTOR", Dialect::kIris);
  EXPECT_EQ(vec.oid, oid::kVector);
  ColumnType lv = MapResultColumn(SQL_LONGVARCHAR, 8190, 0, "", Dialect::kIris);
  EXPECT_EQ(lv.oid, oid::kText);
  EXPECT_EQ(lv.max_bytes, 0u);  // read with SQLGetData
  // psqlODBC's type names give the exact PostgreSQL type.
  EXPECT_EQ(MapResultColumn(SQL_GUID, 37, 0, "uuid", Dialect::kPostgres).oid, oid::kUuid);
  EXPECT_EQ(MapResultColumn(SQL_TYPE_TIMESTAMP, 26, 6, "timestamptz", Dialect::kPostgres).oid,
            oid::kTimestamptz);
  EXPECT_EQ(MapResultColumn(SQL_NUMERIC, 28, 6, "numeric", Dialect::kPostgres).typmod, -1);
}

TEST(OdbcTypes, Parameters) {
  ParamType i = MapParam(oid::kInt4, Value::Int(5));
  EXPECT_EQ(i.c_type, SQL_C_SBIGINT);
  EXPECT_EQ(i.sql_type, SQL_INTEGER);
  EXPECT_EQ(MapParam(oid::kBool, Value::Int(1)).sql_type, SQL_BIT);
  EXPECT_EQ(MapParam(oid::kFloat8, Value::Float(1.5)).sql_type, SQL_DOUBLE);
  EXPECT_EQ(MapParam(oid::kDate, Value::Text("2024-01-02")).sql_type, SQL_TYPE_DATE);
  EXPECT_EQ(MapParam(oid::kTimestamp, Value::Text("2024-01-02 03:04:05")).sql_type,
            SQL_TYPE_TIMESTAMP);
  ParamType blob = MapParam(oid::kBytea, Value::Blob("ab"));
  EXPECT_EQ(blob.c_type, SQL_C_BINARY);
  EXPECT_EQ(blob.column_size, 2u);
  EXPECT_EQ(MapParam(oid::kText, Value::Text(std::string(5000, 'x'))).sql_type, SQL_LONGVARCHAR);
  EXPECT_EQ(MapParam(oid::kNumeric, Value::Text("1.25")).sql_type, SQL_VARCHAR);
}

}  // namespace
}  // namespace pgw::odbc
