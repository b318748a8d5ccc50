// Frame splitting: any byte stream is split into frames, "need more" or an 08P01 error; never
// a frame past the buffer, never a length outside the limits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view buf(reinterpret_cast<const char*>(data), size);
  // The first frame may be a startup packet, then typed messages, as on a connection.
  pgw::SplitResult first = pgw::SplitStartupFrame(buf);
  if (first.outcome == pgw::SplitOutcome::kFrame) {
    if (first.frame.total_size > buf.size() || first.frame.total_size < 8) std::abort();
    buf.remove_prefix(first.frame.total_size);
  }
  for (int i = 0; i < 100000 && !buf.empty(); ++i) {
    pgw::SplitResult r =
        pgw::SplitFrame(buf, i % 2 ? pgw::kMaxAuthMessageLength : pgw::kMaxMessageLength);
    if (r.outcome != pgw::SplitOutcome::kFrame) break;
    if (r.frame.total_size > buf.size() || r.frame.total_size < 5 ||
        r.frame.body.size() != r.frame.total_size - 5) {
      std::abort();
    }
    buf.remove_prefix(r.frame.total_size);
  }
  return 0;
}
