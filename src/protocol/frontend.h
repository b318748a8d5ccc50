// Frontend (client -> server) messages after startup: decoders for Query and the extended
// query protocol (Parse, Bind, Describe, Execute, Close, Sync, Flush), Terminate, COPY data and
// the authentication responses. Views point into the frame body: REQUIRES the frame outlives
// the decoded message. Every decoder rejects trailing bytes, truncation, and negative counts
// with 08P01.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pgw {

namespace msg {  // frontend message type bytes
inline constexpr char kQuery = 'Q';
inline constexpr char kParse = 'P';
inline constexpr char kBind = 'B';
inline constexpr char kDescribe = 'D';
inline constexpr char kExecute = 'E';
inline constexpr char kClose = 'C';
inline constexpr char kSync = 'S';
inline constexpr char kFlush = 'H';
inline constexpr char kTerminate = 'X';
inline constexpr char kCopyData = 'd';
inline constexpr char kCopyDone = 'c';
inline constexpr char kCopyFail = 'f';
inline constexpr char kFunctionCall = 'F';
inline constexpr char kPassword = 'p';  // also SASLInitialResponse / SASLResponse
}  // namespace msg

// Named limit: parameters per Bind/Parse (PostgreSQL's own is 65535).
inline constexpr int kMaxParams = 65535;

struct QueryMsg {
  std::string_view sql;
};
struct ParseMsg {
  std::string_view statement;  // "" = unnamed
  std::string_view query;
  std::vector<uint32_t> param_types;  // 0 = unspecified
};
struct BindMsg {
  std::string_view portal;
  std::string_view statement;
  std::vector<int16_t> param_formats;                   // 0, 1 (all), or one per parameter
  std::vector<std::optional<std::string_view>> params;  // nullopt = NULL
  std::vector<int16_t> result_formats;                  // 0, 1 (all), or one per column
};
// The fields of a Bind before its parameter values.
struct BindHeader {
  std::string_view portal;
  std::string_view statement;
  size_t param_count = 0;
};
struct DescribeMsg {
  char kind = 'S';  // 'S' statement or 'P' portal
  std::string_view name;
};
struct ExecuteMsg {
  std::string_view portal;
  int32_t max_rows = 0;  // 0 = no limit
};
struct CloseMsg {
  char kind = 'S';
  std::string_view name;
};
struct CopyFailMsg {
  std::string_view message;
};
struct SaslInitialResponseMsg {
  std::string_view mechanism;
  std::optional<std::string_view> data;  // nullopt when length is -1
};
struct PasswordMsg {
  std::string_view password;
};

[[nodiscard]] Result<QueryMsg> DecodeQuery(std::string_view body);
[[nodiscard]] Result<ParseMsg> DecodeParse(std::string_view body);
[[nodiscard]] Result<BindMsg> DecodeBind(std::string_view body);
// The same into `*m`, reusing its vectors' memory (the session decodes every Bind into one).
[[nodiscard]] Status DecodeBindInto(std::string_view body, BindMsg* m);
// Reads only the start of a Bind: PostgreSQL checks the statement and the parameter count
// before it reads the values, so a Bind that fails DecodeBind is reported in that order.
[[nodiscard]] Result<BindHeader> DecodeBindHeader(std::string_view body);
[[nodiscard]] Result<DescribeMsg> DecodeDescribe(std::string_view body);
[[nodiscard]] Result<ExecuteMsg> DecodeExecute(std::string_view body);
[[nodiscard]] Result<CloseMsg> DecodeClose(std::string_view body);
[[nodiscard]] Result<CopyFailMsg> DecodeCopyFail(std::string_view body);
[[nodiscard]] Result<SaslInitialResponseMsg> DecodeSaslInitialResponse(std::string_view body);
// SASLResponse body is the raw SASL data: no decoder needed.
[[nodiscard]] Result<PasswordMsg> DecodePassword(std::string_view body);
// Sync, Flush, Terminate, CopyDone: the body must be empty.
[[nodiscard]] Status ExpectEmpty(std::string_view body, char type);

// Encoders for the same messages, used by tests and by the benchmark/test clients.
void EncodeQuery(const QueryMsg& m, std::string* out);
void EncodeParse(const ParseMsg& m, std::string* out);
void EncodeBind(const BindMsg& m, std::string* out);
void EncodeDescribe(const DescribeMsg& m, std::string* out);
void EncodeExecute(const ExecuteMsg& m, std::string* out);
void EncodeClose(const CloseMsg& m, std::string* out);
void EncodeSimple(char type, std::string* out);  // Sync, Flush, Terminate, CopyDone

}  // namespace pgw
