// The SQLite dialect: names from backend/sqlite/sqlite_functions.h (the contract with the SQLite
// backend) and SQLite's spellings.
#include <algorithm>
#include <array>
#include <string>

#include "sql/sql_dialect.h"

namespace pgw::sql {

void SqlDialect::AppendIdentifier(std::string& out, std::string_view ident) const {
  out.push_back('"');
  for (char c : ident) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void SqlDialect::AppendString(std::string& out, std::string_view value) const {
  out.push_back('\'');
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
}

namespace {

constexpr Oid kNameArray = 1003;

using F = FunctionShape;
using R = ResultTypeRule;

// Sorted by pg_name (binary search).
constexpr std::array kSqliteFunctions = {
    FunctionMapping{"abs", "abs", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"array_position", "pgw_array_position", F::kRename, R::kFixed, oid::kInt4,
                    false},
    FunctionMapping{"avg", "avg", F::kRename, R::kAvg, 0, true},
    FunctionMapping{"btrim", "trim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"ceil", "ceil", F::kRename, R::kRound, 0, false},
    FunctionMapping{"ceiling", "ceil", F::kRename, R::kRound, 0, false},
    FunctionMapping{"char_length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"character_length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"clock_timestamp", "pgw_clock_timestamp", F::kNoArgs, R::kFixed,
                    oid::kTimestamptz, false},
    FunctionMapping{"coalesce", "coalesce", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"concat", "", F::kConcat, R::kFixed, oid::kText, false},
    FunctionMapping{"count", "count", F::kRename, R::kFixed, oid::kInt8, true},
    FunctionMapping{"cume_dist", "cume_dist", F::kRename, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"current_database", "pgw_current_database", F::kNoArgs, R::kFixed, oid::kName,
                    false},
    FunctionMapping{"current_schema", "pgw_current_schema", F::kNoArgs, R::kFixed, oid::kName,
                    false},
    FunctionMapping{"current_schemas", "pgw_current_schemas", F::kRename, R::kFixed, kNameArray,
                    false},
    FunctionMapping{"dense_rank", "dense_rank", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"first_value", "first_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"floor", "floor", F::kRename, R::kRound, 0, false},
    FunctionMapping{"lag", "lag", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"last_value", "last_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"lead", "lead", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"lower", "lower", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"ltrim", "ltrim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"max", "max", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"min", "min", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"now", "pgw_now", F::kNoArgs, R::kFixed, oid::kTimestamptz, false},
    FunctionMapping{"nth_value", "nth_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"ntile", "ntile", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"percent_rank", "percent_rank", F::kRename, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"pg_backend_pid", "pgw_pg_backend_pid", F::kNoArgs, R::kFixed, oid::kInt4,
                    false},
    FunctionMapping{"pg_sleep", "pgw_pg_sleep", F::kRename, R::kFixed, oid::kVoid, false},
    FunctionMapping{"position", "instr", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"random", "random", F::kRandom, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"rank", "rank", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"replace", "replace", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"round", "round", F::kRename, R::kRound, 0, false},
    FunctionMapping{"row_number", "row_number", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"rtrim", "rtrim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"statement_timestamp", "pgw_statement_timestamp", F::kNoArgs, R::kFixed,
                    oid::kTimestamptz, false},
    FunctionMapping{"string_agg", "group_concat", F::kRename, R::kFixed, oid::kText, true},
    FunctionMapping{"strpos", "instr", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"substr", "substr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"substring", "substr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"sum", "sum", F::kRename, R::kSum, 0, true},
    FunctionMapping{"transaction_timestamp", "pgw_now", F::kNoArgs, R::kFixed, oid::kTimestamptz,
                    false},
    FunctionMapping{"trim", "trim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"upper", "upper", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"version", "pgw_version", F::kNoArgs, R::kFixed, oid::kText, false},
};

constexpr bool IsSorted() {
  for (size_t i = 1; i < kSqliteFunctions.size(); ++i) {
    if (!(kSqliteFunctions[i - 1].pg_name < kSqliteFunctions[i].pg_name)) return false;
  }
  return true;
}
static_assert(IsSorted(), "kSqliteFunctions must be sorted by pg_name");

class SqliteDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "SQLite"; }
  void AppendPlaceholder(std::string& out, int number) const override {
    out.push_back('?');
    out.append(std::to_string(number));
  }
  std::string_view BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  const FunctionMapping* LookupFunction(std::string_view pg_name) const override {
    auto it = std::lower_bound(
        kSqliteFunctions.begin(), kSqliteFunctions.end(), pg_name,
        [](const FunctionMapping& m, std::string_view n) { return m.pg_name < n; });
    if (it == kSqliteFunctions.end() || it->pg_name != pg_name) return nullptr;
    return &*it;
  }
  std::string CatalogRelation(std::string_view pg_name) const override {
    std::string r = "pgw_";
    r.append(pg_name);
    return r;
  }
  std::string_view DivideFunction() const override { return "pgw_div"; }
  std::string_view ModuloFunction() const override { return "pgw_mod"; }
  std::string_view CastFunction() const override { return "pgw_cast"; }
  std::string_view BoolOutFunction() const override { return "pgw_bool_out"; }
  std::string_view NowFunction() const override { return "pgw_now()"; }
  std::string_view CurrentDateFunction() const override { return "pgw_current_date()"; }
  std::string_view CurrentUserFunction() const override { return "pgw_current_user()"; }
  std::string_view SessionUserFunction() const override { return "pgw_session_user()"; }
  std::string_view CurrentDatabaseFunction() const override { return "pgw_current_database()"; }
  std::string_view CurrentSchemaFunction() const override { return "pgw_current_schema()"; }
  std::string_view GenerateSeriesFunction() const override { return "pgw_generate_series"; }
  std::string_view GenerateSeriesColumn() const override { return "value"; }
  std::string_view NoLimit() const override { return "-1"; }
  // SQLite makes a column a rowid alias only when its declared type is exactly INTEGER, so a
  // bigserial/serial/smallserial (or identity) primary key is declared INTEGER and the catalog
  // then reports it as integer.
  std::string_view AutoIncrementPrimaryKey() const override {
    return "INTEGER PRIMARY KEY AUTOINCREMENT";
  }
  std::string_view IdentityCounterTable() const override { return "sqlite_sequence"; }
  std::string ResetIdentity(std::string_view table) const override {
    std::string r = "DELETE FROM sqlite_sequence WHERE name = ";
    AppendString(r, table);
    return r;
  }
};

}  // namespace

const SqlDialect* DialectFor(Dialect d) {
  static const SqliteDialect kSqlite;
  switch (d) {
    case Dialect::kSqlite:
      return &kSqlite;
    case Dialect::kIris:
    case Dialect::kPostgres:
      return nullptr;
  }
  return nullptr;
}

}  // namespace pgw::sql
