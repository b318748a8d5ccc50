// ODBC knows one parameter marker, `?`, numbered by position. The translator's output numbers
// its parameters ($1 in PostgreSQL SQL, ?1 in the SQLite dialect), may use one twice and in any
// order. ToOdbcMarkers rewrites every numbered marker outside string literals, quoted
// identifiers and comments into `?` and records which parameter each `?` binds. A bare `?` in
// PostgreSQL SQL (the jsonb `?` operators) cannot be told from a marker by any ODBC driver and
// is refused with 0A000. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pgw::odbc {

struct OdbcSql {
  std::string sql;           // with `?` markers
  std::vector<int> markers;  // 1-based parameter number of each `?`, in order
};

// `dollar_quotes`: the SQL is PostgreSQL's, where $tag$...$tag$ quotes a string.
[[nodiscard]] Result<OdbcSql> ToOdbcMarkers(std::string_view sql, bool dollar_quotes);

}  // namespace pgw::odbc
