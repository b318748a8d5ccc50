// Frame splitting for the PostgreSQL v3 protocol: a pure function from buffered bytes to one
// complete message, "need more bytes", or a protocol violation. No sockets, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace pgw {

// Limits, named as the hostile-input rules require; each has a test that crosses it.
inline constexpr uint32_t kMaxStartupPacket = 10000;       // as PostgreSQL
inline constexpr uint32_t kMaxMessageLength = 256u << 20;  // any typed message
inline constexpr uint32_t kMaxAuthMessageLength = 10000;   // during authentication

struct Frame {
  char type = 0;          // message type byte; 0 for startup-phase packets
  std::string_view body;  // payload after the length word
  size_t total_size = 0;  // bytes consumed from the buffer
};

enum class SplitOutcome : uint8_t { kFrame, kNeedMore, kError };

struct SplitResult {
  SplitOutcome outcome = SplitOutcome::kNeedMore;
  Frame frame;              // valid when kFrame
  size_t bytes_needed = 0;  // when kNeedMore: total bytes the buffer must hold (0 = unknown)
  Status error;             // when kError: 08P01 (length word too small or over the limit)
};

// A typed message: type byte, int32 length (including itself, >= 4), body.
SplitResult SplitFrame(std::string_view buf, uint32_t max_length = kMaxMessageLength);
// A startup-phase packet: int32 length (including itself, 8..kMaxStartupPacket), body.
SplitResult SplitStartupFrame(std::string_view buf);

}  // namespace pgw
