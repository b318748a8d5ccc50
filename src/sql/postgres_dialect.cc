// The PostgreSQL dialect, for ODBC targets that are PostgreSQL (psqlODBC): statements that
// run on the backend pass through as the client wrote them (transform_passthrough.cc), so the
// members below only serve the few places the transformer still emits SQL itself.
#include "sql/sql_dialect.h"

namespace pgw::sql {
namespace {

class PostgresDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "PostgreSQL"; }
  bool PassesThrough() const override { return true; }
  void AppendPlaceholder(std::string& out, int number) const override {
    out.push_back('$');
    out.append(std::to_string(number));
  }
  std::string_view BoolLiteral(bool value) const override { return value ? "true" : "false"; }
  const FunctionMapping* LookupFunction(std::string_view) const override { return nullptr; }
  std::string CatalogRelation(std::string_view pg_name) const override {
    return "pg_catalog." + std::string(pg_name);
  }
  std::string_view DivideFunction() const override { return ""; }
  std::string_view ModuloFunction() const override { return ""; }
  std::string_view CastFunction() const override { return ""; }
  std::string_view BoolOutFunction() const override { return ""; }
  std::string_view NowFunction() const override { return "now()"; }
  std::string_view CurrentDateFunction() const override { return "current_date"; }
  std::string_view CurrentUserFunction() const override { return "current_user"; }
  std::string_view SessionUserFunction() const override { return "session_user"; }
  std::string_view CurrentDatabaseFunction() const override { return "current_database()"; }
  std::string_view CurrentSchemaFunction() const override { return "current_schema()"; }
  std::string_view GenerateSeriesFunction() const override { return "generate_series"; }
  std::string_view GenerateSeriesColumn() const override { return "generate_series"; }
  std::string_view NoLimit() const override { return "ALL"; }
  std::string_view AutoIncrementPrimaryKey() const override { return "serial PRIMARY KEY"; }
  std::string ResetIdentity(std::string_view) const override { return ""; }
  std::string_view IdentityCounterTable() const override { return ""; }
  std::string GeneratedAlwaysGuard(std::string_view, std::string_view, bool) const override {
    return "";
  }
};

}  // namespace

const SqlDialect& PostgresSqlDialect() {
  static const PostgresDialect kDialect;
  return kDialect;
}

}  // namespace pgw::sql
