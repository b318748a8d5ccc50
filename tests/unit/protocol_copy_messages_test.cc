// COPY sub-protocol backend messages compared byte for byte with PostgreSQL v3 messages.
#include <gtest/gtest.h>

#include <string>

#include "protocol/copy_messages.h"
#include "protocol/frame.h"

namespace pgw {
namespace {

using namespace std::literals;

TEST(CopyMessagesTest, CopyInResponseText) {
  std::string out;
  AppendCopyInResponse(false, 2, &out);
  EXPECT_EQ(out, "G\0\0\0\x0b\0\0\x02\0\0\0\0"s);
}

TEST(CopyMessagesTest, CopyOutResponseBinary) {
  std::string out;
  AppendCopyOutResponse(true, 3, &out);
  EXPECT_EQ(out, "H\0\0\0\x0d\x01\0\x03\0\x01\0\x01\0\x01"s);
}

TEST(CopyMessagesTest, CopyResponseWithoutColumns) {
  std::string out;
  AppendCopyOutResponse(false, 0, &out);
  EXPECT_EQ(out, "H\0\0\0\x07\0\0\0"s);
}

TEST(CopyMessagesTest, CopyDataWrittenInPlace) {
  std::string out = "x";
  size_t start = BeginCopyData(&out);
  EXPECT_EQ(out.size() - start, kCopyDataHeaderSize);
  out.append("1\tab\n");
  EndCopyData(start, &out);
  EXPECT_EQ(out,
            "xd\0\0\0\x09"
            "1\tab\n"s);
  SplitResult r = SplitFrame(std::string_view(out).substr(1));
  ASSERT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.type, 'd');
  EXPECT_EQ(r.frame.body, "1\tab\n");
}

TEST(CopyMessagesTest, CopyDataAndDone) {
  std::string out;
  AppendCopyData("", &out);
  AppendCopyDone(&out);
  EXPECT_EQ(out,
            "d\0\0\0\x04"
            "c\0\0\0\x04"s);
}

}  // namespace
}  // namespace pgw
