// OdbcBulkSink: the ODBC backend's COPY FROM fast path (BulkSink in backend.h). Each RowBatch is
// cut into chunks of at most kBulkRows rows whose bound buffers hold at most kBulkBytes, so
// memory stays bounded whatever the row width; a chunk is bound column-wise with the C and SQL
// types the ODBC cursor binds parameters with (MapParam in odbc_types.h) and written by a
// prepared multi-row INSERT of kGroupRows rows per execution, the rest by the one-row INSERT
// executed as a parameter array (SQL_ATTR_PARAMSET_SIZE; drivers that take no arrays, where
// setting it fails or does not stick, get one execution per row). psqlODBC runs an array one
// set per round trip, which is why the multi-row INSERT exists. Each chunk of several rows
// runs under a savepoint: when it fails it is rolled back and re-run row by row, so the error
// is the failing row's own and names its line. Rows join the session's transaction (the COPY's
// bracket): the sink never commits or rolls back the COPY itself. COPY FROM ... WHERE inserts
// from the bound row as a derived table named like the target, filtered by the condition, one
// row per execution (the row count tells inserted from excluded). Not thread-safe; Write runs
// while no other call of the session does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/odbc/odbc_connection.h"
#include "backend/odbc/odbc_types.h"
#include "iris_pgwire/backend.h"

namespace pgw::odbc {

class OdbcSession;

// Named limits of one parameter-array execution.
inline constexpr size_t kBulkRows = 1000;
inline constexpr size_t kBulkBytes = 4 * 1024 * 1024;  // bound parameter buffers
// Rows per multi-row INSERT, and its most markers (PostgreSQL takes 65535 per statement).
inline constexpr size_t kGroupRows = 100;
inline constexpr size_t kMaxGroupParams = 1000;

class OdbcBulkSink final : public BulkSink {
 public:
  // Builds the INSERT and prepares it once on the session's connection, so that an unknown
  // column fails before the COPY starts. REQUIRES: `session` outlives the sink.
  [[nodiscard]] static Result<std::unique_ptr<BulkSink>> Open(OdbcSession& session,
                                                              const BulkInsertSpec& spec);

  Status Write(const RowBatch& batch, BulkWriteResult* result) override;

 private:
  OdbcBulkSink(OdbcSession& session, BulkInsertSpec spec, std::string sql)
      : session_(session), spec_(std::move(spec)), sql_(std::move(sql)) {}

  // One column's bound array for the rows of one chunk.
  struct Column {
    std::vector<char> data;  // rows * width
    std::vector<SQLLEN> ind;
    size_t width = 0;
    ParamType type;
    std::vector<std::string> text;  // values of a mixed-kind column, as text
  };

  // Rows [begin, end) of `batch` whose bound buffers fit kBulkBytes, at most kBulkRows.
  size_t ChunkEnd(const RowBatch& batch, size_t begin) const;
  // Fills columns_ with rows [begin, end) of `batch`.
  void Fill(const RowBatch& batch, size_t begin, size_t end);
  // Binds chunk rows [row, row + rows) to the markers of `h` (`rows` rows of markers).
  [[nodiscard]] Status Bind(OdbcConnection& conn, SQLHSTMT h, size_t row, size_t rows);
  // Executes `h` for `sets` parameter sets (column-wise from the bound row).
  [[nodiscard]] Status Run(OdbcConnection& conn, SQLHSTMT h, size_t sets);
  // The chunk's `rows` rows: group INSERTs (`group`, may be null), then the rest as an array.
  [[nodiscard]] Status WriteChunk(OdbcConnection& conn, SQLHSTMT h, SQLHSTMT group, size_t rows);
  // Whether the driver takes parameter arrays on `h` (asked once).
  bool ArraysSupported(SQLHSTMT h);

  OdbcSession& session_;
  BulkInsertSpec spec_;
  std::string sql_;        // one row
  std::string group_sql_;  // group_rows_ rows; empty when not used
  size_t group_rows_ = 1;
  int arrays_ = -1;  // -1 not asked yet, 0 no, 1 yes
  std::vector<Column> columns_;
  SQLLEN last_count_ = 0;  // rows the last Run inserted
};

}  // namespace pgw::odbc
