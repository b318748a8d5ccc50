// DecodeColumnInput: a column's input function with its typmod (assignment rules), as COPY FROM
// reads each field (PostgreSQL's InputFunctionCall / ReceiveFunctionCall with atttypmod).
#include "common/sqlstate.h"
#include "types/codec_internal.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

constexpr int32_t kVarHeader = 4;  // VARHDRSZ offset of varchar/bpchar typmods

// varchar_input / bpchar_input: too long is an error unless only spaces are cut.
Result<Value> CheckStringLength(Oid type, int32_t typmod, const Value& v) {
  size_t max_chars = static_cast<size_t>(typmod - kVarHeader);
  if (v.s.size() <= max_chars || codec::CharCount(v.s) <= max_chars) return v;
  size_t keep = codec::PrefixBytes(v.s, max_chars);
  if (v.s.find_first_not_of(' ', keep) != std::string_view::npos) {
    return Status::Error(sqlstate::kStringDataRightTruncation,
                         "value too long for type " + FormatType(type, typmod));
  }
  return Value::Text(v.s.substr(0, keep));
}

}  // namespace

Result<Value> DecodeColumnInput(Oid type, int32_t typmod, std::string_view wire, WireFormat format,
                                std::string* scratch) {
  PGW_TRY(Value v, DecodeValue(type, wire, format, scratch));
  if (typmod < 0) return v;
  if (type == oid::kVarchar || type == oid::kBpchar) {
    if (typmod < kVarHeader || v.kind != Value::Kind::kText) return v;
    return CheckStringLength(type, typmod, v);
  }
  bool views_scratch = (v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob) &&
                       !scratch->empty() && v.s.data() >= scratch->data() &&
                       v.s.data() < scratch->data() + scratch->size();
  if (!views_scratch) return codec::ApplyTypmod(type, typmod, v, scratch);
  // ApplyTypmod may rewrite *scratch, which `v` views: give it a copy, and keep whatever part
  // of that copy the result views.
  std::string own(v.s);
  Value in = v;
  in.s = own;
  PGW_TRY(Value r, codec::ApplyTypmod(type, typmod, in, scratch));
  if ((r.kind == Value::Kind::kText || r.kind == Value::Kind::kBlob) && !r.s.empty() &&
      r.s.data() >= own.data() && r.s.data() < own.data() + own.size()) {
    size_t off = static_cast<size_t>(r.s.data() - own.data());
    size_t len = r.s.size();
    *scratch = std::move(own);
    r.s = std::string_view(*scratch).substr(off, len);
  }
  return r;
}

}  // namespace pgw
