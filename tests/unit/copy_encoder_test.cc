// COPY TO encoding. Every expected byte string is PostgreSQL 15's own output of
// `COPY e TO STDOUT ...` for the table e(i int, t text, f float8, b bytea, d date) holding the
// rows built by Rows() below.
#include "copy/copy_encoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgw {
namespace {

const std::vector<CopyColumn> kColumns = {{"i", oid::kInt4, -1},
                                          {"t", oid::kText, -1},
                                          {"f", oid::kFloat8, -1},
                                          {"b", oid::kBytea, -1},
                                          {"d", oid::kDate, -1}};

std::vector<std::vector<Value>> Rows() {
  return {
      {Value::Int(1), Value::Text("a\tb\\c\nd\re"), Value::Float(1.5),
       Value::Blob(std::string_view("\x00\xff", 2)), Value::Text("2024-01-02")},
      {Value::Null(), Value::Text(""), Value::Null(), Value::Null(), Value::Null()},
      {Value::Int(-3), Value::Text("x,y\"z"), Value::Float(0.1), Value::Blob(""),
       Value::Text("1999-12-31")},
      {Value::Int(4), Value::Text("\\."), Value::Float(2), Value::Blob("ab"), Value::Null()},
  };
}

CopyOptionItem Str(std::string name, std::string v) {
  return {std::move(name), {CopyOptionArg::Kind::kString, std::move(v), {}}};
}

std::string Encode(std::vector<CopyOptionItem> items,
                   const std::vector<CopyColumn>& columns = kColumns) {
  Result<CopyOptions> opts = ParseCopyOptions(false, items);
  EXPECT_TRUE(opts.ok()) << opts.status().ToString();
  std::string out;
  AppendCopyPrologue(*opts, columns, &out);
  for (const auto& row : Rows()) {
    std::vector<Value> values(row.begin(), row.begin() + static_cast<long>(columns.size()));
    if (columns.size() == 1) values = {row[1]};
    Status s = AppendCopyRow(*opts, columns, values, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  AppendCopyEpilogue(*opts, &out);
  return out;
}

const char kTextRows[] =
    "1\ta\\tb\\\\c\\nd\\re\t1.5\t\\\\x00ff\t2024-01-02\n"
    "\\N\t\t\\N\t\\N\t\\N\n"
    "-3\tx,y\"z\t0.1\t\\\\x\t1999-12-31\n"
    "4\t\\\\.\t2\t\\\\x6162\t\\N\n";

const char kCsvRows[] =
    "1,\"a\tb\\c\nd\re\",1.5,\\x00ff,2024-01-02\n"
    ",\"\",,,\n"
    "-3,\"x,y\"\"z\",0.1,\\x,1999-12-31\n"
    "4,\\.,2,\\x6162,\n";

TEST(CopyEncoderTest, Text) {
  EXPECT_EQ(Encode({}), kTextRows);
  EXPECT_EQ(Encode({{"header", {}}}), std::string("i\tt\tf\tb\td\n") + kTextRows);
}

TEST(CopyEncoderTest, TextCustomDelimiterAndNull) {
  EXPECT_EQ(Encode({Str("delimiter", "|"), Str("null", "")}),
            "1|a\\tb\\\\c\\nd\\re|1.5|\\\\x00ff|2024-01-02\n"
            "||||\n"
            "-3|x,y\"z|0.1|\\\\x|1999-12-31\n"
            "4|\\\\.|2|\\\\x6162|\n");
}

TEST(CopyEncoderTest, Csv) {
  EXPECT_EQ(Encode({Str("format", "csv")}), kCsvRows);
  EXPECT_EQ(Encode({Str("format", "csv"), {"header", {}}}), std::string("i,t,f,b,d\n") + kCsvRows);
}

TEST(CopyEncoderTest, CsvForceQuote) {
  EXPECT_EQ(Encode({Str("format", "csv"), {"force_quote", {CopyOptionArg::Kind::kStar, "", {}}}}),
            "\"1\",\"a\tb\\c\nd\re\",\"1.5\",\"\\x00ff\",\"2024-01-02\"\n"
            ",\"\",,,\n"
            "\"-3\",\"x,y\"\"z\",\"0.1\",\"\\x\",\"1999-12-31\"\n"
            "\"4\",\"\\.\",\"2\",\"\\x6162\",\n");
  EXPECT_EQ(Encode({Str("format", "csv"),
                    {"force_quote", {CopyOptionArg::Kind::kList, "", {"t", "i"}}},
                    Str("null", "NUL"),
                    Str("delimiter", ";")}),
            "\"1\";\"a\tb\\c\nd\re\";1.5;\\x00ff;2024-01-02\n"
            "NUL;\"\";NUL;NUL;NUL\n"
            "\"-3\";\"x,y\"\"z\";0.1;\\x;1999-12-31\n"
            "\"4\";\"\\.\";2;\\x6162;NUL\n");
}

TEST(CopyEncoderTest, ForceQuoteColumnsMustBeCopied) {
  CopyOptions o =
      ParseCopyOptions(
          false, {Str("format", "csv"), {"force_quote", {CopyOptionArg::Kind::kList, "", {"b"}}}})
          .value();
  Status bad = CheckForceQuoteColumns(o, {{"a", oid::kInt4, -1}});
  EXPECT_EQ(bad.sqlstate(), "42P10");
  EXPECT_EQ(bad.message(), "FORCE_QUOTE column \"b\" not referenced by COPY");
  EXPECT_TRUE(CheckForceQuoteColumns(o, {{"a", oid::kInt4, -1}, {"b", oid::kText, -1}}).ok());
}

TEST(CopyEncoderTest, CsvQuoteAndEscape) {
  EXPECT_EQ(Encode({Str("format", "csv"), Str("quote", "'"), Str("escape", "\\")}),
            "1,'a\tb\\\\c\nd\re',1.5,\\x00ff,2024-01-02\n"
            ",'',,,\n"
            "-3,'x,y\"z',0.1,\\x,1999-12-31\n"
            "4,\\.,2,\\x6162,\n");
}

TEST(CopyEncoderTest, CsvSingleColumnQuotesEndMarker) {
  EXPECT_EQ(Encode({Str("format", "csv"), {"header", {}}}, {{"t", oid::kText, -1}}),
            "t\n\"a\tb\\c\nd\re\"\n\"\"\n\"x,y\"\"z\"\n\"\\.\"\n");
}

TEST(CopyEncoderTest, Binary) {
  const unsigned char kExpected[] = {
      0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00,
      0x00, 0x00, 0x09, 0x61, 0x09, 0x62, 0x5c, 0x63, 0x0a, 0x64, 0x0d, 0x65, 0x00, 0x00, 0x00,
      0x08, 0x3f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xff,
      0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x22, 0x3f, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0x00,
      0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xfd, 0x00, 0x00, 0x00, 0x05, 0x78,
      0x2c, 0x79, 0x22, 0x7a, 0x00, 0x00, 0x00, 0x08, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99,
      0x9a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff, 0x00, 0x05,
      0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x5c, 0x2e, 0x00,
      0x00, 0x00, 0x08, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
      0x61, 0x62, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(Encode({Str("format", "binary")}),
            std::string(reinterpret_cast<const char*>(kExpected), sizeof kExpected));
}

}  // namespace
}  // namespace pgw
