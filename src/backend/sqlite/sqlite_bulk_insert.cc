// The SQLite COPY FROM sink: one prepared INSERT, values bound natively, one step per row.
#include "backend/sqlite/sqlite_bulk_insert.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "backend/sqlite/sqlite_bind.h"
#include "backend/sqlite/sqlite_errors.h"
#include "common/sqlstate.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

void AppendQuoted(std::string_view name, std::string* out) {
  out->push_back('"');
  for (char c : name) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// INSERT INTO "t" ("a", "b") VALUES (?1, ?2), (?3, ?4), ... for `rows` rows, or, with a
// condition (one row), INSERT INTO "t" ("a", "b") SELECT * FROM (SELECT ?1 AS "a", ?2 AS "b")
// AS "t" WHERE (cond).
std::string InsertSql(const BulkInsertSpec& spec, size_t rows) {
  std::string sql = "INSERT INTO ";
  AppendQuoted(spec.table, &sql);
  if (spec.columns.empty()) return sql + " DEFAULT VALUES";
  sql += " (";
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    AppendQuoted(spec.columns[i].name, &sql);
  }
  sql += ") ";
  size_t param = 0;
  if (spec.where_sql.empty()) {
    sql += "VALUES ";
    for (size_t r = 0; r < rows; ++r) {
      sql += r > 0 ? ", (" : "(";
      for (size_t i = 0; i < spec.columns.size(); ++i) {
        if (i > 0) sql += ", ";
        sql += "?" + std::to_string(++param);
      }
      sql += ")";
    }
    return sql;
  }
  sql += "SELECT * FROM (SELECT ";
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += "?" + std::to_string(++param) + " AS ";
    AppendQuoted(spec.columns[i].name, &sql);
  }
  sql += ") AS ";
  AppendQuoted(spec.table, &sql);
  return sql + " WHERE (" + spec.where_sql + ")";
}

// True when one of the COPY's columns has the gateway's GENERATED ALWAYS guard trigger
// (sql/sqlite_dialect.cc names them pgw_identity_<table>_<column>).
bool NamesGuardedIdentity(sqlite3* db, const BulkInsertSpec& spec) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 "
                         "AND name = 'pgw_identity_' || ?1 || '_' || ?2",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return false;
  }
  bool found = false;
  for (const RelationColumn& c : spec.columns) {
    sqlite3_bind_text(stmt, 1, spec.table.data(), static_cast<int>(spec.table.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, c.name.data(), static_cast<int>(c.name.size()), SQLITE_STATIC);
    found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_reset(stmt);
    if (found) break;
  }
  sqlite3_finalize(stmt);
  return found;
}

// The column names of "UNIQUE constraint failed: t.a, t.b".
std::vector<std::string> UniqueColumns(std::string_view message) {
  std::vector<std::string> cols;
  constexpr std::string_view kPrefix = "UNIQUE constraint failed: ";
  if (message.substr(0, kPrefix.size()) != kPrefix) return cols;
  std::string_view rest = message.substr(kPrefix.size());
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    std::string_view item = rest.substr(0, comma);
    size_t dot = item.find('.');
    cols.emplace_back(dot == std::string_view::npos ? item : item.substr(dot + 1));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return cols;
}

}  // namespace

