// Frontend message decoders and encoders. Error texts are PostgreSQL's (pqformat.c and
// postgres.c), all 08P01: "insufficient data left in message" for truncation or a bad length,
// "invalid string in message" for a missing terminator, "invalid message format" for trailing
// bytes. Counts are unsigned 16-bit on the wire, as PostgreSQL reads them.
#include "protocol/frontend.h"

#include <fmt/format.h>

#include <utility>

#include "common/byte_io.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

Status Violation(std::string message) {
  return Status::Error(sqlstate::kProtocolViolation, std::move(message));
}

// Wraps ByteReader with PostgreSQL's error texts so decoders read top to bottom.
class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : reader_(body) {}

  Status CString(std::string_view* out) {
    if (!reader_.ReadCString(out)) return Violation("invalid string in message");
    return Status::OK();
  }
  Status Int16(int16_t* out) {
    if (!reader_.ReadInt16(out)) return Insufficient();
    return Status::OK();
  }
  Status Int32(int32_t* out) {
    if (!reader_.ReadInt32(out)) return Insufficient();
    return Status::OK();
  }
  Status UInt32(uint32_t* out) {
    if (!reader_.ReadUInt32(out)) return Insufficient();
    return Status::OK();
  }
  Status Byte(uint8_t* out) {
    if (!reader_.ReadByte(out)) return Insufficient();
    return Status::OK();
  }
  // A count word: uint16 on the wire. `min_bytes_each` bounds the count by what remains, so a
  // hostile count cannot make us reserve memory the message does not back.
  Status Count(size_t min_bytes_each, int* out) {
    int16_t v = 0;
    if (!reader_.ReadInt16(&v)) return Insufficient();
    int count = static_cast<uint16_t>(v);
    if (count > kMaxParams) return Violation(fmt::format("too many parameters: {}", count));
    PGW_RETURN_IF_ERROR(Require(static_cast<size_t>(count) * min_bytes_each));
    *out = count;
    return Status::OK();
  }
  // Fails unless at least `n` bytes remain.
  Status Require(size_t n) {
    if (reader_.remaining() < n) return Insufficient();
    return Status::OK();
  }
  // int32 length then that many bytes; -1 means absent.
  Status LengthPrefixed(std::optional<std::string_view>* out) {
    int32_t length = 0;
    PGW_RETURN_IF_ERROR(Int32(&length));
    if (length == -1) {
      *out = std::nullopt;
      return Status::OK();
    }
    std::string_view bytes;
    if (length < 0 || !reader_.ReadBytes(static_cast<size_t>(length), &bytes)) {
      return Insufficient();
    }
    *out = bytes;
    return Status::OK();
  }
  Status End() {
    if (!reader_.empty()) return Violation("invalid message format");
    return Status::OK();
  }
  std::string_view Rest() { return reader_.Rest(); }

 private:
  static Status Insufficient() { return Violation("insufficient data left in message"); }
  ByteReader reader_;
};

Status ReadFormats(MessageReader& r, std::vector<int16_t>* formats) {
  int count = 0;
  PGW_RETURN_IF_ERROR(r.Count(2, &count));
  formats->resize(count);
  for (int16_t& f : *formats) PGW_RETURN_IF_ERROR(r.Int16(&f));
  return Status::OK();
}

Status ReadKindAndName(MessageReader& r, const char* what, char* kind, std::string_view* name) {
  uint8_t k = 0;
  PGW_RETURN_IF_ERROR(r.Byte(&k));
  if (k != 'S' && k != 'P') {
    // PostgreSQL prints the subtype as a number: "invalid DESCRIBE message subtype 88".
    return Violation(fmt::format("invalid {} message subtype {}", what, static_cast<int>(k)));
  }
  *kind = static_cast<char>(k);
  PGW_RETURN_IF_ERROR(r.CString(name));
  return r.End();
}

// Starts a typed message; returns the offset of its length word for FinishMessage.
size_t StartMessage(char type, ByteWriter& w) {
  w.PutByte(static_cast<uint8_t>(type));
  size_t at = w.size();
  w.PutInt32(0);
  return at;
}

void FinishMessage(size_t length_at, ByteWriter& w) {
  w.PatchInt32(length_at, static_cast<int32_t>(w.size() - length_at));
}

void PutFormats(const std::vector<int16_t>& formats, ByteWriter& w) {
  w.PutInt16(static_cast<int16_t>(formats.size()));
  for (int16_t f : formats) w.PutInt16(f);
}

}  // namespace

Result<QueryMsg> DecodeQuery(std::string_view body) {
  MessageReader r(body);
  QueryMsg m;
  PGW_RETURN_IF_ERROR(r.CString(&m.sql));
  PGW_RETURN_IF_ERROR(r.End());
  return m;
}

Result<ParseMsg> DecodeParse(std::string_view body) {
  MessageReader r(body);
  ParseMsg m;
  PGW_RETURN_IF_ERROR(r.CString(&m.statement));
  PGW_RETURN_IF_ERROR(r.CString(&m.query));
  int count = 0;
  PGW_RETURN_IF_ERROR(r.Count(4, &count));
  m.param_types.resize(count);
  for (uint32_t& oid : m.param_types) PGW_RETURN_IF_ERROR(r.UInt32(&oid));
  PGW_RETURN_IF_ERROR(r.End());
  return m;
}

