// Option validation for COPY, following PostgreSQL 15's ProcessCopyOptions check by check.
#include "copy/copy_options.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "common/sqlstate.h"

namespace pgw {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// defGetBoolean: no argument means true; true/false/on/off/1/0.
Result<bool> ArgBool(const CopyOptionItem& item) {
  if (item.arg.kind == CopyOptionArg::Kind::kNone) return true;
  if (item.arg.kind == CopyOptionArg::Kind::kString) {
    std::string v = Lower(item.arg.str);
    if (v == "true" || v == "on" || v == "1") return true;
    if (v == "false" || v == "off" || v == "0") return false;
  }
  return Status::Error(sqlstate::kSyntaxError, item.name + " requires a Boolean value");
}

Result<CopyHeader> ArgHeader(const CopyOptionItem& item, bool is_from) {
  if (item.arg.kind == CopyOptionArg::Kind::kString && Lower(item.arg.str) == "match") {
    if (is_from) return CopyHeader::kMatch;
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "cannot use \"" + item.arg.str + "\" with HEADER in COPY TO");
  }
  Result<bool> b = ArgBool(item);
  if (!b.ok()) {
    return Status::Error(sqlstate::kSyntaxError,
                         item.name + " requires a Boolean value or \"match\"");
  }
  return *b ? CopyHeader::kPresent : CopyHeader::kNone;
}

Result<std::string> ArgString(const CopyOptionItem& item) {
  if (item.arg.kind != CopyOptionArg::Kind::kString) {
    return Status::Error(sqlstate::kSyntaxError, item.name + " requires a parameter");
  }
  return item.arg.str;
}

// PostgreSQL's parser_errposition(pstate, defel->location).
Status AtOption(Status st, const CopyOptionItem& item) {
  if (item.location < 0) return st;
  return std::move(st).WithPosition(item.location + 1);
}

Result<std::vector<std::string>> ArgColumns(const CopyOptionItem& item) {
  if (item.arg.kind != CopyOptionArg::Kind::kList) {
    return AtOption(
        Status::Error(sqlstate::kInvalidParameterValue,
                      "argument to option \"" + item.name + "\" must be a list of column names"),
        item);
  }
  return item.arg.list;
}

// pg_char_to_encoding's normalization: lower case, only letters and digits.
std::string EncodingKey(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

Status CheckEncoding(const CopyOptionItem& item) {
  PGW_TRY(std::string name, ArgString(item));
  std::string key = EncodingKey(name);
  if (key == "utf8" || key == "unicode") return Status::OK();
  static constexpr std::array<std::string_view, 16> kOtherEncodings = {
      "sqlascii", "latin1", "latin2", "latin9", "win1252", "win1251",  "eucjp",   "euckr",
      "euccn",    "sjis",   "big5",   "gbk",    "koi8r",   "iso88591", "win1250", "mulecode"};
  if (std::find(kOtherEncodings.begin(), kOtherEncodings.end(), key) != kOtherEncodings.end()) {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "COPY encoding \"" + name + "\" is not supported");
  }
  return AtOption(
      Status::Error(sqlstate::kInvalidParameterValue,
                    "argument to option \"" + item.name + "\" must be a valid encoding name"),
      item);
}

Status Conflict(const CopyOptionItem& item) {
  return AtOption(Status::Error(sqlstate::kSyntaxError, "conflicting or redundant options"), item);
}

Status NotSupported(std::string msg) {
  return Status::Error(sqlstate::kFeatureNotSupported, std::move(msg));
}

Status Invalid(std::string msg) {
  return Status::Error(sqlstate::kInvalidParameterValue, std::move(msg));
}

