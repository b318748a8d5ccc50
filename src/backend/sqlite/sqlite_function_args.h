// Small helpers shared by the SQLite dialect's function implementations (sqlite_functions.cc,
// sqlite_strings.cc, sqlite_aggregates.cc): argument access and results. The views returned
// point into SQLite's memory for the argument and are valid only during the call.
#pragma once

#include <sqlite3.h>

#include <string_view>

namespace pgw {

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
