// COPY FROM decoders (text, CSV, binary): the first byte picks the format and the chunk size,
// the rest is the data stream fed in chunks; rows or errors, never a crash.
#include <cstdint>
#include <string_view>
#include <vector>

#include "copy/copy_decoder.h"
#include "copy/copy_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint8_t sel = data[0];
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<pgw::CopyOptionItem> items;
  if (sel % 3 == 1) items.push_back({"format", {pgw::CopyOptionArg::Kind::kString, "csv", {}}});
  if (sel % 3 == 2) items.push_back({"format", {pgw::CopyOptionArg::Kind::kString, "binary", {}}});
  if (sel & 8) items.push_back({"header", {}});
  pgw::Result<pgw::CopyOptions> opts = pgw::ParseCopyOptions(true, items);
  if (!opts.ok()) return 0;
  std::vector<pgw::CopyColumn> cols = {
      {"a", pgw::oid::kText, -1}, {"b", pgw::oid::kInt4, -1}, {"c", pgw::oid::kText, -1}};
  auto dec = pgw::CopyDecoder::Create(*opts, cols);
  if (!dec.ok()) return 0;
  // Drains rows; false once the decoder is done or failed.
  auto drain = [&dec] {
    for (int i = 0; i < 1000000; ++i) {
      pgw::CopyRow row;
      pgw::Result<pgw::CopyDecoder::Step> s = (*dec)->Next(&row);
      if (!s.ok() || *s == pgw::CopyDecoder::Step::kDone) return false;
      if (*s == pgw::CopyDecoder::Step::kNeedMore) return true;
    }
    return false;
  };
  size_t chunk = 1 + (sel >> 4) * 7;
  for (size_t at = 0; at < stream.size(); at += chunk) {
    (*dec)->Feed(stream.substr(at, chunk));
    if (!drain()) return 0;
  }
  (*dec)->Finish();
  drain();
  return 0;
}
