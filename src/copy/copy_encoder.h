// COPY TO output: rows of storage-form Values -> text, CSV or binary bytes exactly as
// PostgreSQL 15's COPY TO writes them (CopyAttributeOutText / CopyAttributeOutCSV / binary
// signature and trailer). Pure; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "copy/copy_options.h"
#include "types/value.h"

namespace pgw {

// 42P10 `FORCE_QUOTE column "b" not referenced by COPY` when a FORCE_QUOTE name is not among
// `columns`. (A name not in the table at all is the SQL layer's 42703, checked first.)
[[nodiscard]] Status CheckForceQuoteColumns(const CopyOptions& opts,
                                            const std::vector<CopyColumn>& columns);

// Appends what precedes the rows: the binary signature, or the header line when HEADER is on.
void AppendCopyPrologue(const CopyOptions& opts, const std::vector<CopyColumn>& columns,
                        std::string* out);
// Appends one row. REQUIRES: values.size() == columns.size(). Errors from EncodeValue.
[[nodiscard]] Status AppendCopyRow(const CopyOptions& opts, const std::vector<CopyColumn>& columns,
                                   std::span<const Value> values, std::string* out);
// Appends what follows the rows: the binary trailer (int16 -1); nothing for text and CSV.
void AppendCopyEpilogue(const CopyOptions& opts, std::string* out);

}  // namespace pgw
