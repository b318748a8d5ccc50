// The startup phase: StartupMessage, SSLRequest, GSSENCRequest, CancelRequest decoding.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace pgw {

inline constexpr int32_t kProtocolVersion3 = 3 << 16;  // 196608
inline constexpr int32_t kCancelRequestCode = (1234 << 16) | 5678;
inline constexpr int32_t kSslRequestCode = (1234 << 16) | 5679;
inline constexpr int32_t kGssEncRequestCode = (1234 << 16) | 5680;

struct StartupMessage {
  int major = 3;
  int minor = 0;
  // Parameters in order (user, database, options, application_name, _pq_.*, ...).
  std::vector<std::pair<std::string, std::string>> params;
  const std::string* Find(std::string_view key) const;
};
struct CancelRequest {
  int32_t pid = 0;
  int32_t secret = 0;
};
struct SslRequest {};
struct GssEncRequest {};

using StartupPacket = std::variant<StartupMessage, CancelRequest, SslRequest, GssEncRequest>;

// Decodes the body of a startup-phase packet (after the length word). Errors: 08P01 for a
// malformed packet; 0A000 "unsupported frontend protocol" for major version != 3.
[[nodiscard]] Result<StartupPacket> DecodeStartupPacket(std::string_view body);

}  // namespace pgw
