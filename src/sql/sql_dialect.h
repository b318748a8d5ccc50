// SqlDialect: every decision the translator makes that depends on the target SQL engine goes
// through this interface (identifier quoting, literals, placeholders, built-in function names,
// casts, catalog relations, DDL spellings), so a new backend (IRIS) is a new subclass rather
// than edits scattered over the transformer. Implementations are stateless singletons:
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
  // Name of the relation that stands in for information_schema.<name>.
  virtual std::string InformationSchemaRelation(std::string_view name) const = 0;
  // The runtime function implementing `f`.
  virtual std::string_view CatalogFunction(CatalogFn f) const = 0;
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
};

// The dialect for `d`, or nullptr when the translator has none yet.
const SqlDialect* DialectFor(Dialect d);

}  // namespace pgw::sql
