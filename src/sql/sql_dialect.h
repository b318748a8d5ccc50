// SqlDialect: every decision the translator makes that depends on the target SQL engine goes
// through this interface (identifier quoting, literals, placeholders, built-in function names,
// casts, catalog relations, DDL spellings), so a new backend (IRIS) is a new subclass rather
// than edits scattered over the transformer. Implementations are stateless singletons:
// thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "iris_pgwire/backend.h"
#include "types/pg_types.h"

namespace pgw::sql {

// How a PostgreSQL function call is rendered.
enum class FunctionShape : uint8_t {
  kRename,  // name(args...) with the dialect's name
  kNoArgs,  // name() ignoring PostgreSQL's (empty) argument list
  kRandom,  // random(): float8 in [0, 1)
  kConcat,  // concat(a, b, ...): NULL-ignoring string concatenation
  // Aggregates whose result depends on the input order: name(value, elem_oid | separator,
  // [key, desc, nulls_first]...) with the ORDER BY keys passed as arguments.
  kArrayAgg,
  kStringAgg,
};

// Where a function's result type comes from.
enum class ResultTypeRule : uint8_t {
  kFixed,     // `type`
  kFirstArg,  // type of the first argument (abs, min, max)
  kSum,       // sum(): int2/int4 -> int8, int8/numeric -> numeric, float -> float8
  kAvg,       // avg(): float -> float8, else numeric
  kRound,     // round/ceil/floor: float -> float8, else numeric
};

struct FunctionMapping {
  std::string_view pg_name;      // PostgreSQL name (lower case, without pg_catalog.)
  std::string_view target_name;  // dialect name
  FunctionShape shape;
  ResultTypeRule rule;
  Oid type;  // for kFixed
  bool aggregate;
};

// Function tables are sorted by pg_name: binary search, nullptr when absent.
template <typename Table>
const FunctionMapping* FindFunction(const Table& table, std::string_view pg_name) {
  auto it = std::lower_bound(
      table.begin(), table.end(), pg_name,
      [](const FunctionMapping& m, std::string_view n) { return m.pg_name < n; });
  if (it == table.end() || it->pg_name != pg_name) return nullptr;
  return &*it;
}
template <typename Table>
constexpr bool SortedByName(const Table& table) {
  for (size_t i = 1; i < table.size(); ++i) {
    if (!(table[i - 1].pg_name < table[i].pg_name)) return false;
  }
  return true;
}
// Runtime functions behind catalog casts and operators (see SqlDialect::CatalogFunction).
enum class CatalogFn : uint8_t {
  kRegclassIn,   // text -> oid of a relation on the search path, 42P01 when unknown
  kRegclassOut,  // oid -> relation name
  kRegtypeIn,    // text -> type oid, 42704
  kRegtypeOut,
  kRegprocIn,  // text -> function oid, 42883
  kRegprocOut,
  kRegnamespaceIn,
  kRegnamespaceOut,
  kRegroleIn,
  kRegroleOut,
  kRegexMatch,     // (subject, pattern, flags): ~ and ~* ("i")
  kArrayContains,  // (array, value): value = ANY(array); NULL as PostgreSQL's ANY
  kUnnest,         // table function (array) with columns value, ordinality
  kArrayElement,   // (array, index): arr[index] (0-based for int2vector/oidvector)
  kRecordField,    // (record text, position): a field of a record in its text form
};

class SqlDialect {
 public:
  virtual ~SqlDialect() = default;

  // "SQLite": used in "... is not supported by the SQLite backend".
  virtual std::string_view name() const = 0;

  // True when the target speaks PostgreSQL's SQL itself: statements that run on the backend
  // are sent as the client wrote them, only classified (transform_passthrough.cc).
  virtual bool PassesThrough() const { return false; }

  // Appends `ident` as a double-quoted identifier.
  void AppendIdentifier(std::string& out, std::string_view ident) const;
  // Appends a string literal.
  void AppendString(std::string& out, std::string_view value) const;
  // Appends the placeholder of parameter `number` (1-based).
  virtual void AppendPlaceholder(std::string& out, int number) const = 0;
  virtual std::string_view BoolLiteral(bool value) const = 0;

