// The one place where ODBC diagnostics become PostgreSQL errors. A failed ODBC call leaves
// diagnostic records (ODBC SQLSTATE, the target's native error code, the driver's message);
// MapOdbcDiagnostics picks the SQLSTATE a PostgreSQL client expects:
//   - PostgreSQL targets (psqlODBC) report the server's own SQLSTATE: kept as it is, with the
//     driver's decorations stripped from the message;
//   - InterSystems IRIS reports its SQLCODE as the native error (a positive number over ODBC,
//     https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=RERR_sql):
//     the common ones map to their PostgreSQL counterparts;
//   - SQLite (sqliteodbc) reports HY000 with SQLite's message: mapped by message;
//   - otherwise the ODBC SQLSTATE class maps to the PostgreSQL class (42S02 -> 42P01, ...).
// A lost connection (08xxx, or a driver message saying so) is always 08006, and IsConnectionLost
// tells the pool to discard that connection. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "backend/odbc/odbc_handles.h"
#include "common/status.h"
#include "iris_pgwire/backend.h"

namespace pgw::odbc {

// REQUIRES: what the failed call was doing, for messages without diagnostics ("connect").
[[nodiscard]] Status MapOdbcDiagnostics(std::span<const DiagRecord> diags, Dialect dialect,
                                        std::string_view what);

// True when the diagnostics say the connection to the target is gone.
bool IsConnectionLost(std::span<const DiagRecord> diags);

}  // namespace pgw::odbc
