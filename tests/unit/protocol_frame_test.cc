// SplitFrame / SplitStartupFrame: complete frames, every split point, and the length limits.
#include <gtest/gtest.h>

#include <string>

#include "common/byte_io.h"
#include "protocol/frame.h"

namespace pgw {
namespace {

std::string Typed(char type, std::string_view body) {
  std::string out;
  ByteWriter w(&out);
  w.PutByte(static_cast<uint8_t>(type));
  w.PutInt32(static_cast<int32_t>(body.size() + 4));
  w.PutBytes(body);
  return out;
}

std::string HeaderWithLength(char type, uint32_t length) {
  std::string out;
  ByteWriter w(&out);
  w.PutByte(static_cast<uint8_t>(type));
  w.PutUInt32(length);
  return out;
}

std::string StartupHeader(uint32_t length) {
  std::string out;
  ByteWriter(&out).PutUInt32(length);
  return out;
}

TEST(SplitFrameTest, CompleteFrame) {
  std::string buf = Typed('Q', std::string("SELECT 1\0", 9));
  SplitResult r = SplitFrame(buf);
  ASSERT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.type, 'Q');
  EXPECT_EQ(r.frame.body, std::string_view("SELECT 1\0", 9));
  EXPECT_EQ(r.frame.total_size, 14u);
}

TEST(SplitFrameTest, EmptyBodyFrame) {
  std::string buf = Typed('S', "");
  SplitResult r = SplitFrame(buf);
  ASSERT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.type, 'S');
  EXPECT_TRUE(r.frame.body.empty());
  EXPECT_EQ(r.frame.total_size, 5u);
}

TEST(SplitFrameTest, HeaderIncompleteNeedsFiveBytes) {
  std::string buf = Typed('Q', "abc");
  for (size_t n = 0; n < 5; ++n) {
    SplitResult r = SplitFrame(std::string_view(buf).substr(0, n));
    EXPECT_EQ(r.outcome, SplitOutcome::kNeedMore) << n;
    EXPECT_EQ(r.bytes_needed, 5u) << n;
  }
}

TEST(SplitFrameTest, BodyIncompleteNeedsWholeMessage) {
  std::string buf = Typed('Q', "abcdef");
  for (size_t n = 5; n < buf.size(); ++n) {
    SplitResult r = SplitFrame(std::string_view(buf).substr(0, n));
    EXPECT_EQ(r.outcome, SplitOutcome::kNeedMore) << n;
    EXPECT_EQ(r.bytes_needed, buf.size()) << n;
  }
}

// Two messages back to back, delivered in two pieces split at every offset: the consumer loop
// must see exactly the two original messages, in order.
TEST(SplitFrameTest, TwoMessagesAcrossEverySplitPoint) {
  std::string first = Typed('P', std::string("s1\0SELECT $1\0\0\0", 16));
  std::string second = Typed('S', "");
  std::string all = first + second;
  for (size_t split = 0; split <= all.size(); ++split) {
    std::string buffer;
    std::vector<std::pair<char, std::string>> seen;
    for (std::string_view piece :
         {std::string_view(all).substr(0, split), std::string_view(all).substr(split)}) {
      buffer.append(piece);
      while (true) {
        SplitResult r = SplitFrame(buffer);
        ASSERT_NE(r.outcome, SplitOutcome::kError) << split;
        if (r.outcome == SplitOutcome::kNeedMore) {
          EXPECT_GT(r.bytes_needed, buffer.size()) << split;
          break;
        }
        seen.emplace_back(r.frame.type, std::string(r.frame.body));
        buffer.erase(0, r.frame.total_size);
      }
    }
    ASSERT_EQ(seen.size(), 2u) << split;
    EXPECT_EQ(seen[0].first, 'P');
    EXPECT_EQ(seen[0].second, std::string("s1\0SELECT $1\0\0\0", 16));
    EXPECT_EQ(seen[1].first, 'S');
    EXPECT_EQ(seen[1].second, "");
    EXPECT_TRUE(buffer.empty()) << split;
  }
}

TEST(SplitFrameTest, LengthBelowFourIsProtocolViolation) {
  for (uint32_t len : {0u, 1u, 2u, 3u}) {
    SplitResult r = SplitFrame(HeaderWithLength('Q', len));
    ASSERT_EQ(r.outcome, SplitOutcome::kError) << len;
    EXPECT_EQ(r.error.sqlstate(), "08P01");
    EXPECT_EQ(r.error.message(), "invalid message length");
  }
}

