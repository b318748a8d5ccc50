// The backend interface: what the session layer needs from a store (embedded SQLite, ODBC).
// A Backend is shared by all sessions and is thread-safe. A BackendSession belongs to exactly
// one client session and owns that client's transaction; its methods are blocking and are
// called from one backend worker thread at a time (never concurrently), except Cancel(), which
// any thread may call at any time. Backends see storage-form Values and PostgreSQL OIDs; they
// never see wire bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "types/pg_types.h"
#include "types/value.h"

namespace pgw {

struct TranslatedStatement;  // sql/translator.h

// One result column as RowDescription describes it.
struct ColumnDesc {
  std::string name;
  Oid type_oid = oid::kText;
  int32_t typmod = -1;
  int16_t typlen = -1;
  Oid table_oid = 0;
  int16_t column_number = 0;
};

// Receives rows from a Cursor. Called on the backend worker thread.
class RowSink {
 public:
  virtual ~RowSink() = default;
  // One row; the Values are valid only during the call. Return false to stop fetching after
  // this row (buffer full): the cursor stays open and a later Fetch continues.
  virtual bool OnRow(std::span<const Value> row) = 0;
};

struct FetchResult {
  uint64_t rows = 0;    // rows delivered by this Fetch
  bool done = false;    // cursor exhausted (or statement returned no rows)
};

// An open execution of a prepared statement with bound parameters (a portal's engine).
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Delivers up to `max_rows` rows (0 = no limit) to `sink`, stopping early when the sink
  // returns false. Errors carry SQLSTATEs (57014 when cancelled).
  [[nodiscard]] virtual Result<FetchResult> Fetch(uint64_t max_rows, RowSink& sink) = 0;
  // Rows changed by INSERT/UPDATE/DELETE once done (for the command tag).
  virtual uint64_t rows_affected() const = 0;
};

// A prepared statement in the backend's dialect.
class BackendStatement {
 public:
  virtual ~BackendStatement() = default;
  // Result columns (empty for statements that return no rows).
  virtual const std::vector<ColumnDesc>& columns() const = 0;
  // Parameter types as far as the backend can tell (0 = unknown); size = parameter count.
  virtual const std::vector<Oid>& param_types() const = 0;
};

class BackendSession {
 public:
  virtual ~BackendSession() = default;

  // Prepares `stmt.sql` (already in this backend's dialect).
  [[nodiscard]] virtual Result<std::unique_ptr<BackendStatement>> Prepare(
      const TranslatedStatement& stmt) = 0;
  // Binds `params` (storage form, one per parameter) and starts execution. The cursor borrows
  // the statement and the parameters' bytes: REQUIRES both outlive the cursor.
  [[nodiscard]] virtual Result<std::unique_ptr<Cursor>> Open(BackendStatement& stmt,
                                                             std::span<const Value> params) = 0;

  // Transaction control. Begin starts an explicit transaction; savepoint names are already
  // validated identifiers.
  [[nodiscard]] virtual Status Begin() = 0;
  [[nodiscard]] virtual Status Commit() = 0;
  [[nodiscard]] virtual Status Rollback() = 0;
  [[nodiscard]] virtual Status Savepoint(std::string_view name) = 0;
  [[nodiscard]] virtual Status ReleaseSavepoint(std::string_view name) = 0;
  [[nodiscard]] virtual Status RollbackToSavepoint(std::string_view name) = 0;

  // Thread-safe: interrupts the statement running now, if any; it fails with 57014.
  virtual void Cancel() = 0;
};

// Column type information the translator uses for parameter type inference.
struct ColumnTypeInfo {
  Oid type_oid = oid::kText;
  int32_t typmod = -1;
};

// Read-only schema questions asked during translation. Thread-safe.
class SchemaLookup {
 public:
  virtual ~SchemaLookup() = default;
  // The type of `table.column` (unqualified names, case as stored), or nullopt if unknown.
  virtual std::optional<ColumnTypeInfo> ColumnType(std::string_view table,
                                                   std::string_view column) const = 0;
  // Column names of `table` in order, empty if the table is unknown.
  virtual std::vector<std::string> TableColumns(std::string_view table) const = 0;
};

class SessionCatalogContext;  // iris_pgwire/catalog.h

struct SessionParams {
  std::string user;
  std::string database;
  std::string application_name;
  int32_t backend_pid = 0;  // as sent in BackendKeyData
  // The session's settings and the server's sessions, as catalog SQL (pg_settings,
  // current_setting(), set_config(), pg_stat_activity) reads them; null when there is no
  // session (tests, tools). Must outlive the BackendSession.
  SessionCatalogContext* catalog = nullptr;
};

enum class Dialect : uint8_t { kSqlite, kIris, kPostgres };

class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual Result<std::unique_ptr<BackendSession>> Connect(
      const SessionParams& params) = 0;
  virtual Dialect dialect() const = 0;
  virtual const SchemaLookup& schema() const = 0;
  // Human-readable target description for logs ("sqlite:./iris-pgwire.db").
  virtual std::string Describe() const = 0;
};

}  // namespace pgw
