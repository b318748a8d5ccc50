// The catalog contract between a backend, the session and the catalog engine.
//
// Tools discover a schema through pg_catalog and information_schema before they query it. The
// gateway answers those relations from a live catalog built in three parts:
//
//   (a) the schema model below (namespaces, relations, columns with PostgreSQL types, indexes,
//       constraints incl. foreign keys, views with their definitions, comments), produced by a
//       backend's CatalogSource;
//   (b) the catalog relations (pg_class, pg_attribute, ..., information_schema.columns) computed
//       from that model plus the session's state (src/catalog/catalog_relations*.cc);
//   (c) the engine that runs catalog SQL: SQLite virtual tables (src/catalog/catalog_engine.h)
//       with the catalog functions (format_type, pg_get_expr, ::regclass ...) registered on a
//       sqlite3 connection.
//
// How a backend plugs in:
//   * SQLite (backend/sqlite/sqlite_catalog_source.cc): the source reads sqlite_schema and the
//     table/index/foreign-key pragmas; the engine is registered on each session's own
//     connection, so catalog and user tables join freely in one statement.
//   * ODBC (backend/odbc): OdbcCatalogSource (odbc_session.cc) loads the model with
//     LoadOdbcSchemaModel (odbc_relation.cc: SQLTables, SQLColumns, SQLPrimaryKeys,
//     SQLStatistics, SQLForeignKeys; on PostgreSQL targets the server's catalog adds typmods,
//     identity, defaults, view text and CHECKs) through the session's connection, and keeps
//     oids stable for the life of the process in a shared OidMap ((kind, schema, name) -> oid,
//     assigned on first sight). Each session opens a private in-memory SQLite connection with
//     a CatalogEngine over that source (OpenCatalogEngineSession, handed to the ODBC backend by
//     the program as OdbcOptions::catalog_engine so the layers stay apart). The translator
//     (TranslateOptions::catalog_engine) translates a SELECT that reads catalog relations, or
//     only session functions (version(), current_setting(), pg_backend_pid(), ::regclass ...),
//     with the SQLite dialect and marks it on_catalog_engine; the session runs it there. One
//     that joins catalog relations with the target's tables is refused with 0A000. version()
//     is the backend's DDL counter combined with a 2 s clock, so DDL through the gateway shows
//     at once and DDL made behind its back within 2 s.
//
// Thread-safety: a CatalogSource serves one engine (one connection, one session) and is called
// only from the thread running that session's statement; what sources share (the ODBC oid map,
// a process-wide pgw_oids table) must be thread-safe. A SessionCatalogContext belongs to one
// session and is called only from the thread running that session's statement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "iris_pgwire/copy_progress.h"
#include "types/pg_types.h"

