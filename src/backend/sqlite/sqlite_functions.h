// The SQLite dialect's runtime: SQL functions and eponymous virtual tables registered on every
// connection of the SQLite backend. This header is the contract between the translator's SQLite
// dialect (sql/translator.cc emits these names) and the backend (which implements them).
//
// Functions (all deterministic unless noted):
//   pgw_cast(value, target_oid [, typmod])  value converted to the target type's storage form
//       (types/value_codec.h), with PostgreSQL's validation and error text: 22P02
//       `invalid input syntax for type integer: "abc"`, 22003 out of range, 22007 bad date.
//   pgw_div(a, b), pgw_mod(a, b)   '/' and '%': integer division truncates toward zero when both
//       are integers, 22012 `division by zero` when b is 0, NULL if either is NULL.
//   pgw_now()            transaction start time, timestamptz storage form (UTC, microseconds);
//                        also current_timestamp, transaction_timestamp(). Not deterministic.
//   pgw_statement_timestamp(), pgw_clock_timestamp()   likewise; not deterministic.
//   pgw_current_date()   'YYYY-MM-DD' (UTC).
//   pgw_version()        "PostgreSQL <server_version> (iris-pgwire <v>, SQLite <v>) on ..."
//   pgw_current_database(), pgw_current_user(), pgw_session_user()   from the SessionParams.
//   pgw_current_schema() 'public';  pgw_current_schemas(include_implicit)  '{pg_catalog,public}'
//                        or '{public}' (PostgreSQL array text form).
//   pgw_array_position(array_text, value)  1-based position in a PostgreSQL array literal, or NULL.
//   pgw_pg_backend_pid() the session's pid as given in BackendKeyData.
//   pgw_bool_out(x)      't'/'f' text of a boolean (for casts of booleans to text).
//   pgw_pg_sleep(seconds) sleeps in slices of at most 10 ms, checking *cancel_requested
//                        between slices: a cancel ends it with 57014. Returns NULL (void).
//                        Under a time slice it stops at once (the statement moves elsewhere).
//   pgw_raise(sqlstate, message)  fails the statement with that error. Not deterministic.
//
// Aggregates:
//   pgw_array_agg(value, elem_oid [, key1, desc1, nulls_first1 [, key2, ...]])
//       PostgreSQL's array_agg: the values (NULLs included) as a PostgreSQL array literal in
//       text form ('{1,2,NULL}', strings quoted/escaped as array_out does; elem_oid decides
//       quoting of non-numeric elements), ordered by the optional sort keys (desc = 1 for
//       DESC, nulls_first = 1 for NULLS FIRST; the translator always passes both flags with
//       PostgreSQL's defaults made explicit). NULL when no rows.
//   pgw_string_agg(value, separator [, key1, desc1, nulls_first1 ...])
//       PostgreSQL's string_agg: NULL values skipped, ordered like pgw_array_agg. NULL when no
//       non-NULL rows.
//
// PostgreSQL functions that SQLite lacks, registered under their PostgreSQL names (so the
// translator passes them through unchanged): repeat, lpad, rpad, left, right, reverse,
// split_part, initcap, md5, chr, ascii, starts_with, translate, concat_ws, btrim (2-arg),
// to_hex, gen_random_uuid (not deterministic), pg_typeof is NOT here (needs types).
// Details and limits in sqlite_strings.h. LEFT and RIGHT are SQLite keywords (`left(...)` is a
// syntax error there): the dialect must emit "left"(...) / "right"(...) quoted, or the aliases
// pgw_left / pgw_right. btrim also takes one argument (trims spaces).
//
// Table-valued functions (eponymous virtual tables):
//   pgw_generate_series(start, stop [, step])  column `value`; integer series (step may be
//       negative; step 0 is 22023 `step size cannot equal zero`).
//
// Catalog relations, computed live from the database schema on every scan (sqlite_catalog.h):
//   pgw_pg_namespace, pgw_pg_class, pgw_pg_attribute, pgw_pg_type, pgw_pg_database,
//   pgw_pg_partitioned_table (empty), pgw_pg_inherits (empty), pgw_pg_roles,
//   pgw_pg_stat_progress_copy (the running COPY commands, sqlite_progress_copy.cc).
//   The translator maps pg_catalog.<name> (and unqualified catalog names) to pgw_<name>.
//
// The connection also runs `PRAGMA case_sensitive_like = ON` (PostgreSQL's LIKE is case
// sensitive); the dialect writes ILIKE as lower(a) LIKE lower(b), and LIKE with ESCAPE '\'.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

struct sqlite3;

namespace pgw {


// Per-connection state the functions read. Owned by the backend session; must outlive the
// connection's use of the functions.
struct SqliteFunctionContext {
  std::string database;
  std::string user;
  std::string server_version;
  int32_t backend_pid = 0;
  int64_t transaction_start_us = 0;  // microseconds since the Unix epoch; 0 = use statement time
  int64_t statement_start_us = 0;
  // Set by BackendSession::Cancel() (with sqlite3_interrupt) and cleared when the next statement
  // starts; long-running functions poll it.
  std::atomic<bool> cancel_requested{false};
  // The session's time slice (BackendSession::SetTimeSlice), in steady_clock nanoseconds; 0 =
  // none. Read and written only by the thread running the connection. When it expires, the
  // progress handler (or a long-running function) stops the statement and sets slice_expired.
  int64_t slice_deadline_ns = 0;
  bool slice_expired = false;
};

// steady_clock now, in the unit of slice_deadline_ns.
int64_t SteadyNowNs();

// Registers every function above on `db`. Returns SQLite result code.
int RegisterSqliteFunctions(sqlite3* db, SqliteFunctionContext* ctx);

}  // namespace pgw
