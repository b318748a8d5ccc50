// SQLite result codes and messages -> PostgreSQL SQLSTATEs and wording.
#include "backend/sqlite/sqlite_errors.h"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "common/sqlstate.h"

namespace pgw {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The text after `prefix` when `message` starts with it.
bool After(std::string_view message, std::string_view prefix, std::string_view* rest) {
  if (!StartsWith(message, prefix)) return false;
  *rest = message.substr(prefix.size());
  return true;
}

// "main.t" -> "t": PostgreSQL names relations without SQLite's schema prefix; a catalog
// relation the backend does not provide ("pgw_pg_index") by its PostgreSQL name.
std::string_view StripSchema(std::string_view name) {
  for (std::string_view schema : {"main.", "temp."}) {
    if (StartsWith(name, schema)) name = name.substr(schema.size());
  }
  if (StartsWith(name, "pgw_pg_")) name = name.substr(4);
  return name;
}

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// Runs a one-column-per-row PRAGMA and collects column `col` as text.
std::vector<std::vector<std::string>> PragmaRows(sqlite3* db, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return rows;
}

std::string SqlString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Splits "t.a, t.b" into the table and its column names.
bool ParseColumnList(std::string_view list, std::string* table, std::vector<std::string>* cols) {
  while (!list.empty()) {
    size_t comma = list.find(", ");
    std::string_view item = list.substr(0, comma);
    size_t dot = item.find('.');
    if (dot == std::string_view::npos) return false;
    *table = std::string(item.substr(0, dot));
    cols->emplace_back(item.substr(dot + 1));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 2);
  }
  return !cols->empty();
}

// PostgreSQL's name for the unique constraint over `cols` of `table`: the index's own name
// when the user named it, "<t>_pkey" for the primary key, else "<t>_<cols>_key".
std::string UniqueConstraintName(sqlite3* db, const std::string& table,
                                 const std::vector<std::string>& cols, bool primary_key) {
  if (db != nullptr) {
    for (const auto& idx : PragmaRows(db, "PRAGMA index_list(" + SqlString(table) + ")")) {
      if (idx.size() < 4 || idx[2] != "1") continue;
      std::vector<std::string> idx_cols;
      for (const auto& info : PragmaRows(db, "PRAGMA index_info(" + SqlString(idx[1]) + ")")) {
        if (info.size() >= 3) idx_cols.push_back(info[2]);
      }
      if (idx_cols != cols) continue;
      if (idx[3] == "pk") return table + "_pkey";
      if (!StartsWith(idx[1], "sqlite_autoindex_")) return idx[1];
      break;
    }
  }
  if (primary_key) return table + "_pkey";
  std::string name = table;
  for (const auto& c : cols) name += "_" + c;
  return name + "_key";
}

Status UniqueViolation(int rc, std::string_view rest, sqlite3* db) {
  std::string name;
  std::string_view index;
  std::string table;
  std::vector<std::string> cols;
  if (After(rest, "index '", &index) && !index.empty() && index.back() == '\'') {
    name = std::string(index.substr(0, index.size() - 1));
  } else if (ParseColumnList(rest, &table, &cols)) {
    name = UniqueConstraintName(db, table, cols, rc == SQLITE_CONSTRAINT_PRIMARYKEY);
  } else {
    name = std::string(rest);
  }
  return Status::Error(sqlstate::kUniqueViolation,
                       "duplicate key value violates unique constraint " + Quoted(name));
}

