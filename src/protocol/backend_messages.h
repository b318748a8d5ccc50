// Backend (server -> client) message builders. Each appends one complete message to a
// caller-owned output buffer, so call sites read like the protocol document. DataRow is built
// incrementally (BeginDataRow ... EndDataRow) so values are encoded straight into the buffer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pgw {

enum class TxStatus : char { kIdle = 'I', kInTransaction = 'T', kFailed = 'E' };

struct FieldDescription {
  std::string_view name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  uint32_t type_oid = 0;
  int16_t type_size = -1;
  int32_t type_modifier = -1;
  int16_t format = 0;
};

void AppendAuthenticationOk(std::string* out);
void AppendAuthenticationCleartextPassword(std::string* out);
void AppendAuthenticationSasl(std::span<const std::string_view> mechanisms, std::string* out);
void AppendAuthenticationSaslContinue(std::string_view data, std::string* out);
void AppendAuthenticationSaslFinal(std::string_view data, std::string* out);
void AppendParameterStatus(std::string_view name, std::string_view value, std::string* out);
void AppendBackendKeyData(int32_t pid, int32_t secret, std::string* out);
void AppendReadyForQuery(TxStatus status, std::string* out);
void AppendNegotiateProtocolVersion(int32_t newest_minor,
                                    std::span<const std::string> unsupported_options,
                                    std::string* out);
void AppendRowDescription(std::span<const FieldDescription> fields, std::string* out);
void AppendNoData(std::string* out);
void AppendParameterDescription(std::span<const uint32_t> type_oids, std::string* out);
void AppendCommandComplete(std::string_view tag, std::string* out);
void AppendEmptyQueryResponse(std::string* out);
void AppendParseComplete(std::string* out);
void AppendBindComplete(std::string* out);
void AppendCloseComplete(std::string* out);
void AppendPortalSuspended(std::string* out);
// ErrorResponse ('E') or NoticeResponse ('N') from the error fields of `info`.
void AppendErrorResponse(const ErrorInfo& info, std::string* out);
void AppendNoticeResponse(const ErrorInfo& info, std::string* out);

// DataRow, built in place:
//   size_t row = BeginDataRow(ncols, out);
//   AppendNullField(out) | size_t f = BeginField(out); ...append bytes...; EndField(f, out);
//   EndDataRow(row, out);
size_t BeginDataRow(int16_t column_count, std::string* out);
void AppendNullField(std::string* out);
size_t BeginField(std::string* out);
void EndField(size_t field_start, std::string* out);
void EndDataRow(size_t row_start, std::string* out);

}  // namespace pgw
