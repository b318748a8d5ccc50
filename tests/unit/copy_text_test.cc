// Text-format COPY FROM decoding. Expected rows, line numbers and errors were checked against a
// real PostgreSQL 15 (COPY t(a int, b text) FROM a file holding the same bytes).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "copy/copy_decoder.h"
#include "copy_test_util.h"

namespace pgw {
namespace {

using copy_test::Decode;
using copy_test::DecodeCut;
using copy_test::Decoded;
using copy_test::Fields;

CopyOptions Text() { return ParseCopyOptions(true, {}).value(); }

const std::vector<std::string> kAB = {"a", "b"};

TEST(CopyTextTest, EscapesAndNull) {
  Decoded d = Decode(Text(), kAB, "1\ta\\x41\\101\\x\\N\\q\n2\t\\N\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0], (Fields{"1", "aAAxNq"}));
  EXPECT_EQ(d.rows[1], (Fields{"2", std::nullopt}));
  EXPECT_EQ(d.lines, (std::vector<int64_t>{1, 2}));
}

TEST(CopyTextTest, ControlEscapesAndDelimiter) {
  Decoded d = Decode(Text(), kAB, "\\b\\f\\n\\r\\t\\v\\\\\t\\\tx\\1\\0101\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0], (Fields{"\b\f\n\r\t\v\\", "\tx\001\b1"}));
}

TEST(CopyTextTest, EmptyInputHasNoRows) {
  Decoded d = Decode(Text(), kAB, "");
  EXPECT_TRUE(d.status.ok());
  EXPECT_TRUE(d.rows.empty());
  Decoded marker = Decode(Text(), kAB, "\\.\n");
  EXPECT_TRUE(marker.status.ok());
  EXPECT_TRUE(marker.rows.empty());
}

TEST(CopyTextTest, EmptyStringIsNotNull) {
  Decoded d = Decode(Text(), kAB, "\t\n");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.rows[0], (Fields{"", ""}));
}

TEST(CopyTextTest, BackslashNewlineIsLiteralNewline) {
  Decoded d = Decode(Text(), kAB, "1\tx\\\n");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.rows[0], (Fields{"1", "x\n"}));
}

TEST(CopyTextTest, LastLineWithoutNewline) {
  Decoded d = Decode(Text(), kAB, "1\tx\n2\ty");
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[1], (Fields{"2", "y"}));
}

TEST(CopyTextTest, EndMarkerStopsAndIgnoresRest) {
  Decoded d = Decode(Text(), kAB, "1\tx\n\\.\n3\tz\n");
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.rows.size(), 1u);
  // "\." after data on the same line ends the data after that row.
  Decoded mid = Decode(Text(), kAB, "1\tx\n2\ty\\.\n3\tz\n");
  ASSERT_TRUE(mid.status.ok());
  ASSERT_EQ(mid.rows.size(), 2u);
  EXPECT_EQ(mid.rows[1], (Fields{"2", "y"}));
}

TEST(CopyTextTest, EndMarkerErrors) {
  Decoded d = Decode(Text(), kAB, "1\tx\n\\.");
  EXPECT_EQ(d.status.sqlstate(), "22P04");
  EXPECT_EQ(d.status.message(), "end-of-copy marker corrupt");
  EXPECT_EQ(d.error_line, 2);
  Decoded x = Decode(Text(), kAB, "\\.x\n");
  EXPECT_EQ(x.status.message(), "end-of-copy marker corrupt");
  EXPECT_EQ(x.error_line, 1);
  Decoded style = Decode(Text(), kAB, "1\tx\r\n\\.\n");
  EXPECT_EQ(style.status.message(), "end-of-copy marker does not match previous newline style");
}

TEST(CopyTextTest, LineEndStyles) {
  Decoded crlf = Decode(Text(), kAB, "1\tx\r\n2\ty\r\n");
  ASSERT_TRUE(crlf.status.ok());
  EXPECT_EQ(crlf.rows.size(), 2u);
  EXPECT_EQ(crlf.rows[1], (Fields{"2", "y"}));
  Decoded cr_marker = Decode(Text(), kAB, "1\tx\r2\ty\r\\.\r");
  ASSERT_TRUE(cr_marker.status.ok()) << cr_marker.status.ToString();
  EXPECT_EQ(cr_marker.rows.size(), 2u);
  Decoded cr = Decode(Text(), kAB, "1\tx\r2\ty\r");
  ASSERT_TRUE(cr.status.ok());
  EXPECT_EQ(cr.rows.size(), 2u);
  EXPECT_EQ(cr.rows[1], (Fields{"2", "y"}));
}

TEST(CopyTextTest, MixedLineEndsAreErrors) {
  Decoded a = Decode(Text(), kAB, "1\tx\r\n2\ty\n");
  EXPECT_EQ(a.status.sqlstate(), "22P04");
  EXPECT_EQ(a.status.message(), "literal newline found in data");
  EXPECT_EQ(a.status.info().hint, "Use \"\\n\" to represent newline.");
  EXPECT_EQ(a.error_line, 2);
  Decoded b = Decode(Text(), kAB, "1\tx\n2\ty\r\n");
  EXPECT_EQ(b.status.message(), "literal carriage return found in data");
  EXPECT_EQ(b.status.info().hint, "Use \"\\r\" to represent carriage return.");
  EXPECT_EQ(b.error_line, 2);
  Decoded c = Decode(Text(), kAB, "1\tx\r2\ty\n");
  EXPECT_EQ(c.status.message(), "literal newline found in data");
  EXPECT_EQ(c.error_line, 2);
}

