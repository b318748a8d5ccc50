// Backend messages of the COPY sub-protocol: CopyInResponse ('G'), CopyOutResponse ('H'),
// CopyData ('d', written in place so a large chunk is never copied twice) and CopyDone ('c').
// The frontend side (CopyData, CopyDone, CopyFail) is decoded in frontend.h. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pgw {

// The overall format (0 text/CSV, 1 binary) and one format code per column, all equal to it,
// as PostgreSQL 15 sends them.
void AppendCopyInResponse(bool binary, int16_t columns, std::string* out);
void AppendCopyOutResponse(bool binary, int16_t columns, std::string* out);

// A CopyData message whose payload the caller appends after BeginCopyData; EndCopyData fixes
// the length. Returns the offset to pass to EndCopyData.
size_t BeginCopyData(std::string* out);
void EndCopyData(size_t start, std::string* out);
// Bytes of message overhead before the payload (type byte and length word).
inline constexpr size_t kCopyDataHeaderSize = 5;

void AppendCopyData(std::string_view payload, std::string* out);
void AppendCopyDone(std::string* out);

}  // namespace pgw
