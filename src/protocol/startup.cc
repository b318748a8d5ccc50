// Startup-phase packet decoding, following PostgreSQL's ProcessStartupPacket: the first int32
// selects CancelRequest, SSLRequest, GSSENCRequest or a protocol version; a StartupMessage then
// carries name\0value\0 pairs closed by a single \0 that must be the last byte.
#include "protocol/startup.h"

#include <fmt/format.h>

#include "common/byte_io.h"
#include "common/sqlstate.h"

// GCC 12 with -fsanitize reports moving a Result<std::variant<...>> as "may be used
// uninitialized" (a known false positive in its variant move-constructor analysis).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace pgw {
namespace {

constexpr int kSupportedMajor = 3;
constexpr int kNewestMinor = 0;
constexpr size_t kCancelBodySize = 12;  // code, pid, secret
constexpr size_t kRequestBodySize = 4;  // SSLRequest / GSSENCRequest: the code alone

Status BadLength() {
  return Status::Error(sqlstate::kProtocolViolation, "invalid length of startup packet");
}

Status BadLayout() {
  return Status::Error(sqlstate::kProtocolViolation,
                       "invalid startup packet layout: expected terminator as last byte");
}

Result<StartupPacket> DecodeCancel(std::string_view body) {
  if (body.size() != kCancelBodySize) return BadLength();
  ByteReader reader(body.substr(4));
  CancelRequest cancel;
  (void)reader.ReadInt32(&cancel.pid);  // sizes checked above
  (void)reader.ReadInt32(&cancel.secret);
  return StartupPacket(cancel);
}

// `params` is everything after the protocol version.
Result<StartupPacket> DecodeStartupMessage(uint32_t version, std::string_view params) {
  StartupMessage msg;
  msg.major = static_cast<int>(version >> 16);
  msg.minor = static_cast<int>(version & 0xffff);
  if (msg.major != kSupportedMajor) {
    return Status::Error(
        sqlstate::kFeatureNotSupported,
        fmt::format("unsupported frontend protocol {}.{}: server supports {}.0 to {}.{}", msg.major,
                    msg.minor, kSupportedMajor, kSupportedMajor, kNewestMinor));
  }
  ByteReader reader(params);
  while (true) {
    std::string_view name;
    std::string_view value;
    if (!reader.ReadCString(&name)) return BadLayout();
    if (name.empty()) break;  // the packet terminator
    if (!reader.ReadCString(&value)) return BadLayout();
    msg.params.emplace_back(std::string(name), std::string(value));
  }
  if (!reader.empty()) return BadLayout();
  return StartupPacket(std::move(msg));
}

}  // namespace

// Parameters may repeat; PostgreSQL applies them in order, so the last occurrence wins.
const std::string* StartupMessage::Find(std::string_view key) const {
  for (auto it = params.rbegin(); it != params.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

Result<StartupPacket> DecodeStartupPacket(std::string_view body) {
  ByteReader reader(body);
  uint32_t code = 0;
  if (!reader.ReadUInt32(&code)) return BadLength();
  switch (static_cast<int32_t>(code)) {
    case kCancelRequestCode:
      return DecodeCancel(body);
    case kSslRequestCode:
      if (body.size() != kRequestBodySize) return BadLength();
      return StartupPacket(SslRequest{});
    case kGssEncRequestCode:
      if (body.size() != kRequestBodySize) return BadLength();
      return StartupPacket(GssEncRequest{});
    default:
      return DecodeStartupMessage(code, reader.Rest());
  }
}

}  // namespace pgw
