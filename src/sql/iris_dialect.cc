// The InterSystems IRIS dialect: IRIS SQL spellings for what the transformer emits. Each
// choice cites the IRIS SQL reference page it follows (docs.intersystems.com, irislatest,
// DocBook.UI.Page.cls?KEY=...); the golden tests in tests/unit/sql_iris_test.cc cite the same.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "common/sqlstate.h"
#include "sql/sql_dialect.h"

namespace pgw::sql {
namespace {

using F = FunctionShape;
using R = ResultTypeRule;

// Sorted by pg_name (binary search). IRIS names from the SQL function reference (RSQL_*):
// e.g. KEY=RSQL_length, RSQL_substring, RSQL_instr, RSQL_lower, RSQL_replace, RSQL_lpad,
// RSQL_ceiling, RSQL_coalesce, RSQL_now.
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
    FunctionMapping{"now", "NOW", F::kNoArgs, R::kFixed, oid::kTimestamptz, false},
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

// IRIS strings hold up to 3,641,144 characters (KEY=RSQL_datatype, "Strings"): the length
// given to unbounded PostgreSQL text.
constexpr int kMaxIrisString = 3641144;

Status NoIrisType(Oid type) {
  return Status::Error(sqlstate::kFeatureNotSupported,
                       fmt::format("type {} is not supported by the InterSystems IRIS backend",
                                   FormatType(type, -1)));
}

// The IRIS DDL type for a PostgreSQL type (KEY=RSQL_datatype, DDL data types table;
// VECTOR: KEY=RSQL_datatype and GSQL_vecsearch).
Result<std::string> IrisType(Oid type, int32_t typmod) {
  switch (type) {
    case oid::kBool:
      return std::string("BIT");
    case oid::kInt2:
      return std::string("SMALLINT");
    case oid::kInt4:
      return std::string("INTEGER");
    case oid::kInt8:
    case oid::kOid:
      return std::string("BIGINT");
    case oid::kFloat4:
      return std::string("REAL");
    case oid::kFloat8:
      return std::string("DOUBLE");
    case oid::kNumeric:
      if (typmod >= 4) {
        int32_t v = typmod - 4;
        return fmt::format("NUMERIC({},{})", (v >> 16) & 0xffff, v & 0xffff);
      }
      return std::string("NUMERIC");
    case oid::kVarchar:
      return fmt::format("VARCHAR({})", typmod >= 4 ? typmod - 4 : kMaxIrisString);
    case oid::kBpchar:
      return fmt::format("CHAR({})", typmod >= 4 ? typmod - 4 : 1);
    case oid::kText:
    case oid::kName:
    case oid::kJson:
    case oid::kJsonb:
      return fmt::format("VARCHAR({})", kMaxIrisString);
    case oid::kUuid:
      return std::string("VARCHAR(36)");
    case oid::kBytea:
      return fmt::format("VARBINARY({})", kMaxIrisString);
    case oid::kDate:
      return std::string("DATE");
    case oid::kTime:
      return std::string("TIME");
    case oid::kTimestamp:
    case oid::kTimestamptz:  // stored as UTC, as the gateway sends it
      return std::string("TIMESTAMP");
    case oid::kVector:
      // vector(n): typmod is the dimension.
      if (typmod > 0) return fmt::format("VECTOR(DOUBLE, {})", typmod);
      return std::string("VECTOR(DOUBLE)");
    default:
      return NoIrisType(type);
  }
}

static_assert(SortedByName(kIrisFunctions), "kIrisFunctions must be sorted by pg_name");

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
    return FindFunction(kIrisFunctions, pg_name);
  }
  // No pg_catalog relations on IRIS yet (the catalog over ODBC comes with the catalog source).
  std::string CatalogRelation(std::string_view) const override { return ""; }
  std::string_view DivideFunction() const override { return ""; }
  std::string_view ModuloFunction() const override { return "MOD"; }
  std::string_view CastFunction() const override { return "CAST"; }
  std::string_view BoolOutFunction() const override { return ""; }
  std::string_view NowFunction() const override { return "CURRENT_TIMESTAMP"; }
  std::string_view CurrentDateFunction() const override { return "CURRENT_DATE"; }
  std::string_view CurrentUserFunction() const override { return "CURRENT_USER"; }
  std::string_view SessionUserFunction() const override { return "SESSION_USER"; }
  std::string_view CurrentDatabaseFunction() const override { return "current_database()"; }
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

