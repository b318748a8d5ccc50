// Small helpers for SQL the backend writes and reads itself: an identifier quoted for SQLite,
// names compared as SQLite does, a column as text, and a query with text parameters run row
// by row. Pure, except ForEachRow, which runs on the caller's connection (its thread).
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>

#include "backend/sqlite/sqlite_errors.h"
#include "common/status.h"

namespace pgw {

// `name` as an SQLite quoted identifier.
inline std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// ASCII case-insensitive equality, as SQLite compares names and keywords.
inline bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Column `i` of the current row as text ("" for NULL).
inline std::string Text(sqlite3_stmt* stmt, int i) {
  const unsigned char* t = sqlite3_column_text(stmt, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
           : std::string();
}

// Runs `sql` with text parameters, calling `row` for each result row.
template <typename F>
Status ForEachRow(sqlite3* db, const char* sql, std::initializer_list<std::string_view> args,
                  F&& row) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteStatus(db, rc);
    sqlite3_finalize(stmt);
    return st;
  }
  int i = 0;
  for (std::string_view a : args) {
    sqlite3_bind_text(stmt, ++i, a.data(), static_cast<int>(a.size()), SQLITE_TRANSIENT);
  }
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  Status st = rc == SQLITE_DONE ? Status::OK() : SqliteStatus(db, rc);
  sqlite3_finalize(stmt);
  return st;
}

}  // namespace pgw
