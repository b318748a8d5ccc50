// The state of one COPY command of a ProtocolSession (private to the session's COPY files:
// copy_flow.cc starts and ends it, copy_in.cc runs COPY FROM, copy_out.cc COPY TO).
//
// A COPY lives from StartCopy to EndCopy. COPY FROM STDIN waits for CopyData frames between
// Process() calls; COPY TO STDOUT suspends on a full output buffer (kFlush) and resumes in the
// next Process(). COPY to or from a server file or program runs to completion inside one call.
// Not thread-safe: the session's thread only (the insert pipeline has its own thread, which
// touches only the sink).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "copy/copy_decoder.h"
#include "copy/copy_options.h"
#include "iris_pgwire/backend.h"
#include "session/copy_fetch_pipeline.h"
#include "session/copy_file.h"
#include "session/copy_insert_pipeline.h"
#include "session/copy_progress.h"
#include "session/deadline_scheduler.h"
#include "session/session.h"

namespace pgw {

// Bytes COPY TO a file or program writes at a time.
inline constexpr size_t kCopyDataChunk = 64 * 1024;
// Bytes read from a server file or program per step of COPY FROM.
inline constexpr size_t kCopyFileChunk = 64 * 1024;
// PostgreSQL's MAX_COPY_DATA_DISPLAY: longer values and lines are cut in CONTEXT lines.
inline constexpr size_t kCopyContextDisplay = 100;

struct ProtocolSession::CopyRun {
  // How the COPY is bracketed so that it is atomic: its own transaction (autocommit) or a
  // savepoint inside the session's transaction.
  enum class Bracket : uint8_t { kNone, kTransaction, kSavepoint };

  CopyOrigin origin = CopyOrigin::kSimple;
  std::shared_ptr<const CopySpec> spec;
  CopyOptions opts;
  std::string relname;              // for CONTEXT lines ("" for COPY (query) TO)
  RelationInfo rel;                 // COPY FROM, and COPY table TO
  std::vector<CopyColumn> columns;  // the copied columns: names, types
  Bracket bracket = Bracket::kNone;
  uint64_t rows = 0;
  std::shared_ptr<CopyProgressRegistry::Entry> progress;
  DeadlineScheduler::Id timer = 0;
  std::unique_ptr<CopyFileEndpoint> file;  // FILE / PROGRAM; null for STDIN / STDOUT

  // COPY FROM. The sink is declared before the pipeline that writes to it (destroyed after).
  bool waiting_for_data = false;        // STDIN: CopyInResponse sent, CopyData expected
  std::vector<RelationColumn> targets;  // one per copied column
  std::unique_ptr<CopyDecoder> decoder;
  std::unique_ptr<BulkSink> sink;
  std::unique_ptr<CopyInsertPipeline> pipeline;
  std::vector<std::string> scratch;  // per column: converted field bytes
  std::vector<Value> values;         // the row being converted
  uint64_t rows_seen = 0;            // rows converted and handed to the pipeline
  // A NOT NULL column without a default that the COPY does not supply: every row fails on it.
  const RelationColumn* missing_not_null = nullptr;
  // Every column of the table is copied, so a failing row can be shown whole (DETAIL).
  bool whole_rows = false;
  std::vector<size_t> table_order;  // COPY column index of each table column (whole_rows)

  // COPY TO. The cursor borrows the statement, the fetch pipeline the cursor: each is declared
  // after what it uses (destroyed before it).
  std::unique_ptr<BackendStatement> statement;
  std::unique_ptr<Cursor> cursor;
  std::unique_ptr<CopyFetchPipeline> fetch;
  const RowBatch* batch = nullptr;  // the batch being encoded (owned by `fetch`)
  size_t batch_row = 0;             // its next row
  bool prologue_done = false;
  std::string pending;  // binary signature not sent yet: it goes with the first row
};

// `CONTEXT` text of PostgreSQL's CopyFromErrorCallback, for a field, a line or a bare line
// number. Values and lines longer than kCopyContextDisplay bytes are cut and end in "...".
std::string CopyFieldContext(std::string_view relname, int64_t line, std::string_view column,
                             const std::optional<std::string_view>& value, bool binary);
std::string CopyLineContext(std::string_view relname, int64_t line,
                            const std::optional<std::string_view>& text);
// The columns of `rel` a COPY names, as indexes into rel.columns (every column but generated
// ones when `names` is empty), with CopyGetAttnums' errors: 42703 `column "x" of relation "t"
// does not exist`, 42701 `column "x" specified more than once`, 42P10 for a generated column.
Result<std::vector<size_t>> CopyColumnIndexes(const RelationInfo& rel,
                                              const std::vector<std::string>& names);

// Adds `context` below any context the status already has (innermost first, as PostgreSQL
// prints the stack).
Status WithCopyContext(Status st, std::string_view context);

}  // namespace pgw
