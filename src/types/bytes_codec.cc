// bytea (hex output; hex and escape input, as byteaout/byteain) and uuid (uuid_in/uuid_out).
#include <string>

#include "common/sqlstate.h"
#include "types/codec_internal.h"

namespace pgw::codec {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

Status DecodeHex(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    int hi = HexValue(c);
    if (hi < 0) {
      return Status::Error(sqlstate::kInvalidParameterValue,
                           std::string("invalid hexadecimal digit: \"") + c + "\"");
    }
    if (i + 1 >= s.size()) {
      return Status::Error(sqlstate::kInvalidParameterValue,
                           "invalid hexadecimal data: odd number of digits");
    }
    int lo = HexValue(s[i + 1]);
    if (lo < 0) {
      return Status::Error(sqlstate::kInvalidParameterValue,
                           std::string("invalid hexadecimal digit: \"") + s[i + 1] + "\"");
    }
    out->push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return Status::OK();
}

}  // namespace

void AppendByteaHex(std::string_view bytes, std::string* out) {
  size_t base = out->size();
  out->resize(base + 2 + bytes.size() * 2);
  char* p = out->data() + base;
  *p++ = '\\';
  *p++ = 'x';
  for (unsigned char c : bytes) {
    *p++ = kHexDigits[c >> 4];
    *p++ = kHexDigits[c & 0xF];
  }
}

Status DecodeByteaText(std::string_view s, std::string* out) {
  if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') return DecodeHex(s.substr(2), out);
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      out->push_back(s[i++]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '\\') {
      out->push_back('\\');
      i += 2;
    } else if (i + 3 < s.size() + 0 && s[i + 1] >= '0' && s[i + 1] <= '3' && IsOctal(s[i + 2]) &&
               IsOctal(s[i + 3])) {
      out->push_back(
          static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0')));
      i += 4;
    } else {
      return Status::Error(sqlstate::kInvalidTextRepresentation,
                           "invalid input syntax for type bytea");
    }
  }
  return Status::OK();
}

Status ParseUuid(std::string_view input, uint8_t out[16]) {
  std::string_view s = input;
  bool braces = !s.empty() && s.front() == '{';
  if (braces) {
    if (s.size() < 2 || s.back() != '}') return InvalidSyntax("uuid", input);
    s = s.substr(1, s.size() - 2);
  }
  // 32 hex digits; a hyphen may follow any group of four (uuid_in's rule).
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-') {
      if (n == 0 || n % 4 != 0 || n == 32 || i + 1 >= s.size() || s[i + 1] == '-') {
        return InvalidSyntax("uuid", input);
      }
      continue;
    }
    int hi = HexValue(s[i]);
    int lo = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n >= 32) return InvalidSyntax("uuid", input);
    out[n / 2] = static_cast<uint8_t>((hi << 4) | lo);
    n += 2;
    ++i;
  }
  if (n != 32) return InvalidSyntax("uuid", input);
  return Status::OK();
}

void AppendUuidText(const uint8_t bytes[16], std::string* out) {
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHexDigits[bytes[i] >> 4]);
    out->push_back(kHexDigits[bytes[i] & 0xF]);
  }
}

}  // namespace pgw::codec
