// Binary-format COPY FROM decoding. The stream and the error cases were checked against a real
// PostgreSQL 15 (COPY ... TO STDOUT (FORMAT binary) output, and COPY t(a int, b text) FROM files
// holding the malformed bytes).
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

CopyOptions Binary() {
  return ParseCopyOptions(true, {{"format", {CopyOptionArg::Kind::kString, "binary", {}}}}).value();
}

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

const std::string kHeader = std::string("PGCOPY\n\377\r\n\0", 11) + Bytes({0, 0, 0, 0, 0, 0, 0, 0});

// PostgreSQL 15's `COPY e TO STDOUT (FORMAT binary)` for e(i int, t text, f float8, b bytea,
// d date), four rows.
std::string PostgresStream() {
  return kHeader +
         Bytes({0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                0x09, 0x61, 0x09, 0x62, 0x5c, 0x63, 0x0a, 0x64, 0x0d, 0x65, 0x00, 0x00, 0x00,
                0x08, 0x3f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                0x00, 0xff, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x22, 0x3f, 0x00, 0x05, 0xff,
                0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0xff,
                0xff, 0xff, 0xfd, 0x00, 0x00, 0x00, 0x05, 0x78, 0x2c, 0x79, 0x22, 0x7a, 0x00,
                0x00, 0x00, 0x08, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff, 0x00, 0x05, 0x00,
                0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x5c, 0x2e,
                0x00, 0x00, 0x00, 0x08, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x02, 0x61, 0x62, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
}

const std::vector<std::string> kE = {"i", "t", "f", "b", "d"};

void ExpectFormatError(std::string_view input, std::string_view message, int64_t line = -1,
                       std::vector<std::string> names = {"a", "b"}) {
  Decoded d = Decode(Binary(), std::move(names), input);
  EXPECT_EQ(d.status.sqlstate(), "22P04") << message;
  EXPECT_EQ(d.status.message(), message);
  if (line >= 0) {
    EXPECT_EQ(d.error_line, line) << message;
  }
}

TEST(CopyBinaryTest, DecodesPostgresStream) {
  Decoded d = Decode(Binary(), kE, PostgresStream());
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rows.size(), 4u);
  EXPECT_EQ(d.rows[0][0], Bytes({0, 0, 0, 1}));
  EXPECT_EQ(d.rows[0][1], "a\tb\\c\nd\re");
  EXPECT_EQ(d.rows[0][3], Bytes({0, 0xff}));
  EXPECT_EQ(d.rows[1], (Fields{std::nullopt, "", std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(d.rows[2][3], "");  // empty bytea is not NULL
  EXPECT_EQ(d.rows[3][4], std::nullopt);
  EXPECT_EQ(d.lines, (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST(CopyBinaryTest, EveryChunkBoundaryGivesTheSameRows) {
  const std::string input = PostgresStream();
  Decoded whole = Decode(Binary(), kE, input);
  ASSERT_TRUE(whole.status.ok());
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    Decoded d = DecodeCut(Binary(), kE, input, {cut});
    ASSERT_TRUE(d.status.ok()) << "cut " << cut << ": " << d.status.ToString();
    EXPECT_EQ(d.rows, whole.rows) << "cut " << cut;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); ++i) every.push_back(i);
  EXPECT_EQ(DecodeCut(Binary(), kE, input, every).rows, whole.rows);
}

TEST(CopyBinaryTest, HeaderExtensionIsSkipped) {
  std::string input = std::string("PGCOPY\n\377\r\n\0", 11) + Bytes({0, 0, 0, 0, 0, 0, 0, 2}) +
                      "zz" + Bytes({0, 2, 0, 0, 0, 1, 'q', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  Decoded d = Decode(Binary(), {"a", "b"}, input);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.rows, (std::vector<Fields>{{"q", std::nullopt}}));
}

TEST(CopyBinaryTest, EndOfDataWithoutTrailerIsAccepted) {
  EXPECT_TRUE(Decode(Binary(), {"a"}, kHeader).status.ok());
  // A lone byte where a field count should be ends the data, as in PostgreSQL.
  Decoded d = Decode(Binary(), {"a"}, kHeader + Bytes({0, 1, 0, 0, 0, 1, 'x', 0}));
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.rows.size(), 1u);
}

TEST(CopyBinaryTest, HeaderErrors) {
  ExpectFormatError("", "COPY file signature not recognized");
  ExpectFormatError("PGCOPY\n\377\r\n", "COPY file signature not recognized");
  ExpectFormatError(std::string("PGCOPX\n\377\r\n\0", 11), "COPY file signature not recognized");
  const std::string sig("PGCOPY\n\377\r\n\0", 11);
  ExpectFormatError(sig + Bytes({0, 1, 0, 0}), "invalid COPY file header (WITH OIDS)");
  ExpectFormatError(sig + Bytes({0, 2, 0, 0}), "unrecognized critical flags in COPY file header");
  ExpectFormatError(sig + Bytes({0, 0}), "invalid COPY file header (missing flags)");
  ExpectFormatError(sig + Bytes({0, 0, 0, 0, 0}), "invalid COPY file header (missing length)");
  ExpectFormatError(sig + Bytes({0, 0, 0, 0, 0, 0, 0, 3, 'a', 'b'}),
                    "invalid COPY file header (wrong length)");
}

TEST(CopyBinaryTest, RowErrors) {
  ExpectFormatError(kHeader + Bytes({0, 1, 0, 0, 0, 1, 'x'}), "row field count is 1, expected 2",
                    1);
  Decoded size = Decode(Binary(), {"a", "b"},
                        kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0xff, 0xff, 0xff, 0xfe}));
  EXPECT_EQ(size.status.message(), "invalid field size");
  EXPECT_EQ(size.error_line, 1);
  ExpectFormatError(kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0, 0, 0, 5, 'a', 'b'}),
                    "unexpected EOF in COPY data", 1);
  ExpectFormatError(
      kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x'}),
      "received copy data after EOF marker", 2);
}

TEST(CopyBinaryTest, FieldAtAllocationLimitIsRejected) {
  Decoded big = Decode(Binary(), {"a", "b"},
                       kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0x3f, 0xff, 0xff, 0xff}));
  EXPECT_EQ(big.status.sqlstate(), "54000");
  EXPECT_EQ(big.status.message(), "out of memory");
  EXPECT_EQ(big.status.info().detail,
            "Cannot enlarge string buffer containing 0 bytes by 1073741823 more bytes.");
  // One byte less is a legal size; here the data just ends early.
  ExpectFormatError(kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0x3f, 0xff, 0xff, 0xfe}),
                    "unexpected EOF in COPY data", 1);
}

TEST(CopyBinaryTest, ErrorColumnIsReported) {
  auto dec = CopyDecoder::Create(Binary(), {{"a", oid::kInt4, -1}, {"b", oid::kText, -1}});
  ASSERT_TRUE(dec.ok());
  (*dec)->Feed(kHeader + Bytes({0, 2, 0, 0, 0, 1, 'x', 0, 0, 0, 5, 'a'}));
  (*dec)->Finish();
  CopyRow row;
  Result<CopyDecoder::Step> step = (*dec)->Next(&row);
  ASSERT_FALSE(step.ok());
  EXPECT_EQ((*dec)->error_column(), "b");
  EXPECT_EQ((*dec)->line(), 1);
}

}  // namespace
}  // namespace pgw
