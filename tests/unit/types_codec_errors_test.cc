// Bad input and out-of-range values: SQLSTATE and message text exactly as PostgreSQL 15 reports
// them for the same input (captured with `SELECT '<input>'::<type>`).
#include <gtest/gtest.h>

#include <string>

#include "types/value_codec.h"

namespace pgw {
namespace {

struct ErrorCase {
  Oid type;
  const char* input;
  const char* sqlstate;
  const char* message;
};

const ErrorCase kCases[] = {
    {oid::kInt4, "abc", "22P02", "invalid input syntax for type integer: \"abc\""},
    {oid::kInt4, "99999999999", "22003", "value \"99999999999\" is out of range for type integer"},
    {oid::kInt4, "12a", "22P02", "invalid input syntax for type integer: \"12a\""},
    {oid::kInt4, "", "22P02", "invalid input syntax for type integer: \"\""},
    {oid::kInt2, "x", "22P02", "invalid input syntax for type smallint: \"x\""},
    {oid::kInt2, "40000", "22003", "value \"40000\" is out of range for type smallint"},
    {oid::kInt8, "9223372036854775808", "22003",
     "value \"9223372036854775808\" is out of range for type bigint"},
    {oid::kOid, "x", "22P02", "invalid input syntax for type oid: \"x\""},
    {oid::kOid, "99999999999", "22003", "value \"99999999999\" is out of range for type oid"},
    {oid::kBool, "x", "22P02", "invalid input syntax for type boolean: \"x\""},
    {oid::kBool, "o", "22P02", "invalid input syntax for type boolean: \"o\""},
    {oid::kFloat4, "x", "22P02", "invalid input syntax for type real: \"x\""},
    {oid::kFloat4, "1e40", "22003", "\"1e40\" is out of range for type real"},
    {oid::kFloat8, "1e400", "22003", "\"1e400\" is out of range for type double precision"},
    {oid::kFloat8, "1e-400", "22003", "\"1e-400\" is out of range for type double precision"},
    {oid::kFloat8, "0x10", "22P02", "invalid input syntax for type double precision: \"0x10\""},
    {oid::kNumeric, "x", "22P02", "invalid input syntax for type numeric: \"x\""},
    {oid::kNumeric, "1.2.3", "22P02", "invalid input syntax for type numeric: \"1.2.3\""},
    {oid::kDate, "x", "22007", "invalid input syntax for type date: \"x\""},
    {oid::kDate, "2024-13-01", "22008", "date/time field value out of range: \"2024-13-01\""},
    {oid::kDate, "2024-02-30", "22008", "date/time field value out of range: \"2024-02-30\""},
    {oid::kDate, "5874898-01-01", "22008", "date out of range: \"5874898-01-01\""},
    {oid::kTime, "x", "22007", "invalid input syntax for type time: \"x\""},
    {oid::kTime, "25:00:00", "22008", "date/time field value out of range: \"25:00:00\""},
    {oid::kTimestamp, "x", "22007", "invalid input syntax for type timestamp: \"x\""},
    {oid::kTimestamp, "2024-01-01 25:00", "22008",
     "date/time field value out of range: \"2024-01-01 25:00\""},
    {oid::kTimestamptz, "x", "22007",
     "invalid input syntax for type timestamp with time zone: \"x\""},
    {oid::kTimestamptz, "2024-01-01 12:00 +25", "22009",
     "time zone displacement out of range: \"2024-01-01 12:00 +25\""},
    {oid::kInterval, "x", "22007", "invalid input syntax for type interval: \"x\""},
    {oid::kInterval, "1 foo", "22007", "invalid input syntax for type interval: \"1 foo\""},
    {oid::kUuid, "x", "22P02", "invalid input syntax for type uuid: \"x\""},
    {oid::kUuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "22P02",
     "invalid input syntax for type uuid: \"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\""},
    {oid::kBytea, "\\xzz", "22023", "invalid hexadecimal digit: \"z\""},
    {oid::kBytea, "\\x1", "22023", "invalid hexadecimal data: odd number of digits"},
    {oid::kBytea, "\\1", "22P02", "invalid input syntax for type bytea"},
    {oid::kJson, "{", "22P02", "invalid input syntax for type json"},
    {oid::kJsonb, "{", "22P02", "invalid input syntax for type json"},
    {oid::kJsonb, "[1,]", "22P02", "invalid input syntax for type json"},
    {oid::kJsonb, "\"\\u0000\"", "22P05", "unsupported Unicode escape sequence"},
};

TEST(TypesCodecErrorsTest, TextInputErrorsMatchPostgres) {
  for (const ErrorCase& c : kCases) {
    std::string scratch;
    Result<Value> r = DecodeValue(c.type, c.input, WireFormat::kText, &scratch);
    ASSERT_FALSE(r.ok()) << FormatType(c.type, -1) << " '" << c.input << "'";
    EXPECT_EQ(r.status().sqlstate(), c.sqlstate) << c.input;
    EXPECT_EQ(r.status().message(), c.message) << c.input;
  }
}

TEST(TypesCodecErrorsTest, JsonErrorsCarryDetail) {
  std::string scratch;
  Result<Value> r = DecodeValue(oid::kJson, "{", WireFormat::kText, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail, "The input string ended unexpectedly.");
  r = DecodeValue(oid::kJson, "[1, tru]", WireFormat::kText, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail, "Token \"tru\" is invalid.");
}

TEST(TypesCodecErrorsTest, JsonNestingLimit) {
  std::string deep(5000, '[');
  std::string scratch;
  Result<Value> r = DecodeValue(oid::kJsonb, deep, WireFormat::kText, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "54001");
}

TEST(TypesCodecErrorsTest, MalformedBinaryInput) {
  std::string scratch;
  // Too short: the recv function runs out of input (08P01), as PostgreSQL's pq_getmsgint does.
  Status st = DecodeValue(oid::kInt4, std::string("\x00\x01", 2), WireFormat::kBinary, &scratch)
                  .status();
  EXPECT_EQ(st.sqlstate(), "08P01");
  EXPECT_EQ(st.message(), "insufficient data left in message");
  EXPECT_EQ(DecodeValue(oid::kInt8, "1234", WireFormat::kBinary, &scratch).status().sqlstate(),
            "08P01");
  EXPECT_EQ(DecodeValue(oid::kUuid, "short", WireFormat::kBinary, &scratch).status().sqlstate(),
            "08P01");
  // Too long: bytes are left over (22P03).
  st = DecodeValue(oid::kInt4, "123456", WireFormat::kBinary, &scratch).status();
  EXPECT_EQ(st.sqlstate(), "22P03");
  EXPECT_EQ(st.message(), "incorrect binary data format");
  // numeric with a digit group above 9999
  std::string bad_digit("\x00\x01\x00\x00\x00\x00\x00\x00\x27\x10", 10);
  Result<Value> r = DecodeValue(oid::kNumeric, bad_digit, WireFormat::kBinary, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "invalid digit in external \"numeric\" value");
  std::string bad_sign("\x00\x00\x00\x00\x12\x34\x00\x00", 8);
  r = DecodeValue(oid::kNumeric, bad_sign, WireFormat::kBinary, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "invalid sign in external \"numeric\" value");
  r = DecodeValue(oid::kJsonb, "\x02{}", WireFormat::kBinary, &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unsupported jsonb version number 2");
  r = DecodeValue(oid::kTime, std::string("\x7f\0\0\0\0\0\0\0", 8), WireFormat::kBinary, &scratch);
  EXPECT_FALSE(r.ok());
}

TEST(TypesCodecErrorsTest, StoredGarbageIsReportedNotPrinted) {
  std::string out;
  Status st = EncodeValue(oid::kDate, -1, Value::Text("garbage"), WireFormat::kText, &out);
  EXPECT_FALSE(st.ok());
  st = EncodeValue(oid::kInt2, -1, Value::Int(70000), WireFormat::kBinary, &out);
  EXPECT_EQ(st.sqlstate(), "22003");
  st = EncodeValue(oid::kInet, -1, Value::Text("1.2.3.4"), WireFormat::kBinary, &out);
  EXPECT_EQ(st.sqlstate(), "42883");
}

}  // namespace
}  // namespace pgw
