// COPY TO output read back by COPY FROM gives the original values, for text and CSV with default
// and unusual options, whatever the chunking.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "copy/copy_decoder.h"
#include "copy/copy_encoder.h"

namespace pgw {
namespace {

CopyOptionItem Str(std::string name, std::string v) {
  return {std::move(name), {CopyOptionArg::Kind::kString, std::move(v), {}}};
}

const std::vector<std::string> kTricky = {
    "",           "plain",     "tab\there",   "nl\nx",
    "cr\rx",      "crlf\r\nx", "back\\slash", "\\N",
    "\\.",        "quote\"d",  ",comma",      "'single'",
    "semi;colon", "|pipe",     "NUL",         "\xc3\xa9t\xc3\xa9",
    " "};

void RoundTrip(std::vector<CopyOptionItem> items, size_t chunk) {
  const std::vector<CopyColumn> cols = {{"a", oid::kText, -1}, {"b", oid::kText, -1}};
  CopyOptions out_opts = ParseCopyOptions(false, items).value();
  CopyOptions in_opts = ParseCopyOptions(true, items).value();
  std::string bytes;
  AppendCopyPrologue(out_opts, cols, &bytes);
  std::vector<std::vector<std::optional<std::string>>> expected;
  for (const std::string& s : kTricky) {
    std::vector<Value> row = {Value::Text(s), Value::Null()};
    ASSERT_TRUE(AppendCopyRow(out_opts, cols, row, &bytes).ok());
    expected.push_back({s, std::nullopt});
  }
  AppendCopyEpilogue(out_opts, &bytes);

  auto dec = CopyDecoder::Create(in_opts, cols);
  ASSERT_TRUE(dec.ok());
  std::vector<std::vector<std::optional<std::string>>> got;
  auto drain = [&]() -> bool {
    for (;;) {
      CopyRow row;
      Result<CopyDecoder::Step> step = (*dec)->Next(&row);
      EXPECT_TRUE(step.ok()) << step.status().ToString();
      if (!step.ok() || *step != CopyDecoder::Step::kRow) return step.ok();
      std::vector<std::optional<std::string>> r;
      for (auto& f : row.fields) r.push_back(f ? std::optional<std::string>(*f) : std::nullopt);
      got.push_back(r);
    }
  };
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    (*dec)->Feed(std::string_view(bytes).substr(at, chunk));
    ASSERT_TRUE(drain());
  }
  (*dec)->Finish();
  ASSERT_TRUE(drain());
  EXPECT_EQ(got, expected);
}

TEST(CopyRoundTripTest, TextAndCsvWithAnyChunking) {
  const std::vector<std::vector<CopyOptionItem>> option_sets = {
      {},
      // Text format writes a value equal to the NULL string unprotected (as PostgreSQL does),
      // so this NULL string must differ from every value; CSV quotes such a value instead.
      {Str("header", "true"), Str("delimiter", "|"), Str("null", "NULL")},
      {Str("format", "csv")},
      {Str("format", "csv"), Str("header", "true"), Str("null", "NUL"), Str("delimiter", ";")},
      {Str("format", "csv"), Str("quote", "'"), Str("escape", "\\")},
      {Str("format", "binary")},
  };
  for (const auto& items : option_sets) {
    for (size_t chunk : {1, 2, 3, 7, 64, 4096}) {
      SCOPED_TRACE(testing::Message()
                   << "options #" << (&items - option_sets.data()) << " chunk " << chunk);
      RoundTrip(items, chunk);
    }
  }
}

}  // namespace
}  // namespace pgw
