// CopyOptions: the validated option list of one COPY statement (FORMAT, DELIMITER, NULL, HEADER,
// QUOTE, ESCAPE, FORCE_QUOTE, FORCE_NOT_NULL, FORCE_NULL, ENCODING, FREEZE), with PostgreSQL 15's
// defaults and validation errors (ProcessCopyOptions). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "types/pg_types.h"

namespace pgw {

enum class CopyFormat : uint8_t { kText, kCsv, kBinary };
enum class CopyHeader : uint8_t { kNone, kPresent, kMatch };

// One column taking part in a COPY: its name (for HEADER and error messages) and type.
struct CopyColumn {
  std::string name;
  Oid type = oid::kText;
  int32_t typmod = -1;
};

// The argument of one option as the parser saw it: none (`HEADER`), a string or number
// (`DELIMITER ','`, `HEADER 1`), a column list (`FORCE_QUOTE (a, b)`) or `*`.
struct CopyOptionArg {
  enum class Kind : uint8_t { kNone, kString, kList, kStar };
  Kind kind = Kind::kNone;
  std::string str;
  std::vector<std::string> list;
};

struct CopyOptionItem {
  std::string name;  // lower-case option name, e.g. "delimiter"
  CopyOptionArg arg;
  int location = -1;  // byte offset of the option in the statement text, -1 = unknown
};

struct CopyOptions {
  CopyFormat format = CopyFormat::kText;
  std::string delimiter;  // one byte after validation
  std::string null_string;
  CopyHeader header = CopyHeader::kNone;
  std::string quote;   // CSV only
  std::string escape;  // CSV only
  bool force_quote_all = false;
  std::vector<std::string> force_quote;
  std::vector<std::string> force_not_null;
  std::vector<std::string> force_null;
  bool freeze = false;

  bool csv() const { return format == CopyFormat::kCsv; }
  bool binary() const { return format == CopyFormat::kBinary; }
};

// Validates `items` for COPY FROM (`is_from`) or COPY TO and fills in the defaults (delimiter
// tab/comma, null "\N"/"", quote '"', escape = quote). Errors carry PostgreSQL's SQLSTATE and
// text, e.g. 0A000 `COPY delimiter must be a single one-byte character`. Only the UTF8 encoding
// is supported (0A000 otherwise). Errors PostgreSQL reports at an option (conflicting or
// unknown options, bad FORMAT, ENCODING or column-list arguments) carry its 1-based position.
[[nodiscard]] Result<CopyOptions> ParseCopyOptions(bool is_from,
                                                   const std::vector<CopyOptionItem>& items);

}  // namespace pgw
