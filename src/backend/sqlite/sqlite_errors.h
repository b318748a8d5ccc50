// The one place where SQLite failures become PostgreSQL errors: a result code plus SQLite's
// message is mapped to the SQLSTATE and the wording PostgreSQL would use ("no such table: t" ->
// 42P01 `relation "t" does not exist`). Functions registered by this backend report their own
// SQLSTATE by prefixing the message with kSqlstateMarker and the five-character code
// (SetFunctionError); MapSqliteError decodes that prefix. Thread-safety: the functions are
// pure except SqliteStatus, which reads `db`'s error message and may query its schema (for
// constraint names), so it must run on the thread that owns `db`.
#pragma once

#include <string_view>

#include "catalog/sqlite_function_args.h"
#include "common/status.h"

struct sqlite3;
struct sqlite3_context;

namespace pgw {

// Maps an extended result code and SQLite's message to a Status. `db` (optional) is used to
// name unique constraints after their index; pass nullptr to skip schema lookups.
[[nodiscard]] Status MapSqliteError(int rc, std::string_view message, sqlite3* db);

// The error of the last failed call on `db`, which returned `rc`.
[[nodiscard]] Status SqliteStatus(sqlite3* db, int rc);
// A statement stopped because the session's time slice expired: retryable, never sent to a
// client (the session runs the statement again without a slice).
[[nodiscard]] Status TimeSliceExpired();

// Fails the current SQL function call with a Status's SQLSTATE and message.
void SetFunctionError(sqlite3_context* ctx, const Status& status);

}  // namespace pgw
