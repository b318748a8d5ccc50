// Text input -> storage form -> text output must print exactly what PostgreSQL 15 prints for the
// same input (expected values captured from a real server with DateStyle=ISO, MDY,
// IntervalStyle=postgres, TimeZone=UTC, extra_float_digits=1). The same values must survive a
// binary round trip.
#include <gtest/gtest.h>

#include <string>

#include "types/value_codec.h"

namespace pgw {
namespace {

struct Case {
  Oid type;
  const char* input;
  const char* expected;
};

const Case kCases[] = {
    {oid::kBool, "  TRUE ", "t"},
    {oid::kBool, "yes", "t"},
    {oid::kBool, "of", "f"},
    {oid::kBool, "0", "f"},
    {oid::kInt2, " -32768", "-32768"},
    {oid::kInt4, " +42 ", "42"},
    {oid::kInt8, "-9223372036854775808", "-9223372036854775808"},
    {oid::kOid, "-1", "4294967295"},
    {oid::kFloat8, "1.5", "1.5"},
    {oid::kFloat8, "1e100", "1e+100"},
    {oid::kFloat8, "1.5e-7", "1.5e-07"},
    {oid::kFloat8, "0.1", "0.1"},
    {oid::kFloat8, "-0", "-0"},
    {oid::kFloat8, "123456789012345678", "1.2345678901234568e+17"},
    {oid::kFloat8, "0.0001", "0.0001"},
    {oid::kFloat8, "  -Infinity", "-Infinity"},
    {oid::kFloat8, "nan", "NaN"},
    {oid::kFloat8, "1e-310", "1e-310"},
    {oid::kFloat4, "0.1", "0.1"},
    {oid::kFloat4, "1234567", "1.234567e+06"},
    {oid::kFloat4, "3.14159265", "3.1415927"},
    {oid::kFloat4, "1e-5", "1e-05"},
    {oid::kNumeric, "1.50", "1.50"},
    {oid::kNumeric, "-0.00", "0.00"},
    {oid::kNumeric, "000123.4500", "123.4500"},
    {oid::kNumeric, "1.5e3", "1500"},
    {oid::kNumeric, "1.5E-3", "0.0015"},
    {oid::kNumeric, "  -12  ", "-12"},
    {oid::kNumeric, "NaN", "NaN"},
    {oid::kNumeric, "-Infinity", "-Infinity"},
    {oid::kNumeric, ".5", "0.5"},
    {oid::kNumeric, "5.", "5"},
    {oid::kNumeric, "1e20", "100000000000000000000"},
    {oid::kDate, "2024-01-02", "2024-01-02"},
    {oid::kDate, "20240102", "2024-01-02"},
    {oid::kDate, "01/02/2024", "2024-01-02"},
    {oid::kDate, "2024-02-29", "2024-02-29"},
    {oid::kDate, "0001-01-01 BC", "0001-01-01 BC"},
    {oid::kDate, "infinity", "infinity"},
    {oid::kDate, "epoch", "1970-01-01"},
    {oid::kDate, "2024-01-02 13:14:15", "2024-01-02"},
    {oid::kDate, "1/2/24", "2024-01-02"},
    {oid::kTime, "03:04:05", "03:04:05"},
    {oid::kTime, "03:04", "03:04:00"},
    {oid::kTime, "03:04:05.123456789", "03:04:05.123457"},
    {oid::kTime, "24:00:00", "24:00:00"},
    {oid::kTime, "23:59:59.9999995", "24:00:00"},
    {oid::kTime, "2024-01-02 03:04:05", "03:04:05"},
    {oid::kTime, "allballs", "00:00:00"},
    {oid::kTimestamp, "2024-01-02 03:04:05", "2024-01-02 03:04:05"},
    {oid::kTimestamp, "2024-01-02T03:04:05.5", "2024-01-02 03:04:05.5"},
    {oid::kTimestamp, "2024-01-02", "2024-01-02 00:00:00"},
    {oid::kTimestamp, "2024-01-02 03:04:05+02", "2024-01-02 03:04:05"},
    {oid::kTimestamp, "0044-03-15 12:00 BC", "0044-03-15 12:00:00 BC"},
    {oid::kTimestamp, "-infinity", "-infinity"},
    {oid::kTimestamptz, "2024-01-02 03:04:05.123456+02", "2024-01-02 01:04:05.123456+00"},
    {oid::kTimestamptz, "2024-01-02 03:04:05+05:30", "2024-01-01 21:34:05+00"},
    {oid::kTimestamptz, "2024-01-02T03:04:05Z", "2024-01-02 03:04:05+00"},
    {oid::kTimestamptz, "2024-01-02 03:04:05.120", "2024-01-02 03:04:05.12+00"},
    {oid::kTimestamptz, "2024-01-01 00:30:00-0100", "2024-01-01 01:30:00+00"},
    {oid::kTimestamptz, "2024-01-02 03:04:05 UTC", "2024-01-02 03:04:05+00"},
    {oid::kTimestamptz, "epoch", "1970-01-01 00:00:00+00"},
    {oid::kInterval, "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5"},
    {oid::kInterval, "1 day", "1 day"},
    {oid::kInterval, "2 hours 3 minutes", "02:03:00"},
    {oid::kInterval, "01:02:03", "01:02:03"},
    {oid::kInterval, "3 days 04:05:06", "3 days 04:05:06"},
    {oid::kInterval, "-1 second", "-00:00:01"},
    {oid::kInterval, "0", "00:00:00"},
    {oid::kInterval, "1 day ago", "-1 days"},
    {oid::kInterval, "@ 1 hour 30 mins", "01:30:00"},
    {oid::kInterval, "1.5 years", "1 year 6 mons"},
    {oid::kInterval, "1.5 months", "1 mon 15 days"},
    {oid::kInterval, "1.5 days", "1 day 12:00:00"},
    {oid::kInterval, "-1 days 2 hours", "-1 days +02:00:00"},
    {oid::kInterval, "1 year -2 mons", "10 mons"},
    {oid::kInterval, "P1DT2H", "1 day 02:00:00"},
    {oid::kInterval, "P1Y2M3W4DT5H6M7.5S", "1 year 2 mons 25 days 05:06:07.5"},
    {oid::kInterval, "PT0.5S", "00:00:00.5"},
    {oid::kInterval, "100 hours", "100:00:00"},
    {oid::kInterval, "1 week", "7 days"},
    {oid::kInterval, "-01:02:03", "-01:02:03"},
    {oid::kInterval, "5", "00:00:05"},
    {oid::kInterval, "1 mon -1 days", "1 mon -1 days"},
    {oid::kInterval, "2 decades", "20 years"},
    {oid::kUuid, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
    {oid::kUuid, "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
    {oid::kUuid, "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
    {oid::kBytea, "\\x4142ff", "\\x4142ff"},
    {oid::kBytea, "abc\\\\def\\001", "\\x6162635c64656601"},
    {oid::kJsonb, "{\"b\": 1, \"a\": [1, 2.50, \"x\"], \"aa\": null, \"a\": true}",
     "{\"a\": true, \"b\": 1, \"aa\": null}"},
    {oid::kJsonb, "  [1,2,{\"c\":\"d\\u00e9\\n\"}] ", "[1, 2, {\"c\": \"dé\\n\"}]"},
    {oid::kJsonb, "1E2", "100"},
    {oid::kJsonb, "\"a\\/b\"", "\"a/b\""},
    {oid::kJsonb, "{\"key\":{\"z\":1,\"yy\":2,\"x\":3}}",
     "{\"key\": {\"x\": 3, \"z\": 1, \"yy\": 2}}"},
    {oid::kJsonb, "-0", "0"},
    {oid::kJson, "{\"b\": 1,   \"b\": 2}", "{\"b\": 1,   \"b\": 2}"},
    {oid::kText, "  hello ", "  hello "},
};

std::string TextOut(Oid type, const Value& v) {
  std::string out;
  Status st = EncodeValue(type, -1, v, WireFormat::kText, &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(TypesTextRoundTripTest, MatchesPostgresOutput) {
  for (const Case& c : kCases) {
    std::string scratch;
    Result<Value> v = DecodeValue(c.type, c.input, WireFormat::kText, &scratch);
    ASSERT_TRUE(v.ok()) << FormatType(c.type, -1) << " '" << c.input
                        << "': " << v.status().ToString();
    EXPECT_EQ(TextOut(c.type, *v), c.expected) << FormatType(c.type, -1) << " '" << c.input << "'";
  }
}

TEST(TypesTextRoundTripTest, CanonicalTextIsStable) {
  for (const Case& c : kCases) {
    std::string scratch;
    Result<Value> v = DecodeValue(c.type, c.expected, WireFormat::kText, &scratch);
    ASSERT_TRUE(v.ok()) << c.expected << ": " << v.status().ToString();
    EXPECT_EQ(TextOut(c.type, *v), c.expected);
  }
}

TEST(TypesTextRoundTripTest, BinaryRoundTripPreservesValue) {
  for (const Case& c : kCases) {
    if (c.type == oid::kFloat8 || c.type == oid::kFloat4) {
      if (std::string(c.expected) == "NaN") continue;  // NaN compares unequal; covered elsewhere
    }
    std::string scratch;
    Result<Value> v = DecodeValue(c.type, c.input, WireFormat::kText, &scratch);
    ASSERT_TRUE(v.ok());
    std::string bin;
    ASSERT_TRUE(EncodeValue(c.type, -1, *v, WireFormat::kBinary, &bin).ok()) << c.input;
    std::string scratch2;
    Result<Value> back = DecodeValue(c.type, bin, WireFormat::kBinary, &scratch2);
    ASSERT_TRUE(back.ok()) << c.input << ": " << back.status().ToString();
    EXPECT_EQ(TextOut(c.type, *back), c.expected)
        << FormatType(c.type, -1) << " '" << c.input << "'";
  }
}

}  // namespace
}  // namespace pgw