Status ConstraintError(int rc, std::string_view message, sqlite3* db) {
  std::string_view rest;
  if (After(message, "UNIQUE constraint failed: ", &rest)) return UniqueViolation(rc, rest, db);
  if (After(message, "NOT NULL constraint failed: ", &rest)) {
    size_t dot = rest.find('.');
    std::string_view table = dot == std::string_view::npos ? "" : rest.substr(0, dot);
    std::string_view column = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
    return Status::Error(sqlstate::kNotNullViolation, "null value in column " + Quoted(column) +
                                                          " of relation " + Quoted(table) +
                                                          " violates not-null constraint");
  }
  if (After(message, "CHECK constraint failed: ", &rest)) {
    return Status::Error(sqlstate::kCheckViolation,
                         "new row violates check constraint " + Quoted(rest));
  }
  if (StartsWith(message, "FOREIGN KEY constraint failed")) {
    return Status::Error(sqlstate::kForeignKeyViolation,
                         "insert, update or delete violates foreign key constraint");
  }
  if (After(message, "cannot store ", &rest)) {  // STRICT tables
    return Status::Error(sqlstate::kDatatypeMismatch, std::string(message));
  }
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return UniqueViolation(rc, message, db);
    case SQLITE_CONSTRAINT_NOTNULL:
      return Status::Error(sqlstate::kNotNullViolation, std::string(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::Error(sqlstate::kForeignKeyViolation, std::string(message));
    case SQLITE_CONSTRAINT_CHECK:
      return Status::Error(sqlstate::kCheckViolation, std::string(message));
    default:
      return Status::Error(sqlstate::kIntegrityConstraintViolation, std::string(message));
  }
}

// Errors SQLite reports with SQLITE_ERROR, recognized by their message.
Status MessageError(std::string_view message) {
  std::string_view rest;
  if (After(message, "no such table: ", &rest)) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "relation " + Quoted(StripSchema(rest)) + " does not exist");
  }
  if (After(message, "no such column: ", &rest)) {
    // PostgreSQL quotes an unqualified name only: column "c" / column t.c.
    std::string what = rest.find('.') == std::string_view::npos ? Quoted(rest) : std::string(rest);
    return Status::Error(sqlstate::kUndefinedColumn, "column " + what + " does not exist");
  }
  if (After(message, "table ", &rest) || After(message, "index ", &rest) ||
      After(message, "view ", &rest)) {
    std::string_view name;
    size_t pos = rest.rfind(" already exists");
    if (pos != std::string_view::npos && pos + 15 == rest.size()) {
      name = rest.substr(0, pos);
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        name = name.substr(1, name.size() - 2);
      }
      return Status::Error(sqlstate::kDuplicateTable,
                           "relation " + Quoted(StripSchema(name)) + " already exists");
    }
  }
  if (After(message, "no such function: ", &rest)) {
    return Status::Error(sqlstate::kUndefinedFunction,
                         "function " + std::string(rest) + "() does not exist")
        .WithHint(
            "No function matches the given name and argument types. You might need to add "
            "explicit type casts.");
  }
  if (After(message, "wrong number of arguments to function ", &rest)) {
    return Status::Error(sqlstate::kUndefinedFunction,
                         "function " + std::string(rest) + " does not exist")
        .WithHint(
            "No function matches the given name and argument types. You might need to add "
            "explicit type casts.");
  }
  if (After(message, "near \"", &rest)) {
    size_t end = rest.rfind("\": syntax error");
    if (end != std::string_view::npos) {
      return Status::Error(sqlstate::kSyntaxError,
                           "syntax error at or near " + Quoted(rest.substr(0, end)));
    }
  }
  if (message == "incomplete input") {
    return Status::Error(sqlstate::kSyntaxError, "syntax error at end of input");
  }
  if (After(message, "no such index: ", &rest)) {
    return Status::Error(sqlstate::kUndefinedObject,
                         "index " + Quoted(StripSchema(rest)) + " does not exist");
  }
  if (After(message, "no such view: ", &rest)) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "view " + Quoted(StripSchema(rest)) + " does not exist");
  }
  if (After(message, "no such savepoint: ", &rest)) {
    return Status::Error(sqlstate::kInvalidSavepointSpecification,
                         "savepoint " + Quoted(rest) + " does not exist");
  }
  if (After(message, "duplicate column name: ", &rest)) {
    return Status::Error(sqlstate::kDuplicateColumn,
                         "column " + Quoted(rest) + " specified more than once");
  }
  if (After(message, "ambiguous column name: ", &rest)) {
    return Status::Error(sqlstate::kAmbiguousColumn,
                         "column reference " + Quoted(rest) + " is ambiguous");
  }
  if (StartsWith(message, "cannot VACUUM from within a transaction")) {
    return Status::Error(sqlstate::kActiveSqlTransaction,
                         "VACUUM cannot run inside a transaction block");
  }
  if (StartsWith(message, "cannot start a transaction within a transaction")) {
    return Status::Error(sqlstate::kActiveSqlTransaction,
                         "there is already a transaction in progress");
  }
  if (StartsWith(message, "cannot commit - no transaction is active") ||
      StartsWith(message, "cannot rollback - no transaction is active")) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress");
  }
  if (StartsWith(message, "sub-select returns")) {
    return Status::Error(sqlstate::kSyntaxError, "subquery must return only one column");
  }
  if (StartsWith(message, "too many SQL variables") || StartsWith(message, "too many columns") ||
      StartsWith(message, "too many terms")) {
    return Status::Error(sqlstate::kProgramLimitExceeded, std::string(message));
  }
  if (StartsWith(message, "Expression tree is too large")) {
    return Status::Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded");
  }
  return Status::Error(sqlstate::kInternalError, std::string(message));
}

}  // namespace

