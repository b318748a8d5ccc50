// CastValue: storage-form values converted with PostgreSQL's cast semantics and typmods. Expected
// strings come from PostgreSQL 15 (e.g. SELECT 1.005::float8::numeric(10,2)).
#include <gtest/gtest.h>

#include <string>

#include "types/value_codec.h"

namespace pgw {
namespace {

int32_t NumericTypmod(int precision, int scale) {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

// Casts, then prints the result as `target` in text format.
std::string CastText(const Value& v, Oid target, int32_t typmod) {
  std::string scratch;
  Result<Value> r = CastValue(v, target, typmod, &scratch);
  if (!r.ok()) {
    return "ERROR " + std::string(r.status().sqlstate()) + " " + std::string(r.status().message());
  }
  std::string out;
  Status st = EncodeValue(target, typmod, *r, WireFormat::kText, &out);
  if (!st.ok()) return "ENCODE " + st.ToString();
  return out;
}

TEST(TypesCastTest, FloatToNumericAppliesScale) {
  EXPECT_EQ(CastText(Value::Float(1.5), oid::kNumeric, NumericTypmod(10, 2)), "1.50");
  EXPECT_EQ(CastText(Value::Float(1.005), oid::kNumeric, NumericTypmod(10, 2)), "1.01");
  EXPECT_EQ(CastText(Value::Float(0.1), oid::kNumeric, -1), "0.1");
  EXPECT_EQ(CastText(Value::Float(0.1 + 0.2), oid::kNumeric, -1), "0.3");
  EXPECT_EQ(CastText(Value::Float(1e20), oid::kNumeric, -1), "100000000000000000000");
}

TEST(TypesCastTest, NumericTypmodRoundsAndChecksPrecision) {
  EXPECT_EQ(CastText(Value::Text("1234.5678"), oid::kNumeric, NumericTypmod(6, 2)), "1234.57");
  EXPECT_EQ(CastText(Value::Text("1234567"), oid::kNumeric, NumericTypmod(5, -2)), "1234600");
  EXPECT_EQ(CastText(Value::Int(7), oid::kNumeric, NumericTypmod(5, 2)), "7.00");
  EXPECT_EQ(CastText(Value::Text("123.456"), oid::kNumeric, NumericTypmod(4, 2)),
            "ERROR 22003 numeric field overflow");
  std::string scratch;
  Result<Value> r = CastValue(Value::Text("1.5"), oid::kNumeric, NumericTypmod(2, 2), &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail,
            "A field with precision 2, scale 2 must round to an absolute value less than 1.");
  r = CastValue(Value::Text("123.456"), oid::kNumeric, NumericTypmod(4, 2), &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail,
            "A field with precision 4, scale 2 must round to an absolute value less than 10^2.");
  r = CastValue(Value::Text("infinity"), oid::kNumeric, NumericTypmod(4, 2), &scratch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail,
            "A field with precision 4, scale 2 cannot hold an infinite value.");
}

TEST(TypesCastTest, FloatToIntegerRoundsHalfEvenWithRangeCheck) {
  EXPECT_EQ(CastText(Value::Float(2.5), oid::kInt4, -1), "2");
  EXPECT_EQ(CastText(Value::Float(3.5), oid::kInt4, -1), "4");
  EXPECT_EQ(CastText(Value::Float(-2.5), oid::kInt2, -1), "-2");
  EXPECT_EQ(CastText(Value::Float(3e9), oid::kInt4, -1), "ERROR 22003 integer out of range");
  EXPECT_EQ(CastText(Value::Int(70000), oid::kInt2, -1), "ERROR 22003 smallint out of range");
  EXPECT_EQ(CastText(Value::Float(1e300), oid::kInt8, -1), "ERROR 22003 bigint out of range");
}

TEST(TypesCastTest, TextInputParsesAsTarget) {
  EXPECT_EQ(CastText(Value::Text(" 42 "), oid::kInt4, -1), "42");
  EXPECT_EQ(CastText(Value::Text("abc"), oid::kInt4, -1),
            "ERROR 22P02 invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(CastText(Value::Text("yes"), oid::kBool, -1), "t");
  EXPECT_EQ(CastText(Value::Text("2024-01-02T03:04:05+02"), oid::kTimestamptz, -1),
            "2024-01-02 01:04:05+00");
  EXPECT_EQ(CastText(Value::Text("2024-01-02 03:04:05"), oid::kDate, -1), "2024-01-02");
}

TEST(TypesCastTest, StringTypmodsTruncateAndPad) {
  EXPECT_EQ(CastText(Value::Text("abcdef"), oid::kVarchar, 3 + 4), "abc");
  EXPECT_EQ(CastText(Value::Text("héllo"), oid::kVarchar, 2 + 4), "hé");
  EXPECT_EQ(CastText(Value::Text("ab"), oid::kBpchar, 5 + 4), "ab   ");
  EXPECT_EQ(CastText(Value::Text("abcdef"), oid::kBpchar, 3 + 4), "abc");
  EXPECT_EQ(CastText(Value::Text("abc"), oid::kVarchar, -1), "abc");
}

TEST(TypesCastTest, DatetimePrecisionTypmods) {
  EXPECT_EQ(CastText(Value::Text("2024-01-02 03:04:05.123456"), oid::kTimestamp, 3),
            "2024-01-02 03:04:05.123");
  EXPECT_EQ(CastText(Value::Text("03:04:05.5"), oid::kTime, 0), "03:04:06");
  EXPECT_EQ(CastText(Value::Text("1 day 00:00:01.555555"), oid::kInterval,
                     static_cast<int32_t>((0x7FFFu << 16) | 2)),
            "1 day 00:00:01.56");
}

TEST(TypesCastTest, NumbersToText) {
  EXPECT_EQ(CastText(Value::Int(-12), oid::kText, -1), "-12");
  EXPECT_EQ(CastText(Value::Float(0.1), oid::kText, -1), "0.1");
  EXPECT_EQ(CastText(Value::Float(1e100), oid::kVarchar, -1), "1e+100");
  EXPECT_EQ(CastText(Value::Blob("AB"), oid::kText, -1), "\\x4142");
}

TEST(TypesCastTest, NullStaysNull) {
  std::string scratch;
  Result<Value> r = CastValue(Value::Null(), oid::kInt4, -1, &scratch);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_null());
}

TEST(TypesCastTest, IntToBoolAndBack) {
  EXPECT_EQ(CastText(Value::Int(5), oid::kBool, -1), "t");
  EXPECT_EQ(CastText(Value::Int(0), oid::kBool, -1), "f");
  EXPECT_EQ(CastText(Value::Float(1.0), oid::kBool, -1).substr(0, 11), "ERROR 42846");
}

TEST(TypesCastTest, TextValueInsideScratchIsSafe) {
  std::string scratch = "  17  ";
  Result<Value> r = CastValue(Value::Text(scratch), oid::kNumeric, NumericTypmod(5, 1), &scratch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string out;
  ASSERT_TRUE(EncodeValue(oid::kNumeric, -1, *r, WireFormat::kText, &out).ok());
  EXPECT_EQ(out, "17.0");
}

}  // namespace
}  // namespace pgw
