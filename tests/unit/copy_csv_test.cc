// CSV-format COPY FROM decoding. Expected rows, line numbers and errors were checked against a
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

const std::vector<std::string> kAB = {"a", "b"};

CopyOptions Csv(std::vector<CopyOptionItem> extra = {}) {
  extra.insert(extra.begin(), {"format", {CopyOptionArg::Kind::kString, "csv", {}}});
  Result<CopyOptions> r = ParseCopyOptions(true, extra);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.value();
}

CopyOptionItem Str(std::string name, std::string v) {
  return {std::move(name), {CopyOptionArg::Kind::kString, std::move(v), {}}};
}

CopyOptionItem Cols(std::string name, std::vector<std::string> cols) {
  return {std::move(name), {CopyOptionArg::Kind::kList, "", std::move(cols)}};
}

TEST(CopyCsvTest, QuotingAndNulls) {
  Decoded d = Decode(Csv(), kAB, "1,\"a,\"\"b\"\"\"\n2,\"\"\n3,\n4,\"ab\"cd\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 4u);
  EXPECT_EQ(d.rows[0], (Fields{"1", "a,\"b\""}));
  EXPECT_EQ(d.rows[1], (Fields{"2", ""}));
  EXPECT_EQ(d.rows[2], (Fields{"3", std::nullopt}));
  EXPECT_EQ(d.rows[3], (Fields{"4", "abcd"}));
}

TEST(CopyCsvTest, EscapeCharacter) {
  Decoded d = Decode(Csv({Str("escape", "\\")}), kAB, "1,\"a\\\"b\\\\c\\x\"\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.rows[0], (Fields{"1", "a\"b\\c\\x"}));
}

TEST(CopyCsvTest, QuotedNewlinesCountLinesAsPostgres) {
  // PostgreSQL counts newlines inside quotes once the line-end style is known (not on line 1
  // for "\n"), so the rows below are lines 1, 4 and 5.
  Decoded d = Decode(Csv(), kAB, "1,\"x\ny\"\n2,\"p\nq\nr\"\n3,z\n");
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.rows.size(), 3u);
  EXPECT_EQ(d.rows[0], (Fields{"1", "x\ny"}));
  EXPECT_EQ(d.rows[1], (Fields{"2", "p\nq\nr"}));
  EXPECT_EQ(d.lines, (std::vector<int64_t>{1, 4, 5}));
  Decoded crlf = Decode(Csv(), kAB, "1,\"a\r\nb\"\r\n2,c\r\n");
  ASSERT_TRUE(crlf.status.ok());
  EXPECT_EQ(crlf.rows[0], (Fields{"1", "a\r\nb"}));
  EXPECT_EQ(crlf.lines, (std::vector<int64_t>{2, 3}));
}

TEST(CopyCsvTest, UnterminatedQuotedField) {
  Decoded d = Decode(Csv(), kAB, "1,\"abc\n");
  EXPECT_EQ(d.status.sqlstate(), "22P04");
  EXPECT_EQ(d.status.message(), "unterminated CSV quoted field");
  EXPECT_EQ(d.error_line, 1);
}

TEST(CopyCsvTest, ByteOrderMarkIsKept) {
  Decoded d = Decode(Csv(), kAB,
                     "\xef\xbb\xbf"
                     "1,a\n");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.rows[0], (Fields{"\xef\xbb\xbf"
                               "1",
                               "a"}));
}

TEST(CopyCsvTest, EndMarkerOnlyAloneOnALine) {
  Decoded d = Decode(Csv(), kAB, "1,a\n\\.\n2,b\n");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.rows.size(), 1u);
  Decoded data = Decode(Csv(), {"a"}, "\\.a\nx\\.\n\\.");
  ASSERT_TRUE(data.status.ok());
  EXPECT_EQ(data.rows, (std::vector<Fields>{{"\\.a"}, {"x\\."}, {"\\."}}));
  Decoded style = Decode(Csv(), kAB, "1,a\r\n\\.\n");
  EXPECT_EQ(style.status.message(), "unquoted newline found in data");
  EXPECT_EQ(style.status.info().hint, "Use quoted CSV field to represent newline.");
  EXPECT_EQ(style.error_line, 2);
}

TEST(CopyCsvTest, UnquotedCarriageReturn) {
  Decoded d = Decode(Csv(), kAB, "1,\"a\r\nb\"\nq,c\r\n");
  EXPECT_EQ(d.status.sqlstate(), "22P04");
  EXPECT_EQ(d.status.message(), "unquoted carriage return found in data");
  EXPECT_EQ(d.status.info().hint, "Use quoted CSV field to represent carriage return.");
  EXPECT_EQ(d.error_line, 3);
}

