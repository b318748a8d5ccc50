#include "sql/literal_scanner.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace pgw {
namespace {

constexpr char kMarker = '\x01';

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

}  // namespace

bool ScanLiterals(std::string_view sql, std::string* shape,
                  std::vector<ScannedLiteral>* literals) {
  shape->clear();
  literals->clear();
  shape->reserve(sql.size());
  const size_t n = sql.size();
  size_t i = 0;
  bool seen_semicolon = false;
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (seen_semicolon && !std::isspace(c)) return false;  // a second statement
    if (c == kMarker || c == 0) return false;
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {  // line comment: dropped from the shape
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') return false;  // nested comments: give up
    if (c == ';') {
      seen_semicolon = true;
      shape->push_back(';');
      ++i;
      continue;
    }
    if (c == '$') return false;  // parameters or dollar quoting: not a simple shape
    if (c == '"') {              // quoted identifier: copied verbatim
      size_t j = i + 1;
      while (true) {
        if (j >= n) return false;
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      shape->append(sql.substr(i, j + 1 - i));
      i = j + 1;
      continue;
    }
    if (c == '\'') {
      size_t j = i + 1;
      bool escaped = false;
      while (true) {
        if (j >= n) return false;
        if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            escaped = true;
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      // 'a' 'b' continuation across a newline is a single literal in PostgreSQL: give up.
      size_t k = j + 1;
      while (k < n && std::isspace(static_cast<unsigned char>(sql[k]))) ++k;
      if (k < n && sql[k] == '\'') return false;
      ScannedLiteral lit{};
      lit.kind = ScannedLiteral::Kind::kString;
      lit.location = static_cast<int>(i);
      lit.raw = sql.substr(i + 1, j - i - 1);
      lit.has_escaped_quote = escaped;
      literals->push_back(lit);
      shape->push_back(kMarker);
      shape->push_back('s');
      i = j + 1;
      continue;
    }
    if (std::isdigit(c) || (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      // The previous character must not continue an identifier (e.g. t1).
      size_t j = i;
      bool is_float = false;
      while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      if (j < n && sql[j] == '.') {
        if (j + 1 < n && sql[j + 1] == '.') return false;  // ranges / odd syntax
        is_float = true;
        ++j;
        while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      }
      if (j < n && (sql[j] == 'e' || sql[j] == 'E')) {
        is_float = true;
        ++j;
        if (j < n && (sql[j] == '+' || sql[j] == '-')) ++j;
        if (j >= n || !std::isdigit(static_cast<unsigned char>(sql[j]))) return false;
        while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      }
      if (j < n && (IsIdentChar(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) return false;
      ScannedLiteral lit{};
      lit.location = static_cast<int>(i);
      lit.raw = sql.substr(i, j - i);
      if (is_float) {
        // PostgreSQL reads these as numeric; only plain-decimal values that a double holds
        // exactly enough are cacheable, the rest are translated normally.
        if (lit.raw.size() > 15) return false;
        lit.kind = ScannedLiteral::Kind::kFloat;
        std::string tmp(lit.raw);
        char* end = nullptr;
        lit.float_value = std::strtod(tmp.c_str(), &end);
        if (end != tmp.c_str() + tmp.size()) return false;
      } else {
        lit.kind = ScannedLiteral::Kind::kInteger;
        auto [p, ec] = std::from_chars(lit.raw.data(), lit.raw.data() + lit.raw.size(),
                                       lit.int_value);
        if (ec != std::errc() || lit.int_value > INT32_MAX) return false;  // int8/numeric: rare
      }
      literals->push_back(lit);
      shape->push_back(kMarker);
      shape->push_back(is_float ? 'f' : 'i');
      i = j;
      continue;
    }
    if (IsIdentStart(c)) {
      size_t j = i;
      while (j < n && IsIdentChar(static_cast<unsigned char>(sql[j]))) ++j;
      // Prefixed strings (E'..', B'..', X'..', U&'..', N'..') and typed literals keep their
      // meaning in the prefix: give up rather than guess.
      if (j < n && (sql[j] == '\'' || sql[j] == '&')) return false;
      shape->append(sql.substr(i, j - i));
      i = j;
      continue;
    }
    if (std::isspace(c)) {
      // Collapse runs of white space; the shape only needs to be a faithful key.
      if (!shape->empty() && shape->back() != ' ') shape->push_back(' ');
      ++i;
      continue;
    }
    shape->push_back(static_cast<char>(c));
    ++i;
  }
  return true;
}

}  // namespace pgw
