// Character-level views of UTF-8 text for the PostgreSQL string functions (sqlite_strings.cc):
// PostgreSQL counts characters, not bytes. Lenient on malformed input: a lead byte claims its
// sequence length (clamped to the text's end); a stray continuation byte is one character.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgw::utf8 {

// Byte length of the character starting at s[i] (1..4, never past s.size()).
size_t CharLength(std::string_view s, size_t i);

// Number of characters in `s`.
size_t CharCount(std::string_view s);

// Start offsets of every character of `s`, followed by s.size().
std::vector<size_t> CharOffsets(std::string_view s);

// Byte offset of the start of character `n` (0-based); s.size() when n >= CharCount(s).
size_t ByteOffset(std::string_view s, size_t n);

// The code point of the character at s[i] (malformed sequences give the lead byte's value).
uint32_t Decode(std::string_view s, size_t i);

// Appends the UTF-8 encoding of `cp`. REQUIRES: cp <= 0x10FFFF.
void Append(uint32_t cp, std::string* out);

}  // namespace pgw::utf8
