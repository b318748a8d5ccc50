// The catalog relations: for each pg_catalog and information_schema relation the gateway
// serves, its columns (PostgreSQL names and types) and the generator that computes its rows from
// a schema model (include/iris_pgwire/catalog.h) and the session's state. Backend-neutral: the
// SQLite backend and the ODBC backend feed the same generators. Pure functions over their
// inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iris_pgwire/catalog.h"

namespace pgw::catalog {

struct Cell {
  enum class Kind : uint8_t { kNull, kInt, kFloat, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double f = 0;
  std::string s;
};

inline Cell CInt(int64_t v) { return {Cell::Kind::kInt, v, 0, {}}; }
inline Cell CBool(bool v) { return CInt(v ? 1 : 0); }
inline Cell CFloat(double v) { return {Cell::Kind::kFloat, 0, v, {}}; }
inline Cell CText(std::string_view v) { return {Cell::Kind::kText, 0, 0, std::string(v)}; }
inline Cell CNull() { return {}; }
inline Cell CChar(char c) { return CText(std::string(c == '\0' ? 0 : 1, c)); }

using Row = std::vector<Cell>;

struct Column {
  const char* name;
  const char* type;  // PostgreSQL type name, declared to the engine ("oid", "name", "text[]")
};

// What a generator reads.
struct ScanInput {
  const CatalogSchemaModel* model = nullptr;
  SessionCatalogContext* session = nullptr;  // may be null (no session state available)
  std::string database;
  std::string user;
  int32_t backend_pid = 0;
};

using Generator = void (*)(const ScanInput& in, std::vector<Row>& rows);

struct RelationDef {
  const char* schema;      // "pg_catalog" or "information_schema"
  const char* name;        // "pg_class"
  const char* table_name;  // the engine's name: "pgw_pg_class", "pgw_is_tables"
  int64_t oid;             // the relation's own oid in pg_class (PostgreSQL's where fixed)
  std::span<const Column> columns;
  Generator generate;
  bool session_state;  // rows depend on the session (settings, activity): never cached
};

// Every relation, pg_catalog first.
std::span<const RelationDef> Relations();
// By engine name ("pgw_pg_class") or by name within a schema; nullptr if unknown.
const RelationDef* FindRelation(std::string_view table_name);
const RelationDef* FindRelation(std::string_view schema, std::string_view name);

// The relation groups (one file each), concatenated by Relations().
std::span<const RelationDef> PgClassRelations();            // catalog_pg_class.cc
std::span<const RelationDef> PgMiscRelations();             // catalog_pg_misc.cc
std::span<const RelationDef> InformationSchemaRelations();  // catalog_information_schema.cc
std::span<const RelationDef> ProgressCopyRelations();       // catalog_progress_copy.cc

// Helpers shared by the generators.
std::string FormatTypeName(Oid type, int32_t typmod);  // format_type()
int64_t NamespaceOid(const CatalogSchemaModel& model, std::string_view schema);
const CatalogRelationModel* FindRelationByOid(const CatalogSchemaModel& model, int64_t oid);
// 1-based attribute number of `column` in `rel`, 0 if absent.
int ColumnNumber(const CatalogRelationModel& rel, std::string_view column);
// PostgreSQL's definition texts.
std::string IndexDefinition(const CatalogRelationModel& rel, const CatalogIndexModel& index);
std::string ConstraintDefinition(const CatalogConstraintModel& c);
std::string QuoteIdentifier(std::string_view name);  // quote_ident()
// A foreign key action code (pg_constraint.confupdtype) in words: "CASCADE", "NO ACTION", ...
const char* ForeignKeyAction(char code);
// pg_type.typcategory of a type.
char TypeCategoryCode(Oid type);

}  // namespace pgw::catalog
