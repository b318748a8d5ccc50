// ScanLiterals: a fast, conservative lexer that finds the numeric and plain string constants
// of a simple-query text and produces its "shape" (the text with every such constant replaced
// by a marker). Queries with the same shape translate to the same SQL with the constants as
// parameters (TranslateOptions::parameterize_literals), so the simple query protocol can reuse
// one translation and one backend prepared statement, as the extended protocol does.
// Conservative: anything it does not fully understand (E'' / U&'' / B'' / X'' strings, dollar
// quoting, numbers that do not fit int64 or double, more than one statement) makes it return
// false and the caller translates normally. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgw {

struct ScannedLiteral {
  enum class Kind : uint8_t { kInteger, kFloat, kString };
  Kind kind;
  int location;       // byte offset of the token in the input
  int64_t int_value;  // kInteger
  double float_value; // kFloat
  std::string_view raw;  // token text (for strings: between the quotes, '' not yet folded)
  bool has_escaped_quote;  // kString: raw contains '' that must be folded to '
};

// Returns false when the text is not cacheable by shape.
bool ScanLiterals(std::string_view sql, std::string* shape, std::vector<ScannedLiteral>* literals);

}  // namespace pgw
