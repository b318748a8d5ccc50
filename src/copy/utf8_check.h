// UTF-8 validation with PostgreSQL's error text for invalid input.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace pgw {

// 22021 `invalid byte sequence for encoding "UTF8": 0xc3 0x28` on the first bad sequence.
[[nodiscard]] Status CheckUtf8(std::string_view s);

// Length of the longest valid UTF-8 prefix of `s` (NUL is invalid, as in PostgreSQL). Sets
// *truncated when what follows that prefix is a sequence cut short by the end of `s` (it may
// become valid once more bytes arrive).
size_t ValidUtf8Prefix(std::string_view s, bool* truncated);

// The 22021 error for the invalid sequence starting at bad[0], quoting up to the length its
// lead byte announces.
Status InvalidUtf8Error(std::string_view bad);

}  // namespace pgw
