#include "session/error_position.h"

#include <cctype>
#include <string>

#include "common/sqlstate.h"

namespace pgw {
namespace {

bool IdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Byte offset of `name` as a whole identifier (unquoted: case-insensitive; or "quoted"),
// skipping literals and comments; npos when absent.
size_t FindIdentifier(std::string_view sql, std::string_view name) {
  const size_t n = sql.size();
  for (size_t i = 0; i < n;) {
    char c = sql[i];
    if (c == '\'') {
      for (++i; i < n; ++i) {
        if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            ++i;
            continue;
          }
          ++i;
          break;
        }
      }
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
      continue;
    }
    if (c == '"') {
      size_t end = sql.find('"', i + 1);
      if (end == std::string_view::npos) return std::string_view::npos;
      if (sql.substr(i + 1, end - i - 1) == name) return i;
      i = end + 1;
      continue;
    }
    if (IdentChar(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < n && IdentChar(static_cast<unsigned char>(sql[j]))) ++j;
      std::string_view word = sql.substr(i, j - i);
      if (word.size() == name.size()) {
        bool eq = true;
        for (size_t k = 0; k < word.size() && eq; ++k) {
          eq = std::tolower(static_cast<unsigned char>(word[k])) == name[k];
        }
        if (eq) return i;
      }
      i = j;
      continue;
    }
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace

void LocateUndefinedName(Status* st, std::string_view sql) {
  if (st->ok() || st->info().position > 0) return;
  std::string_view code = st->sqlstate();
  if (code != sqlstate::kUndefinedTable && code != sqlstate::kUndefinedColumn &&
      code != sqlstate::kUndefinedFunction) {
    return;
  }
  std::string_view msg = st->message();
  size_t open = msg.find('"');
  size_t close = open == std::string_view::npos ? open : msg.find('"', open + 1);
  std::string_view name;
  if (close != std::string_view::npos) {
    name = msg.substr(open + 1, close - open - 1);
  } else if (code == sqlstate::kUndefinedFunction && msg.rfind("function ", 0) == 0) {
    name = msg.substr(9, msg.find('(') - 9);
  }
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);
  if (name.empty()) return;
  size_t at = FindIdentifier(sql, name);
  if (at == std::string_view::npos) return;
  int chars = 0;  // PostgreSQL counts characters, not bytes
  for (size_t i = 0; i < at; ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++chars;
  }
  st->mutable_info().position = chars + 1;
}

}  // namespace pgw
