// Small helpers shared by the SQL functions registered on SQLite connections (the SQLite
// dialect's runtime in backend/sqlite, the catalog functions in catalog/): argument access,
// results, and errors that carry a SQLSTATE. The views returned point into SQLite's memory for
// the argument and are valid only during the call.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

namespace pgw {

// First byte of an error message that carries a SQLSTATE: "\x01" "22012" "division by zero".
// The SQLite backend's error mapper (backend/sqlite/sqlite_errors.h) decodes it.
inline constexpr char kSqlstateMarker = '\x01';

// Fails the current SQL function call with `sqlstate` and `message` (PostgreSQL wording).
inline void SetFunctionError(sqlite3_context* ctx, std::string_view sqlstate,
                             std::string_view message) {
  std::string text;
  text.reserve(6 + message.size());
  text += kSqlstateMarker;
  text += sqlstate.substr(0, 5);
  text += message;
  sqlite3_result_error(ctx, text.data(), static_cast<int>(text.size()));
}

// The argument as UTF-8 text (numbers converted by SQLite, blobs as their bytes).
inline std::string_view TextArg(sqlite3_value* v) {
  const unsigned char* t = sqlite3_value_text(v);
  return {reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(v))};
}

// The argument's bytes (text as its UTF-8 bytes).
inline std::string_view BytesArg(sqlite3_value* v) {
  const void* p = sqlite3_value_blob(v);
  return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_value_bytes(v))};
}

inline bool AnyNullArg(int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return true;
  }
  return false;
}

// A text result; an empty view (even a default-constructed one) is '' and never NULL.
inline void ResultText(sqlite3_context* c, std::string_view s) {
  const char* data = s.data() != nullptr ? s.data() : "";
  sqlite3_result_text64(c, data, s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// The connection's maximum string or blob length (SQLITE_LIMIT_LENGTH).
inline size_t MaxResultLength(sqlite3_context* c) {
  return static_cast<size_t>(sqlite3_limit(sqlite3_context_db_handle(c), SQLITE_LIMIT_LENGTH, -1));
}

}  // namespace pgw