TEST(SplitFrameTest, LengthFourIsAcceptedAtTheBoundary) {
  SplitResult r = SplitFrame(HeaderWithLength('H', 4));
  EXPECT_EQ(r.outcome, SplitOutcome::kFrame);
}

TEST(SplitFrameTest, LengthOverDefaultLimitIsRejectedFromTheHeaderAlone) {
  SplitResult r = SplitFrame(HeaderWithLength('Q', kMaxMessageLength + 1));
  ASSERT_EQ(r.outcome, SplitOutcome::kError);
  EXPECT_EQ(r.error.sqlstate(), "08P01");
  EXPECT_NE(r.error.message().find(std::to_string(kMaxMessageLength)), std::string_view::npos)
      << r.error.message();
  // Exactly at the limit: not an error, just waiting for the body.
  SplitResult at = SplitFrame(HeaderWithLength('Q', kMaxMessageLength));
  EXPECT_EQ(at.outcome, SplitOutcome::kNeedMore);
  EXPECT_EQ(at.bytes_needed, size_t{kMaxMessageLength} + 1);
}

TEST(SplitFrameTest, HugeUnsignedLengthIsTooLongNotNegative) {
  SplitResult r = SplitFrame(HeaderWithLength('Q', 0xFFFFFFFFu));
  ASSERT_EQ(r.outcome, SplitOutcome::kError);
  EXPECT_EQ(r.error.sqlstate(), "08P01");
}

TEST(SplitFrameTest, CallerLimitIsHonoured) {
  SplitResult r =
      SplitFrame(HeaderWithLength('p', kMaxAuthMessageLength + 1), kMaxAuthMessageLength);
  ASSERT_EQ(r.outcome, SplitOutcome::kError);
  EXPECT_EQ(r.error.sqlstate(), "08P01");
  EXPECT_NE(r.error.message().find("10000"), std::string_view::npos);
  SplitResult ok = SplitFrame(HeaderWithLength('p', kMaxAuthMessageLength), kMaxAuthMessageLength);
  EXPECT_EQ(ok.outcome, SplitOutcome::kNeedMore);
}

TEST(SplitStartupFrameTest, CompletePacket) {
  std::string buf = StartupHeader(8);
  ByteWriter(&buf).PutInt32((1234 << 16) | 5679);
  buf += "extra";  // bytes after the packet are left for the caller
  SplitResult r = SplitStartupFrame(buf);
  ASSERT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.type, 0);
  EXPECT_EQ(r.frame.total_size, 8u);
  EXPECT_EQ(r.frame.body, buf.substr(4, 4));
}

TEST(SplitStartupFrameTest, NeedsLengthThenBody) {
  std::string buf = StartupHeader(12) + std::string(8, 'x');
  for (size_t n = 0; n < 4; ++n) {
    SplitResult r = SplitStartupFrame(std::string_view(buf).substr(0, n));
    EXPECT_EQ(r.outcome, SplitOutcome::kNeedMore);
    EXPECT_EQ(r.bytes_needed, 4u);
  }
  for (size_t n = 4; n < 12; ++n) {
    SplitResult r = SplitStartupFrame(std::string_view(buf).substr(0, n));
    EXPECT_EQ(r.outcome, SplitOutcome::kNeedMore);
    EXPECT_EQ(r.bytes_needed, 12u);
  }
  EXPECT_EQ(SplitStartupFrame(buf).outcome, SplitOutcome::kFrame);
}

TEST(SplitStartupFrameTest, LengthLimits) {
  // PostgreSQL limits the packet without its 4-byte length word: 10004 is the largest length.
  for (uint32_t len : {0u, 4u, 7u, kMaxStartupPacket + 5, 0x80000000u}) {
    SplitResult r = SplitStartupFrame(StartupHeader(len));
    ASSERT_EQ(r.outcome, SplitOutcome::kError) << len;
    EXPECT_EQ(r.error.sqlstate(), "08P01");
    EXPECT_EQ(r.error.message(), "invalid length of startup packet");
  }
  EXPECT_EQ(SplitStartupFrame(StartupHeader(10005)).outcome, SplitOutcome::kError);
  SplitResult at_max = SplitStartupFrame(StartupHeader(kMaxStartupPacket + 4));
  EXPECT_EQ(at_max.outcome, SplitOutcome::kNeedMore);
  EXPECT_EQ(at_max.bytes_needed, kMaxStartupPacket + 4);
  SplitResult at_min = SplitStartupFrame(StartupHeader(8));
  EXPECT_EQ(at_min.outcome, SplitOutcome::kNeedMore);
  EXPECT_EQ(at_min.bytes_needed, 8u);
}

}  // namespace
}  // namespace pgw