TEST(CopyCsvTest, ForceNotNullAndForceNull) {
  Decoded fnn = Decode(Csv({Cols("force_not_null", {"b"})}), kAB, "1,\n");
  ASSERT_TRUE(fnn.status.ok());
  EXPECT_EQ(fnn.rows[0], (Fields{"1", ""}));
  Decoded fnn_x = Decode(Csv({Str("null", "x"), Cols("force_not_null", {"b"})}), kAB, "1,x\n");
  EXPECT_EQ(fnn_x.rows[0], (Fields{"1", "x"}));
  Decoded fn = Decode(Csv({Cols("force_null", {"b"})}), kAB, "1,\"\"\n");
  EXPECT_EQ(fn.rows[0], (Fields{"1", std::nullopt}));
  auto bad = CopyDecoder::Create(Csv({Cols("force_null", {"zz"})}), {{"a", oid::kText, -1}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().sqlstate(), "42P10");
  EXPECT_EQ(bad.status().message(), "FORCE_NULL column \"zz\" not referenced by COPY");
}

TEST(CopyCsvTest, HeaderMatch) {
  CopyOptions o = Csv({Str("header", "match")});
  Decoded ok = Decode(o, kAB, "a,b\n1,2\n");
  ASSERT_TRUE(ok.status.ok());
  EXPECT_EQ(ok.lines, (std::vector<int64_t>{2}));
  Decoded name = Decode(o, kAB, "a,c\n");
  EXPECT_EQ(name.status.sqlstate(), "22P04");
  EXPECT_EQ(name.status.message(),
            "column name mismatch in header line field 2: got \"c\", expected \"b\"");
  EXPECT_EQ(name.error_line, 1);
  Decoded count = Decode(o, kAB, "a\n");
  EXPECT_EQ(count.status.message(), "wrong number of fields in header line: got 1, expected 2");
  // PostgreSQL checks the header even when the data is empty.
  Decoded empty = Decode(o, kAB, "");
  EXPECT_EQ(empty.status.message(), "wrong number of fields in header line: got 1, expected 2");
  EXPECT_EQ(empty.error_line, 1);
  EXPECT_TRUE(Decode(Csv({Str("header", "true")}), kAB, "").status.ok());
  Decoded null = Decode(o, kAB, "a,\n");
  EXPECT_EQ(null.status.message(),
            "column name mismatch in header line field 2: got null value (\"\"), expected \"b\"");
}

TEST(CopyCsvTest, InvalidUtf8InQuotedField) {
  Decoded d = Decode(Csv(), kAB, "1,\"ok\n\xe2\x82\"\n");
  EXPECT_EQ(d.status.sqlstate(), "22021");
  EXPECT_EQ(d.status.message(), "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82 0x22");
  EXPECT_EQ(d.error_line, 1);
}

TEST(CopyCsvTest, ColumnCountErrors) {
  Decoded extra = Decode(Csv(), kAB, "1,2,3\n");
  EXPECT_EQ(extra.status.message(), "extra data after last expected column");
  Decoded missing = Decode(Csv(), kAB, "1\n");
  EXPECT_EQ(missing.status.message(), "missing data for column \"b\"");
}

TEST(CopyCsvTest, EveryChunkBoundaryGivesTheSameRows) {
  const std::string input = "1,\"a\r\n\"\"b\"\r\n\"\",\"x,y\"\r\n\\.\r\nignored\r\n";
  Decoded whole = Decode(Csv(), kAB, input);
  ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();
  ASSERT_EQ(whole.rows.size(), 2u);
  EXPECT_EQ(whole.rows[0], (Fields{"1", "a\r\n\"b"}));
  EXPECT_EQ(whole.rows[1], (Fields{"", "x,y"}));
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    Decoded d = DecodeCut(Csv(), kAB, input, {cut});
    ASSERT_TRUE(d.status.ok()) << "cut " << cut << ": " << d.status.ToString();
    EXPECT_EQ(d.rows, whole.rows) << "cut " << cut;
    EXPECT_EQ(d.lines, whole.lines) << "cut " << cut;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); ++i) every.push_back(i);
  Decoded bytewise = DecodeCut(Csv(), kAB, input, every);
  ASSERT_TRUE(bytewise.status.ok());
  EXPECT_EQ(bytewise.rows, whole.rows);
  EXPECT_EQ(bytewise.lines, whole.lines);
}

TEST(CopyCsvTest, LongQuotedFieldInManyChunks) {
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 1000) big[i] = '\n';
  const std::string input = "1,\"" + big + "\"\n2,y\n";
  std::vector<size_t> cuts;
  for (size_t i = 1024; i < input.size(); i += 1024) cuts.push_back(i);
  Decoded d = DecodeCut(Csv(), kAB, input, cuts);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0][1], big);
  EXPECT_EQ(d.rows[1], (Fields{"2", "y"}));
}

}  // namespace
}  // namespace pgw
