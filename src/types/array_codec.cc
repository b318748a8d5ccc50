// Binary arrays <-> stored array text (array_codec.h).
#include "types/array_codec.h"

#include "common/byte_io.h"
#include "common/sqlstate.h"
#include "types/array_text.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

constexpr int32_t kHasNullFlag = 1;

// array_out's quoting of one element.
void AppendArrayElement(std::string_view e, std::string* out) {
  bool quote =
      e.empty() || (e.size() == 4 && (e[0] == 'N' || e[0] == 'n') && (e[1] == 'U' || e[1] == 'u') &&
                    (e[2] == 'L' || e[2] == 'l') && (e[3] == 'L' || e[3] == 'l'));
  for (char c : e) {
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t' ||
        c == '\n' || c == '\r') {
      quote = true;
    }
  }
  if (!quote) {
    out->append(e);
    return;
  }
  out->push_back('"');
  for (char c : e) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

Status BadArray(std::string_view what) {
  return Status::Error(sqlstate::kInvalidBinaryRepresentation, std::string(what));
}

}  // namespace

bool ArrayHasBinaryCodec(Oid type) {
  const TypeInfo* info = LookupType(type);
  return info != nullptr && info->category == TypeCategory::kArray && info->element_oid != 0 &&
         HasBinaryCodec(info->element_oid);
}

Status EncodeArrayBinary(Oid type, std::string_view text, std::string* out) {
  const TypeInfo* info = LookupType(type);
  if (info == nullptr || info->element_oid == 0) {
    return Status::Error(sqlstate::kUndefinedFunction, "no binary output function available");
  }
  const Oid elem = info->element_oid;
  std::vector<ArrayElement> elems = ArrayElements(text);
  bool has_null = false;
  for (const ArrayElement& e : elems) has_null |= e.null;
  ByteWriter w(out);
  w.PutInt32(elems.empty() ? 0 : 1);
  w.PutInt32(has_null ? kHasNullFlag : 0);
  w.PutInt32(static_cast<int32_t>(elem));
  if (elems.empty()) return Status::OK();
  w.PutInt32(static_cast<int32_t>(elems.size()));
  w.PutInt32(1);
  std::string scratch;
  for (const ArrayElement& e : elems) {
    if (e.null) {
      w.PutInt32(-1);
      continue;
    }
    PGW_TRY(Value v, DecodeValue(elem, e.text, WireFormat::kText, &scratch));
    size_t at = out->size();
    w.PutInt32(0);
    PGW_RETURN_IF_ERROR(EncodeValue(elem, -1, v, WireFormat::kBinary, out));
    int32_t len = static_cast<int32_t>(out->size() - at - 4);
    for (int i = 0; i < 4; ++i) (*out)[at + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  }
  return Status::OK();
}

Result<Value> DecodeArrayBinary(Oid type, std::string_view wire, std::string* scratch) {
  const TypeInfo* info = LookupType(type);
  ByteReader r(wire);
  int32_t ndim = 0, flags = 0, elem = 0;
  if (!r.ReadInt32(&ndim) || !r.ReadInt32(&flags) || !r.ReadInt32(&elem)) {
    return BadArray("insufficient data left in message");
  }
  if (ndim < 0 || (flags & ~kHasNullFlag) != 0) return BadArray("invalid array flags");
  if (ndim > 1) {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "multi-dimensional arrays are not supported");
  }
  if (info != nullptr && info->element_oid != 0 && static_cast<Oid>(elem) != info->element_oid) {
    return BadArray("wrong element type");
  }
  std::string result = "{";
  if (ndim == 1) {
    int32_t n = 0, lower = 0;
    if (!r.ReadInt32(&n) || !r.ReadInt32(&lower) || n < 0) return BadArray("invalid array size");
    std::string item, text;
    for (int32_t i = 0; i < n; ++i) {
      int32_t len = 0;
      if (!r.ReadInt32(&len)) return BadArray("insufficient data left in message");
      if (i > 0) result.push_back(',');
      if (len < 0) {
        result.append("NULL");
        continue;
      }
      std::string_view bytes;
      if (!r.ReadBytes(static_cast<size_t>(len), &bytes)) {
        return BadArray("insufficient data left in message");
      }
      PGW_TRY(Value v, DecodeValue(static_cast<Oid>(elem), bytes, WireFormat::kBinary, &item));
      text.clear();
      PGW_RETURN_IF_ERROR(EncodeValue(static_cast<Oid>(elem), -1, v, WireFormat::kText, &text));
      AppendArrayElement(text, &result);
    }
  }
  result.push_back('}');
  if (!r.empty()) return BadArray("incorrect binary data format in array");
  *scratch = std::move(result);
  return Value::Text(*scratch);
}

}  // namespace pgw
