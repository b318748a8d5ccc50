// json validation (json_in keeps the text verbatim) and jsonb's canonical text (jsonb_out):
// ", " and ": " separators, object keys de-duplicated (last wins) and sorted by (length,
// bytes), numbers printed as numeric, strings re-escaped.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "types/codec_internal.h"

namespace pgw::codec {
namespace {

// Nesting deeper than this is refused, as PostgreSQL's stack-depth check would.
constexpr int kMaxJsonDepth = 1000;

struct JsonNode {
  enum class Kind : uint8_t { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;  // number: canonical numeric text; string: decoded value
  std::vector<JsonNode> items;
  std::vector<std::pair<std::string, JsonNode>> members;

  // Defined below, where JsonNode is complete: clang (with libstdc++) refuses to instantiate the
  // members' special functions for a pair holding the still-incomplete type.
  JsonNode();
  JsonNode(JsonNode&&) noexcept;
  JsonNode& operator=(JsonNode&&) noexcept;
  ~JsonNode();
};

JsonNode::JsonNode() = default;
JsonNode::JsonNode(JsonNode&&) noexcept = default;
JsonNode& JsonNode::operator=(JsonNode&&) noexcept = default;
JsonNode::~JsonNode() = default;

Status JsonSyntax(std::string detail) {
  return Status::Error(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type json")
      .WithDetail(std::move(detail));
}

class JsonParser {
 public:
  JsonParser(std::string_view s, bool build) : s_(s), build_(build) {}

  Status ParseDocument(JsonNode* out) {
    Status st = ParseValue(out, 0);
    if (st.ok()) {
      SkipWs();
      if (pos_ < s_.size()) st = Unexpected("end of input");
    }
    if (st.ok() || st.sqlstate() == sqlstate::kStatementTooComplex) return st;
    return std::move(st).WithContext(Context());
  }

 private:
  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // An error whose token ends at `end` (PostgreSQL's token_terminator, for the context line).
  Status Syntax(std::string detail, size_t end) {
    err_end_ = std::min(end, s_.size());
    return JsonSyntax(std::move(detail));
  }

  Status Ended() {
    err_at_end_ = true;
    return Syntax("The input string ended unexpectedly.", s_.size());
  }

  static bool IsWord(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '+' || static_cast<unsigned char>(c) >= 0x80;
  }

  // The offending token: a run of identifier-ish characters, or one character.
  Status TokenInvalid() {
    if (pos_ >= s_.size()) return Ended();
    size_t end = pos_;
    while (end < s_.size() && IsWord(s_[end])) ++end;
    if (end == pos_) ++end;
    return Syntax("Token \"" + std::string(s_.substr(pos_, end - pos_)) + "\" is invalid.", end);
  }

  // PostgreSQL lexes before it parses: a token it cannot lex is reported as invalid, a valid one
  // in the wrong place as `Expected <what>, but found "<token>".`
  Status Unexpected(std::string_view what) {
    if (pos_ >= s_.size()) return Ended();
    size_t end = pos_;
    char c = s_[pos_];
    if (std::string_view("{}[],:").find(c) != std::string_view::npos) {
      end = pos_ + 1;
    } else if (c == '"') {
      for (end = pos_ + 1; end < s_.size() && s_[end] != '"'; ++end) {
        if (s_[end] == '\\') ++end;
      }
      if (end >= s_.size())
        return Syntax("Token \"" + std::string(s_.substr(pos_)) + "\" is invalid.", s_.size());
      ++end;
    } else {
      while (end < s_.size() && IsWord(s_[end])) ++end;
      std::string_view word = s_.substr(pos_, end - pos_);
      bool number = c == '-' || (c >= '0' && c <= '9');
      if (!number && word != "true" && word != "false" && word != "null") return TokenInvalid();
    }
    return Syntax("Expected " + std::string(what) + ", but found \"" +
                      std::string(s_.substr(pos_, end - pos_)) + "\".",
                  end);
  }

  // report_json_context: the line of the error up to the end of its token, cut to about 50
  // bytes, "..." where the excerpt does not reach the line's start or end.
  std::string Context() const {
    size_t end = err_end_;
    size_t nl = end == 0 ? std::string_view::npos : s_.rfind('\n', end - 1);
    size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
    int line = 1;
    for (size_t i = 0; i < line_start; ++i) line += s_[i] == '\n';
    size_t start = line_start;
    while (end - start >= 50) {
      ++start;
      while (start < end && (static_cast<unsigned char>(s_[start]) & 0xC0) == 0x80) ++start;
    }
    if (start - line_start <= 3) start = line_start;
    bool suffix = !err_at_end_ && end < s_.size() && s_[end] != '\n' && s_[end] != '\r';
    return "JSON data, line " + std::to_string(line) + ": " + (start > line_start ? "..." : "") +
           std::string(s_.substr(start, end - start)) + (suffix ? "..." : "");
  }

  Status ParseValue(JsonNode* out, int depth) {
    if (depth > kMaxJsonDepth) {
      return Status::Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded");
    }
    SkipWs();
    if (pos_ >= s_.size()) return Ended();
    char c = s_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      out->kind = JsonNode::Kind::kString;
      return ParseString(&out->text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    for (auto [word, kind] : {std::pair{std::string_view("true"), JsonNode::Kind::kTrue},
                              std::pair{std::string_view("false"), JsonNode::Kind::kFalse},
                              std::pair{std::string_view("null"), JsonNode::Kind::kNull}}) {
      if (s_.substr(pos_, word.size()) == word) {
        size_t after = pos_ + word.size();
        if (after < s_.size() &&
            ((s_[after] >= 'a' && s_[after] <= 'z') || (s_[after] >= '0' && s_[after] <= '9'))) {
          break;
        }
        pos_ = after;
        out->kind = kind;
        return Status::OK();
      }
    }
    return Unexpected("JSON value");
  }

  Status ParseNumber(JsonNode* out) {
    size_t start = pos_;
    auto digit = [&](size_t i) { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; };
    if (s_[pos_] == '-') ++pos_;
    if (!digit(pos_)) return TokenInvalidFrom(start);
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digit(pos_)) return TokenInvalidFrom(start);
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit(pos_)) return TokenInvalidFrom(start);
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && (digit(pos_) || (s_[pos_] >= 'a' && s_[pos_] <= 'z') ||
                             (s_[pos_] >= 'A' && s_[pos_] <= 'Z'))) {
      return TokenInvalidFrom(start);
    }
    out->kind = JsonNode::Kind::kNumber;
    if (build_) {
      Decimal d;
      PGW_RETURN_IF_ERROR(ParseDecimal(s_.substr(start, pos_ - start), &d));
      AppendDecimalText(d, &out->text);
    }
    return Status::OK();
  }

