// The InterSystems IRIS dialect: IRIS SQL spellings for what the transformer emits. Each
// choice cites the IRIS SQL reference page it follows (docs.intersystems.com, irislatest,
// DocBook.UI.Page.cls?KEY=...); the golden tests in tests/unit/sql_iris_test.cc cite the same.
#include <algorithm>
#include <array>
#include <string>

#include "sql/sql_dialect.h"

namespace pgw::sql {
namespace {

using F = FunctionShape;
using R = ResultTypeRule;

// Sorted by pg_name (binary search). IRIS names from the SQL function reference (RSQL_*):
// e.g. KEY=RSQL_length, RSQL_substring, RSQL_position, RSQL_lower, RSQL_replace, RSQL_lpad,
// RSQL_ceiling, RSQL_coalesce, RSQL_currenttimestamp.
constexpr std::array kIrisFunctions = {
    FunctionMapping{"abs", "ABS", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"avg", "AVG", F::kRename, R::kAvg, 0, true},
    FunctionMapping{"btrim", "TRIM", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"ceil", "CEILING", F::kRename, R::kRound, 0, false},
    FunctionMapping{"ceiling", "CEILING", F::kRename, R::kRound, 0, false},
    FunctionMapping{"char_length", "CHAR_LENGTH", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"character_length", "CHARACTER_LENGTH", F::kRename, R::kFixed, oid::kInt4,
                    false},
    FunctionMapping{"coalesce", "COALESCE", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"concat", "", F::kConcat, R::kFixed, oid::kText, false},
    FunctionMapping{"count", "COUNT", F::kRename, R::kFixed, oid::kInt8, true},
    FunctionMapping{"floor", "FLOOR", F::kRename, R::kRound, 0, false},
    FunctionMapping{"left", "\"LEFT\"", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"length", "LENGTH", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"lower", "LOWER", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"lpad", "LPAD", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"ltrim", "LTRIM", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"max", "MAX", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"min", "MIN", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"now", "CURRENT_TIMESTAMP", F::kNoArgs, R::kFixed, oid::kTimestamptz, false},
    FunctionMapping{"repeat", "REPEAT", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"replace", "REPLACE", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"reverse", "REVERSE", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"right", "\"RIGHT\"", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"round", "ROUND", F::kRename, R::kRound, 0, false},
    FunctionMapping{"rpad", "RPAD", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"rtrim", "RTRIM", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"strpos", "INSTR", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"substr", "SUBSTRING", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"substring", "SUBSTRING", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"sum", "SUM", F::kRename, R::kSum, 0, true},
    FunctionMapping{"trim", "TRIM", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"upper", "UPPER", F::kRename, R::kFixed, oid::kText, false},
};

constexpr bool IsSorted() {
  for (size_t i = 1; i < kIrisFunctions.size(); ++i) {
    if (!(kIrisFunctions[i - 1].pg_name < kIrisFunctions[i].pg_name)) return false;
  }
  return true;
}
static_assert(IsSorted(), "kIrisFunctions must be sorted by pg_name");

class IrisDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "InterSystems IRIS"; }
  // ODBC parameter markers are positional `?` (the ODBC backend renumbers ?n).
  void AppendPlaceholder(std::string& out, int number) const override {
    out.push_back('?');
    out.append(std::to_string(number));
  }
  // IRIS has no boolean literal: BIT columns hold 1 and 0 (KEY=RSQL_datatype, BIT).
  std::string_view BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  const FunctionMapping* LookupFunction(std::string_view pg_name) const override {
    auto it = std::lower_bound(
        kIrisFunctions.begin(), kIrisFunctions.end(), pg_name,
        [](const FunctionMapping& m, std::string_view n) { return m.pg_name < n; });
    if (it == kIrisFunctions.end() || it->pg_name != pg_name) return nullptr;
    return &*it;
  }
  std::string CatalogRelation(std::string_view pg_name) const override {
    return "pgw_" + std::string(pg_name);
  }
  std::string_view DivideFunction() const override { return ""; }
  std::string_view ModuloFunction() const override { return "MOD"; }
  std::string_view CastFunction() const override { return "CAST"; }
  std::string_view BoolOutFunction() const override { return ""; }
  std::string_view NowFunction() const override { return "CURRENT_TIMESTAMP"; }
  std::string_view CurrentDateFunction() const override { return "CURRENT_DATE"; }
  std::string_view CurrentUserFunction() const override { return "CURRENT_USER"; }
  std::string_view SessionUserFunction() const override { return "SESSION_USER"; }
  std::string_view CurrentDatabaseFunction() const override { return "$NAMESPACE"; }
  std::string_view CurrentSchemaFunction() const override { return "'public'"; }
  std::string_view GenerateSeriesFunction() const override { return ""; }
  std::string_view GenerateSeriesColumn() const override { return ""; }
  // LIMIT needs a count (KEY=RSQL_limit): OFFSET alone gets the largest one.
  std::string_view NoLimit() const override { return "9223372036854775807"; }
  // KEY=RSQL_createtable, "IDENTITY": a system-assigned unique integer column.
  std::string_view AutoIncrementPrimaryKey() const override {
    return "BIGINT IDENTITY PRIMARY KEY";
  }
  std::string ResetIdentity(std::string_view) const override { return ""; }
  std::string_view IdentityCounterTable() const override { return ""; }
  // An IDENTITY column refuses explicit values unless told otherwise (KEY=RSQL_createtable).
  std::string GeneratedAlwaysGuard(std::string_view, std::string_view, bool) const override {
    return "";
  }
};

}  // namespace

const SqlDialect& IrisSqlDialect() {
  static const IrisDialect kDialect;
  return kDialect;
}

}  // namespace pgw::sql