Result<std::unique_ptr<BulkSink>> SqliteBulkSink::Open(std::shared_ptr<SqliteConnection> conn,
                                                       const BulkInsertSpec& spec) {
  std::unique_ptr<SqliteBulkSink> sink(new SqliteBulkSink(conn, spec));
  sqlite3* db = conn->db();
  if (NamesGuardedIdentity(db, spec)) {
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sink->triggers_off_ = true;
  }
  int rc = conn->PrepareWaitingForLocks(InsertSql(spec, 1), SQLITE_PREPARE_PERSISTENT, &sink->stmt_,
                                        nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  // Whole groups of rows go through one multi-row INSERT: one statement run per group instead
  // of per row. (Not with a condition, whose exclusions are counted row by row, nor past
  // SQLite's limit on parameters.)
  if (spec.where_sql.empty() && !spec.columns.empty() &&
      spec.columns.size() * kGroupRows <=
          static_cast<size_t>(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1))) {
    rc = conn->PrepareWaitingForLocks(InsertSql(spec, kGroupRows), SQLITE_PREPARE_PERSISTENT,
                                      &sink->group_stmt_, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  }
  return std::unique_ptr<BulkSink>(std::move(sink));
}

SqliteBulkSink::~SqliteBulkSink() {
  sqlite3_finalize(stmt_);
  sqlite3_finalize(group_stmt_);
  if (triggers_off_) sqlite3_db_config(conn_->db(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, nullptr);
}

Status SqliteBulkSink::Write(const RowBatch& batch, BulkWriteResult* result) {
  *result = BulkWriteResult();
  sqlite3* db = conn_->db();
  const size_t ncols = batch.num_columns;
  // Rows belong to the caller's transaction. SQLite ends a transaction by itself after some
  // failures (an interrupted INSERT rolls it back): never write a row outside it, where it
  // would commit on its own.
  if (sqlite3_get_autocommit(db)) {
    return Status::Error(sqlstate::kInFailedSqlTransaction,
                         "the COPY's transaction was rolled back; no more rows are written");
  }
  Status status;
  conn_->BeginRun();
  size_t r = 0;
  while (r < batch.rows() && status.ok()) {
    if (group_stmt_ != nullptr && batch.rows() - r >= kGroupRows) {
      std::span<const Value> rows =
          std::span<const Value>(batch.values).subspan(r * ncols, kGroupRows * ncols);
      int rc = SQLITE_OK;
      for (size_t i = 0; i < rows.size() && rc == SQLITE_OK; ++i) {
        rc = BindValue(group_stmt_, static_cast<int>(i) + 1, rows[i]);
      }
      if (rc == SQLITE_OK) rc = Step(group_stmt_);
      sqlite3_reset(group_stmt_);
      if (rc == SQLITE_DONE) {
        result->inserted += kGroupRows;
        r += kGroupRows;
        continue;
      }
      // A failed INSERT changes nothing (SQLite undoes the statement): find the row that
      // fails by inserting the group row by row -- unless the failure ended the transaction
      // (cancel, I/O), which is then the error.
      if (sqlite3_get_autocommit(db)) {
        status = RowError(rc, batch.row(r));
        result->failed_row = r;
        break;
      }
      for (size_t end = r + kGroupRows; r < end && status.ok(); ++r) {
        status = WriteRow(batch.row(r), result);
        if (!status.ok()) result->failed_row = r;
      }
      continue;
    }
    status = WriteRow(batch.row(r), result);
    if (!status.ok()) result->failed_row = r;
    ++r;
  }
  conn_->EndRun();
  return status;
}

Status SqliteBulkSink::WriteRow(std::span<const Value> row, BulkWriteResult* result) {
  int rc = SQLITE_OK;
  for (size_t i = 0; i < row.size() && rc == SQLITE_OK; ++i) {
    rc = BindValue(stmt_, static_cast<int>(i) + 1, row[i]);
  }
  if (rc == SQLITE_OK) rc = Step(stmt_);
  if (rc != SQLITE_DONE) {
    Status st = RowError(rc, row);
    sqlite3_reset(stmt_);
    return st;
  }
  sqlite3_reset(stmt_);
  if (spec_.where_sql.empty() || sqlite3_changes(conn_->db()) > 0) {
    ++result->inserted;
  } else {
    ++result->excluded;
  }
  return Status::OK();
}

int SqliteBulkSink::Step(sqlite3_stmt* stmt) {
  // The connection waits for another writer only a short slice; a COPY waits up to its own
  // budget here, in slices, so that a cancel still ends the wait.
  int rc = conn_->StepWaitingForLocks(stmt);
  if (rc != SQLITE_BUSY) return rc;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(spec_.lock_wait_ms);
  auto pause = std::chrono::milliseconds(1);
  while (rc == SQLITE_BUSY &&
         (spec_.lock_wait_ms == 0 || std::chrono::steady_clock::now() < deadline) &&
         !conn_->context().cancel_requested.load(std::memory_order_relaxed)) {
    sqlite3_reset(stmt);
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
    rc = conn_->StepWaitingForLocks(stmt);
  }
  return rc;
}

Status SqliteBulkSink::RowError(int rc, std::span<const Value> row) const {
  sqlite3* db = conn_->db();
  std::string message = sqlite3_errmsg(db);
  Status st = SqliteStatus(db, rc);
  if (st.sqlstate() != sqlstate::kUniqueViolation) return st;
  std::vector<std::string> key = UniqueColumns(message);
  std::string names, values;
  for (const std::string& k : key) {
    auto it = std::find_if(spec_.columns.begin(), spec_.columns.end(),
                           [&](const RelationColumn& c) { return c.name == k; });
    if (it == spec_.columns.end()) return st;
    size_t i = static_cast<size_t>(it - spec_.columns.begin());
    if (!names.empty()) {
      names += ", ";
      values += ", ";
    }
    names += k;
    if (row[i].is_null() ||
        !EncodeValue(it->type_oid, it->typmod, row[i], WireFormat::kText, &values).ok()) {
      return st;
    }
  }
  if (key.empty()) return st;
  return std::move(st).WithDetail("Key (" + names + ")=(" + values + ") already exists.");
}

}  // namespace pgw
