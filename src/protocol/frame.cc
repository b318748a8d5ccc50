// Frame splitting: finds one complete message at the front of a receive buffer. PostgreSQL
// reports every bad length word as 08P01 and drops the connection; so do we.
#include "protocol/frame.h"

#include <fmt/format.h>

#include "common/byte_io.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

constexpr size_t kTypedHeaderSize = 5;     // type byte + int32 length
constexpr size_t kStartupHeaderSize = 4;   // int32 length
constexpr uint32_t kMinStartupPacket = 8;  // length word + int32 protocol code

SplitResult NeedMore(size_t bytes_needed) {
  SplitResult r;
  r.outcome = SplitOutcome::kNeedMore;
  r.bytes_needed = bytes_needed;
  return r;
}

SplitResult Failed(std::string message) {
  SplitResult r;
  r.outcome = SplitOutcome::kError;
  r.error = Status::Error(sqlstate::kProtocolViolation, std::move(message));
  return r;
}

SplitResult Complete(char type, std::string_view body, size_t total_size) {
  SplitResult r;
  r.outcome = SplitOutcome::kFrame;
  r.frame.type = type;
  r.frame.body = body;
  r.frame.total_size = total_size;
  return r;
}

uint32_t LengthWordAt(std::string_view buf, size_t offset) {
  ByteReader reader(buf.substr(offset, 4));
  uint32_t length = 0;
  (void)reader.ReadUInt32(&length);  // REQUIRES: four bytes available
  return length;
}

}  // namespace

SplitResult SplitFrame(std::string_view buf, uint32_t max_length) {
  if (buf.size() < kTypedHeaderSize) return NeedMore(kTypedHeaderSize);
  uint32_t length = LengthWordAt(buf, 1);
  // The length word is unsigned on the wire for this check: 0x80000000 and up are "too long".
  if (length < 4) return Failed("invalid message length");
  if (length > max_length) {
    return Failed(fmt::format("message too long: length {} exceeds the limit of {} bytes", length,
                              max_length));
  }
  size_t total = size_t{1} + length;
  if (buf.size() < total) return NeedMore(total);
  return Complete(buf[0], buf.substr(kTypedHeaderSize, length - 4), total);
}

SplitResult SplitStartupFrame(std::string_view buf) {
  if (buf.size() < kStartupHeaderSize) return NeedMore(kStartupHeaderSize);
  uint32_t length = LengthWordAt(buf, 0);
  // As PostgreSQL: the limit applies to the packet without its own length word.
  if (length < kMinStartupPacket || length - kStartupHeaderSize > kMaxStartupPacket) {
    return Failed("invalid length of startup packet");
  }
  if (buf.size() < length) return NeedMore(length);
  return Complete(0, buf.substr(kStartupHeaderSize, length - kStartupHeaderSize), length);
}

}  // namespace pgw
