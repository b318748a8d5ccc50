// Frontend decoders: a round trip through the encoder and SplitFrame for every message, exact
// bytes for one hand-written message of each kind, and malformed input (truncation at every
// offset, trailing bytes, bad counts and lengths, bad Describe/Close kinds).
#include <gtest/gtest.h>

#include <string>

#include "common/byte_io.h"
#include "protocol/frame.h"
#include "protocol/frontend.h"

namespace pgw {
namespace {

using namespace std::literals;

// Splits one whole encoded message; checks the framing and returns the body (a view into
// `encoded`, which must outlive it and anything decoded from it).
std::string_view BodyOf(const std::string& encoded, char type) {
  SplitResult r = SplitFrame(encoded);
  EXPECT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.type, type);
  EXPECT_EQ(r.frame.total_size, encoded.size());
  return r.frame.body;
}

template <typename Decoder>
void ExpectViolation(Decoder decode, std::string_view body, std::string_view message) {
  auto r = decode(body);
  ASSERT_FALSE(r.ok()) << testing::PrintToString(std::string(body));
  EXPECT_EQ(r.status().sqlstate(), "08P01");
  if (!message.empty()) {
    EXPECT_EQ(r.status().message(), message);
  }
}

// Every strict prefix of a valid body must be rejected with 08P01, and so must the body with
// one byte of trailing garbage.
template <typename Decoder>
void ExpectTruncationAndTrailingRejected(Decoder decode, std::string_view body) {
  ASSERT_TRUE(decode(body).ok());
  for (size_t n = 0; n < body.size(); ++n) {
    auto r = decode(std::string_view(body).substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes accepted";
    EXPECT_EQ(r.status().sqlstate(), "08P01") << n;
  }
  ExpectViolation(decode, std::string(body) + "\x7f", "invalid message format");
}

BindMsg SampleBind() {
  BindMsg m;
  m.portal = "p1";
  m.statement = "s1";
  m.param_formats = {0, 1, 0};
  m.params = {"42"sv, std::nullopt, ""sv};
  m.result_formats = {1};
  return m;
}

ParseMsg SampleParse() {
  ParseMsg m;
  m.statement = "s1";
  m.query = "SELECT $1::int, $2";
  m.param_types = {23, 0};
  return m;
}

TEST(FrontendRoundTripTest, Query) {
  std::string enc;
  EncodeQuery({"SELECT 1; SELECT 2"}, &enc);
  EXPECT_EQ(enc, "Q\0\0\0\x17SELECT 1; SELECT 2\0"s);
  auto r = DecodeQuery(BodyOf(enc, 'Q'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sql, "SELECT 1; SELECT 2");
}

TEST(FrontendRoundTripTest, Parse) {
  std::string enc;
  EncodeParse(SampleParse(), &enc);
  EXPECT_EQ(enc, "P\0\0\0\x24s1\0SELECT $1::int, $2\0\0\x02\0\0\0\x17\0\0\0\0"s);
  auto r = DecodeParse(BodyOf(enc, 'P'));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->statement, "s1");
  EXPECT_EQ(r->query, "SELECT $1::int, $2");
  EXPECT_EQ(r->param_types, (std::vector<uint32_t>{23, 0}));
}

TEST(FrontendRoundTripTest, ParseUnnamedWithoutTypes) {
  std::string enc;
  EncodeParse({"", "BEGIN", {}}, &enc);
  auto r = DecodeParse(BodyOf(enc, 'P'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statement, "");
  EXPECT_EQ(r->query, "BEGIN");
  EXPECT_TRUE(r->param_types.empty());
}

TEST(FrontendRoundTripTest, Bind) {
  std::string enc;
  EncodeBind(SampleBind(), &enc);
  EXPECT_EQ(enc,
            "B\0\0\0\x26p1\0s1\0\0\x03\0\0\0\x01\0\0\0\x03\0\0\0\x02"
            "42\xff\xff\xff\xff\0\0\0\0\0\x01\0\x01"s);
  auto r = DecodeBind(BodyOf(enc, 'B'));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->portal, "p1");
  EXPECT_EQ(r->statement, "s1");
  EXPECT_EQ(r->param_formats, (std::vector<int16_t>{0, 1, 0}));
  ASSERT_EQ(r->params.size(), 3u);
  EXPECT_EQ(r->params[0], std::optional<std::string_view>("42"));
  EXPECT_EQ(r->params[1], std::nullopt);
  ASSERT_TRUE(r->params[2].has_value());  // empty, not NULL
  EXPECT_EQ(*r->params[2], "");
  EXPECT_EQ(r->result_formats, (std::vector<int16_t>{1}));
}

TEST(FrontendRoundTripTest, BindBinaryValueWithNulBytes) {
  BindMsg m;
  std::string value("\0\0\0\x2a", 4);
  m.param_formats = {1};
  m.params = {std::string_view(value)};
  std::string enc;
  EncodeBind(m, &enc);
  auto r = DecodeBind(BodyOf(enc, 'B'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->portal, "");
  EXPECT_EQ(r->params[0], std::optional<std::string_view>(value));
  EXPECT_TRUE(r->result_formats.empty());
}

TEST(FrontendRoundTripTest, DescribeAndClose) {
  for (char kind : {'S', 'P'}) {
    std::string enc;
    EncodeDescribe({kind, "name"}, &enc);
    EXPECT_EQ(enc, "D\0\0\0\x0a"s + kind + "name\0"s);
    auto d = DecodeDescribe(BodyOf(enc, 'D'));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->kind, kind);
    EXPECT_EQ(d->name, "name");

    enc.clear();
    EncodeClose({kind, ""}, &enc);
    EXPECT_EQ(enc, "C\0\0\0\x06"s + kind + "\0"s);
    auto c = DecodeClose(BodyOf(enc, 'C'));
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->kind, kind);
    EXPECT_EQ(c->name, "");
  }
}

TEST(FrontendRoundTripTest, Execute) {
  std::string enc;
  EncodeExecute({"cur", 100}, &enc);
  EXPECT_EQ(enc,
            "E\0\0\0\x0c"
            "cur\0\0\0\0\x64"s);
  auto r = DecodeExecute(BodyOf(enc, 'E'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->portal, "cur");
  EXPECT_EQ(r->max_rows, 100);
}

TEST(FrontendRoundTripTest, SimpleMessages) {
  for (char type : {msg::kSync, msg::kFlush, msg::kTerminate, msg::kCopyDone}) {
    std::string enc;
    EncodeSimple(type, &enc);
    EXPECT_EQ(enc, std::string(1, type) + "\0\0\0\x04"s);
    EXPECT_TRUE(ExpectEmpty(BodyOf(enc, type), type).ok());
    Status bad = ExpectEmpty("x", type);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.sqlstate(), "08P01");
    EXPECT_EQ(bad.message(), "invalid message format");
  }
}

TEST(FrontendRoundTripTest, EncodersAppend) {
  std::string enc = "prefix";
  EncodeSimple(msg::kSync, &enc);
  EncodeQuery({"x"}, &enc);
  EXPECT_EQ(enc, "prefixS\0\0\0\x04Q\0\0\0\x06x\0"s);
}

TEST(FrontendDecodeTest, CopyFail) {
  std::string body = "disk on fire\0"s;  // the decoded views point into it
  auto r = DecodeCopyFail(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->message, "disk on fire");
  ExpectTruncationAndTrailingRejected(DecodeCopyFail, "oops\0"s);
}

TEST(FrontendDecodeTest, SaslInitialResponse) {
  std::string body = "SCRAM-SHA-256\0\0\0\0\x05n,,n="s;
  auto r = DecodeSaslInitialResponse(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(r->data, std::optional<std::string_view>("n,,n="));
  ExpectTruncationAndTrailingRejected(DecodeSaslInitialResponse, body);

  auto no_data = DecodeSaslInitialResponse("SCRAM-SHA-256\0\xff\xff\xff\xff"s);
  ASSERT_TRUE(no_data.ok());
  EXPECT_EQ(no_data->data, std::nullopt);
  auto empty = DecodeSaslInitialResponse("M\0\0\0\0\0"s);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->data, std::optional<std::string_view>(""));
  ExpectViolation(DecodeSaslInitialResponse, "M\0\xff\xff\xff\xfe"s,
                  "insufficient data left in message");
  ExpectViolation(DecodeSaslInitialResponse, "M\0\0\0\0\x09short"s,
                  "insufficient data left in message");
}

TEST(FrontendDecodeTest, Password) {
  std::string body = "s3cret\0"s;  // the decoded view points into it
  auto r = DecodePassword(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->password, "s3cret");
  ExpectViolation(DecodePassword, "s3cret", "invalid password packet size");
  ExpectViolation(DecodePassword, "", "invalid password packet size");
  ExpectViolation(DecodePassword, "a\0b\0"s, "invalid password packet size");
}

TEST(FrontendDecodeTest, QueryMalformed) {
  ExpectViolation(DecodeQuery, "SELECT 1", "invalid string in message");
  ExpectViolation(DecodeQuery, "", "invalid string in message");
  ExpectViolation(DecodeQuery, "SELECT 1\0SELECT 2\0"s, "invalid message format");
  ExpectTruncationAndTrailingRejected(DecodeQuery, "SELECT 1\0"s);
}

TEST(FrontendDecodeTest, ParseTruncatedAtEveryOffsetAndTrailing) {
  std::string enc;
  EncodeParse(SampleParse(), &enc);
  ExpectTruncationAndTrailingRejected(DecodeParse, BodyOf(enc, 'P'));
}

TEST(FrontendDecodeTest, BindTruncatedAtEveryOffsetAndTrailing) {
  std::string enc;
  EncodeBind(SampleBind(), &enc);
  ExpectTruncationAndTrailingRejected(DecodeBind, BodyOf(enc, 'B'));
}

TEST(FrontendDecodeTest, OtherMessagesTruncatedAndTrailing) {
  std::string enc;
  EncodeExecute({"p", 0}, &enc);
  ExpectTruncationAndTrailingRejected(DecodeExecute, BodyOf(enc, 'E'));
  enc.clear();
  EncodeDescribe({'P', "p"}, &enc);
  ExpectTruncationAndTrailingRejected(DecodeDescribe, BodyOf(enc, 'D'));
  enc.clear();
  EncodeClose({'S', "s"}, &enc);
  ExpectTruncationAndTrailingRejected(DecodeClose, BodyOf(enc, 'C'));
}

// A count word of 0xFFFF is 65535 as PostgreSQL reads it (or -1 as a signed int16): either way
// the message does not hold that many entries and must be rejected without reading past it.
TEST(FrontendDecodeTest, ParseNegativeOrOversizedCount) {
  ExpectViolation(DecodeParse, "\0SELECT 1\0\xff\xff"s, "insufficient data left in message");
  ExpectViolation(DecodeParse, "\0SELECT 1\0\x80\x00\0\0\0\x17"s,
                  "insufficient data left in message");
  ExpectViolation(DecodeParse, "\0SELECT 1\0\0\x02\0\0\0\x17"s,
                  "insufficient data left in message");
}

TEST(FrontendDecodeTest, BindNegativeCounts) {
  // param format count -1
  ExpectViolation(DecodeBind, "\0\0\xff\xff\0\0\0\0"s, "insufficient data left in message");
  // parameter count -1
  ExpectViolation(DecodeBind, "\0\0\0\0\xff\xff\0\0"s, "insufficient data left in message");
  // result format count -1
  ExpectViolation(DecodeBind, "\0\0\0\0\0\0\xff\xff"s, "insufficient data left in message");
  // The smallest valid Bind for comparison.
  EXPECT_TRUE(DecodeBind("\0\0\0\0\0\0\0\0"s).ok());
}

TEST(FrontendDecodeTest, BindParameterLengthBelowMinusOne) {
  ExpectViolation(DecodeBind, "\0\0\0\0\0\x01\xff\xff\xff\xfe\0\0"s,
                  "insufficient data left in message");
  ExpectViolation(DecodeBind, "\0\0\0\0\0\x01\x80\0\0\0\0\0"s, "insufficient data left in message");
  // A length larger than what remains.
  ExpectViolation(DecodeBind,
                  "\0\0\0\0\0\x01\0\0\0\x05"
                  "ab\0\0"s,
                  "insufficient data left in message");
}

TEST(FrontendDecodeTest, BindFormatCountMustMatch) {
  BindMsg m = SampleBind();
  m.param_formats = {0, 1};  // two formats, three parameters
  std::string enc;
  EncodeBind(m, &enc);
  ExpectViolation(DecodeBind, BodyOf(enc, 'B'),
                  "bind message has 2 parameter formats but 3 parameters");
  // Zero formats (all text) and one format (applies to all) are both fine.
  for (std::vector<int16_t> formats : {std::vector<int16_t>{}, std::vector<int16_t>{1}}) {
    m.param_formats = formats;
    enc.clear();
    EncodeBind(m, &enc);
    auto r = DecodeBind(BodyOf(enc, 'B'));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->param_formats, formats);
    EXPECT_EQ(r->params.size(), 3u);
  }
}

