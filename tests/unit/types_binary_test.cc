// Binary wire formats byte for byte against PostgreSQL 15's send functions
// (e.g. SELECT numeric_send('123.4500')), and their decoding back to storage form.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "types/value_codec.h"

namespace pgw {
namespace {

std::string Hex(const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::string Unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

struct BinCase {
  Oid type;
  const char* text;  // text input
  const char* hex;   // PostgreSQL's send output
};

const BinCase kCases[] = {
    {oid::kNumeric, "123.4500", "0002000000000004007b1194"},
    {oid::kNumeric, "-0.0015", "0001ffff40000004000f"},
    {oid::kNumeric, "0", "0000000000000000"},
    {oid::kNumeric, "0.00", "0000000000000002"},
    {oid::kNumeric, "NaN", "00000000c0000000"},
    {oid::kNumeric, "Infinity", "00000000d0000020"},
    {oid::kNumeric, "-Infinity", "00000000f0000020"},
    {oid::kNumeric, "100000000", "00010002000000000001"},
    {oid::kNumeric, "12345678.9", "000300010000000104d2162e2328"},
    {oid::kDate, "2024-01-02", "0000223f"},
    {oid::kDate, "1999-12-31", "ffffffff"},
    {oid::kTimestamptz, "2024-01-02 03:04:05.5+00", "0002b0ec851d9460"},
    {oid::kInterval, "1 year 2 mons 3 days 04:05:06.5", "000000036c9361a0000000030000000e"},
    {oid::kTime, "03:04:05", "0000000292555340"},
    {oid::kJsonb, "{\"a\":1}", "017b2261223a20317d"},
    {oid::kFloat8, "1.5", "3ff8000000000000"},
    {oid::kFloat4, "0.1", "3dcccccd"},
    {oid::kUuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11"},
    {oid::kInt2, "-2", "fffe"},
    {oid::kInt4, "1", "00000001"},
    {oid::kInt8, "-1", "ffffffffffffffff"},
    {oid::kOid, "4294967295", "ffffffff"},
    {oid::kBool, "t", "01"},
    {oid::kText, "hé", "68c3a9"},
    {oid::kBytea, "\\x00ff", "00ff"},
};

TEST(TypesBinaryTest, EncodeMatchesPostgresSend) {
  for (const BinCase& c : kCases) {
    std::string scratch;
    Result<Value> v = DecodeValue(c.type, c.text, WireFormat::kText, &scratch);
    ASSERT_TRUE(v.ok()) << c.text << ": " << v.status().ToString();
    std::string bin;
    ASSERT_TRUE(EncodeValue(c.type, -1, *v, WireFormat::kBinary, &bin).ok()) << c.text;
    EXPECT_EQ(Hex(bin), c.hex) << FormatType(c.type, -1) << " " << c.text;
  }
}

TEST(TypesBinaryTest, DecodeOfPostgresSendGivesSameText) {
  for (const BinCase& c : kCases) {
    std::string scratch;
    const std::string wire = Unhex(c.hex);  // the decoded Value may borrow from it
    Result<Value> v = DecodeValue(c.type, wire, WireFormat::kBinary, &scratch);
    ASSERT_TRUE(v.ok()) << c.hex << ": " << v.status().ToString();
    std::string text_from_bin;
    ASSERT_TRUE(EncodeValue(c.type, -1, *v, WireFormat::kText, &text_from_bin).ok());
    std::string scratch2;
    Result<Value> t = DecodeValue(c.type, c.text, WireFormat::kText, &scratch2);
    std::string text_direct;
    ASSERT_TRUE(EncodeValue(c.type, -1, *t, WireFormat::kText, &text_direct).ok());
    EXPECT_EQ(text_from_bin, text_direct) << c.hex;
  }
}

TEST(TypesBinaryTest, NumericTypmodAppliedOnOutput) {
  int32_t typmod = ((10 << 16) | 2) + 4;
  std::string out;
  ASSERT_TRUE(EncodeValue(oid::kNumeric, typmod, Value::Float(1.5), WireFormat::kText, &out).ok());
  EXPECT_EQ(out, "1.50");
  out.clear();
  ASSERT_TRUE(EncodeValue(oid::kNumeric, typmod, Value::Int(3), WireFormat::kBinary, &out).ok());
  EXPECT_EQ(Hex(out), "00010000000000020003");  // numeric_send('3.00')
}

TEST(TypesBinaryTest, NumericBinaryTruncatesToDscale) {
  // 1.2345 sent with dscale 2: numeric_recv truncates the hidden digits.
  std::string wire = Unhex("000200000000000200010929");  // digits 0001 2345, weight 0, dscale 2
  std::string scratch;
  Result<Value> v = DecodeValue(oid::kNumeric, wire, WireFormat::kBinary, &scratch);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->s, "1.23");
}

TEST(TypesBinaryTest, FloatSpecialsRoundTrip) {
  for (double d : {std::nan(""), double{INFINITY}, -double{INFINITY}, -0.0, 5e-324}) {
    std::string bin;
    ASSERT_TRUE(EncodeValue(oid::kFloat8, -1, Value::Float(d), WireFormat::kBinary, &bin).ok());
    std::string scratch;
    Result<Value> back = DecodeValue(oid::kFloat8, bin, WireFormat::kBinary, &scratch);
    ASSERT_TRUE(back.ok());
    std::string a, b;
    AppendFloat8Text(d, &a);
    AppendFloat8Text(back->f, &b);
    EXPECT_EQ(a, b);
  }
}

TEST(TypesBinaryTest, VectorSendAndRecv) {
  std::string bin;
  ASSERT_TRUE(
      EncodeValue(oid::kVector, -1, Value::Text("[1,2.5,-3]"), WireFormat::kBinary, &bin).ok());
  EXPECT_EQ(Hex(bin), "000300003f80000040200000c0400000");
  std::string scratch;
  Result<Value> v = DecodeValue(oid::kVector, bin, WireFormat::kBinary, &scratch);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->s, "[1,2.5,-3]");
}

TEST(TypesBinaryTest, HasBinaryCodec) {
  EXPECT_TRUE(HasBinaryCodec(oid::kInt4));
  EXPECT_TRUE(HasBinaryCodec(oid::kNumeric));
  EXPECT_TRUE(HasBinaryCodec(oid::kJsonb));
  EXPECT_TRUE(HasBinaryCodec(oid::kTimestamptz));
  EXPECT_TRUE(HasBinaryCodec(oid::kInt4Array));  // array_send over the element's codec
  EXPECT_FALSE(HasBinaryCodec(oid::kInet));
  EXPECT_FALSE(HasBinaryCodec(99999));
}

// One-dimensional arrays: PostgreSQL's array_send layout, and back to the stored text form.
TEST(TypesBinaryTest, ArraysRoundTrip) {
  std::string wire;
  ASSERT_TRUE(EncodeValue(oid::kInt4Array, -1, Value::Text("{1,NULL,-3}"), WireFormat::kBinary,
                          &wire)
                  .ok());
  const std::string expected(
      "\0\0\0\x01"                              // ndim
      "\0\0\0\x01"                              // has nulls
      "\0\0\0\x17"                              // int4
      "\0\0\0\x03\0\0\0\x01"                    // 3 elements from 1
      "\0\0\0\x04\0\0\0\x01"                    // 1
      "\xff\xff\xff\xff"                        // NULL
      "\0\0\0\x04\xff\xff\xff\xfd",               // -3
      40);
  EXPECT_EQ(wire, expected);
  std::string scratch;
  auto v = DecodeValue(oid::kInt4Array, wire, WireFormat::kBinary, &scratch);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->s, "{1,NULL,-3}");
  wire.clear();
  ASSERT_TRUE(EncodeValue(oid::kTextArray, -1, Value::Text("{a,\"b c\",\"\"}"),
                          WireFormat::kBinary, &wire)
                  .ok());
  v = DecodeValue(oid::kTextArray, wire, WireFormat::kBinary, &scratch);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->s, "{a,\"b c\",\"\"}");
  v = DecodeValue(oid::kTextArray, std::string("\0\0\0\x02", 4), WireFormat::kBinary, &scratch);
  EXPECT_EQ(v.status().sqlstate(), "22P03");
}

}  // namespace
}  // namespace pgw