// Cross-option checks in ProcessCopyOptions' order.
Status Validate(bool is_from, bool has_delim, bool has_null, bool has_quote, bool has_escape,
                CopyOptions& o) {
  if (o.binary() && has_delim) {
    return Status::Error(sqlstate::kSyntaxError, "cannot specify DELIMITER in BINARY mode");
  }
  if (o.binary() && has_null) {
    return Status::Error(sqlstate::kSyntaxError, "cannot specify NULL in BINARY mode");
  }
  if (o.binary() && o.header != CopyHeader::kNone) {
    return NotSupported("cannot specify HEADER in BINARY mode");
  }
  if (!has_delim) o.delimiter = o.csv() ? "," : "\t";
  if (!has_null) o.null_string = o.csv() ? "" : "\\N";
  if (o.csv()) {
    if (!has_quote) o.quote = "\"";
    if (!has_escape) o.escape = o.quote;
  }
  if (o.delimiter.size() != 1) {
    return NotSupported("COPY delimiter must be a single one-byte character");
  }
  const char delim = o.delimiter[0];
  if (delim == '\r' || delim == '\n') {
    return Invalid("COPY delimiter cannot be newline or carriage return");
  }
  if (o.null_string.find_first_of("\r\n") != std::string::npos) {
    return Invalid("COPY null representation cannot use newline or carriage return");
  }
  if (!o.csv() && std::string_view("\\.abcdefghijklmnopqrstuvwxyz0123456789").find(delim) !=
                      std::string_view::npos) {
    return Invalid("COPY delimiter cannot be \"" + o.delimiter + "\"");
  }
  if (!o.csv() && has_quote) return NotSupported("COPY quote available only in CSV mode");
  if (o.csv() && o.quote.size() != 1) {
    return NotSupported("COPY quote must be a single one-byte character");
  }
  if (o.csv() && delim == o.quote[0]) return Invalid("COPY delimiter and quote must be different");
  if (!o.csv() && has_escape) return NotSupported("COPY escape available only in CSV mode");
  if (o.csv() && o.escape.size() != 1) {
    return NotSupported("COPY escape must be a single one-byte character");
  }
  const bool force_quote = o.force_quote_all || !o.force_quote.empty();
  if (!o.csv() && force_quote) return NotSupported("COPY force quote available only in CSV mode");
  if (force_quote && is_from) return NotSupported("COPY force quote only available using COPY TO");
  if (!o.csv() && !o.force_not_null.empty()) {
    return NotSupported("COPY force not null available only in CSV mode");
  }
  if (!o.force_not_null.empty() && !is_from) {
    return NotSupported("COPY force not null only available using COPY FROM");
  }
  if (!o.csv() && !o.force_null.empty()) {
    return NotSupported("COPY force null available only in CSV mode");
  }
  if (!o.force_null.empty() && !is_from) {
    return NotSupported("COPY force null only available using COPY FROM");
  }
  if (o.null_string.find(delim) != std::string::npos) {
    return NotSupported("COPY delimiter must not appear in the NULL specification");
  }
  if (o.csv() && o.null_string.find(o.quote[0]) != std::string::npos) {
    return NotSupported("CSV quote character must not appear in the NULL specification");
  }
  return Status::OK();
}

}  // namespace

Result<CopyOptions> ParseCopyOptions(bool is_from, const std::vector<CopyOptionItem>& items) {
  CopyOptions o;
  bool has_format = false, has_delim = false, has_null = false, has_header = false;
  bool has_quote = false, has_escape = false, has_fnn = false, has_fn = false;
  bool has_freeze = false, has_encoding = false;
  for (const CopyOptionItem& item : items) {
    const std::string& n = item.name;
    if (n == "format") {
      if (has_format) return Conflict(item);
      has_format = true;
      PGW_TRY(std::string f, ArgString(item));
      std::string lf = Lower(f);
      if (lf == "text") {
        o.format = CopyFormat::kText;
      } else if (lf == "csv") {
        o.format = CopyFormat::kCsv;
      } else if (lf == "binary") {
        o.format = CopyFormat::kBinary;
      } else {
        return AtOption(Invalid("COPY format \"" + f + "\" not recognized"), item);
      }
    } else if (n == "freeze") {
      if (has_freeze) return Conflict(item);
      has_freeze = true;
      PGW_TRY(o.freeze, ArgBool(item));
    } else if (n == "delimiter") {
      if (has_delim) return Conflict(item);
      has_delim = true;
      PGW_TRY(o.delimiter, ArgString(item));
    } else if (n == "null") {
      if (has_null) return Conflict(item);
      has_null = true;
      PGW_TRY(o.null_string, ArgString(item));
    } else if (n == "header") {
      if (has_header) return Conflict(item);
      has_header = true;
      PGW_TRY(o.header, ArgHeader(item, is_from));
    } else if (n == "quote") {
      if (has_quote) return Conflict(item);
      has_quote = true;
      PGW_TRY(o.quote, ArgString(item));
    } else if (n == "escape") {
      if (has_escape) return Conflict(item);
      has_escape = true;
      PGW_TRY(o.escape, ArgString(item));
    } else if (n == "force_quote") {
      if (o.force_quote_all || !o.force_quote.empty()) return Conflict(item);
      if (item.arg.kind == CopyOptionArg::Kind::kStar) {
        o.force_quote_all = true;
      } else {
        PGW_TRY(o.force_quote, ArgColumns(item));
      }
    } else if (n == "force_not_null") {
      if (has_fnn) return Conflict(item);
      has_fnn = true;
      PGW_TRY(o.force_not_null, ArgColumns(item));
    } else if (n == "force_null") {
      if (has_fn) return Conflict(item);
      has_fn = true;
      PGW_TRY(o.force_null, ArgColumns(item));
    } else if (n == "encoding") {
      if (has_encoding) return Conflict(item);
      has_encoding = true;
      PGW_RETURN_IF_ERROR(CheckEncoding(item));
    } else {
      return AtOption(Status::Error(sqlstate::kSyntaxError, "option \"" + n + "\" not recognized"),
                      item);
    }
  }
  PGW_RETURN_IF_ERROR(Validate(is_from, has_delim, has_null, has_quote, has_escape, o));
  return o;
}

}  // namespace pgw
