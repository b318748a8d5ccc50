// Date/time translation (date +/- integer, date - date, +/- interval constants, extract,
// date_part, date_trunc) and the GENERATED ALWAYS identity guard: the SQL emitted, and what it
// computes when run by a real SQLite (the sqlite3 shell, skipped when not installed) on the
// storage forms of types/value_codec.h. Expected values are PostgreSQL 15's output.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sql_test_util.h"

namespace pgw::testing {
namespace {

constexpr char kSqliteShell[] = "/usr/bin/sqlite3";

class EventSchema : public SchemaLookup {
 public:
  std::optional<ColumnTypeInfo> ColumnType(std::string_view table,
                                           std::string_view column) const override {
    if (table != "ev") return std::nullopt;
    for (const auto& [name, type] : kColumns) {
      if (name == column) return ColumnTypeInfo{type, -1};
    }
    return std::nullopt;
  }
  std::vector<std::string> TableColumns(std::string_view table) const override {
    std::vector<std::string> cols;
    if (table != "ev") return cols;
    for (const auto& [name, type] : kColumns) cols.emplace_back(name);
    return cols;
  }

 private:
  static constexpr std::pair<std::string_view, Oid> kColumns[] = {{"d", oid::kDate},
                                                                  {"d2", oid::kDate},
                                                                  {"ts", oid::kTimestamp},
                                                                  {"tz", oid::kTimestamptz},
                                                                  {"n", oid::kInt4}};
};

TranslatedStatement Translate1(std::string_view sql) {
  static const EventSchema schema;
  TranslateOptions opts;
  opts.schema = &schema;
  auto r = Translate(sql, opts);
  EXPECT_TRUE(r.ok()) << sql << " -> " << r.status().ToString();
  if (!r.ok() || r->size() != 1) return {};
  return std::move((*r)[0]);
}

Status TranslateError(std::string_view sql) {
  static const EventSchema schema;
  TranslateOptions opts;
  opts.schema = &schema;
  return Translate(sql, opts).status();
}

// Runs `script` in a fresh in-memory database with the sqlite3 shell; stdout and stderr.
std::string RunSqlite(const std::string& script) {
  char path[] = "/tmp/pgw_sql_test_XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  if (fd < 0) return {};
  close(fd);
  {
    std::ofstream f(path);
    f << script;
  }
  std::string cmd =
      std::string(kSqliteShell) + " -batch -list -separator '|' :memory: < " + path + " 2>&1";
  std::string result;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) result.append(buf, n);
    pclose(p);
  }
  unlink(path);
  return result;
}

bool HaveShell() { return access(kSqliteShell, X_OK) == 0; }

// The ev table with the rows the expected PostgreSQL output was computed from.
constexpr char kEvents[] =
    "CREATE TABLE \"ev\" (d, d2, ts, tz, n);\n"
    "INSERT INTO ev VALUES ('2024-01-31', '2024-01-01', '2024-01-31 23:59:59.25', "
    "'2024-03-31 10:00:00+00', 3), ('2023-03-01', '2024-01-01', '1969-12-31 23:58:20.5', "
    "'2024-02-29 00:00:00.123456+00', -2), (NULL, NULL, NULL, NULL, NULL);\n";

// Translates `pg_query` and returns the sqlite3 output of running it on kEvents.
std::string RunOnEvents(std::string_view pg_query) {
  TranslatedStatement st = Translate1(pg_query);
  return RunSqlite(std::string(kEvents) + st.sql + ";\n");
}

TEST(SqlDateTime, Translations) {
  EXPECT_EQ(Translate1("select d + 1, d - n from ev").sql,
            "SELECT date(\"d\", 1 || ' days') AS \"?column?\", date(\"d\", (-\"n\") || ' days') "
            "AS \"?column?\" FROM \"ev\"");
  EXPECT_EQ(Translate1("select d - d2 from ev").sql,
            "SELECT CAST(round(julianday(\"d\") - julianday(\"d2\")) AS INTEGER) AS \"?column?\" "
            "FROM \"ev\"");
  EXPECT_EQ(Translate1("select tz - interval '1 day' from ev").sql,
            "SELECT (date(substr(\"tz\", 1, 10), '-1 days') || substr(\"tz\", 11)) AS "
            "\"?column?\" FROM \"ev\"");
  EXPECT_EQ(Translate1("select now() - interval '2 hours'").sql,
            "SELECT (datetime(substr(pgw_now(), 1, 19), '-7200 seconds') || substr(pgw_now(), "
            "20)) AS \"?column?\"");
  EXPECT_EQ(Translate1("select extract(year from ts) from ev").sql,
            "SELECT CAST(substr(\"ts\", 1, 4) AS INTEGER) AS \"extract\" FROM \"ev\"");
  EXPECT_EQ(Translate1("select date_trunc('month', tz) from ev").sql,
            "SELECT (substr(\"tz\", 1, 7) || '-01 00:00:00' || '+00') AS \"date_trunc\" FROM "
            "\"ev\"");
}

