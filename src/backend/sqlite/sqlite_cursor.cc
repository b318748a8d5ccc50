// Stepping SQLite statements into RowSinks.
#include "backend/sqlite/sqlite_cursor.h"

#include "backend/sqlite/sqlite_errors.h"

namespace pgw {
namespace {

// Reads the result column through its sqlite3_value: one column lookup per cell instead of
// one per sqlite3_column_* call, each of which also takes (a no-op on this NOMUTEX connection)
// the connection mutex and checks for an out-of-memory error. A conversion that fails for lack
// of memory reads as an empty payload, as the sqlite3_column_* calls would give NULL pointers.
Value ColumnValue(sqlite3_stmt* stmt, int i) {
  sqlite3_value* v = sqlite3_column_value(stmt, i);
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return Value::Int(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
      return Value::Float(sqlite3_value_double(v));
    case SQLITE_TEXT: {
      const unsigned char* t = sqlite3_value_text(v);
      const size_t n = t != nullptr ? static_cast<size_t>(sqlite3_value_bytes(v)) : 0;
      return Value::Text({reinterpret_cast<const char*>(t), n});
    }
    case SQLITE_BLOB: {
      const void* b = sqlite3_value_blob(v);
      const size_t n = b != nullptr ? static_cast<size_t>(sqlite3_value_bytes(v)) : 0;
      return Value::Blob({static_cast<const char*>(b), n});
    }
    default:
      return Value::Null();
  }
}

}  // namespace

const std::vector<ColumnDesc>& SqliteStatement::columns() const { return description->columns; }

bool SqliteStatement::read_only() const {
  switch (mode) {
    case Mode::kEmpty:
      return true;
    case Mode::kScript:
      return false;
    case Mode::kPrepared:
      return sqlite3_stmt_readonly(prepared->stmt) != 0;
  }
  return false;
}

SqliteCursor::SqliteCursor(std::shared_ptr<SqliteConnection> conn,
                           std::shared_ptr<PreparedSql> prepared, sqlite3_stmt* stmt,
                           bool owns_stmt, bool is_dml)
    : conn_(std::move(conn)),
      prepared_(std::move(prepared)),
      stmt_(stmt),
      owns_stmt_(owns_stmt),
      is_dml_(is_dml),
      done_(false) {
  if (!owns_stmt_) prepared_->busy = true;
  conn_->CursorStarted();
}

SqliteCursor::~SqliteCursor() {
  Finish();
  if (owns_stmt_) {
    sqlite3_finalize(stmt_);
  } else if (prepared_ != nullptr) {
    prepared_->busy = false;
  }
}

void SqliteCursor::Finish() {
  if (done_) return;
  done_ = true;
  sqlite3_reset(stmt_);
  conn_->CursorFinished();
}

Result<FetchResult> SqliteCursor::Fetch(uint64_t max_rows, RowSink& sink) {
  FetchResult result;
  if (done_) {
    result.done = true;
    return result;
  }
  const int ncol = sqlite3_column_count(stmt_);
  row_.resize(static_cast<size_t>(ncol));
  conn_->BeginRun();
  for (;;) {
    int rc = returned_rows_ ? sqlite3_step(stmt_) : conn_->StepWaitingForLocks(stmt_);
    if (rc == SQLITE_ROW) {
      returned_rows_ = true;
      for (int i = 0; i < ncol; ++i) row_[i] = ColumnValue(stmt_, i);
      ++result.rows;
      bool more = sink.OnRow(row_);
      if (!more || (max_rows != 0 && result.rows >= max_rows)) break;
      continue;
    }
    if (rc == SQLITE_DONE) {
      if (is_dml_) rows_affected_ = static_cast<uint64_t>(sqlite3_changes64(conn_->db()));
      Finish();
      result.done = true;
      break;
    }
    sqlite3* db = conn_->db();
    std::string message = sqlite3_errmsg(db);
    Finish();
    conn_->EndRun();
    // Whatever failed once the slice had expired (the interrupt may surface through a function
    // that ran SQL of its own) is run again, without a slice, for its real outcome.
    if (conn_->slice_expired()) return TimeSliceExpired();
    return MapSqliteError(rc, message, db);
  }
  conn_->EndRun();
  return result;
}

}  // namespace pgw