TEST(CopyTextTest, ColumnCountErrors) {
  Decoded missing = Decode(Text(), kAB, "1\n");
  EXPECT_EQ(missing.status.sqlstate(), "22P04");
  EXPECT_EQ(missing.status.message(), "missing data for column \"b\"");
  EXPECT_EQ(missing.error_line, 1);
  Decoded extra = Decode(Text(), kAB, "1\tb\n1\tb\tc\n");
  EXPECT_EQ(extra.status.message(), "extra data after last expected column");
  EXPECT_EQ(extra.error_line, 2);
  EXPECT_EQ(extra.rows.size(), 1u);
}

TEST(CopyTextTest, InvalidUtf8FromEscapes) {
  Decoded nul = Decode(Text(), kAB, "1\ta\\000b\n");
  EXPECT_EQ(nul.status.sqlstate(), "22021");
  EXPECT_EQ(nul.status.message(), "invalid byte sequence for encoding \"UTF8\": 0x00");
  Decoded bad = Decode(Text(), kAB, "1\ta\\xc3\\x28\n");
  EXPECT_EQ(bad.status.message(), "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
  Decoded good = Decode(Text(), kAB, "1\t\\xc3\\xa9\n");
  ASSERT_TRUE(good.status.ok());
  EXPECT_EQ(good.rows[0], (Fields{"1", "\xc3\xa9"}));
}

TEST(CopyTextTest, InvalidUtf8InRawInput) {
  Decoded d = Decode(Text(), kAB, "1\tok\n2\t\xff\n");
  EXPECT_EQ(d.status.sqlstate(), "22021");
  EXPECT_EQ(d.status.message(), "invalid byte sequence for encoding \"UTF8\": 0xff");
  EXPECT_EQ(d.error_line, 2);
  EXPECT_EQ(d.rows.size(), 1u);
  Decoded cut = Decode(Text(), kAB, "1\tok\n2\ta\xc3\n3\tb\n");
  EXPECT_EQ(cut.status.message(), "invalid byte sequence for encoding \"UTF8\": 0xc3 0x0a");
  EXPECT_EQ(cut.error_line, 2);
  Decoded nul = Decode(Text(), kAB, std::string("1\ta\0b\n", 6));
  EXPECT_EQ(nul.status.message(), "invalid byte sequence for encoding \"UTF8\": 0x00");
  // Bytes after the end marker are never looked at.
  Decoded after = Decode(Text(), kAB, "1\tok\n\\.\n\xff\n");
  EXPECT_TRUE(after.status.ok());
  // A character split across chunks is fine.
  Decoded split = DecodeCut(Text(), kAB, "1\t\xe2\x82\xac\n", {3, 4});
  ASSERT_TRUE(split.status.ok()) << split.status.ToString();
  EXPECT_EQ(split.rows[0], (Fields{"1", "\xe2\x82\xac"}));
  // ... but one cut short by the end of the data is not.
  Decoded truncated = Decode(Text(), kAB, "1\t\xe2\x82");
  EXPECT_EQ(truncated.status.message(), "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82");
}

TEST(CopyTextTest, ErrorLineTextForContext) {
  auto dec = CopyDecoder::Create(Text(), {{"a", oid::kText, -1}, {"b", oid::kText, -1}});
  ASSERT_TRUE(dec.ok());
  (*dec)->Feed("1\tb\n1\tb\tc\n");
  (*dec)->Finish();
  CopyRow row;
  ASSERT_TRUE((*dec)->Next(&row).ok());
  Result<CopyDecoder::Step> step = (*dec)->Next(&row);
  ASSERT_FALSE(step.ok());
  EXPECT_EQ((*dec)->error_line_text(), "1\tb\tc");
  EXPECT_EQ((*dec)->line(), 2);
}

TEST(CopyTextTest, HeaderSkippedAndCustomDelimiterNull) {
  CopyOptions o = ParseCopyOptions(true, {{"header", {}},
                                          {"delimiter", {CopyOptionArg::Kind::kString, "|", {}}},
                                          {"null", {CopyOptionArg::Kind::kString, "", {}}}})
                      .value();
  Decoded d = Decode(o, kAB, "a|b\n1|\n|x\\|y\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0], (Fields{"1", std::nullopt}));
  EXPECT_EQ(d.rows[1], (Fields{std::nullopt, "x|y"}));
  EXPECT_EQ(d.lines, (std::vector<int64_t>{2, 3}));
}

TEST(CopyTextTest, EveryChunkBoundaryGivesTheSameRows) {
  const std::string input = "1\ta\\x41\\101\\\\\r\n\\N\t\\N\r\n3\t\\z\r\n\\.\r\nignored\n";
  Decoded whole = Decode(Text(), kAB, input);
  ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();
  ASSERT_EQ(whole.rows.size(), 3u);
  EXPECT_EQ(whole.rows[0], (Fields{"1", "aAA\\"}));
  EXPECT_EQ(whole.rows[2], (Fields{"3", "z"}));
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    Decoded d = DecodeCut(Text(), kAB, input, {cut});
    ASSERT_TRUE(d.status.ok()) << "cut " << cut << ": " << d.status.ToString();
    EXPECT_EQ(d.rows, whole.rows) << "cut " << cut;
    EXPECT_EQ(d.lines, whole.lines) << "cut " << cut;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); ++i) every.push_back(i);
  Decoded bytewise = DecodeCut(Text(), kAB, input, every);
  ASSERT_TRUE(bytewise.status.ok());
  EXPECT_EQ(bytewise.rows, whole.rows);
}

}  // namespace
}  // namespace pgw