  Status TokenInvalidFrom(size_t start) {
    pos_ = start;
    return TokenInvalid();
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool Hex4(size_t at, uint32_t* v) {
    if (at + 4 > s_.size()) return false;
    uint32_t acc = 0;
    for (size_t i = at; i < at + 4; ++i) {
      char c = s_[i];
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0) return false;
      acc = acc * 16 + static_cast<uint32_t>(d);
    }
    *v = acc;
    return true;
  }

  Status ParseString(std::string* out) {
    const size_t start = pos_;
    // The input ends inside the string: PostgreSQL's lexer calls the whole rest a bad token.
    auto unterminated = [&] {
      return Syntax("Token \"" + std::string(s_.substr(start)) + "\" is invalid.", s_.size());
    };
    ++pos_;  // opening quote
    uint32_t high_surrogate = 0;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '"') {
        if (high_surrogate != 0) {
          return Syntax("Unicode low surrogate must follow a high surrogate.", pos_ + 1);
        }
        ++pos_;
        return Status::OK();
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Syntax("Character with value 0x" + HexByte(c) + " must be escaped.", pos_ + 1);
      }
      if (c != '\\') {
        if (high_surrogate != 0) {
          return Syntax("Unicode low surrogate must follow a high surrogate.", pos_ + 1);
        }
        if (build_) out->push_back(c);
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= s_.size()) return unterminated();
      char e = s_[pos_ + 1];
      if (e == 'u') {
        uint32_t cp = 0;
        if (!Hex4(pos_ + 2, &cp)) {
          size_t bad = pos_ + 2;
          while (bad < s_.size() && bad < pos_ + 6 &&
                 std::isxdigit(static_cast<unsigned char>(s_[bad])))
            ++bad;
          if (bad >= s_.size()) return unterminated();
          return Syntax("\"\\u\" must be followed by four hexadecimal digits.", bad + 1);
        }
        pos_ += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (high_surrogate != 0) {
            return Syntax("Unicode high surrogate must not follow a high surrogate.", pos_ + 1);
          }
          high_surrogate = cp;
          continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
          if (high_surrogate == 0) {
            return Syntax("Unicode low surrogate must follow a high surrogate.", pos_ + 1);
          }
          cp = 0x10000 + ((high_surrogate - 0xD800) << 10) + (cp - 0xDC00);
          high_surrogate = 0;
        } else if (high_surrogate != 0) {
          return Syntax("Unicode low surrogate must follow a high surrogate.", pos_ + 1);
        }
        if (build_) {
          if (cp == 0) {
            return Status::Error(sqlstate::kUntranslatableCharacter,
                                 "unsupported Unicode escape sequence")
                .WithDetail("\\u0000 cannot be converted to text.");
          }
          AppendUtf8(cp, out);
        }
        continue;
      }
      if (high_surrogate != 0) {
        return Syntax("Unicode low surrogate must follow a high surrogate.", pos_ + 1);
      }
      char decoded;
      switch (e) {
        case '"':
          decoded = '"';
          break;
        case '\\':
          decoded = '\\';
          break;
        case '/':
          decoded = '/';
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'f':
          decoded = '\f';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 't':
          decoded = '\t';
          break;
        default:
          return Syntax("Escape sequence \"\\" + std::string(1, e) + "\" is invalid.", pos_ + 2);
      }
      if (build_) out->push_back(decoded);
      pos_ += 2;
    }
    return unterminated();
  }

  static std::string HexByte(char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto u = static_cast<unsigned char>(c);
    return std::string{kHex[u >> 4], kHex[u & 0xF]};
  }

  Status Expect(char want) {
    SkipWs();
    if (pos_ >= s_.size()) return Ended();
    if (s_[pos_] != want) return Unexpected(std::string("\"") + want + "\"");
    ++pos_;
    return Status::OK();
  }

  Status ParseArray(JsonNode* out, int depth) {
    out->kind = JsonNode::Kind::kArray;
    ++pos_;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Status::OK();
    }
    for (;;) {
      JsonNode item;
      PGW_RETURN_IF_ERROR(ParseValue(&item, depth + 1));
      if (build_) out->items.push_back(std::move(item));
      SkipWs();
      if (pos_ >= s_.size()) return Ended();
      if (s_[pos_] == ']') {
        ++pos_;
        return Status::OK();
      }
      if (s_[pos_] != ',') return Unexpected("\",\" or \"]\"");
      ++pos_;
    }
  }

  Status ParseObject(JsonNode* out, int depth) {
    out->kind = JsonNode::Kind::kObject;
    ++pos_;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Status::OK();
    }
    for (bool first = true;; first = false) {
      SkipWs();
      if (pos_ >= s_.size()) return Ended();
      if (s_[pos_] != '"') return Unexpected(first ? "string or \"}\"" : "string");
      std::string key;
      PGW_RETURN_IF_ERROR(ParseString(&key));
      PGW_RETURN_IF_ERROR(Expect(':'));
      JsonNode value;
      PGW_RETURN_IF_ERROR(ParseValue(&value, depth + 1));
      if (build_) out->members.emplace_back(std::move(key), std::move(value));
      SkipWs();
      if (pos_ >= s_.size()) return Ended();
      if (s_[pos_] == '}') {
        ++pos_;
        return Status::OK();
      }
      if (s_[pos_] != ',') return Unexpected("\",\" or \"}\"");
      ++pos_;
    }
  }

  std::string_view s_;
  size_t err_end_ = 0;       // end of the offending token
  bool err_at_end_ = false;  // the error is the end of the input
  size_t pos_ = 0;
  bool build_;
};

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xF]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool KeyLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void AppendJsonb(JsonNode& n, std::string* out) {
  switch (n.kind) {
    case JsonNode::Kind::kNull:
      out->append("null");
      return;
    case JsonNode::Kind::kTrue:
      out->append("true");
      return;
    case JsonNode::Kind::kFalse:
      out->append("false");
      return;
    case JsonNode::Kind::kNumber:
      out->append(n.text);
      return;
    case JsonNode::Kind::kString:
      AppendJsonString(n.text, out);
      return;
    case JsonNode::Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendJsonb(n.items[i], out);
      }
      out->push_back(']');
      return;
    case JsonNode::Kind::kObject: {
      auto& m = n.members;
      std::stable_sort(m.begin(), m.end(),
                       [](const auto& a, const auto& b) { return KeyLess(a.first, b.first); });
      out->push_back('{');
      bool first = true;
      for (size_t i = 0; i < m.size(); ++i) {
        if (i + 1 < m.size() && m[i + 1].first == m[i].first) continue;  // last one wins
        if (!first) out->append(", ");
        first = false;
        AppendJsonString(m[i].first, out);
        out->append(": ");
        AppendJsonb(m[i].second, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

Status ValidateJson(std::string_view s) {
  JsonNode unused;
  return JsonParser(s, /*build=*/false).ParseDocument(&unused);
}

Status AppendJsonbText(std::string_view s, std::string* out) {
  JsonNode root;
  PGW_RETURN_IF_ERROR(JsonParser(s, /*build=*/true).ParseDocument(&root));
  AppendJsonb(root, out);
  return Status::OK();
}

}  // namespace pgw::codec
