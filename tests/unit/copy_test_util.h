// Shared by the COPY decoder tests: feed input in chosen chunks, collect rows, line numbers and
// the first error.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "copy/copy_decoder.h"

namespace pgw::copy_test {

using Fields = std::vector<std::optional<std::string>>;

struct Decoded {
  std::vector<Fields> rows;
  std::vector<int64_t> lines;
  Status status;
  int64_t error_line = 0;
};

// Drains rows; false once done or failed.
inline bool Drain(CopyDecoder& d, Decoded* out) {
  for (;;) {
    CopyRow row;
    Result<CopyDecoder::Step> step = d.Next(&row);
    if (!step.ok()) {
      out->status = step.status();
      out->error_line = d.line();
      return false;
    }
    if (*step == CopyDecoder::Step::kNeedMore) return true;
    if (*step == CopyDecoder::Step::kDone) return false;
    Fields f;
    for (const auto& v : row.fields) f.push_back(v ? std::optional<std::string>(*v) : std::nullopt);
    out->rows.push_back(f);
    out->lines.push_back(row.line);
  }
}

// Feeds `input` cut at the given offsets (ascending), then Finish().
inline Decoded DecodeCut(const CopyOptions& opts, std::vector<std::string> names, std::string_view input,
                  const std::vector<size_t>& cuts) {
  std::vector<CopyColumn> cols;
  for (auto& n : names) cols.push_back({n, oid::kText, -1});
  Decoded out;
  auto dec = CopyDecoder::Create(opts, cols);
  EXPECT_TRUE(dec.ok());
  CopyDecoder& d = **dec;
  size_t at = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (size_t end : ends) {
    d.Feed(input.substr(at, end - at));
    at = end;
    if (!Drain(d, &out)) return out;
  }
  d.Finish();
  Drain(d, &out);
  return out;
}

inline Decoded Decode(const CopyOptions& opts, std::vector<std::string> names, std::string_view input) {
  return DecodeCut(opts, std::move(names), input, {});
}

}  // namespace pgw::copy_test
