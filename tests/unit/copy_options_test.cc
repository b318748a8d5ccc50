// COPY option validation: defaults and PostgreSQL 15's errors (texts and SQLSTATEs taken from
// a real PostgreSQL 15 server).
#include "copy/copy_options.h"

#include <gtest/gtest.h>

namespace pgw {
namespace {

CopyOptionItem Str(std::string name, std::string value) {
  CopyOptionItem item{std::move(name), {}};
  item.arg.kind = CopyOptionArg::Kind::kString;
  item.arg.str = std::move(value);
  return item;
}

CopyOptionItem Flag(std::string name) { return {std::move(name), {}}; }

CopyOptionItem List(std::string name, std::vector<std::string> cols) {
  CopyOptionItem item{std::move(name), {}};
  item.arg.kind = CopyOptionArg::Kind::kList;
  item.arg.list = std::move(cols);
  return item;
}

CopyOptionItem Star(std::string name) {
  CopyOptionItem item{std::move(name), {}};
  item.arg.kind = CopyOptionArg::Kind::kStar;
  return item;
}

void ExpectError(bool is_from, std::vector<CopyOptionItem> items, std::string_view sqlstate,
                 std::string_view message) {
  Result<CopyOptions> r = ParseCopyOptions(is_from, items);
  ASSERT_FALSE(r.ok()) << message;
  EXPECT_EQ(r.status().sqlstate(), sqlstate) << message;
  EXPECT_EQ(r.status().message(), message);
}

TEST(CopyOptionsTest, TextDefaults) {
  Result<CopyOptions> r = ParseCopyOptions(true, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->format, CopyFormat::kText);
  EXPECT_EQ(r->delimiter, "\t");
  EXPECT_EQ(r->null_string, "\\N");
  EXPECT_EQ(r->header, CopyHeader::kNone);
  EXPECT_TRUE(r->quote.empty());
}

TEST(CopyOptionsTest, CsvDefaults) {
  Result<CopyOptions> r = ParseCopyOptions(true, {Str("format", "CSV"), Flag("header")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->format, CopyFormat::kCsv);
  EXPECT_EQ(r->delimiter, ",");
  EXPECT_EQ(r->null_string, "");
  EXPECT_EQ(r->quote, "\"");
  EXPECT_EQ(r->escape, "\"");
  EXPECT_EQ(r->header, CopyHeader::kPresent);
}

TEST(CopyOptionsTest, CsvCustom) {
  Result<CopyOptions> r = ParseCopyOptions(
      true, {Str("format", "csv"), Str("quote", "'"), Str("delimiter", ";"), Str("header", "match"),
             List("force_not_null", {"a"}), List("force_null", {"b"}), Str("encoding", "utf-8")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->escape, "'");
  EXPECT_EQ(r->header, CopyHeader::kMatch);
  EXPECT_EQ(r->force_not_null, std::vector<std::string>{"a"});
  Result<CopyOptions> to = ParseCopyOptions(false, {Str("format", "csv"), Star("force_quote")});
  ASSERT_TRUE(to.ok());
  EXPECT_TRUE(to->force_quote_all);
  Result<CopyOptions> off = ParseCopyOptions(false, {Str("header", "off")});
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->header, CopyHeader::kNone);
}

TEST(CopyOptionsTest, PostgresErrors) {
  ExpectError(true, {Str("format", "binary"), Str("delimiter", ",")}, "42601",
              "cannot specify DELIMITER in BINARY mode");
  ExpectError(true, {Str("format", "binary"), Str("null", "x")}, "42601",
              "cannot specify NULL in BINARY mode");
  ExpectError(true, {Str("format", "binary"), Flag("header")}, "0A000",
              "cannot specify HEADER in BINARY mode");
  ExpectError(true, {Str("delimiter", ",,")}, "0A000",
              "COPY delimiter must be a single one-byte character");
  ExpectError(true, {Str("delimiter", "\n")}, "22023",
              "COPY delimiter cannot be newline or carriage return");
  ExpectError(true, {Str("null", "\r")}, "22023",
              "COPY null representation cannot use newline or carriage return");
  ExpectError(true, {Str("delimiter", "a")}, "22023", "COPY delimiter cannot be \"a\"");
  ExpectError(true, {Str("quote", "\"")}, "0A000", "COPY quote available only in CSV mode");
  ExpectError(true, {Str("format", "csv"), Str("quote", "")}, "0A000",
              "COPY quote must be a single one-byte character");
  ExpectError(true, {Str("format", "csv"), Str("delimiter", "\"")}, "22023",
              "COPY delimiter and quote must be different");
  ExpectError(true, {Str("escape", "x")}, "0A000", "COPY escape available only in CSV mode");
  ExpectError(true, {Str("format", "csv"), Str("escape", "xy")}, "0A000",
              "COPY escape must be a single one-byte character");
  ExpectError(true, {Star("force_quote")}, "0A000", "COPY force quote available only in CSV mode");
  ExpectError(true, {Str("format", "csv"), Star("force_quote")}, "0A000",
              "COPY force quote only available using COPY TO");
  ExpectError(true, {List("force_not_null", {"a"})}, "0A000",
              "COPY force not null available only in CSV mode");
  ExpectError(false, {Str("format", "csv"), List("force_not_null", {"a"})}, "0A000",
              "COPY force not null only available using COPY FROM");
  ExpectError(true, {List("force_null", {"a"})}, "0A000",
              "COPY force null available only in CSV mode");
  ExpectError(true, {Str("format", "csv"), Str("null", ",")}, "0A000",
              "COPY delimiter must not appear in the NULL specification");
  ExpectError(true, {Str("format", "csv"), Str("null", "a\"")}, "0A000",
              "CSV quote character must not appear in the NULL specification");
  ExpectError(true, {Str("format", "xx")}, "22023", "COPY format \"xx\" not recognized");
  ExpectError(true, {Str("bogus", "1")}, "42601", "option \"bogus\" not recognized");
  ExpectError(true, {Str("format", "csv"), Str("format", "csv")}, "42601",
              "conflicting or redundant options");
  ExpectError(true, {Str("header", "maybe")}, "42601",
              "header requires a Boolean value or \"match\"");
  ExpectError(true, {Str("encoding", "nope")}, "22023",
              "argument to option \"encoding\" must be a valid encoding name");
  ExpectError(true, {Str("format", "csv"), Str("force_quote", "a")}, "22023",
              "argument to option \"force_quote\" must be a list of column names");
  ExpectError(true, {Str("freeze", "x")}, "42601", "freeze requires a Boolean value");
  ExpectError(true, {Str("null", "a"), Str("delimiter", "a")}, "22023",
              "COPY delimiter cannot be \"a\"");
  ExpectError(false, {Str("header", "match")}, "0A000",
              "cannot use \"match\" with HEADER in COPY TO");
}

TEST(CopyOptionsTest, OnlyUtf8Encoding) {
  ExpectError(true, {Str("encoding", "LATIN1")}, "0A000",
              "COPY encoding \"LATIN1\" is not supported");
  EXPECT_TRUE(ParseCopyOptions(true, {Str("encoding", "UTF8")}).ok());
}

}  // namespace
}  // namespace pgw
