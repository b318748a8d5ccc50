// Backend message builders compared byte for byte against hand-written PostgreSQL v3 messages.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "protocol/backend_messages.h"
#include "protocol/frame.h"

namespace pgw {
namespace {

using namespace std::literals;

TEST(BackendMessagesTest, AuthenticationRequests) {
  std::string out;
  AppendAuthenticationOk(&out);
  EXPECT_EQ(out, "R\0\0\0\x08\0\0\0\0"s);
  out.clear();
  AppendAuthenticationCleartextPassword(&out);
  EXPECT_EQ(out, "R\0\0\0\x08\0\0\0\x03"s);
}

TEST(BackendMessagesTest, AuthenticationSasl) {
  std::string out;
  std::array<std::string_view, 2> mechanisms = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
  AppendAuthenticationSasl(mechanisms, &out);
  EXPECT_EQ(out, "R\0\0\0\x2a\0\0\0\x0aSCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0"s);
  out.clear();
  std::array<std::string_view, 1> one = {"SCRAM-SHA-256"};
  AppendAuthenticationSasl(one, &out);
  EXPECT_EQ(out, "R\0\0\0\x17\0\0\0\x0aSCRAM-SHA-256\0\0"s);
}

TEST(BackendMessagesTest, AuthenticationSaslContinueAndFinal) {
  std::string out;
  AppendAuthenticationSaslContinue("r=abc,s=xyz,i=4096", &out);
  EXPECT_EQ(out, "R\0\0\0\x1a\0\0\0\x0br=abc,s=xyz,i=4096"s);
  out.clear();
  AppendAuthenticationSaslFinal("v=sig", &out);
  EXPECT_EQ(out, "R\0\0\0\x0d\0\0\0\x0cv=sig"s);
}

TEST(BackendMessagesTest, ParameterStatusAndBackendKeyData) {
  std::string out;
  AppendParameterStatus("client_encoding", "UTF8", &out);
  EXPECT_EQ(out,
            "S\0\0\0\x19"
            "client_encoding\0UTF8\0"s);
  out.clear();
  AppendParameterStatus("application_name", "", &out);
  EXPECT_EQ(out,
            "S\0\0\0\x16"
            "application_name\0\0"s);
  out.clear();
  AppendBackendKeyData(0x01020304, -2, &out);
  EXPECT_EQ(out, "K\0\0\0\x0c\x01\x02\x03\x04\xff\xff\xff\xfe"s);
}

TEST(BackendMessagesTest, ReadyForQuery) {
  std::string out;
  AppendReadyForQuery(TxStatus::kIdle, &out);
  AppendReadyForQuery(TxStatus::kInTransaction, &out);
  AppendReadyForQuery(TxStatus::kFailed, &out);
  EXPECT_EQ(out,
            "Z\0\0\0\x05IZ\0\0\0\x05TZ\0\0\0\x05"
            "E"s);
}

TEST(BackendMessagesTest, NegotiateProtocolVersion) {
  std::string out;
  std::array<std::string, 2> options = {"_pq_.a", "_pq_.bb"};
  AppendNegotiateProtocolVersion(0, options, &out);
  EXPECT_EQ(out, "v\0\0\0\x1b\0\0\0\0\0\0\0\x02_pq_.a\0_pq_.bb\0"s);
  out.clear();
  AppendNegotiateProtocolVersion(0, {}, &out);
  EXPECT_EQ(out, "v\0\0\0\x0c\0\0\0\0\0\0\0\0"s);
}

TEST(BackendMessagesTest, RowDescription) {
  std::string out;
  std::array<FieldDescription, 2> fields = {
      FieldDescription{"id", 16384, 1, 23, 4, -1, 0},
      FieldDescription{"name", 0, 0, 25, -1, -1, 1},
  };
  AppendRowDescription(fields, &out);
  EXPECT_EQ(out,
            "T\0\0\0\x32\0\x02"
            "id\0\0\0\x40\0\0\x01\0\0\0\x17\0\x04\xff\xff\xff\xff\0\0"
            "name\0\0\0\0\0\0\0\0\0\0\x19\xff\xff\xff\xff\xff\xff\0\x01"s);
  out.clear();
  AppendRowDescription({}, &out);
  EXPECT_EQ(out, "T\0\0\0\x06\0\0"s);
}

TEST(BackendMessagesTest, ParameterDescription) {
  std::string out;
  std::array<uint32_t, 2> oids = {23, 0xFFFFFFFEu};
  AppendParameterDescription(oids, &out);
  EXPECT_EQ(out, "t\0\0\0\x0e\0\x02\0\0\0\x17\xff\xff\xff\xfe"s);
}

TEST(BackendMessagesTest, CommandCompleteAndEmptyMessages) {
  std::string out;
  AppendCommandComplete("INSERT 0 5", &out);
  EXPECT_EQ(out, "C\0\0\0\x0fINSERT 0 5\0"s);
  out.clear();
  AppendNoData(&out);
  AppendEmptyQueryResponse(&out);
  AppendParseComplete(&out);
  AppendBindComplete(&out);
  AppendCloseComplete(&out);
  AppendPortalSuspended(&out);
  EXPECT_EQ(out,
            "n\0\0\0\x04I\0\0\0\x04"
            "1\0\0\0\x04"
            "2\0\0\0\x04"
            "3\0\0\0\x04s\0\0\0\x04"s);
}

TEST(BackendMessagesTest, ErrorResponseMinimal) {
  ErrorInfo info;
  info.sqlstate = "42P01";
  info.message = "relation \"t\" does not exist";
  std::string out;
  AppendErrorResponse(info, &out);
  EXPECT_EQ(out, "E\0\0\0\x37SERROR\0VERROR\0C42P01\0Mrelation \"t\" does not exist\0\0"s);
}

TEST(BackendMessagesTest, ErrorResponseAllFieldsInOrder) {
  ErrorInfo info;
  info.severity = Severity::kFatal;
  info.sqlstate = "08P01";
  info.message = "m";
  info.detail = "d";
  info.hint = "h";
  info.position = 123;
  info.context = "w";
  std::string out;
  AppendErrorResponse(info, &out);
  EXPECT_EQ(out, "E\0\0\0\x2bSFATAL\0VFATAL\0C08P01\0Mm\0Dd\0Hh\0P123\0Ww\0\0"s);
}

TEST(BackendMessagesTest, NoticeResponse) {
  ErrorInfo info;
  info.severity = Severity::kWarning;
  info.sqlstate = "25P01";
  info.message = "there is no transaction in progress";
  std::string out;
  AppendNoticeResponse(info, &out);
  EXPECT_EQ(out,
            "N\0\0\0\x43SWARNING\0VWARNING\0C25P01\0"
            "Mthere is no transaction in progress\0\0"s);
}

TEST(BackendMessagesTest, ErrorResponseNeverEmitsEmbeddedNul) {
  ErrorInfo info;
  info.sqlstate = "XX000";
  info.message = "bad\0tail"s;
  std::string out;
  AppendErrorResponse(info, &out);
  EXPECT_EQ(out, "E\0\0\0\x1fSERROR\0VERROR\0CXX000\0Mbad\0\0"s);
  // The message is still framed correctly.
  SplitResult r = SplitFrame(out);
  ASSERT_EQ(r.outcome, SplitOutcome::kFrame);
  EXPECT_EQ(r.frame.total_size, out.size());
}

TEST(BackendMessagesTest, DataRowWithValuesNullAndEmpty) {
  std::string out = "Z";  // a row appended after earlier bytes
  size_t row = BeginDataRow(3, &out);
  EXPECT_EQ(row, 1u);
  size_t f = BeginField(&out);
  out += "42";
  EndField(f, &out);
  AppendNullField(&out);
  size_t empty = BeginField(&out);
  EndField(empty, &out);
  EndDataRow(row, &out);
  EXPECT_EQ(out,
            "ZD\0\0\0\x14\0\x03\0\0\0\x02"
            "42\xff\xff\xff\xff\0\0\0\0"s);
}

TEST(BackendMessagesTest, DataRowWithNoColumnsAndConsecutiveRows) {
  std::string out;
  EndDataRow(BeginDataRow(0, &out), &out);
  size_t row = BeginDataRow(1, &out);
  size_t f = BeginField(&out);
  out.append(300, 'x');
  EndField(f, &out);
  EndDataRow(row, &out);
  // Row 2 length: 4 (itself) + 2 (count) + 4 (field length) + 300 = 310 = 0x0136.
  std::string expected =
      "D\0\0\0\x06\0\0"s + "D\0\0\x01\x36\0\x01\0\0\x01\x2c"s + std::string(300, 'x');
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace pgw
