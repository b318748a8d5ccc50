// Private types of ProtocolSession shared by its implementation files (session.cc,
// query_flow.cc). Not part of the session's interface.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "session/session.h"
#include "sql/literal_scanner.h"
#include "types/value.h"

namespace pgw {

// A parsed statement: its translation (shared, cached) and, for statements the backend runs,
// the backend's prepared statement.
struct ProtocolSession::Prepared {
  std::shared_ptr<const CachedTranslation> translation;
  const TranslatedStatement* stmt = nullptr;  // points into translation
  std::unique_ptr<BackendStatement> backend;  // null for session-handled kinds
  std::vector<uint32_t> param_types;          // final parameter types (never 0)
  std::vector<uint32_t> given_param_types;    // as the Parse message gave them
  std::string query;                          // client text (for error positions)
  // The RowDescription of `backend`'s columns last sent for these result formats (clients
  // describe the portal of a prepared statement on every execution).
  struct RowDescriptionCache {
    bool valid = false;
    std::vector<int16_t> formats;
    std::string bytes;
  };
  mutable RowDescriptionCache row_description;
};

// A bound statement ready to execute (protocol portal or SQL cursor).
struct ProtocolSession::Portal {
  std::shared_ptr<Prepared> prepared;
  std::string storage;                 // owned copy of the Bind body the params point into
  std::vector<std::string> scratch;    // converted parameter bytes, one per parameter
  std::vector<Value> params;
  std::vector<int16_t> result_formats; // one per result column
  std::unique_ptr<Cursor> cursor;      // opened at the first Execute
  bool done = false;
  bool is_sql_cursor = false;
  bool with_hold = false;

  // Back to a fresh portal, keeping the memory of its buffers for reuse.
  void Reset() {
    cursor.reset();  // first: it borrows the statement and the parameters' bytes
    prepared.reset();
    storage.clear();
    params.clear();
    result_formats.clear();
    done = false;
    is_sql_cursor = false;
    with_hold = false;
  }
};

// A simple Query in progress: its statements and where it stands.
struct ProtocolSession::SimpleQuery {
  std::string sql;  // owned: the input buffer may move while the query is suspended
  std::shared_ptr<const CachedTranslation> translation;
  bool literal_parameterized = false;
  uint64_t rows = 0;
  // Output size before this statement's RowDescription: an error before the first row takes
  // the RowDescription back, as PostgreSQL reports such errors before describing the result.
  size_t row_description_at = 0;
  bool row_description_pending = false;
  size_t index = 0;
  bool multi = false;
  std::vector<Value> literal_params;
  std::vector<std::string> literal_storage;  // folded string literals
  std::unique_ptr<Portal> portal;            // the statement being executed
  bool resumed = false;                      // `portal` has been fetched from before
  bool any_statement = false;
  bool copy_started = false;  // the statement at `index` is a COPY already started
};


// Copies every Text/Blob parameter's bytes into portal.storage and re-points the Values, so the
// portal no longer depends on the message it was created from.
void OwnParams(ProtocolSession::Portal& portal);

// SQLite keeps numeric values as 64-bit integers or doubles: 22003 for a numeric with more
// significant digits than a double holds, instead of rounding it when stored.
Status CheckSqliteNumeric(const Value& v);

// Converts scanned literals into parameter Values (strings folded into `storage`).
void LiteralsToParams(const std::vector<ScannedLiteral>& lits, std::vector<Value>* params,
                      std::vector<std::string>* storage);

}  // namespace pgw
