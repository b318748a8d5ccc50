// Binding storage-form Values to SQLite statement parameters, shared by cursors (Open) and the
// COPY bulk sink. Not thread-safe: the statement's connection's thread.
#pragma once

#include <sqlite3.h>

#include <cmath>

#include "types/value.h"

namespace pgw {

// Binds `v` to parameter `index` (1-based) without copying: text and blob payloads must stay
// valid until the statement is stepped and reset. Returns the SQLite result code.
inline int BindValue(sqlite3_stmt* stmt, int index, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return sqlite3_bind_null(stmt, index);
    case Value::Kind::kInt:
      return sqlite3_bind_int64(stmt, index, v.i);
    case Value::Kind::kFloat:
      // SQLite turns a NaN REAL into NULL; keep it as the text PostgreSQL prints, which the
      // float codecs read back as NaN.
      if (std::isnan(v.f)) return sqlite3_bind_text(stmt, index, "NaN", 3, SQLITE_STATIC);
      return sqlite3_bind_double(stmt, index, v.f);
    case Value::Kind::kText:
      return sqlite3_bind_text64(stmt, index, v.s.data(), v.s.size(), SQLITE_STATIC, SQLITE_UTF8);
    case Value::Kind::kBlob:
      // A zero-length blob needs a non-null pointer, or SQLite binds NULL.
      return sqlite3_bind_blob64(stmt, index, v.s.empty() ? "" : v.s.data(), v.s.size(),
                                 SQLITE_STATIC);
  }
  return SQLITE_MISUSE;
}

}  // namespace pgw
