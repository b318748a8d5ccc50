// Numbered parameter markers -> ODBC `?` markers (see odbc_placeholders.h).
#include "backend/odbc/odbc_placeholders.h"

#include <cctype>

#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Index just past the quoted run starting at `i` (sql[i] == quote); doubled quotes stay inside.
// `backslash`: E'...' strings, where \x escapes the next byte.
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslash) {
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

size_t SkipBlockComment(std::string_view sql, size_t i) {
  int depth = 0;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// $tag$ at `i`: the tag's length including both dollars, or 0 when this is no dollar quote.
size_t DollarTag(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;  // $1
  while (j < sql.size() && sql[j] != '$') {
    if (!IsIdentChar(sql[j]) || sql[j] == '$') return 0;
    ++j;
  }
  if (j >= sql.size()) return 0;
  return j - i + 1;
}

}  // namespace

Result<OdbcSql> ToOdbcMarkers(std::string_view sql, bool dollar_quotes) {
  OdbcSql out;
  out.sql.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t next = i + 1;
    if (c == '\'') {
      bool escape = dollar_quotes && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                    (i < 2 || !IsIdentChar(sql[i - 2]));
      next = SkipQuoted(sql, i, '\'', escape);
    } else if (c == '"') {
      next = SkipQuoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      next = sql.find('\n', i);
      if (next == std::string_view::npos) next = sql.size();
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      next = SkipBlockComment(sql, i);
    } else if ((c == '$' || c == '?') && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      if (j > i + 1) {
        int n = 0;
        for (size_t k = i + 1; k < j; ++k) n = n * 10 + (sql[k] - '0');
        if (n <= 0 || n > 65535) {
          return Status::Error(
              sqlstate::kUndefinedParameter,
              "there is no parameter $" + std::string(sql.substr(i + 1, j - i - 1)));
        }
        out.markers.push_back(n);
        out.sql.push_back('?');
        i = j;
        continue;
      }
      if (c == '?') {
        return Status::Error(sqlstate::kFeatureNotSupported,
                             "the ? operator is not supported through ODBC, where ? is the "
                             "parameter marker");
      }
      if (dollar_quotes) {
        if (size_t tag = DollarTag(sql, i); tag > 0) {
          size_t end = sql.find(sql.substr(i, tag), i + tag);
          next = end == std::string_view::npos ? sql.size() : end + tag;
        }
      }
    }
    out.sql.append(sql, i, next - i);
    i = next;
  }
  return out;
}

}  // namespace pgw::odbc
