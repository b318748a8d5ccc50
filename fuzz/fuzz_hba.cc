// Access rules: any text parses to rules or an F0000 error; matching never crashes.
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/hba.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pgw::Result<pgw::HbaRules> r = pgw::HbaRules::Parse(
      text, "fuzz.conf", "/nonexistent",
      [text](const std::string&) -> pgw::Result<std::string> { return std::string(text); });
  if (!r.ok()) return 0;
  for (const char* addr : {"127.0.0.1", "10.1.2.3", "::1", "2001:db8::7"}) {
    for (bool tls : {false, true}) {
      pgw::HbaClient c;
      c.address = pgw::IpAddress::Parse(addr);
      c.tls = tls;
      c.user = "alice";
      c.database = "app";
      (void)r->Match(c);
    }
  }
  return 0;
}
