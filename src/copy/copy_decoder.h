// CopyDecoder: turns the bytes of a COPY FROM data stream (text, CSV or binary, fed in arbitrary
// chunks; a line may span chunks) into rows of raw fields, with PostgreSQL 15's parsing rules
// and errors (copyfromparse.c). Fields are not converted to values; a field is std::nullopt for
// NULL. Errors carry SQLSTATE and message; the caller adds `CONTEXT: COPY t, line N` from
// line(). Not thread-safe; one decoder per COPY.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "copy/copy_options.h"

namespace pgw {

// One decoded row. Views point into the decoder and stay valid until the next Feed() or Next().
struct CopyRow {
  // PostgreSQL's cur_lineno for this row (text/CSV: physical line, counting newlines inside
  // quoted CSV fields as PostgreSQL does; binary: row ordinal).
  int64_t line = 0;
  std::vector<std::optional<std::string_view>> fields;  // one per column
  // Text/CSV: the row's raw line as read (for `CONTEXT: COPY t, line 1: "..."`); binary: empty.
  std::string_view text;
};

class CopyDecoder {
 public:
  enum class Step : uint8_t { kRow, kNeedMore, kDone };

  // REQUIRES: `opts` validated for COPY FROM. `columns` are the target columns in order.
  // Errors: 42P10 when a FORCE_NOT_NULL/FORCE_NULL column is not among `columns`.
  static Result<std::unique_ptr<CopyDecoder>> Create(const CopyOptions& opts,
                                                     std::vector<CopyColumn> columns);
  virtual ~CopyDecoder() = default;

  // Appends the bytes of one CopyData message.
  virtual void Feed(std::string_view bytes) = 0;
  // Marks the end of the data (CopyDone).
  virtual void Finish() = 0;
  // Decodes the next row into *row: kRow, kNeedMore (feed more bytes) or kDone (end marker or
  // end of data reached; later calls keep returning kDone).
  [[nodiscard]] virtual Result<Step> Next(CopyRow* row) = 0;
  // The line (row) number the last row or error refers to, for the CONTEXT line.
  virtual int64_t line() const = 0;
  // After an error: the column it concerns (binary field errors; PostgreSQL's
  // `COPY t, line 1, column b`), else empty.
  virtual std::string_view error_column() const { return {}; }
  // After an error in a text/CSV line that was read whole: that line's raw bytes (PostgreSQL's
  // `COPY t, line 1: "1\tb\tc"`), else empty; has_error_line() tells an empty line from none.
  virtual std::string_view error_line_text() const { return {}; }
  virtual bool has_error_line() const { return false; }
};

// PostgreSQL's MaxAllocSize: a text/CSV line or a binary field must stay below it (54000
// `out of memory`, as PostgreSQL's StringInfo reports it), which also bounds what a decoder
// buffers for one row.
inline constexpr size_t kMaxCopyLineBytes = 0x3fffffff;

}  // namespace pgw
