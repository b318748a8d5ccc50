// PostgreSQL string functions that SQLite lacks, registered under their PostgreSQL names
// (sqlite_functions.h lists them): repeat, lpad, rpad, left, right, reverse, split_part,
// initcap, md5, chr, ascii, starts_with, translate, concat_ws, btrim, to_hex, gen_random_uuid.
// Character-based on UTF-8; NULL in gives NULL out (concat_ws skips NULL values); errors carry
// PostgreSQL's SQLSTATE and wording. `left` and `right` are SQLite keywords, so they are also
// registered as pgw_left / pgw_right (a quoted "left"(...) reaches the PostgreSQL name too).
// Limits: results longer than the connection's SQLITE_LIMIT_LENGTH are 54000
// `requested length too large`. Approximations: to_hex of a value in the int4 range prints
// its 32-bit two's complement (PostgreSQL's to_hex(int4)); initcap uses the C.UTF-8 locale's
// case mapping, as PostgreSQL does for a C.UTF-8 database.
#pragma once

struct sqlite3;

namespace pgw {

// Registers the functions on `db`. Returns a SQLite result code.
int RegisterStringFunctions(sqlite3* db);

}  // namespace pgw