TEST(FrontendDecodeTest, BindMissingStringTerminator) {
  ExpectViolation(DecodeBind, "portal", "invalid string in message");
  ExpectViolation(DecodeBind, "portal\0stmt"s, "invalid string in message");
}

TEST(FrontendDecodeTest, BindManyParametersUpToLimit) {
  BindMsg m;
  std::vector<std::optional<std::string_view>> params(40000, std::nullopt);
  m.params = params;  // more than INT16_MAX: PostgreSQL reads the count as unsigned
  std::string enc;
  EncodeBind(m, &enc);
  auto r = DecodeBind(BodyOf(enc, 'B'));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->params.size(), 40000u);
  EXPECT_EQ(r->params.back(), std::nullopt);
  EXPECT_LE(static_cast<int>(r->params.size()), kMaxParams);
}

TEST(FrontendDecodeTest, DescribeAndCloseBadKind) {
  ExpectViolation(DecodeDescribe, "Xname\0"s, "invalid DESCRIBE message subtype 88");
  ExpectViolation(DecodeDescribe, "sname\0"s, "invalid DESCRIBE message subtype 115");
  ExpectViolation(DecodeClose, "\0name\0"s, "invalid CLOSE message subtype 0");
  ExpectViolation(DecodeDescribe, "", "insufficient data left in message");
  ExpectViolation(DecodeDescribe, "S", "invalid string in message");
}

TEST(FrontendDecodeTest, ExecuteMalformed) {
  ExpectViolation(DecodeExecute, "p\0\0\0"s, "insufficient data left in message");
  ExpectViolation(DecodeExecute, "p\0\0\0\0\0\0"s, "invalid message format");
  auto negative = DecodeExecute("\0\xff\xff\xff\xff"s);  // <= 0 means "all rows" downstream
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->max_rows, -1);
}

}  // namespace
}  // namespace pgw
