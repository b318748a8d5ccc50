// SqliteStatement and SqliteCursor: a prepared statement of the SQLite backend and one
// execution of it. A statement is empty (no SQL), a script (DDL/utility, run at Open), or a
// cached sqlite3_stmt shared through the session's SqliteStatementCache. A cursor steps either
// the shared sqlite3_stmt (marking it busy) or, when that is busy, a private one; it hands rows
// to the RowSink as Values viewing SQLite's column memory (valid until the next step). A cursor
// destroyed before it is done resets its statement. Not thread-safe: the session's thread.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/sqlite/sqlite_connection.h"
#include "backend/sqlite/sqlite_statement_cache.h"
#include "iris_pgwire/backend.h"
#include "sql/translator.h"

namespace pgw {

class SqliteStatement final : public BackendStatement {
 public:
  enum class Mode : uint8_t { kEmpty, kScript, kPrepared };

  const std::vector<ColumnDesc>& columns() const override;
  const std::vector<Oid>& param_types() const override { return description->param_types; }
  bool read_only() const override;

  // Declared first: destroyed last, after `prepared` finalizes its statement.
  std::shared_ptr<SqliteConnection> conn;
  Mode mode = Mode::kEmpty;
  StatementKind kind = StatementKind::kEmpty;
  bool is_dml = false;                    // INSERT/UPDATE/DELETE: rows_affected is reported
  std::string script;                     // kScript
  std::shared_ptr<const PrimaryKeyRebuild> primary_key;  // kScript: ADD PRIMARY KEY
  std::shared_ptr<PreparedSql> prepared;  // kPrepared
  std::shared_ptr<const StatementDescription> description;  // never null
};

class SqliteCursor final : public Cursor {
 public:
  // A cursor with nothing to run (already done).
  SqliteCursor() = default;
  // Steps `stmt`: the shared statement of `prepared` (marked busy) or, when `owns_stmt`, a
  // private statement finalized with the cursor.
  SqliteCursor(std::shared_ptr<SqliteConnection> conn, std::shared_ptr<PreparedSql> prepared,
               sqlite3_stmt* stmt, bool owns_stmt, bool is_dml);
  ~SqliteCursor() override;
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  Result<FetchResult> Fetch(uint64_t max_rows, RowSink& sink) override;
  uint64_t rows_affected() const override { return rows_affected_; }

  sqlite3_stmt* stmt() const { return stmt_; }

 private:
  // Marks the cursor done and releases the statement's locks (sqlite3_reset).
  void Finish();

  std::shared_ptr<SqliteConnection> conn_;
  std::shared_ptr<PreparedSql> prepared_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owns_stmt_ = false;
  bool is_dml_ = false;
  bool done_ = true;
  bool returned_rows_ = false;  // a lock wait may re-run the statement only before its first row
  uint64_t rows_affected_ = 0;
  std::vector<Value> row_;
};

}  // namespace pgw
