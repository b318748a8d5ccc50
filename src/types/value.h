// Value: one cell as it travels between a backend and the wire, in *storage form*: the
// representation the backend keeps (SQLite: INTEGER, REAL, TEXT, BLOB, NULL). Borrowed: string
// payloads point into memory owned by whoever produced the Value (a sqlite3_stmt row, a Bind
// message), valid until that owner moves on. Storage forms per type are documented in
// value_codec.h.
#pragma once

#include <cstdint>
#include <string_view>

namespace pgw {

struct Value {
  enum class Kind : uint8_t { kNull, kInt, kFloat, kText, kBlob };

  Kind kind = Kind::kNull;
  int64_t i = 0;
  double f = 0;
  std::string_view s;  // kText / kBlob payload

  static Value Null() { return {}; }
  static Value Int(int64_t v) { return {Kind::kInt, v, 0, {}}; }
  static Value Float(double v) { return {Kind::kFloat, 0, v, {}}; }
  static Value Text(std::string_view v) { return {Kind::kText, 0, 0, v}; }
  static Value Blob(std::string_view v) { return {Kind::kBlob, 0, 0, v}; }

  bool is_null() const { return kind == Kind::kNull; }
};

}  // namespace pgw