TEST(SqlDateTime, ResultTypes) {
  TranslatedStatement st = Translate1(
      "select d + 1, 1 + d, d - d2, d + interval '1 day', ts - interval '1 day', "
      "tz + interval '1 mon', interval '1 day' + tz, extract(year from d), date_part('year', d), "
      "date_trunc('day', ts), date_trunc('day', tz), date_trunc('day', d), current_date + 7 "
      "from ev");
  const Oid want[] = {oid::kDate,      oid::kDate,        oid::kInt4,        oid::kTimestamp,
                      oid::kTimestamp, oid::kTimestamptz, oid::kTimestamptz, oid::kNumeric,
                      oid::kFloat8,    oid::kTimestamp,   oid::kTimestamptz, oid::kTimestamptz,
                      oid::kDate};
  ASSERT_EQ(st.result_hints.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(st.result_hints[i].type_oid, want[i]) << "#" << i;
  }
  // A parameter added to a date is an integer number of days.
  st = Translate1("select d + $1 from ev");
  ASSERT_EQ(st.param_types.size(), 1u);
  EXPECT_EQ(st.param_types[0], oid::kInt4);
}

TEST(SqlDateTime, StillUnsupported) {
  const char* cases[] = {
      "select ts - ts from ev",                      // interval result
      "select ts + interval '1.5 seconds' from ev",  // below SQLite's whole seconds
      "select ts + interval '1' day from ev",        // interval field qualifiers
      "select d + 1.5 from ev",                      // no date + numeric operator
      "select tz + n * interval '1 day' from ev",    // non-constant interval
      "select extract(week from d) from ev",         // ISO week
      "select extract(hour from current_time)",      // time
      "select date_trunc('decade', ts) from ev",     // decades
      "select date_trunc('day', ts, 'Europe/Paris') from ev",
  };
  for (const char* sql : cases) {
    Status st = TranslateError(sql);
    EXPECT_EQ(st.sqlstate(), "0A000") << sql << " -> " << st.ToString();
  }
  Status st = TranslateError("select extract(hour from d) from ev");
  EXPECT_EQ(st.sqlstate(), "0A000");
  EXPECT_EQ(st.message(), "unit \"hour\" not supported for type date");
  EXPECT_EQ(TranslateError("select ts + interval 'nonsense' from ev").sqlstate(), "22007");
}

TEST(SqlDateTime, ArithmeticRunsLikePostgres) {
  if (!HaveShell()) GTEST_SKIP() << "no sqlite3 shell";
  EXPECT_EQ(RunOnEvents("select d + 1, d - n, n + d, d - d2, d + interval '1 month', ts + "
                        "interval '1 month', tz - interval '1 month 1 day 1 hour', tz + interval "
                        "'1 day', ts - interval '90 minutes', d + interval '1 year 2 days "
                        "00:00:01', tz + interval '-1 days +02:00:00' from ev"),
            "2024-02-01|2024-01-28|2024-02-03|30|2024-02-29 00:00:00|2024-02-29 "
            "23:59:59.25|2024-02-28 09:00:00+00|2024-04-01 10:00:00+00|2024-01-31 "
            "22:29:59.25|2025-02-02 00:00:01|2024-03-30 12:00:00+00\n"
            "2023-03-02|2023-03-03|2023-02-27|-306|2023-04-01 00:00:00|1970-01-31 "
            "23:58:20.5|2024-01-27 23:00:00.123456+00|2024-03-01 00:00:00.123456+00|1969-12-31 "
            "22:28:20.5|2024-03-03 00:00:01|2024-02-28 02:00:00.123456+00\n"
            "||||||||||\n");
}

