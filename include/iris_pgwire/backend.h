// The backend interface: what the session layer needs from a store (embedded SQLite, ODBC).
// A Backend is shared by all sessions and is thread-safe. A BackendSession belongs to exactly
// one client session and owns that client's transaction; its methods are blocking and are
// called from one backend worker thread at a time (never concurrently), except Cancel(), which
// any thread may call at any time. Backends see storage-form Values and PostgreSQL OIDs; they
// never see wire bytes.
#pragma once

#include <chrono>
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
  // True when executing it changes nothing (a query): it may then run under a time slice and be
  // re-run from the start if the slice expires (see BackendSession::SetTimeSlice).
  virtual bool read_only() const { return false; }
};

// A relation as COPY needs it: kind, stable oid (pg_class.oid) and columns in attnum order.
struct RelationColumn {
  std::string name;
  Oid type_oid = oid::kText;
  int32_t typmod = -1;
  bool not_null = false;     // NOT NULL (a NULL value is 23502)
  bool has_default = false;  // a DEFAULT, serial or identity column: omitting it is fine
  bool generated = false;    // GENERATED ALWAYS AS (expr) STORED: COPY may not name it
};

struct RelationInfo {
  enum class Kind : uint8_t { kTable, kView, kCatalog };
  Kind kind = Kind::kTable;
  std::string name;
  Oid oid = 0;
  std::vector<RelationColumn> columns;
};

// Rows for BulkSink::Write, row-major: row r is values[r * num_columns, (r + 1) * num_columns).
// Text and blob payloads point into `bytes` (or other memory the batch's producer keeps alive
// until Write returns). lines[r] is row r's line in the COPY input, for error messages.
struct RowBatch {
  size_t num_columns = 0;
  std::vector<Value> values;
  std::vector<int64_t> lines;
  std::string bytes;

  size_t rows() const { return lines.size(); }
  std::span<const Value> row(size_t r) const {
    return std::span<const Value>(values).subspan(r * num_columns, num_columns);
  }
  void Clear() {
    values.clear();
    lines.clear();
    bytes.clear();
  }
};

// What COPY FROM inserts: the target table, the columns each row supplies (in order; any other
// column takes its default), and an optional filter.
struct BulkInsertSpec {
  std::string table;
  std::vector<RelationColumn> columns;
  // COPY FROM ... WHERE: a condition in the backend's dialect over the columns by name
  // (unqualified or qualified by `table`); rows for which it is not true are skipped and
  // counted as excluded. Empty = every row.
  std::string where_sql;
  // How long Write may wait in all for a lock another session holds, then 55P03; 0 = until
  // the COPY is cancelled.
  int lock_wait_ms = 0;
};

struct BulkWriteResult {
  uint64_t inserted = 0;  // rows written by this call
  uint64_t excluded = 0;  // rows the WHERE condition skipped
  size_t failed_row = 0;  // when Write fails: the index of the row that failed in the batch
};

// The COPY FROM fast path of a backend: inserts typed row batches into one table through one
// prepared insert (SQLite: a reused prepared INSERT, values bound natively; ODBC: parameter
// arrays, one batch per SQLExecute). Rows become part of the session's current transaction:
// the sink never commits or rolls back; the caller brackets the COPY with Begin/Commit or a
// savepoint and rolls back on error (rows of a failed batch before failed_row may have been
// written). Values arrive in storage form, already converted to the columns' types and
// typmods. Explicit values are accepted for GENERATED ALWAYS identity columns, as PostgreSQL's
// COPY accepts them. A sink borrows its BackendSession: REQUIRES the session outlives it, and
// no other method of that session runs while Write does (Cancel() excepted). Write may run on
// another thread than the one that opened the sink.
class BulkSink {
 public:
  virtual ~BulkSink() = default;
  // Errors carry the backend's mapped SQLSTATE (23505, 23502, ...; 57014 when cancelled).
  [[nodiscard]] virtual Status Write(const RowBatch& batch, BulkWriteResult* result) = 0;
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

  // COPY TO: Open for a statement whose rows are all read once, in order. A backend may read
  // around its caches for it (the SQLite backend stops mapping the database file into memory
  // while the cursor lives, so exporting a large table does not grow the process by the
  // table's size). Same contract as Open.
  [[nodiscard]] virtual Result<std::unique_ptr<Cursor>> OpenExport(BackendStatement& stmt,
                                                                   std::span<const Value> params) {
    return Open(stmt, params);
  }

  // Transaction control. Begin starts an explicit transaction; savepoint names are already
  // validated identifiers.
  [[nodiscard]] virtual Status Begin() = 0;
  [[nodiscard]] virtual Status Commit() = 0;
  [[nodiscard]] virtual Status Rollback() = 0;
  [[nodiscard]] virtual Status Savepoint(std::string_view name) = 0;
  [[nodiscard]] virtual Status ReleaseSavepoint(std::string_view name) = 0;
  [[nodiscard]] virtual Status RollbackToSavepoint(std::string_view name) = 0;

  // COPY support. DescribeRelation: `schema` "" is the default search (user tables, then the
  // catalog), "public" user tables only, "pg_catalog" the catalog only; 42P01
  // `relation "t" does not exist` when unknown. OpenBulkInsert: the COPY FROM fast path above.
  // COPY TO runs a query through Prepare/Open.
  [[nodiscard]] virtual Result<RelationInfo> DescribeRelation(std::string_view schema,
                                                              std::string_view name) = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<BulkSink>> OpenBulkInsert(
      const BulkInsertSpec& spec) = 0;

  // Thread-safe: interrupts the statement running now, if any; it fails with 57014.
  virtual void Cancel() = 0;

  // Time slices: how the session runs cheap work on an I/O thread without ever letting it
  // block there. While a slice is set, the backend never waits: a read-only statement that
  // is still running at `deadline`, or that would wait for a lock, stops with a retryable
  // Status having changed nothing and delivered rows that the caller discards, so the caller
  // can run it again from the start on a worker thread (where no slice is set). Backends whose
  // calls may block anyway (network round trips: ODBC) return false from SupportsTimeSlices()
  // and are only ever called from worker threads.
  virtual bool SupportsTimeSlices() const { return false; }
  virtual void SetTimeSlice(std::chrono::steady_clock::time_point deadline) { (void)deadline; }
  virtual void ClearTimeSlice() {}
  // True when the open transaction has written: ending it may then do I/O.
  virtual bool HasWrites() const { return true; }
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
  // The client's cleartext password, set only when the access rule that admitted the client
  // asked for it (the `password` method, allowed over TLS only); empty otherwise. Backends
  // that pass the client's credentials through to their target (ODBC `--odbc-auth
  // passthrough`) open the target connection with user + password; others ignore it.
  std::string password;
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
  // True when catalog SELECTs run on the gateway's catalog engine (TranslateOptions::
  // catalog_engine) rather than on the backend's own SQL, as for ODBC targets.
  virtual bool catalog_on_engine() const { return false; }
  // Human-readable target description for logs ("sqlite:./iris-pgwire.db").
  virtual std::string Describe() const = 0;
};

}  // namespace pgw
