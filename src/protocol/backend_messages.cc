// Backend message builders: each appends one complete PostgreSQL v3 message. A message is
// started with its type byte and a length placeholder, then back-patched once the body is
// written, so nothing is sized twice and nothing allocates beyond the caller's buffer.
#include "protocol/backend_messages.h"

#include <charconv>

#include "common/byte_io.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

// Authentication request codes (AuthenticationXXX 'R' messages).
constexpr int32_t kAuthOk = 0;
constexpr int32_t kAuthCleartextPassword = 3;
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;

// Returns the offset of the type byte, for EndMessage.
size_t BeginMessage(char type, std::string* out) {
  size_t start = out->size();
  ByteWriter w(out);
  w.PutByte(static_cast<uint8_t>(type));
  w.PutInt32(0);
  return start;
}

// The length word counts itself and the body, not the type byte.
void EndMessage(size_t start, std::string* out) {
  ByteWriter(out).PatchInt32(start + 1, static_cast<int32_t>(out->size() - start - 1));
}

// A C string field; an embedded NUL would end the field early and corrupt the message, so the
// text is cut there (PostgreSQL's own strings cannot contain one).
void PutText(std::string_view s, ByteWriter& w) { w.PutCString(s.substr(0, s.find('\0'))); }

void AppendEmpty(char type, std::string* out) { EndMessage(BeginMessage(type, out), out); }

void AppendAuthentication(int32_t code, std::string_view data, std::string* out) {
  size_t start = BeginMessage('R', out);
  ByteWriter w(out);
  w.PutInt32(code);
  w.PutBytes(data);
  EndMessage(start, out);
}

void PutErrorField(char code, std::string_view value, ByteWriter& w) {
  if (value.empty()) return;
  w.PutByte(static_cast<uint8_t>(code));
  PutText(value, w);
}

void AppendErrorFields(char type, const ErrorInfo& info, std::string* out) {
  size_t start = BeginMessage(type, out);
  ByteWriter w(out);
  std::string_view severity = SeverityName(info.severity);
  PutErrorField('S', severity, w);
  PutErrorField('V', severity, w);
  // 'C' and 'M' are always present, as PostgreSQL sends them: clients rely on both.
  w.PutByte('C');
  PutText(info.sqlstate.empty() ? std::string_view(sqlstate::kInternalError) : info.sqlstate, w);
  w.PutByte('M');
  PutText(info.message, w);
  PutErrorField('D', info.detail, w);
  PutErrorField('H', info.hint, w);
  if (info.position > 0) {
    char digits[16];
    auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), info.position);
    (void)ec;  // an int always fits in 16 characters
    PutErrorField('P', std::string_view(digits, end - digits), w);
  }
  PutErrorField('W', info.context, w);
  w.PutByte(0);
  EndMessage(start, out);
}

}  // namespace

void AppendAuthenticationOk(std::string* out) { AppendAuthentication(kAuthOk, {}, out); }

void AppendAuthenticationCleartextPassword(std::string* out) {
  AppendAuthentication(kAuthCleartextPassword, {}, out);
}

void AppendAuthenticationSasl(std::span<const std::string_view> mechanisms, std::string* out) {
  size_t start = BeginMessage('R', out);
  ByteWriter w(out);
  w.PutInt32(kAuthSasl);
  for (std::string_view m : mechanisms) PutText(m, w);
  w.PutByte(0);
  EndMessage(start, out);
}

void AppendAuthenticationSaslContinue(std::string_view data, std::string* out) {
  AppendAuthentication(kAuthSaslContinue, data, out);
}

void AppendAuthenticationSaslFinal(std::string_view data, std::string* out) {
  AppendAuthentication(kAuthSaslFinal, data, out);
}

void AppendParameterStatus(std::string_view name, std::string_view value, std::string* out) {
  size_t start = BeginMessage('S', out);
  ByteWriter w(out);
  PutText(name, w);
  PutText(value, w);
  EndMessage(start, out);
}

void AppendBackendKeyData(int32_t pid, int32_t secret, std::string* out) {
  size_t start = BeginMessage('K', out);
  ByteWriter w(out);
  w.PutInt32(pid);
  w.PutInt32(secret);
  EndMessage(start, out);
}

void AppendReadyForQuery(TxStatus status, std::string* out) {
  size_t start = BeginMessage('Z', out);
  ByteWriter(out).PutByte(static_cast<uint8_t>(status));
  EndMessage(start, out);
}

void AppendNegotiateProtocolVersion(int32_t newest_minor,
                                    std::span<const std::string> unsupported_options,
                                    std::string* out) {
  size_t start = BeginMessage('v', out);
  ByteWriter w(out);
  w.PutInt32(newest_minor);
  w.PutInt32(static_cast<int32_t>(unsupported_options.size()));
  for (const std::string& option : unsupported_options) PutText(option, w);
  EndMessage(start, out);
}

void AppendRowDescription(std::span<const FieldDescription> fields, std::string* out) {
  size_t start = BeginMessage('T', out);
  ByteWriter w(out);
  w.PutInt16(static_cast<int16_t>(fields.size()));
  for (const FieldDescription& f : fields) {
    PutText(f.name, w);
    w.PutUInt32(f.table_oid);
    w.PutInt16(f.column_number);
    w.PutUInt32(f.type_oid);
    w.PutInt16(f.type_size);
    w.PutInt32(f.type_modifier);
    w.PutInt16(f.format);
  }
  EndMessage(start, out);
}

void AppendNoData(std::string* out) { AppendEmpty('n', out); }

void AppendParameterDescription(std::span<const uint32_t> type_oids, std::string* out) {
  size_t start = BeginMessage('t', out);
  ByteWriter w(out);
  w.PutInt16(static_cast<int16_t>(type_oids.size()));
  for (uint32_t oid : type_oids) w.PutUInt32(oid);
  EndMessage(start, out);
}

void AppendCommandComplete(std::string_view tag, std::string* out) {
  size_t start = BeginMessage('C', out);
  ByteWriter w(out);
  PutText(tag, w);
  EndMessage(start, out);
}

void AppendEmptyQueryResponse(std::string* out) { AppendEmpty('I', out); }
void AppendParseComplete(std::string* out) { AppendEmpty('1', out); }
void AppendBindComplete(std::string* out) { AppendEmpty('2', out); }
void AppendCloseComplete(std::string* out) { AppendEmpty('3', out); }
void AppendPortalSuspended(std::string* out) { AppendEmpty('s', out); }

void AppendErrorResponse(const ErrorInfo& info, std::string* out) {
  AppendErrorFields('E', info, out);
}

void AppendNoticeResponse(const ErrorInfo& info, std::string* out) {
  AppendErrorFields('N', info, out);
}

size_t BeginDataRow(int16_t column_count, std::string* out) {
  size_t start = BeginMessage('D', out);
  ByteWriter(out).PutInt16(column_count);
  return start;
}

void AppendNullField(std::string* out) { ByteWriter(out).PutInt32(-1); }

size_t BeginField(std::string* out) {
  size_t start = out->size();
  ByteWriter(out).PutInt32(0);
  return start;
}

void EndField(size_t field_start, std::string* out) {
  ByteWriter(out).PatchInt32(field_start, static_cast<int32_t>(out->size() - field_start - 4));
}

void EndDataRow(size_t row_start, std::string* out) { EndMessage(row_start, out); }

}  // namespace pgw