TEST(SqlDateTime, ExtractRunsLikePostgres) {
  if (!HaveShell()) GTEST_SKIP() << "no sqlite3 shell";
  EXPECT_EQ(
      RunOnEvents("select extract(year from d), extract(month from ts), extract(day from tz), "
                  "extract(hour from ts), extract(minute from tz), extract(second from ts), "
                  "extract(epoch from ts), extract(epoch from tz), extract(epoch from d), "
                  "extract(dow from d), extract(isodow from d), extract(doy from ts), "
                  "extract(quarter from tz), extract(milliseconds from ts), extract(microseconds "
                  "from tz), extract(century from d), extract(decade from d), extract(millennium "
                  "from d) from ev"),
      "2024|1|31|23|0|59.250000|1706745599.250000|1711879200.000000|1706659200|3|3|31|1|59250."
      "000|0|21|202|3\n"
      "2023|12|29|23|0|20.500000|-99.500000|1709164800.123456|1677628800|3|3|365|1|20500.000|"
      "123456|21|202|3\n"
      "|||||||||||||||||\n");
  // date_part is float8 (the shell prints REAL with a decimal point).
  EXPECT_EQ(RunOnEvents("select date_part('year', d), date_part('hour', d), date_part('epoch', "
                        "ts), date_part('second', ts) from ev"),
            "2024.0|0.0|1706745599.25|59.25\n2023.0|0.0|-99.5|20.5\n|||\n");
}

TEST(SqlDateTime, DateTruncRunsLikePostgres) {
  if (!HaveShell()) GTEST_SKIP() << "no sqlite3 shell";
  EXPECT_EQ(RunOnEvents("select date_trunc('second', ts), date_trunc('minute', tz), "
                        "date_trunc('hour', ts), date_trunc('day', tz), date_trunc('week', d), "
                        "date_trunc('month', ts), date_trunc('quarter', tz), date_trunc('year', "
                        "d) from ev"),
            "2024-01-31 23:59:59|2024-03-31 10:00:00+00|2024-01-31 23:00:00|2024-03-31 "
            "00:00:00+00|2024-01-29 00:00:00+00|2024-01-01 00:00:00|2024-01-01 "
            "00:00:00+00|2024-01-01 00:00:00+00\n"
            "1969-12-31 23:58:20|2024-02-29 00:00:00+00|1969-12-31 23:00:00|2024-02-29 "
            "00:00:00+00|2023-02-27 00:00:00+00|1969-12-01 00:00:00|2024-01-01 "
            "00:00:00+00|2023-01-01 00:00:00+00\n"
            "|||||||\n");
}

// The identity guard run by SQLite: omitted and DEFAULT keys are generated, explicit values
// (also -1, which reads like an omitted key before the insert) and updates are refused with
// the SQLSTATE-carrying message the backend decodes.
TEST(SqlDateTime, GeneratedAlwaysIdentityRunsLikePostgres) {
  if (!HaveShell()) GTEST_SKIP() << "no sqlite3 shell";
  TranslatedStatement ddl =
      Translate1("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)");
  ASSERT_EQ(ddl.kind, StatementKind::kDdl);
  std::string script = ddl.sql + ";\n";
  for (const char* dml :
       {"INSERT INTO t (v) VALUES ('a')", "INSERT INTO t (id, v) VALUES (DEFAULT, 'b')",
        "INSERT INTO t (id, v) VALUES (5, 'x')", "INSERT INTO t (id, v) VALUES (-1, 'y')",
        "INSERT INTO t (id, v) SELECT 7, 'z'", "UPDATE t SET id = 9 WHERE v = 'a'",
        "UPDATE t SET v = 'c' WHERE id = 2", "INSERT INTO t VALUES (8, 'w')"}) {
    TranslateOptions opts;
    auto r = Translate(dml, opts);
    ASSERT_TRUE(r.ok()) << dml << " -> " << r.status().ToString();
    script += (*r)[0].sql + ";\n";
  }
  script += "SELECT id, v FROM t ORDER BY id;\n";
  std::string out = RunSqlite(script);
  const std::string insert_error =
      "\x01"
      "428C9cannot insert a non-DEFAULT value into column \"id\"";
  const std::string update_error =
      "\x01"
      "428C9column \"id\" can only be updated to DEFAULT";
  size_t inserts = 0;
  for (size_t p = out.find(insert_error); p != std::string::npos;
       p = out.find(insert_error, p + 1)) {
    ++inserts;
  }
  EXPECT_EQ(inserts, 4u) << out;
  EXPECT_NE(out.find(update_error), std::string::npos) << out;
  EXPECT_NE(out.find("1|a\n2|c\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("|x"), std::string::npos) << out;
  EXPECT_EQ(out.find("|y"), std::string::npos) << out;
}

}  // namespace
}  // namespace pgw::testing
