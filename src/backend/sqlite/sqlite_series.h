// pgw_generate_series(start, stop [, step]): PostgreSQL's integer generate_series as an
// eponymous table-valued virtual table with one visible column, `value`. The series is bounded
// by the int64 range (it stops instead of overflowing); NULL arguments give no rows; step 0 is
// 22023 `step size cannot equal zero`. Registration is per connection; scans are independent.
#pragma once

struct sqlite3;

namespace pgw {

// Registers the module on `db`. Returns a SQLite result code.
int RegisterGenerateSeries(sqlite3* db);

}  // namespace pgw
