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

Status SqlDialect::AppendCast(std::string& out, std::string_view expr, Oid type,
                              int32_t typmod) const {
  out.append(CastFunction());
  out.push_back('(');
  out.append(expr);
  out.append(", ");
  out.append(std::to_string(type));
  out.append(", ");
  out.append(std::to_string(typmod));
  out.push_back(')');
  return Status::OK();
}

Result<std::string> SqlDialect::ColumnType(Oid, int32_t, std::string_view pg_spelling) const {
  return std::string(pg_spelling);
}

bool SqlDialect::AppendVectorDistance(std::string&, std::string_view, std::string_view,
                                      std::string_view) const {
  return false;
}

void SqlDialect::AppendVectorValue(std::string& out, std::string_view text) const {
  out.append(text);
}

Status SqlDialect::AppendIndexMethod(std::string&, std::string_view, std::string_view,
                                     std::string_view, std::string_view, std::string_view,
                                     const std::vector<std::pair<std::string, std::string>>&,
                                     bool& handled) const {
  handled = false;
  return Status::OK();
}

namespace {

constexpr Oid kNameArray = 1003;
// First byte of an error message that carries a SQLSTATE (backend/sqlite/sqlite_errors.h).
constexpr char kSqlstateMarker = '\x01';
constexpr std::string_view kGeneratedAlwaysViolation = "428C9";

using F = FunctionShape;
using R = ResultTypeRule;

// Sorted by pg_name (binary search).
constexpr std::array kSqliteFunctions = {
    FunctionMapping{"abs", "abs", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"array_agg", "pgw_array_agg", F::kArrayAgg, R::kFixed, 0, true},
    FunctionMapping{"array_length", "pgw_array_length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"array_lower", "pgw_array_lower", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"array_position", "pgw_array_position", F::kRename, R::kFixed, oid::kInt4,
                    false},
    FunctionMapping{"array_to_string", "pgw_array_to_string", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"array_upper", "pgw_array_upper", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"ascii", "ascii", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"avg", "avg", F::kRename, R::kAvg, 0, true},
    FunctionMapping{"btrim", "trim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"cardinality", "pgw_cardinality", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"ceil", "ceil", F::kRename, R::kRound, 0, false},
    FunctionMapping{"ceiling", "ceil", F::kRename, R::kRound, 0, false},
    FunctionMapping{"char_length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"character_length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"chr", "chr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"clock_timestamp", "pgw_clock_timestamp", F::kNoArgs, R::kFixed,
                    oid::kTimestamptz, false},
    FunctionMapping{"coalesce", "coalesce", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"col_description", "pgw_col_description", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"concat", "", F::kConcat, R::kFixed, oid::kText, false},
    FunctionMapping{"concat_ws", "concat_ws", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"count", "count", F::kRename, R::kFixed, oid::kInt8, true},
    FunctionMapping{"cume_dist", "cume_dist", F::kRename, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"current_database", "pgw_current_database", F::kNoArgs, R::kFixed, oid::kName,
                    false},
    FunctionMapping{"current_schema", "pgw_current_schema", F::kNoArgs, R::kFixed, oid::kName,
                    false},
    FunctionMapping{"current_schemas", "pgw_current_schemas", F::kRename, R::kFixed, kNameArray,
                    false},
    FunctionMapping{"current_setting", "pgw_current_setting", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"dense_rank", "dense_rank", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"first_value", "first_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"floor", "floor", F::kRename, R::kRound, 0, false},
    FunctionMapping{"format_type", "pgw_format_type", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"gen_random_uuid", "gen_random_uuid", F::kRename, R::kFixed, oid::kUuid, false},
    FunctionMapping{"has_any_column_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"has_column_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_database_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_foreign_data_wrapper_privilege", "pgw_true", F::kRename, R::kFixed,
                    oid::kBool, false},
    FunctionMapping{"has_function_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_language_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_schema_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_sequence_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_server_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_table_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"has_tablespace_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"has_type_privilege", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"initcap", "initcap", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"json_build_object", "json_object", F::kRename, R::kFixed, oid::kJson, false},
    FunctionMapping{"lag", "lag", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"last_value", "last_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"lead", "lead", F::kRename, R::kFirstArg, 0, false},
    // LEFT and RIGHT are join keywords to SQLite: only quoted do they name a function.
    FunctionMapping{"left", "\"left\"", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"length", "length", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"lower", "lower", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"lpad", "lpad", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"ltrim", "ltrim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"max", "max", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"md5", "md5", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"min", "min", F::kRename, R::kFirstArg, 0, true},
    FunctionMapping{"now", "pgw_now", F::kNoArgs, R::kFixed, oid::kTimestamptz, false},
    FunctionMapping{"nth_value", "nth_value", F::kRename, R::kFirstArg, 0, false},
    FunctionMapping{"ntile", "ntile", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"obj_description", "pgw_obj_description", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"percent_rank", "percent_rank", F::kRename, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"pg_backend_pid", "pgw_pg_backend_pid", F::kNoArgs, R::kFixed, oid::kInt4,
                    false},
    FunctionMapping{"pg_collation_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_conversion_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_database_size", "pgw_zero", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"pg_encoding_to_char", "pgw_pg_encoding_to_char", F::kRename, R::kFixed,
                    oid::kName, false},
    FunctionMapping{"pg_function_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_get_constraintdef", "pgw_pg_get_constraintdef", F::kRename, R::kFixed,
                    oid::kText, false},
    FunctionMapping{"pg_get_expr", "pgw_pg_get_expr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_function_arguments", "pgw_null", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_get_function_identity_arguments", "pgw_null", F::kRename, R::kFixed,
                    oid::kText, false},
    FunctionMapping{"pg_get_function_result", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_function_sqlbody", "pgw_null", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_get_indexdef", "pgw_pg_get_indexdef", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_get_partition_constraintdef", "pgw_null", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_get_partkeydef", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_ruledef", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_serial_sequence", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_statisticsobjdef_columns", "pgw_null", F::kRename, R::kFixed,
                    oid::kText, false},
    FunctionMapping{"pg_get_triggerdef", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_get_userbyid", "pgw_pg_get_userbyid", F::kRename, R::kFixed, oid::kName,
                    false},
    FunctionMapping{"pg_get_viewdef", "pgw_pg_get_viewdef", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_has_role", "pgw_true", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"pg_indexes_size", "pgw_zero", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"pg_is_in_recovery", "pgw_false", F::kNoArgs, R::kFixed, oid::kBool, false},
    FunctionMapping{"pg_opclass_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_operator_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_opfamily_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    // Set-returning, but empty for every relation here (no partitions); as a scalar NULL it
    // is neutral in the `x IN (SELECT ...)` where psql uses it.
    FunctionMapping{"pg_partition_ancestors", "pgw_null", F::kRename, R::kFixed, oid::kRegclass,
                    false},
    FunctionMapping{"pg_postmaster_start_time", "pgw_pg_postmaster_start_time", F::kNoArgs,
                    R::kFixed, oid::kTimestamptz, false},
    FunctionMapping{"pg_relation_is_publishable", "pgw_false", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_relation_size", "pgw_zero", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"pg_size_pretty", "pgw_pg_size_pretty", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"pg_sleep", "pgw_pg_sleep", F::kRename, R::kFixed, oid::kVoid, false},
    FunctionMapping{"pg_statistics_obj_is_visible", "pgw_visible", F::kRename, R::kFixed,
                    oid::kBool, false},
    FunctionMapping{"pg_table_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"pg_table_size", "pgw_zero", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"pg_tablespace_location", "pgw_null", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"pg_total_relation_size", "pgw_zero", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"pg_ts_config_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_ts_dict_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_ts_parser_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_ts_template_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool,
                    false},
    FunctionMapping{"pg_type_is_visible", "pgw_visible", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"position", "instr", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"quote_ident", "pgw_quote_ident", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"random", "random", F::kRandom, R::kFixed, oid::kFloat8, false},
    FunctionMapping{"rank", "rank", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"repeat", "repeat", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"replace", "replace", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"reverse", "reverse", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"right", "\"right\"", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"round", "round", F::kRename, R::kRound, 0, false},
    FunctionMapping{"row_number", "row_number", F::kRename, R::kFixed, oid::kInt8, false},
    FunctionMapping{"rpad", "rpad", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"rtrim", "rtrim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"set_config", "pgw_set_config", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"shobj_description", "pgw_shobj_description", F::kRename, R::kFixed, oid::kText,
                    false},
    FunctionMapping{"split_part", "split_part", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"starts_with", "starts_with", F::kRename, R::kFixed, oid::kBool, false},
    FunctionMapping{"statement_timestamp", "pgw_statement_timestamp", F::kNoArgs, R::kFixed,
                    oid::kTimestamptz, false},
    FunctionMapping{"string_agg", "pgw_string_agg", F::kStringAgg, R::kFixed, oid::kText, true},
    FunctionMapping{"strpos", "instr", F::kRename, R::kFixed, oid::kInt4, false},
    FunctionMapping{"substr", "substr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"substring", "substr", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"sum", "sum", F::kRename, R::kSum, 0, true},
    FunctionMapping{"to_hex", "to_hex", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"to_regclass", "pgw_to_regclass", F::kRename, R::kFixed, oid::kRegclass, false},
    FunctionMapping{"transaction_timestamp", "pgw_now", F::kNoArgs, R::kFixed, oid::kTimestamptz,
                    false},
    FunctionMapping{"translate", "translate", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"trim", "trim", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"upper", "upper", F::kRename, R::kFixed, oid::kText, false},
    FunctionMapping{"version", "pgw_version", F::kNoArgs, R::kFixed, oid::kText, false},
};

static_assert(SortedByName(kSqliteFunctions), "kSqliteFunctions must be sorted by pg_name");

class SqliteDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "SQLite"; }
  void AppendPlaceholder(std::string& out, int number) const override {
    out.push_back('?');
    out.append(std::to_string(number));
  }
  std::string_view BoolLiteral(bool value) const override { return value ? "1" : "0"; }
  const FunctionMapping* LookupFunction(std::string_view pg_name) const override {
    return FindFunction(kSqliteFunctions, pg_name);
  }
  std::string CatalogRelation(std::string_view pg_name) const override {
    std::string r = "pgw_";
    r.append(pg_name);
    return r;
  }
  std::string InformationSchemaRelation(std::string_view name) const override {
    std::string r = "pgw_is_";
    r.append(name);
    return r;
  }
  std::string_view CatalogFunction(CatalogFn f) const override {
    switch (f) {
      case CatalogFn::kRegclassIn:
        return "pgw_regclass";
      case CatalogFn::kRegclassOut:
        return "pgw_regclass_out";
      case CatalogFn::kRegtypeIn:
        return "pgw_regtype";
      case CatalogFn::kRegtypeOut:
        return "pgw_regtype_out";
      case CatalogFn::kRegprocIn:
        return "pgw_regproc";
      case CatalogFn::kRegprocOut:
        return "pgw_regproc_out";
      case CatalogFn::kRegnamespaceIn:
        return "pgw_regnamespace";
      case CatalogFn::kRegnamespaceOut:
        return "pgw_regnamespace_out";
      case CatalogFn::kRegroleIn:
        return "pgw_regrole";
      case CatalogFn::kRegroleOut:
        return "pgw_regrole_out";
      case CatalogFn::kRegexMatch:
        return "pgw_regex";
      case CatalogFn::kArrayContains:
        return "pgw_array_contains";
      case CatalogFn::kUnnest:
        return "pgw_unnest";
      case CatalogFn::kArrayElement:
        return "pgw_array_element";
      case CatalogFn::kRecordField:
        return "pgw_record_field";
    }
    return "";
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
  // SQLite has no GENERATED ALWAYS for a rowid alias: triggers refuse explicit values. In a
  // BEFORE INSERT trigger an omitted (or NULL) INTEGER PRIMARY KEY reads as -1, so an explicit
  // -1 is caught after the insert instead (an assigned key is never -1). UPDATE OF the column
  // fires whenever the column is assigned, as PostgreSQL refuses any assignment but DEFAULT.
  std::string GeneratedAlwaysGuard(std::string_view table, std::string_view column,
                                   bool if_not_exists) const override {
    std::string insert_error(1, kSqlstateMarker);
    insert_error.append(kGeneratedAlwaysViolation);
    std::string update_error = insert_error;
    insert_error.append("cannot insert a non-DEFAULT value into column \"");
    insert_error.append(column);
    insert_error.push_back('"');
    update_error.append("column \"");
    update_error.append(column);
    update_error.append("\" can only be updated to DEFAULT");
    std::string base = "pgw_identity_";
    base.append(table);
    base.push_back('_');
    base.append(column);
    std::string r;
    auto trigger = [&](std::string_view suffix, std::string_view event, std::string_view when,
                       const std::string& error) {
      if (!r.empty()) r.append(";\n");
      r.append(if_not_exists ? "CREATE TRIGGER IF NOT EXISTS " : "CREATE TRIGGER ");
      AppendIdentifier(r, base + std::string(suffix));
      r.push_back(' ');
      r.append(event);
      r.append(" ON ");
      AppendIdentifier(r, table);
      if (!when.empty()) {
        r.append(" WHEN NEW.");
        AppendIdentifier(r, column);
        r.append(when);
      }
      r.append(" BEGIN SELECT RAISE(ABORT, ");
      AppendString(r, error);
      r.append("); END");
    };
    trigger("", "BEFORE INSERT", " <> -1", insert_error);
    trigger("_minus1", "AFTER INSERT", " = -1", insert_error);
    std::string update_event = "BEFORE UPDATE OF ";
    AppendIdentifier(update_event, column);
    trigger("_update", update_event, "", update_error);
    return r;
  }
  // WITHOUT ROWID: rows are kept in primary-key order (one B-tree search per key lookup instead
  // of index then table), and SQLite enforces NOT NULL on every key column only in such
  // tables (a rowid table would take NULL keys, and an INTEGER key there would turn NULL into a
  // fresh number).
  std::string_view PrimaryKeyTableSuffix() const override { return " WITHOUT ROWID"; }
  // A rowid table keeps taking NULL keys: a check now and a trigger per column from then on.
  std::string AddedPrimaryKeyNotNull(std::string_view table,
                                     const std::vector<std::string>& columns) const override {
    std::string r;
    for (const std::string& column : columns) {
      std::string quoted_column = "\"" + column + "\"";
      std::string quoted_table = "\"" + std::string(table) + "\"";
      if (!r.empty()) r.append(";\n");
      r.append("SELECT pgw_raise('23502', ");
      AppendString(r, "column " + quoted_column + " of relation " + quoted_table +
                          " contains null values");
      r.append(") FROM ");
      AppendIdentifier(r, table);
      r.append(" WHERE ");
      AppendIdentifier(r, column);
      r.append(" IS NULL LIMIT 1");
      std::string error(1, kSqlstateMarker);
      error.append("23502null value in column " + quoted_column + " of relation " +
                   quoted_table + " violates not-null constraint");
      for (std::string_view event : {"INSERT", "UPDATE"}) {
        r.append(";\nCREATE TRIGGER ");
        AppendIdentifier(r, "pgw_notnull_" + std::string(table) + "_" + column + "_" +
                                std::string(event == "INSERT" ? "insert" : "update"));
        r.append(" BEFORE ");
        r.append(event);
        if (event == "UPDATE") {
          r.append(" OF ");
          AppendIdentifier(r, column);
        }
        r.append(" ON ");
        AppendIdentifier(r, table);
        r.append(" WHEN NEW.");
        AppendIdentifier(r, column);
        r.append(" IS NULL BEGIN SELECT RAISE(ABORT, ");
        AppendString(r, error);
        r.append("); END");
      }
    }
    return r;
  }
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
      return &IrisSqlDialect();
    case Dialect::kPostgres:
      return &PostgresSqlDialect();
  }
  return nullptr;
}

}  // namespace pgw::sql