  // nullptr when the function has no special mapping (it is then emitted as written).
  virtual const FunctionMapping* LookupFunction(std::string_view pg_name) const = 0;
  // Name of the relation that stands in for pg_catalog.<name>.
  virtual std::string CatalogRelation(std::string_view pg_name) const = 0;
  // Name of the relation that stands in for information_schema.<name>; empty when the dialect
  // has no catalog (the statement is then refused with 0A000).
  virtual std::string InformationSchemaRelation(std::string_view name) const {
    (void)name;
    return {};
  }
  // The runtime function implementing `f`; empty when the dialect has none (0A000).
  virtual std::string_view CatalogFunction(CatalogFn f) const {
    (void)f;
    return {};
  }
  // Functions behind operators and value functions.
  virtual std::string_view DivideFunction() const = 0;
  virtual std::string_view ModuloFunction() const = 0;
  virtual std::string_view CastFunction() const = 0;
  virtual std::string_view BoolOutFunction() const = 0;
  virtual std::string_view NowFunction() const = 0;
  virtual std::string_view CurrentDateFunction() const = 0;
  virtual std::string_view CurrentUserFunction() const = 0;
  virtual std::string_view SessionUserFunction() const = 0;
  virtual std::string_view CurrentDatabaseFunction() const = 0;
  virtual std::string_view CurrentSchemaFunction() const = 0;
  virtual std::string_view GenerateSeriesFunction() const = 0;
  virtual std::string_view GenerateSeriesColumn() const = 0;
  // LIMIT value meaning "no limit" (for OFFSET without LIMIT).
  virtual std::string_view NoLimit() const = 0;
  // Column spelling of an auto-numbered primary key (serial / identity).
  virtual std::string_view AutoIncrementPrimaryKey() const = 0;
  // Statement resetting the counter of an auto-numbered column of `table` (TRUNCATE ...
  // RESTART IDENTITY); empty if the dialect needs none.
  virtual std::string ResetIdentity(std::string_view table) const = 0;
  // The relation holding those counters; ResetIdentity applies only when it exists.
  virtual std::string_view IdentityCounterTable() const = 0;
  // Statements (joined by ";\n") making the auto-numbered primary key `column` of `table`
  // refuse explicit values like a GENERATED ALWAYS identity column (428C9); empty when the
  // dialect enforces it in the column definition.
  virtual std::string GeneratedAlwaysGuard(std::string_view table, std::string_view column,
                                           bool if_not_exists) const = 0;
  // Appended after the closing parenthesis of a CREATE TABLE whose primary key is not an
  // auto-numbered column. Empty by default.
  virtual std::string_view PrimaryKeyTableSuffix() const { return {}; }
  // Statements (joined by ";\n") that make the columns of a primary key added by ALTER TABLE
  // NOT NULL as PostgreSQL does: refuse the ALTER when a row has a NULL there (23502) and
  // refuse NULLs from then on. Empty when the dialect's key does that itself.
  virtual std::string AddedPrimaryKeyNotNull(std::string_view table,
                                             const std::vector<std::string>& columns) const {
    (void)table;
    (void)columns;
    return {};
  }

  // --- Decisions the SQLite dialect makes one way and IRIS another. The defaults are the
  // SQLite dialect's behaviour (sqlite_dialect.cc), so its output does not change.

  // Appends `expr` cast to (type, typmod); 0A000 when the target has no such cast. Default:
  // CastFunction()(expr, type, typmod).
  virtual Status AppendCast(std::string& out, std::string_view expr, Oid type,
                            int32_t typmod) const;
  // The column type in CREATE TABLE for a PostgreSQL type; default: PostgreSQL's spelling.
  virtual Result<std::string> ColumnType(Oid type, int32_t typmod,
                                         std::string_view pg_spelling) const;
  // An operator for `/` between integers (IRIS `\`); empty: DivideFunction() for every `/`.
  virtual std::string_view IntegerDivideOperator() const { return {}; }
  // pgvector's distance operators (`<=>`, `<#>`, `<->`) over rendered operands; false when
  // the dialect has none. `lhs`/`rhs` are already vectors (see AppendVectorValue).
  virtual bool AppendVectorDistance(std::string& out, std::string_view op, std::string_view lhs,
                                    std::string_view rhs) const;
  // A vector given as text ('[1,2,3]' or a parameter) as the target's vector value.
  virtual void AppendVectorValue(std::string& out, std::string_view text) const;
  // CREATE INDEX name ON table USING <method> (column opclass) WITH (options): sets `handled`
  // and appends the whole statement when the dialect has its own form for `method`.
  virtual Status AppendIndexMethod(std::string& out, std::string_view method, std::string_view name,
                                   std::string_view table, std::string_view column,
                                   std::string_view opclass,
                                   const std::vector<std::pair<std::string, std::string>>& options,
                                   bool& handled) const;
  // ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c for every other column is the target's
  // INSERT OR UPDATE (other ON CONFLICT forms are refused); false: ON CONFLICT as written.
  virtual bool UpsertAsInsertOrUpdate() const { return false; }
  virtual bool SupportsReturning() const { return true; }
};

// The dialect for `d`, or nullptr when the translator has none yet.
const SqlDialect* DialectFor(Dialect d);

// The dialects beside SQLite's (postgres_dialect.cc, iris_dialect.cc).
const SqlDialect& PostgresSqlDialect();
const SqlDialect& IrisSqlDialect();

}  // namespace pgw::sql
