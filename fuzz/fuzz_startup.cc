// Startup packet decoding: any body decodes to one of the four packets or an error.
#include <cstdint>
#include <string_view>

#include "protocol/startup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  pgw::Result<pgw::StartupPacket> r = pgw::DecodeStartupPacket(body);
  if (r.ok()) {
    if (auto* m = std::get_if<pgw::StartupMessage>(&*r)) {
      (void)m->Find("user");
      (void)m->Find("database");
    }
  }
  return 0;
}
