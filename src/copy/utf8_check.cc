// UTF-8 validation as pg_utf8_verifymbstr / report_invalid_encoding.
#include "copy/utf8_check.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "common/sqlstate.h"

namespace pgw {
namespace {

// pg_utf_mblen: sequence length implied by the first byte.
size_t SequenceLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) return 2;
  if ((c & 0xf0) == 0xe0) return 3;
  if ((c & 0xf8) == 0xf0) return 4;
  return 1;
}

bool IsContinuation(unsigned char c) { return (c & 0xc0) == 0x80; }

// REQUIRES: s.size() == SequenceLength(s[0]) > 1.
bool ValidSequence(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsContinuation(b(i))) return false;
  }
  switch (s.size()) {
    case 2:
      return b(0) >= 0xc2;
    case 3:
      if (b(0) == 0xe0 && b(1) < 0xa0) return false;
      if (b(0) == 0xed && b(1) > 0x9f) return false;
      return true;
    case 4:
      if (b(0) == 0xf0 && b(1) < 0x90) return false;
      if (b(0) == 0xf4 && b(1) > 0x8f) return false;
      return b(0) <= 0xf4;
    default:
      return false;
  }
}

}  // namespace

size_t ValidUtf8Prefix(std::string_view s, bool* truncated) {
  *truncated = false;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = SequenceLength(c);
    if (c == 0 || len == 1) return i;
    if (i + len > s.size()) {
      *truncated = std::all_of(s.begin() + static_cast<long>(i) + 1, s.end(), [](char x) {
        return IsContinuation(static_cast<unsigned char>(x));
      });
      return i;
    }
    if (!ValidSequence(s.substr(i, len))) return i;
    i += len;
  }
  return i;
}

Status InvalidUtf8Error(std::string_view bad) {
  const size_t shown =
      std::min(SequenceLength(static_cast<unsigned char>(bad.empty() ? 0 : bad[0])), bad.size());
  std::string bytes;
  for (size_t k = 0; k < shown; ++k) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(bad[k]));
    if (k > 0) bytes += ' ';
    bytes += hex;
  }
  return Status::Error(sqlstate::kCharacterNotInRepertoire,
                       "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

Status CheckUtf8(std::string_view s) {
  bool truncated = false;
  const size_t ok = ValidUtf8Prefix(s, &truncated);
  if (ok == s.size()) return Status::OK();
  return InvalidUtf8Error(s.substr(ok));
}

}  // namespace pgw