  // CAST(x AS type) (KEY=RSQL_cast); a vector from text is TO_VECTOR(x, DOUBLE)
  // (KEY=RSQL_tovector).
  Status AppendCast(std::string& out, std::string_view expr, Oid type,
                    int32_t typmod) const override {
    if (type == oid::kVector) {
      AppendVectorValue(out, expr);
      return Status::OK();
    }
    PGW_TRY(std::string t, IrisType(type, typmod));
    out.append("CAST(");
    out.append(expr);
    out.append(" AS ");
    out.append(t);
    out.push_back(')');
    return Status::OK();
  }
  Result<std::string> ColumnType(Oid type, int32_t typmod, std::string_view) const override {
    return IrisType(type, typmod);
  }
  // `\` is IRIS's integer division (KEY=GSQL_langelements, "Arithmetic Operators"): PostgreSQL
  // divides integers by integers without a remainder, IRIS's `/` would not.
  std::string_view IntegerDivideOperator() const override { return "\\"; }
  // pgvector distances from IRIS's similarity functions (KEY=RSQL_vectorcosine,
  // RSQL_vectordotproduct): <=> cosine distance = 1 - cosine similarity; <#> negative inner
  // product; <-> Euclidean distance = sqrt(a.a - 2 a.b + b.b) (IRIS has no L2 function).
  // IRIS evaluates arithmetic strictly left to right (KEY=GSQL_langelements): every
  // operation is parenthesized.
  bool AppendVectorDistance(std::string& out, std::string_view op, std::string_view l,
                            std::string_view r) const override {
    if (op == "<=>") {
      out.append(fmt::format("(1 - VECTOR_COSINE({}, {}))", l, r));
    } else if (op == "<#>") {
      out.append(fmt::format("(0 - VECTOR_DOT_PRODUCT({}, {}))", l, r));
    } else if (op == "<->") {
      out.append(
          fmt::format("SQRT((VECTOR_DOT_PRODUCT({0}, {0}) - (2 * VECTOR_DOT_PRODUCT({0}, {1}))) + "
                      "VECTOR_DOT_PRODUCT({1}, {1}))",
                      l, r));
    } else {
      return false;
    }
    return true;
  }
  void AppendVectorValue(std::string& out, std::string_view text) const override {
    out.append("TO_VECTOR(");
    out.append(text);
    out.append(", DOUBLE)");
  }
  // USING hnsw -> AS HNSW(Distance=..., M=..., efConstruction=...) (KEY=GSQL_vecsearch,
  // "Defining an HNSW index"). IRIS's HNSW index knows cosine and dot-product distance only.
  Status AppendIndexMethod(std::string& out, std::string_view method, std::string_view name,
                           std::string_view table, std::string_view column,
                           std::string_view opclass,
                           const std::vector<std::pair<std::string, std::string>>& options,
                           bool& handled) const override {
    handled = true;
    if (method != "hnsw") {
      return Status::Error(sqlstate::kFeatureNotSupported,
                           fmt::format("index method \"{}\" is not supported by the "
                                       "InterSystems IRIS backend",
                                       method));
    }
    std::string distance;
    if (opclass == "vector_cosine_ops") {
      distance = "Cosine";
    } else if (opclass == "vector_ip_ops") {
      distance = "DotProduct";
    } else {
      return Status::Error(sqlstate::kFeatureNotSupported,
                           fmt::format("HNSW index with operator class {} is not supported by "
                                       "the InterSystems IRIS backend",
                                       opclass.empty() ? "vector_l2_ops" : opclass))
          .WithHint(
              "IRIS's HNSW index supports cosine and dot-product distance only: use "
              "vector_cosine_ops (queries with <=>) or vector_ip_ops (queries with <#>).");
    }
    std::string params = fmt::format("Distance='{}'", distance);
    for (const auto& [key, value] : options) {
      if (key == "m") {
        params += ", M=" + value;
      } else if (key == "ef_construction") {
        params += ", efConstruction=" + value;
      } else {
        return Status::Error(sqlstate::kFeatureNotSupported,
                             fmt::format("HNSW index option {} is not supported by the "
                                         "InterSystems IRIS backend",
                                         key));
      }
    }
    out.append(fmt::format("CREATE INDEX {} ON {} ({}) AS HNSW({})", name, table, column, params));
    return Status::OK();
  }
  // INSERT OR UPDATE (KEY=RSQL_insertorupdate) updates the row whose unique key matches.
  bool UpsertAsInsertOrUpdate() const override { return true; }
  // IRIS's INSERT/UPDATE/DELETE have no RETURNING clause (KEY=RSQL_insert).
  bool SupportsReturning() const override { return false; }
};

}  // namespace

const SqlDialect& IrisSqlDialect() {
  static const IrisDialect kDialect;
  return kDialect;
}

}  // namespace pgw::sql
