// The translator: PostgreSQL SQL in (parsed by libpg_query, the real PostgreSQL grammar), one
// TranslatedStatement per statement out, in the backend's dialect. Statements the session
// handles itself (transaction control, SET/SHOW/RESET, DISCARD, ...) are classified and carry
// their arguments instead of SQL. A construct the dialect cannot express is refused with 0A000
// naming it; a syntax error is 42601 with the cursor position. Pure: no I/O, thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "copy/copy_options.h"
#include "iris_pgwire/backend.h"
#include "types/pg_types.h"

namespace pgw {

enum class StatementKind : uint8_t {
  kEmpty,        // only comments / whitespace / ';'
  kQuery,        // SELECT, VALUES, TABLE, WITH ... : returns rows
  kInsert,
  kUpdate,
  kDelete,
  kDdl,          // CREATE/DROP/ALTER/TRUNCATE/... run by the backend, no rows
  kUtility,      // VACUUM / ANALYZE / CHECKPOINT ...: run by the backend (or no-op), no rows
  kBegin,        // BEGIN / START TRANSACTION
  kCommit,       // COMMIT / END
  kRollback,     // ROLLBACK / ABORT
  kSavepoint,
  kRelease,
  kRollbackTo,
  kSet,          // SET name = value / SET name TO DEFAULT / SET TIME ZONE ...
  kReset,        // RESET name / RESET ALL
  kShow,         // SHOW name / SHOW ALL
  kDiscard,      // DISCARD ALL / PLANS / ...
  kDeallocate,   // DEALLOCATE [PREPARE] name | ALL
  kNoOp,         // accepted and ignored (e.g. LISTEN, SET TRANSACTION ISOLATION ...)
  kCopy,         // COPY: `copy` describes it; for COPY (query) TO, sql/result_hints are the
                 //   query's translation. Checked and run by the session's COPY flow.
  kDeclareCursor,  // DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR query:
                   //   name = cursor, sql/result_hints = the query's translation
  kFetch,        // FETCH / MOVE [FORWARD|NEXT|ALL|n] [FROM|IN] name: name, fetch_count
  kClosePortal,  // CLOSE name | CLOSE ALL ("" = all)
};

// What is known about a result column before execution. 0 = let the backend decide.
struct ResultColumnHint {
  std::string name;       // PostgreSQL's column name ("?column?", "count", alias, ...)
  Oid type_oid = 0;
  int32_t typmod = -1;
};

// A COPY statement as written. Semantic checks (relation and columns exist, options valid)
// happen when it runs, as in PostgreSQL.
struct CopySpec {
  std::string relation;              // unqualified table name; empty for COPY (query) TO
  std::string schema;                // as written: "", "public", "pg_catalog", ...
  int relation_location = -1;        // byte offset of the relation name in the input
  std::vector<std::string> columns;  // the column list as written; empty = every column
  bool is_from = false;
  bool is_program = false;
  std::string filename;              // server file or program; empty = STDIN / STDOUT
  std::vector<CopyOptionItem> options;
  // COPY FROM ... WHERE: the condition in the backend's dialect over the columns of
  // `relation` (unqualified or qualified by the relation's name); empty = none.
  std::string where_sql;
};

// ALTER TABLE ... ADD PRIMARY KEY. TranslatedStatement::sql adds the key portably from
// `sql_offset` on, as a unique index (plus NOT NULL checks where the dialect needs them); a
// backend that can instead rebuild the table around the key (SQLite: a WITHOUT ROWID table,
// one B-tree search per key lookup instead of index then table) runs sql[0, sql_offset) and
// then the rebuild.
struct PrimaryKeyRebuild {
  std::string table;                 // unqualified, as written
  std::string name;                  // the constraint's name (default "<table>_pkey")
  std::vector<std::string> columns;  // the key, in order
  size_t sql_offset = 0;
};

struct TranslatedStatement {
  StatementKind kind = StatementKind::kEmpty;
  std::string sql;             // backend dialect SQL; empty for session-handled kinds
  std::string command_tag;     // "SELECT", "INSERT", "CREATE TABLE", "DROP TABLE", ...
  int num_params = 0;          // highest $n used
  std::vector<Oid> param_types;  // size num_params; inferred from context, 0 = unknown
  // One per result column for kQuery and for DML with RETURNING; empty otherwise.
  std::vector<ResultColumnHint> result_hints;
  bool returns_rows = false;   // kQuery, or DML with RETURNING
  // kSet/kReset/kShow: setting name (lower-case; "all" for SHOW ALL / RESET ALL).
  // kSavepoint/kRelease/kRollbackTo: savepoint name. kDeallocate: statement name or "".
  std::string name;
  std::vector<std::string> values;  // kSet: the value(s) as text; empty = DEFAULT
  bool is_local = false;            // SET LOCAL
  // kFetch: rows to fetch (-1 = ALL); is_move for MOVE. kDeclareCursor: binary, with_hold.
  int64_t fetch_count = 1;
  bool is_move = false;
  bool binary = false;
  bool with_hold = false;
  // Literals of the input that were turned into parameters (see
  // TranslateOptions::parameterize_literals), in parameter order after the $n parameters:
  // parameter number num_params + k + 1 is the literal at byte offset literal_locations[k].
  std::vector<int> literal_locations;
  // kCopy: what to copy (shared: statements are copied into caches and portals).
  std::shared_ptr<const CopySpec> copy;
  // kDdl: ALTER TABLE ... ADD PRIMARY KEY (shared for the same reason).
  std::shared_ptr<const PrimaryKeyRebuild> primary_key;
  // The statement reads catalog relations (pg_catalog / information_schema): a backend without
  // the catalog in its own engine runs it on the catalog engine (include/iris_pgwire/catalog.h).
  bool uses_catalog = false;
  // Translated with the SQLite dialect for the catalog engine (TranslateOptions::catalog_engine):
  // a SELECT that reads catalog relations, or session functions (version(), current_setting(),
  // pg_backend_pid(), ::regclass, current_user ...) and no table of the target.
  bool on_catalog_engine = false;
  // Byte range of this statement within the input text.
  int stmt_location = 0;
  int stmt_len = 0;
};

struct TranslateOptions {
  Dialect dialect = Dialect::kSqlite;
  // For parameter type inference; may be null.
  const SchemaLookup* schema = nullptr;
  // Turn numeric and plain string constants in SELECT/DML expressions into parameters so one
  // translation (and one backend prepared statement) serves every query of the same shape.
  // Constants whose value the output SQL depends on (DDL, typed literals such as
  // DATE '...', casts the dialect folds) stay inline and are not listed.
  bool parameterize_literals = false;
  // The backend answers the catalog on the gateway's catalog engine (SQLite), not its target:
  // a SELECT that reads the catalog is translated with the SQLite dialect (and marked
  // on_catalog_engine); one that joins catalog relations with the target's tables is 0A000.
  bool catalog_engine = false;
};

// Named limits.
inline constexpr int kMaxTransformDepth = 1000;   // expression nesting; deeper -> 54001
// Stack the transformer may use below its entry (PostgreSQL's max_stack_depth default); past it
// 54001 too, whatever the nesting count: frames are larger in sanitizer builds.
inline constexpr size_t kMaxTransformStackBytes = 2048 * 1024;

// Translates every statement of `pg_sql`.
[[nodiscard]] Result<std::vector<TranslatedStatement>> Translate(std::string_view pg_sql,
                                                                 const TranslateOptions& opts);

}  // namespace pgw
