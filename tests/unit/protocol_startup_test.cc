// DecodeStartupPacket: StartupMessage parameters, CancelRequest, SSL/GSSENC requests, version
// checks and malformed layouts.
#include <gtest/gtest.h>

#include <string>

#include "common/byte_io.h"
#include "protocol/startup.h"

namespace pgw {
namespace {

std::string Body(int32_t code, std::string_view rest = {}) {
  std::string out;
  ByteWriter w(&out);
  w.PutInt32(code);
  w.PutBytes(rest);
  return out;
}

using namespace std::string_literals;

TEST(StartupPacketTest, StartupMessageWithParameters) {
  auto r = DecodeStartupPacket(
      Body(kProtocolVersion3, "user\0alice\0database\0db1\0application_name\0\0\0"s));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto* msg = std::get_if<StartupMessage>(&r.value());
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->major, 3);
  EXPECT_EQ(msg->minor, 0);
  ASSERT_EQ(msg->params.size(), 3u);
  EXPECT_EQ(msg->params[0], std::make_pair("user"s, "alice"s));
  EXPECT_EQ(msg->params[1], std::make_pair("database"s, "db1"s));
  EXPECT_EQ(msg->params[2], std::make_pair("application_name"s, ""s));
  ASSERT_NE(msg->Find("user"), nullptr);
  EXPECT_EQ(*msg->Find("user"), "alice");
  EXPECT_EQ(*msg->Find("application_name"), "");
  EXPECT_EQ(msg->Find("options"), nullptr);
  EXPECT_EQ(msg->Find("USER"), nullptr);
}

TEST(StartupPacketTest, NoParametersJustTerminator) {
  auto r = DecodeStartupPacket(Body(kProtocolVersion3, "\0"s));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::get<StartupMessage>(r.value()).params.empty());
}

TEST(StartupPacketTest, RepeatedParameterLastWins) {
  auto r = DecodeStartupPacket(Body(kProtocolVersion3, "user\0a\0user\0b\0\0"s));
  ASSERT_TRUE(r.ok());
  const auto& msg = std::get<StartupMessage>(r.value());
  EXPECT_EQ(msg.params.size(), 2u);
  EXPECT_EQ(*msg.Find("user"), "b");
}

TEST(StartupPacketTest, NewerMinorVersionIsDecodedForNegotiation) {
  auto r = DecodeStartupPacket(Body((3 << 16) | 2, "user\0u\0_pq_.x\0y\0\0"s));
  ASSERT_TRUE(r.ok());
  const auto& msg = std::get<StartupMessage>(r.value());
  EXPECT_EQ(msg.major, 3);
  EXPECT_EQ(msg.minor, 2);
  EXPECT_EQ(*msg.Find("_pq_.x"), "y");
}

TEST(StartupPacketTest, UnsupportedMajorVersion) {
  auto r = DecodeStartupPacket(Body(2 << 16, "user\0u\0\0"s));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "0A000");
  EXPECT_EQ(r.status().message(), "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
  auto r4 = DecodeStartupPacket(Body((4 << 16) | 1, "\0"s));
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.status().message(), "unsupported frontend protocol 4.1: server supports 3.0 to 3.0");
}

TEST(StartupPacketTest, MalformedLayouts) {
  const std::string kLayout = "invalid startup packet layout: expected terminator as last byte";
  for (const std::string& rest : {""s, "user\0alice\0"s, "user\0alice"s, "user\0"s, "user"s,
                                  "user\0alice\0\0x"s, "user\0alice\0\0\0"s}) {
    auto r = DecodeStartupPacket(Body(kProtocolVersion3, rest));
    ASSERT_FALSE(r.ok()) << testing::PrintToString(rest);
    EXPECT_EQ(r.status().sqlstate(), "08P01");
    EXPECT_EQ(r.status().message(), kLayout);
  }
}

TEST(StartupPacketTest, TruncatedCodeIsRejected) {
  for (size_t n = 0; n < 4; ++n) {
    auto r = DecodeStartupPacket(Body(kProtocolVersion3).substr(0, n));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().sqlstate(), "08P01");
  }
}

TEST(StartupPacketTest, CancelRequest) {
  std::string rest;
  ByteWriter w(&rest);
  w.PutInt32(4242);
  w.PutInt32(-123456789);
  auto r = DecodeStartupPacket(Body(kCancelRequestCode, rest));
  ASSERT_TRUE(r.ok());
  auto* cancel = std::get_if<CancelRequest>(&r.value());
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->pid, 4242);
  EXPECT_EQ(cancel->secret, -123456789);
}

TEST(StartupPacketTest, CancelRequestMustBeExactlySixteenBytes) {
  std::string body = Body(kCancelRequestCode, std::string(8, '\x01'));
  for (size_t n = 4; n < body.size(); ++n) {
    auto r = DecodeStartupPacket(body.substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().sqlstate(), "08P01");
    EXPECT_EQ(r.status().message(), "invalid length of startup packet");
  }
  EXPECT_FALSE(DecodeStartupPacket(body + "x").ok());
}

TEST(StartupPacketTest, SslAndGssEncRequests) {
  auto ssl = DecodeStartupPacket(Body(80877103));
  ASSERT_TRUE(ssl.ok());
  EXPECT_TRUE(std::holds_alternative<SslRequest>(ssl.value()));
  auto gss = DecodeStartupPacket(Body(80877104));
  ASSERT_TRUE(gss.ok());
  EXPECT_TRUE(std::holds_alternative<GssEncRequest>(gss.value()));
  // Extra bytes after the request code are a malformed packet.
  auto long_ssl = DecodeStartupPacket(Body(kSslRequestCode, "x"));
  ASSERT_FALSE(long_ssl.ok());
  EXPECT_EQ(long_ssl.status().sqlstate(), "08P01");
  EXPECT_FALSE(DecodeStartupPacket(Body(kGssEncRequestCode, "xyzw")).ok());
}

TEST(StartupPacketTest, CodesMatchPostgreSQL) {
  EXPECT_EQ(kProtocolVersion3, 196608);
  EXPECT_EQ(kCancelRequestCode, 80877102);
  EXPECT_EQ(kSslRequestCode, 80877103);
  EXPECT_EQ(kGssEncRequestCode, 80877104);
}

}  // namespace
}  // namespace pgw
