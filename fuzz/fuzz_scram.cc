// SCRAM server messages: the input is "<flags byte>client-first\nclient-final". Both messages
// are parsed whatever they hold; nothing may crash, and no forged proof may authenticate.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/scram.h"

namespace {

const pgw::ScramVerifier& Verifier() {
  static const pgw::ScramVerifier v = pgw::MakeScramVerifier("pencil", 4096, "0123456789abcdef");
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint8_t flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t nl = rest.find('\n');
  std::string_view first = rest.substr(0, nl);
  std::string_view final = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  std::string cbind = (flags & 1) ? std::string(32, '\x5a') : std::string();
  std::optional<pgw::ScramVerifier> v;
  if (flags & 2) v = Verifier();
  pgw::ScramServer server(v, "user", cbind);
  server.SetServerNonceForTest("fixednonce");
  const char* mech = (flags & 4) ? pgw::kScramSha256Plus : pgw::kScramSha256;
  pgw::Result<std::string> r1 = server.HandleClientFirst(mech, first);
  if (!r1.ok()) return 0;
  pgw::Result<std::string> r2 = server.HandleClientFinal(final);
  // Only the real password can produce a valid proof; the fuzzer cannot know it.
  if (r2.ok() && !v) std::abort();
  if (flags & 8) (void)pgw::SaslPrep(rest);
  return 0;
}