namespace pgw {

// PostgreSQL's fixed oids for the objects every database has.
namespace catalog_oid {
inline constexpr int64_t kPgCatalogNamespace = 11;
inline constexpr int64_t kPublicNamespace = 2200;
inline constexpr int64_t kInformationSchemaNamespace = 13000;  // any stable value
inline constexpr int64_t kBootstrapSuperuser = 10;
inline constexpr int64_t kDatabaseOwnerRole = 6171;  // pg_database_owner, owns public
inline constexpr int64_t kDatabase = 16384;
inline constexpr int64_t kHeapAm = 2;
inline constexpr int64_t kBtreeAm = 403;
inline constexpr int64_t kDefaultTablespace = 1663;
inline constexpr int64_t kGlobalTablespace = 1664;
inline constexpr int64_t kDefaultCollation = 100;
inline constexpr int64_t kCCollation = 950;
inline constexpr int64_t kPosixCollation = 951;
inline constexpr int64_t kPlpgsqlExtension = 13500;  // any stable value
// Objects of the model get oids from this value up (PostgreSQL's FirstNormalObjectId).
inline constexpr int64_t kFirstUserOid = 16384;
}  // namespace catalog_oid

struct CatalogColumnModel {
  std::string name;
  Oid type_oid = oid::kText;
  int32_t typmod = -1;
  bool not_null = false;
  std::string default_expr;  // PostgreSQL SQL as pg_get_expr prints it; empty = no default
  char identity = '\0';      // 'a' GENERATED ALWAYS, 'd' BY DEFAULT, '\0' none
  char generated = '\0';     // 's' STORED generated column, '\0' none
  std::string comment;
};

struct CatalogIndexModel {
  int64_t oid = 0;
  std::string name;
  std::vector<std::string> columns;  // key columns in order (names of the table's columns)
  bool unique = false;
  bool primary = false;
  std::string predicate;  // partial index WHERE clause (PostgreSQL SQL), empty = none
};

struct CatalogConstraintModel {
  enum class Kind : uint8_t { kPrimaryKey, kUnique, kForeignKey, kCheck };
  int64_t oid = 0;
  Kind kind = Kind::kCheck;
  std::string name;
  std::vector<std::string> columns;
  std::string index_name;  // kPrimaryKey / kUnique: the index that enforces it
  // kForeignKey.
  std::string ref_schema;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  char on_update = 'a';  // pg_constraint.confupdtype: a no action, r restrict, c cascade, n set
                         // null, d set default
  char on_delete = 'a';
  char match = 's';  // 's' simple, 'f' full
  bool deferrable = false;
  bool deferred = false;
  // kCheck: the expression as pg_get_constraintdef prints it inside CHECK (...).
  std::string check_expr;
};

struct CatalogRelationModel {
  enum class Kind : uint8_t { kTable, kView };
  int64_t oid = 0;
  int64_t type_oid = 0;  // the row type (pg_type row with typrelid = oid)
  std::string schema = "public";
  std::string name;
  Kind kind = Kind::kTable;
  std::vector<CatalogColumnModel> columns;
  std::vector<CatalogIndexModel> indexes;
  std::vector<CatalogConstraintModel> constraints;
  std::string view_definition;  // kView: the SELECT as pg_get_viewdef prints it
  bool has_triggers = false;
  std::string comment;
};

struct CatalogSchemaModel {
  std::vector<std::string> namespaces = {"public"};  // user schemas (pg_catalog etc. implied)
  std::vector<CatalogRelationModel> relations;
};

// What a backend knows about its schema (the SQLite backend's: SqliteCatalogSource).
class CatalogSource {
 public:
  virtual ~CatalogSource() = default;
  // A value that changes whenever the schema may have changed. The engine re-reads the model
  // when it differs from the last Load. Called on the session's thread, before each catalog scan.
  virtual int64_t version() = 0;
  // The whole schema with stable oids.
  [[nodiscard]] virtual Status Load(CatalogSchemaModel* model) = 0;
};

// One row of pg_settings (and SHOW ALL).
struct CatalogSetting {
  std::string name;
  std::string setting;
  std::string unit;
  std::string category;
  std::string short_desc;
  std::string context;  // "user", "superuser", "internal", ...
  std::string vartype;  // "bool", "integer", "string", "enum", "real"
  std::string source;   // "default", "session", "client", "override"
  std::string boot_val;
  std::string reset_val;
};

// One row of pg_stat_activity.
struct CatalogActivity {
  int32_t pid = 0;
  std::string database;
  std::string user;
  std::string application_name;
  std::string client_addr;  // empty for none
  int32_t client_port = -1;
  int64_t backend_start_us = 0;  // microseconds since the Unix epoch; 0 = NULL
  int64_t xact_start_us = 0;
  int64_t query_start_us = 0;
  int64_t state_change_us = 0;
  std::string state;  // "active", "idle", "idle in transaction", ...
  std::string query;
};

// The session state catalog SQL reads and writes: settings (pg_settings, current_setting,
// set_config; the session's settings object is the single source, read through this interface,
// never copied) and the server's sessions (pg_stat_activity).
class SessionCatalogContext {
 public:
  virtual ~SessionCatalogContext() = default;
  virtual std::vector<CatalogSetting> Settings() const = 0;
  // current_setting(name [, missing_ok]): 42704 when unknown and !missing_ok; `*found` false
  // when unknown and missing_ok (the SQL result is then NULL).
  [[nodiscard]] virtual Result<std::string> CurrentSetting(const std::string& name, bool missing_ok,
                                                           bool* found) const = 0;
  // set_config(name, value, is_local): the new value as SHOW prints it.
  [[nodiscard]] virtual Result<std::string> SetConfig(const std::string& name,
                                                      const std::string& value, bool is_local) = 0;
  virtual std::vector<CatalogActivity> Activity() const = 0;
  // The COPY commands running in the server (pg_stat_progress_copy).
  virtual std::vector<CopyProgressRow> CopyProgress() const { return {}; }
  // Microseconds since the Unix epoch at which the server started.
  virtual int64_t server_start_us() const = 0;
};

}  // namespace pgw