Status DecodeBindInto(std::string_view body, BindMsg* m) {
  MessageReader r(body);
  PGW_RETURN_IF_ERROR(r.CString(&m->portal));
  PGW_RETURN_IF_ERROR(r.CString(&m->statement));
  PGW_RETURN_IF_ERROR(ReadFormats(r, &m->param_formats));
  int count = 0;
  PGW_RETURN_IF_ERROR(r.Count(0, &count));
  // Checked before the values are read, as PostgreSQL does.
  if (m->param_formats.size() > 1 && m->param_formats.size() != static_cast<size_t>(count)) {
    return Violation(fmt::format("bind message has {} parameter formats but {} parameters",
                                 m->param_formats.size(), count));
  }
  PGW_RETURN_IF_ERROR(r.Require(static_cast<size_t>(count) * 4));  // a length word each
  m->params.resize(count);
  for (auto& p : m->params) PGW_RETURN_IF_ERROR(r.LengthPrefixed(&p));
  PGW_RETURN_IF_ERROR(ReadFormats(r, &m->result_formats));
  return r.End();
}

Result<BindMsg> DecodeBind(std::string_view body) {
  BindMsg m;
  PGW_RETURN_IF_ERROR(DecodeBindInto(body, &m));
  return m;
}

Result<BindHeader> DecodeBindHeader(std::string_view body) {
  MessageReader r(body);
  BindHeader h;
  PGW_RETURN_IF_ERROR(r.CString(&h.portal));
  PGW_RETURN_IF_ERROR(r.CString(&h.statement));
  std::vector<int16_t> formats;
  PGW_RETURN_IF_ERROR(ReadFormats(r, &formats));
  int count = 0;
  PGW_RETURN_IF_ERROR(r.Count(0, &count));
  h.param_count = static_cast<size_t>(count);
  return h;
}

Result<DescribeMsg> DecodeDescribe(std::string_view body) {
  MessageReader r(body);
  DescribeMsg m;
  PGW_RETURN_IF_ERROR(ReadKindAndName(r, "DESCRIBE", &m.kind, &m.name));
  return m;
}

Result<ExecuteMsg> DecodeExecute(std::string_view body) {
  MessageReader r(body);
  ExecuteMsg m;
  PGW_RETURN_IF_ERROR(r.CString(&m.portal));
  PGW_RETURN_IF_ERROR(r.Int32(&m.max_rows));
  PGW_RETURN_IF_ERROR(r.End());
  return m;
}

Result<CloseMsg> DecodeClose(std::string_view body) {
  MessageReader r(body);
  CloseMsg m;
  PGW_RETURN_IF_ERROR(ReadKindAndName(r, "CLOSE", &m.kind, &m.name));
  return m;
}

Result<CopyFailMsg> DecodeCopyFail(std::string_view body) {
  MessageReader r(body);
  CopyFailMsg m;
  PGW_RETURN_IF_ERROR(r.CString(&m.message));
  PGW_RETURN_IF_ERROR(r.End());
  return m;
}

Result<SaslInitialResponseMsg> DecodeSaslInitialResponse(std::string_view body) {
  MessageReader r(body);
  SaslInitialResponseMsg m;
  PGW_RETURN_IF_ERROR(r.CString(&m.mechanism));
  PGW_RETURN_IF_ERROR(r.LengthPrefixed(&m.data));
  PGW_RETURN_IF_ERROR(r.End());
  return m;
}

Result<PasswordMsg> DecodePassword(std::string_view body) {
  // PostgreSQL (recv_password_packet): the string must fill the packet exactly.
  MessageReader r(body);
  PasswordMsg m;
  if (!r.CString(&m.password).ok() || !r.End().ok()) {
    return Violation("invalid password packet size");
  }
  return m;
}

Status ExpectEmpty(std::string_view body, char /*type*/) {
  if (!body.empty()) return Violation("invalid message format");
  return Status::OK();
}

void EncodeQuery(const QueryMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kQuery, w);
  w.PutCString(m.sql);
  FinishMessage(at, w);
}

void EncodeParse(const ParseMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kParse, w);
  w.PutCString(m.statement);
  w.PutCString(m.query);
  w.PutInt16(static_cast<int16_t>(m.param_types.size()));
  for (uint32_t oid : m.param_types) w.PutUInt32(oid);
  FinishMessage(at, w);
}

void EncodeBind(const BindMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kBind, w);
  w.PutCString(m.portal);
  w.PutCString(m.statement);
  PutFormats(m.param_formats, w);
  w.PutInt16(static_cast<int16_t>(m.params.size()));
  for (const auto& p : m.params) {
    if (!p.has_value()) {
      w.PutInt32(-1);
      continue;
    }
    w.PutInt32(static_cast<int32_t>(p->size()));
    w.PutBytes(*p);
  }
  PutFormats(m.result_formats, w);
  FinishMessage(at, w);
}

void EncodeDescribe(const DescribeMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kDescribe, w);
  w.PutByte(static_cast<uint8_t>(m.kind));
  w.PutCString(m.name);
  FinishMessage(at, w);
}

void EncodeExecute(const ExecuteMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kExecute, w);
  w.PutCString(m.portal);
  w.PutInt32(m.max_rows);
  FinishMessage(at, w);
}

void EncodeClose(const CloseMsg& m, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(msg::kClose, w);
  w.PutByte(static_cast<uint8_t>(m.kind));
  w.PutCString(m.name);
  FinishMessage(at, w);
}

void EncodeSimple(char type, std::string* out) {
  ByteWriter w(out);
  size_t at = StartMessage(type, w);
  FinishMessage(at, w);
}

}  // namespace pgw