// A lock that was not granted within the backend's wait slice: retryable by the session.
static Status LockWait(std::string_view message) {
  Status st = Status::Error(sqlstate::kLockNotAvailable, "could not obtain lock on relation")
                  .WithDetail("SQLite: " + std::string(message));
  st.mutable_info().retryable = true;
  return st;
}

Status TimeSliceExpired() {
  Status st = Status::Error(sqlstate::kQueryCanceled, "time slice expired");
  st.mutable_info().retryable = true;
  return st;
}

Status MapSqliteError(int rc, std::string_view message, sqlite3* db) {
  if (message.size() >= 6 && message[0] == kSqlstateMarker) {
    return Status::Error(message.substr(1, 5), std::string(message.substr(6)));
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return ConstraintError(rc, message, db);
    case SQLITE_BUSY:
      if (rc == SQLITE_BUSY_SNAPSHOT) {
        return Status::Error(sqlstate::kSerializationFailure,
                             "could not serialize access due to concurrent update");
      }
      return LockWait(message);
    case SQLITE_LOCKED:
      return LockWait(message);
    case SQLITE_INTERRUPT:
      return Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
    case SQLITE_FULL:
      return Status::Error(sqlstate::kDiskFull, "could not extend file: No space left on device");
    case SQLITE_NOMEM:
      return Status::Error(sqlstate::kOutOfMemory, "out of memory");
    case SQLITE_TOOBIG:
      return Status::Error(sqlstate::kProgramLimitExceeded, "string or blob too big");
    case SQLITE_MISMATCH:
      return Status::Error(sqlstate::kDatatypeMismatch, std::string(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Error(sqlstate::kDataCorrupted, std::string(message));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return Status::Error(sqlstate::kIoError, std::string(message));
    case SQLITE_READONLY:
      return Status::Error("25006", "cannot execute statement in a read-only transaction")
          .WithDetail("SQLite: " + std::string(message));
    default:
      return MessageError(message);
  }
}

Status SqliteStatus(sqlite3* db, int rc) {
  std::string message = sqlite3_errmsg(db);  // copied: schema lookups overwrite it
  int ext = sqlite3_extended_errcode(db);
  if ((ext & 0xff) == (rc & 0xff)) rc = ext;
  return MapSqliteError(rc, message, db);
}

void SetFunctionError(sqlite3_context* ctx, const Status& status) {
  SetFunctionError(ctx, status.sqlstate(), status.message());
}

}  // namespace pgw
