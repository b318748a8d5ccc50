// pgw_array_agg and pgw_string_agg (sqlite_functions.h): PostgreSQL's array_agg and string_agg
// with optional ORDER BY keys, as SQLite aggregate (and aggregate window) functions.
//
// Each row's value (and separator, and sort keys) is copied into the aggregate's state; at the
// end the rows are stable-sorted by the keys with PostgreSQL's comparison semantics (numbers
// numerically, integers and reals together; text byte-wise as under the C collation; numbers
// before text before blobs when kinds are mixed; NULLs first or last per key) and rendered:
// array_agg as a one-dimensional PostgreSQL array literal whose elements are printed by the
// element type's text output and quoted as array_out does; string_agg as the values joined by
// the separators (each value after the first is preceded by its own row's separator).
// Limits: 54000 when the collected bytes exceed the connection's SQLITE_LIMIT_LENGTH or the
// array exceeds PostgreSQL's maximum element count.
#pragma once

#include <string>
#include <string_view>

#include "types/pg_types.h"
#include "types/value.h"

struct sqlite3;

namespace pgw {

// Registers both aggregates on `db`. Returns a SQLite result code.
int RegisterAggregates(sqlite3* db);

// Appends one array element as array_out prints it: `text` quoted (with '"' and '\' escaped)
// when it is empty, equals NULL case-insensitively, or holds any of {}," \ or white space.
void AppendArrayElementText(std::string_view text, std::string* out);

// Appends a non-null storage value as an element of an array of `elem_oid` (its type's text
// output, falling back to the value's own text when the type cannot print it), quoted as above.
void AppendArrayElement(Oid elem_oid, const Value& v, std::string* out);

}  // namespace pgw
