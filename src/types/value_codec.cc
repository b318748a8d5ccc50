// EncodeValue / DecodeValue / CastValue: dispatch on the type's category to the per-type
// converters in codec_internal.h. Integers and floats never touch the heap here.
#include "types/value_codec.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/byte_io.h"
#include "common/sqlstate.h"
#include "types/array_codec.h"
#include "types/codec_internal.h"

namespace pgw {
namespace codec {

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t PrefixBytes(std::string_view s, size_t chars) {
  size_t i = 0;
  for (size_t seen = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == chars) break;
      ++seen;
    }
  }
  return i;
}

}  // namespace codec

namespace {

using codec::AppendInt;
using codec::CharCount;
using codec::PrefixBytes;

constexpr int32_t kVarHeader = 4;     // VARHDRSZ offset of varchar/bpchar typmods
constexpr size_t kNameDataLen = 64;   // NAMEDATALEN: name holds at most 63 bytes
constexpr uint8_t kJsonbVersion = 1;  // jsonb binary format version byte
constexpr size_t kMaxVectorDim = 16000;

TypeCategory CategoryOf(Oid type) {
  const TypeInfo* info = LookupType(type);
  return info != nullptr ? info->category : TypeCategory::kOther;
}

std::string TypeNameOf(Oid type) { return FormatType(type, -1); }

Status NoBinaryOutput(Oid type) {
  return Status::Error(sqlstate::kUndefinedFunction,
                       "no binary output function available for type " + TypeNameOf(type));
}

Status NoBinaryInput(Oid type) {
  return Status::Error(sqlstate::kUndefinedFunction,
                       "no binary input function available for type " + TypeNameOf(type));
}

Status CannotCast(const Value& v, Oid target) {
  const char* from = v.kind == Value::Kind::kInt     ? "bigint"
                     : v.kind == Value::Kind::kFloat ? "double precision"
                                                     : "bytea";
  return Status::Error("42846",
                       std::string("cannot cast type ") + from + " to " + TypeNameOf(target));
}

Status IntOutOfRange(Oid type) {
  const char* msg = type == oid::kInt2   ? "smallint out of range"
                    : type == oid::kInt8 ? "bigint out of range"
                    : type == oid::kInt4 ? "integer out of range"
                                         : "OID out of range";
  return Status::Error(sqlstate::kNumericValueOutOfRange, msg);
}

// A fixed-size binary value of the wrong length: PostgreSQL's recv functions run out of input
// (08P01) when it is short, and the caller finds bytes left over (22P03) when it is long.
Status WrongBinaryLength(size_t have, size_t want) {
  if (have < want) {
    return Status::Error(sqlstate::kProtocolViolation, "insufficient data left in message");
  }
  return codec::BadBinary("incorrect binary data format");
}

// Appends a stored value's text to out as a text-like type shows it.
void AppendAsText(const Value& v, std::string* out) {
  switch (v.kind) {
    case Value::Kind::kInt:
      AppendInt(v.i, out);
      return;
    case Value::Kind::kFloat:
      AppendFloat8Text(v.f, out);
      return;
    case Value::Kind::kText:
    case Value::Kind::kBlob:
    case Value::Kind::kNull:
      out->append(v.s);
      return;
  }
}

Result<bool> StoredBool(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kInt:
      return v.i != 0;
    case Value::Kind::kFloat:
      return v.f != 0;
    default: {
      bool b = false;
      if (!codec::ParseBool(v.s, &b)) return codec::InvalidSyntax("boolean", v.s);
      return b;
    }
  }
}

Result<int64_t> StoredInt(const Value& v, Oid type) {
  switch (v.kind) {
    case Value::Kind::kInt:
      return v.i;
    case Value::Kind::kFloat: {
      double r = std::nearbyint(v.f);
      if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return IntOutOfRange(type);
      return static_cast<int64_t>(r);
    }
    default:
      return codec::ParseInteger(v.s, type);
  }
}

Result<double> StoredFloat(const Value& v, Oid type) {
  switch (v.kind) {
    case Value::Kind::kInt:
      return static_cast<double>(v.i);
    case Value::Kind::kFloat:
      return v.f;
    default:
      return codec::ParseFloat(v.s, type);
  }
}

Status StoredDecimal(const Value& v, codec::Decimal* d) {
  switch (v.kind) {
    case Value::Kind::kInt:
      codec::DecimalFromInt(v.i, d);
      return Status::OK();
    case Value::Kind::kFloat:
      codec::DecimalFromDouble(v.f, d);
      return Status::OK();
    default:
      return codec::ParseDecimal(v.s, d);
  }
}

// Stored date/time values are text; anything else is not a date.
Result<std::string_view> StoredText(const Value& v, Oid type) {
  if (v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob) return v.s;
  std::string tmp;
  AppendAsText(v, &tmp);
  return codec::InvalidSyntax(TypeNameOf(type), tmp, sqlstate::kInvalidDatetimeFormat);
}

// Pads a bpchar(n) with spaces to n characters (stored values may be unpadded).
void AppendBpchar(std::string_view s, int32_t typmod, std::string* out) {
  out->append(s);
  if (typmod >= kVarHeader) {
    size_t want = static_cast<size_t>(typmod - kVarHeader);
    size_t have = CharCount(s);
    if (have < want) out->append(want - have, ' ');
  }
}

Status EncodeText(Oid type, int32_t typmod, const Value& v, std::string* out) {
  switch (CategoryOf(type)) {
    case TypeCategory::kBool: {
      PGW_TRY(bool b, StoredBool(v));
      out->push_back(b ? 't' : 'f');
      return Status::OK();
    }
    case TypeCategory::kInteger: {
      if (v.kind == Value::Kind::kText && type != oid::kInt2 && type != oid::kInt4 &&
          type != oid::kInt8 && type != oid::kOid) {
        out->append(v.s);  // reg* types may hold names
        return Status::OK();
      }
      PGW_TRY(int64_t i, StoredInt(v, type));
      AppendInt(i, out);
      return Status::OK();
    }
    case TypeCategory::kFloat: {
      PGW_TRY(double f, StoredFloat(v, type));
      if (type == oid::kFloat4) {
        AppendFloat4Text(static_cast<float>(f), out);
      } else {
        AppendFloat8Text(f, out);
      }
      return Status::OK();
    }
    case TypeCategory::kNumeric: {
      if (v.kind == Value::Kind::kInt && typmod < kVarHeader) {
        AppendInt(v.i, out);
        return Status::OK();
      }
      codec::Decimal d;
      PGW_RETURN_IF_ERROR(StoredDecimal(v, &d));
      (void)codec::ApplyNumericTypmod(typmod, &d);  // stored values were checked on input
      codec::AppendDecimalText(d, out);
      return Status::OK();
    }
    case TypeCategory::kBytea:
      if (v.kind == Value::Kind::kInt || v.kind == Value::Kind::kFloat) {
        std::string tmp;
        AppendAsText(v, &tmp);
        codec::AppendByteaHex(tmp, out);
      } else {
        codec::AppendByteaHex(v.s, out);
      }
      return Status::OK();
    case TypeCategory::kDate: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      if (codec::IsIsoDate(s)) {
        out->append(s);  // already as PostgreSQL prints it
        return Status::OK();
      }
      PGW_TRY(int32_t days, codec::ParseDate(s));
      codec::AppendDate(days, out);
      return Status::OK();
    }
    case TypeCategory::kTime: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(int64_t t, codec::ParseTime(s));
      codec::AppendTime(t, out);
      return Status::OK();
    }
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz: {
      bool tz = type == oid::kTimestamptz;
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(int64_t t, codec::ParseTimestamp(s, tz));
      codec::AppendTimestamp(t, tz, out);
      return Status::OK();
    }
    case TypeCategory::kInterval: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(codec::Interval iv, codec::ParseInterval(s));
      codec::AppendInterval(iv, out);
      return Status::OK();
    }
    case TypeCategory::kUuid: {
      if (v.kind == Value::Kind::kBlob && v.s.size() == 16) {
        codec::AppendUuidText(reinterpret_cast<const uint8_t*>(v.s.data()), out);
        return Status::OK();
      }
      PGW_TRY(std::string_view s, StoredText(v, type));
      uint8_t bytes[16];
      PGW_RETURN_IF_ERROR(codec::ParseUuid(s, bytes));
      codec::AppendUuidText(bytes, out);
      return Status::OK();
    }
    case TypeCategory::kJsonb:
      if (v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob) {
        return codec::AppendJsonbText(v.s, out);
      }
      AppendAsText(v, out);
      return Status::OK();
    case TypeCategory::kString:
      if (type == oid::kBpchar && v.kind == Value::Kind::kText) {
        AppendBpchar(v.s, typmod, out);
        return Status::OK();
      }
      AppendAsText(v, out);
      return Status::OK();
    case TypeCategory::kJson:
    case TypeCategory::kArray:
    case TypeCategory::kVector:
    case TypeCategory::kOther:
      AppendAsText(v, out);
      return Status::OK();
  }
  return Status::OK();
}

Status EncodeVectorBinary(std::string_view text, std::string* out);

Status EncodeBinary(Oid type, int32_t typmod, const Value& v, std::string* out) {
  ByteWriter w(out);
  switch (CategoryOf(type)) {
    case TypeCategory::kBool: {
      PGW_TRY(bool b, StoredBool(v));
      w.PutByte(b ? 1 : 0);
      return Status::OK();
    }
    case TypeCategory::kInteger: {
      PGW_TRY(int64_t i, StoredInt(v, type));
      int64_t min = 0, max = 0;
      if (codec::IntegerRange(type, &min, &max) && (i < min || i > max)) {
        return IntOutOfRange(type);
      }
      if (type == oid::kInt2) {
        w.PutInt16(static_cast<int16_t>(i));
      } else if (type == oid::kInt8) {
        w.PutInt64(i);
      } else {
        w.PutUInt32(static_cast<uint32_t>(i));
      }
      return Status::OK();
    }
    case TypeCategory::kFloat: {
      PGW_TRY(double f, StoredFloat(v, type));
      if (type == oid::kFloat4) {
        w.PutUInt32(std::bit_cast<uint32_t>(static_cast<float>(f)));
      } else {
        w.PutInt64(std::bit_cast<int64_t>(f));
      }
      return Status::OK();
    }
    case TypeCategory::kNumeric: {
      codec::Decimal d;
      PGW_RETURN_IF_ERROR(StoredDecimal(v, &d));
      (void)codec::ApplyNumericTypmod(typmod, &d);
      codec::AppendDecimalBinary(d, out);
      return Status::OK();
    }
    case TypeCategory::kString:
    case TypeCategory::kJson:
      if (type == oid::kBpchar && v.kind == Value::Kind::kText) {
        AppendBpchar(v.s, typmod, out);
      } else {
        AppendAsText(v, out);
      }
      return Status::OK();
    case TypeCategory::kBytea:
      AppendAsText(v, out);
      return Status::OK();
    case TypeCategory::kDate: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(int32_t days, codec::ParseDate(s));
      w.PutInt32(days);
      return Status::OK();
    }
    case TypeCategory::kTime: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(int64_t t, codec::ParseTime(s));
      w.PutInt64(t);
      return Status::OK();
    }
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(int64_t t, codec::ParseTimestamp(s, type == oid::kTimestamptz));
      w.PutInt64(t);
      return Status::OK();
    }
    case TypeCategory::kInterval: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      PGW_TRY(codec::Interval iv, codec::ParseInterval(s));
      w.PutInt64(iv.usec);
      w.PutInt32(iv.days);
      w.PutInt32(iv.months);
      return Status::OK();
    }
    case TypeCategory::kUuid: {
      if (v.kind == Value::Kind::kBlob && v.s.size() == 16) {
        out->append(v.s);
        return Status::OK();
      }
      PGW_TRY(std::string_view s, StoredText(v, type));
      uint8_t bytes[16];
      PGW_RETURN_IF_ERROR(codec::ParseUuid(s, bytes));
      out->append(reinterpret_cast<const char*>(bytes), sizeof(bytes));
      return Status::OK();
    }
    case TypeCategory::kJsonb:
      w.PutByte(kJsonbVersion);
      if (v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob) {
        return codec::AppendJsonbText(v.s, out);
      }
      AppendAsText(v, out);
      return Status::OK();
    case TypeCategory::kVector: {
      PGW_TRY(std::string_view s, StoredText(v, type));
      return EncodeVectorBinary(s, out);
    }
    case TypeCategory::kArray: {
      if (!ArrayHasBinaryCodec(type)) return NoBinaryOutput(type);
      PGW_TRY(std::string_view s, StoredText(v, type));
      return EncodeArrayBinary(type, s, out);
    }
    case TypeCategory::kOther:
      return NoBinaryOutput(type);
  }
  return NoBinaryOutput(type);
}

// pgvector's text form "[1,2,3]" to vector_send: int16 dim, int16 unused, float4 values.
Status EncodeVectorBinary(std::string_view text, std::string* out) {
  std::string_view s = codec::TrimSpaces(text);
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') {
    return codec::InvalidSyntax("vector", text);
  }
  s = s.substr(1, s.size() - 2);
  std::string floats;
  size_t dim = 0;
  while (!codec::TrimSpaces(s).empty()) {
    size_t comma = s.find(',');
    PGW_TRY(double f, codec::ParseFloat(s.substr(0, comma), oid::kFloat4));
    ByteWriter(&floats).PutUInt32(std::bit_cast<uint32_t>(static_cast<float>(f)));
    if (++dim > kMaxVectorDim) return codec::InvalidSyntax("vector", text);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  ByteWriter w(out);
  w.PutInt16(static_cast<int16_t>(dim));
  w.PutInt16(0);
  out->append(floats);
  return Status::OK();
}

Result<Value> DecodeVectorBinary(std::string_view wire, std::string* scratch) {
  ByteReader r(wire);
  int16_t dim = 0, unused = 0;
  if (!r.ReadInt16(&dim) || !r.ReadInt16(&unused) || dim < 0 ||
      r.remaining() != static_cast<size_t>(dim) * 4) {
    return WrongBinaryLength(wire.size(), dim < 0 ? 4 : 4 + static_cast<size_t>(dim) * 4);
  }
  scratch->push_back('[');
  for (int i = 0; i < dim; ++i) {
    uint32_t bits = 0;
    (void)r.ReadUInt32(&bits);
    if (i > 0) scratch->push_back(',');
    AppendFloat4Text(std::bit_cast<float>(bits), scratch);
  }
  scratch->push_back(']');
  return Value::Text(*scratch);
}

// Text input of `type` (a parameter, a COPY field, or a Text value being cast) into storage
// form. `wire` must outlive the result; conversions land in *scratch.
Result<Value> DecodeText(Oid type, std::string_view wire, std::string* scratch) {
  switch (CategoryOf(type)) {
    case TypeCategory::kBool: {
      bool b = false;
      if (!codec::ParseBool(wire, &b)) return codec::InvalidSyntax("boolean", wire);
      return Value::Int(b ? 1 : 0);
    }
    case TypeCategory::kInteger: {
      if (type != oid::kInt2 && type != oid::kInt4 && type != oid::kInt8 && type != oid::kOid) {
        // reg* types: a numeric OID, or a name the backend resolves.
        auto r = codec::ParseInteger(wire, oid::kOid);
        if (r.ok()) return Value::Int(*r);
        return Value::Text(wire);
      }
      PGW_TRY(int64_t i, codec::ParseInteger(wire, type));
      return Value::Int(i);
    }
    case TypeCategory::kFloat: {
      PGW_TRY(double f, codec::ParseFloat(wire, type));
      if (type == oid::kFloat4) f = static_cast<float>(f);
      return Value::Float(f);
    }
    case TypeCategory::kNumeric: {
      codec::Decimal d;
      PGW_RETURN_IF_ERROR(codec::ParseDecimal(wire, &d));
      codec::AppendDecimalText(d, scratch);
      if (*scratch == wire) return Value::Text(wire);
      return Value::Text(*scratch);
    }
    case TypeCategory::kBytea:
      PGW_RETURN_IF_ERROR(codec::DecodeByteaText(wire, scratch));
      return Value::Blob(*scratch);
    case TypeCategory::kDate: {
      if (codec::IsIsoDate(wire)) return Value::Text(wire);  // already the storage form
      PGW_TRY(int32_t days, codec::ParseDate(wire));
      codec::AppendDate(days, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kTime: {
      PGW_TRY(int64_t t, codec::ParseTime(wire));
      codec::AppendTime(t, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz: {
      bool tz = type == oid::kTimestamptz;
      PGW_TRY(int64_t t, codec::ParseTimestamp(wire, tz));
      codec::AppendTimestamp(t, tz, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kInterval: {
      PGW_TRY(codec::Interval iv, codec::ParseInterval(wire));
      codec::AppendInterval(iv, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kUuid: {
      uint8_t bytes[16];
      PGW_RETURN_IF_ERROR(codec::ParseUuid(wire, bytes));
      codec::AppendUuidText(bytes, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kJson:
      PGW_RETURN_IF_ERROR(codec::ValidateJson(wire));
      return Value::Text(wire);
    case TypeCategory::kJsonb:
      PGW_RETURN_IF_ERROR(codec::AppendJsonbText(wire, scratch));
      return Value::Text(*scratch);
    case TypeCategory::kString:
    case TypeCategory::kArray:
    case TypeCategory::kVector:
    case TypeCategory::kOther:
      return Value::Text(wire);
  }
  return Value::Text(wire);
}

Result<Value> DecodeBinary(Oid type, std::string_view wire, std::string* scratch) {
  ByteReader r(wire);
  switch (CategoryOf(type)) {
    case TypeCategory::kBool:
      if (wire.size() != 1) return WrongBinaryLength(wire.size(), 1);
      return Value::Int(wire[0] != 0 ? 1 : 0);
    case TypeCategory::kInteger: {
      if (type == oid::kInt2) {
        int16_t v = 0;
        if (wire.size() != 2 || !r.ReadInt16(&v)) return WrongBinaryLength(wire.size(), 2);
        return Value::Int(v);
      }
      if (type == oid::kInt8) {
        int64_t v = 0;
        if (wire.size() != 8 || !r.ReadInt64(&v)) return WrongBinaryLength(wire.size(), 8);
        return Value::Int(v);
      }
      if (type == oid::kInt4) {
        int32_t v = 0;
        if (wire.size() != 4 || !r.ReadInt32(&v)) return WrongBinaryLength(wire.size(), 4);
        return Value::Int(v);
      }
      uint32_t v = 0;
      if (wire.size() != 4 || !r.ReadUInt32(&v)) return WrongBinaryLength(wire.size(), 4);
      return Value::Int(v);
    }
    case TypeCategory::kFloat: {
      if (type == oid::kFloat4) {
        uint32_t bits = 0;
        if (wire.size() != 4 || !r.ReadUInt32(&bits)) return WrongBinaryLength(wire.size(), 4);
        return Value::Float(std::bit_cast<float>(bits));
      }
      int64_t bits = 0;
      if (wire.size() != 8 || !r.ReadInt64(&bits)) return WrongBinaryLength(wire.size(), 8);
      return Value::Float(std::bit_cast<double>(bits));
    }
    case TypeCategory::kNumeric: {
      codec::Decimal d;
      PGW_RETURN_IF_ERROR(codec::DecodeDecimalBinary(wire, &d));
      codec::AppendDecimalText(d, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kString:
      return Value::Text(wire);
    case TypeCategory::kJson:
      PGW_RETURN_IF_ERROR(codec::ValidateJson(wire));
      return Value::Text(wire);
    case TypeCategory::kBytea:
      return Value::Blob(wire);
    case TypeCategory::kDate: {
      int32_t days = 0;
      if (wire.size() != 4 || !r.ReadInt32(&days)) return WrongBinaryLength(wire.size(), 4);
      codec::AppendDate(days, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kTime: {
      int64_t t = 0;
      if (wire.size() != 8 || !r.ReadInt64(&t)) return WrongBinaryLength(wire.size(), 8);
      if (t < 0 || t > int64_t{86400} * 1000000) {
        return Status::Error(sqlstate::kInvalidBinaryRepresentation, "time out of range");
      }
      codec::AppendTime(t, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz: {
      int64_t t = 0;
      if (wire.size() != 8 || !r.ReadInt64(&t)) return WrongBinaryLength(wire.size(), 8);
      codec::AppendTimestamp(t, type == oid::kTimestamptz, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kInterval: {
      codec::Interval iv;
      if (wire.size() != 16 || !r.ReadInt64(&iv.usec) || !r.ReadInt32(&iv.days) ||
          !r.ReadInt32(&iv.months)) {
        return WrongBinaryLength(wire.size(), 16);
      }
      codec::AppendInterval(iv, scratch);
      return Value::Text(*scratch);
    }
    case TypeCategory::kUuid:
      if (wire.size() != 16) return WrongBinaryLength(wire.size(), 16);
      codec::AppendUuidText(reinterpret_cast<const uint8_t*>(wire.data()), scratch);
      return Value::Text(*scratch);
    case TypeCategory::kJsonb: {
      uint8_t version = 0;
      if (!r.ReadByte(&version)) return WrongBinaryLength(wire.size(), 1);
      if (version != kJsonbVersion) {
        return codec::BadBinary("unsupported jsonb version number " + std::to_string(version));
      }
      PGW_RETURN_IF_ERROR(codec::AppendJsonbText(r.Rest(), scratch));
      return Value::Text(*scratch);
    }
    case TypeCategory::kVector:
      return DecodeVectorBinary(wire, scratch);
    case TypeCategory::kArray:
      if (!ArrayHasBinaryCodec(type)) return NoBinaryInput(type);
      return DecodeArrayBinary(type, wire, scratch);
    case TypeCategory::kOther:
      return NoBinaryInput(type);
  }
  return NoBinaryInput(type);
}

// varchar(n)/bpchar(n)/name/"char" length rules of an explicit cast.
Value ApplyStringTypmod(Oid target, int32_t typmod, std::string_view s, std::string* scratch) {
  if (target == oid::kName) return Value::Text(s.substr(0, std::min(s.size(), kNameDataLen - 1)));
  if (target == oid::kChar) return Value::Text(s.substr(0, PrefixBytes(s, 1)));
  if (typmod < kVarHeader || (target != oid::kVarchar && target != oid::kBpchar)) {
    return Value::Text(s);
  }
  size_t max_chars = static_cast<size_t>(typmod - kVarHeader);
  std::string_view cut = s.substr(0, PrefixBytes(s, max_chars));
  if (target == oid::kBpchar) {
    size_t have = CharCount(cut);
    if (have < max_chars) {
      if (scratch->data() != cut.data()) scratch->assign(cut);
      scratch->append(max_chars - have, ' ');
      return Value::Text(*scratch);
    }
  }
  return Value::Text(cut);
}

Result<Value> CastNonText(const Value& v, Oid target, std::string* scratch) {
  switch (CategoryOf(target)) {
    case TypeCategory::kBool:
      if (v.kind == Value::Kind::kInt) return Value::Int(v.i != 0 ? 1 : 0);
      return CannotCast(v, target);
    case TypeCategory::kInteger: {
      if (v.kind == Value::Kind::kBlob) return CannotCast(v, target);
      PGW_TRY(int64_t i, StoredInt(v, target));
      int64_t min = 0, max = 0;
      if (codec::IntegerRange(target, &min, &max) && (i < min || i > max)) {
        return IntOutOfRange(target);
      }
      return Value::Int(i);
    }
    case TypeCategory::kFloat: {
      if (v.kind == Value::Kind::kBlob) return CannotCast(v, target);
      double f = v.kind == Value::Kind::kInt ? static_cast<double>(v.i) : v.f;
      if (target == oid::kFloat4) {
        float g = static_cast<float>(f);
        if (std::isinf(g) && !std::isinf(f)) {
          return Status::Error(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
        }
        if (g == 0 && f != 0) {
          return Status::Error(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
        }
        f = g;
      }
      return Value::Float(f);
    }
    case TypeCategory::kNumeric:
      if (v.kind == Value::Kind::kBlob) return CannotCast(v, target);
      if (v.kind == Value::Kind::kFloat && !std::isfinite(v.f)) {
        *scratch = std::isnan(v.f) ? "NaN" : (v.f > 0 ? "Infinity" : "-Infinity");
        return Value::Text(*scratch);
      }
      return v;
    case TypeCategory::kBytea:
      if (v.kind == Value::Kind::kBlob) return v;
      scratch->clear();
      AppendAsText(v, scratch);
      return Value::Blob(*scratch);
    case TypeCategory::kString:
    case TypeCategory::kJson:
    case TypeCategory::kArray:
    case TypeCategory::kVector:
    case TypeCategory::kOther:
      scratch->clear();
      if (v.kind == Value::Kind::kBlob && CategoryOf(target) == TypeCategory::kString) {
        codec::AppendByteaHex(v.s, scratch);
      } else {
        AppendAsText(v, scratch);
      }
      return Value::Text(*scratch);
    case TypeCategory::kJsonb:
      if (v.kind == Value::Kind::kBlob) return CannotCast(v, target);
      scratch->clear();
      AppendAsText(v, scratch);
      return Value::Text(*scratch);
    case TypeCategory::kDate:
    case TypeCategory::kTime:
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz:
    case TypeCategory::kInterval:
    case TypeCategory::kUuid:
      return CannotCast(v, target);
  }
  return CannotCast(v, target);
}

}  // namespace

Result<Value> codec::ApplyTypmod(Oid target, int32_t typmod, const Value& v, std::string* scratch) {
  if (typmod < 0 && target != oid::kName && target != oid::kChar) return v;
  switch (CategoryOf(target)) {
    case TypeCategory::kString:
      if (v.kind != Value::Kind::kText) return v;
      return ApplyStringTypmod(target, typmod, v.s, scratch);
    case TypeCategory::kNumeric: {
      if (typmod < kVarHeader) return v;
      codec::Decimal d;
      PGW_RETURN_IF_ERROR(StoredDecimal(v, &d));
      PGW_RETURN_IF_ERROR(codec::ApplyNumericTypmod(typmod, &d));
      if (v.kind == Value::Kind::kInt && d.scale == 0) return v;
      std::string text;
      codec::AppendDecimalText(d, &text);
      *scratch = std::move(text);
      return Value::Text(*scratch);
    }
    case TypeCategory::kTime:
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz: {
      if (v.kind != Value::Kind::kText) return v;
      std::string text;
      if (target == oid::kTime) {
        PGW_TRY(int64_t t, codec::ParseTime(v.s));
        codec::AppendTime(codec::RoundToPrecision(t, typmod), &text);
      } else {
        bool tz = target == oid::kTimestamptz;
        PGW_TRY(int64_t t, codec::ParseTimestamp(v.s, tz));
        codec::AppendTimestamp(codec::RoundToPrecision(t, typmod), tz, &text);
      }
      *scratch = std::move(text);
      return Value::Text(*scratch);
    }
    case TypeCategory::kInterval: {
      if (v.kind != Value::Kind::kText) return v;
      PGW_TRY(codec::Interval iv, codec::ParseInterval(v.s));
      iv.usec = codec::RoundToPrecision(iv.usec, typmod & 0xFFFF);
      std::string text;
      codec::AppendInterval(iv, &text);
      *scratch = std::move(text);
      return Value::Text(*scratch);
    }
    default:
      return v;
  }
}

Status EncodeValue(Oid type, int32_t typmod, const Value& v, WireFormat format, std::string* out) {
  return format == WireFormat::kBinary ? EncodeBinary(type, typmod, v, out)
                                       : EncodeText(type, typmod, v, out);
}

Result<Value> DecodeValue(Oid type, std::string_view wire, WireFormat format,
                          std::string* scratch) {
  scratch->clear();
  return format == WireFormat::kBinary ? DecodeBinary(type, wire, scratch)
                                       : DecodeText(type, wire, scratch);
}

Result<Value> CastValue(const Value& v, Oid target, int32_t typmod, std::string* scratch) {
  if (v.is_null()) return Value::Null();
  if (v.kind == Value::Kind::kText) {
    // The input may live in *scratch; parse from a copy in that case.
    std::string own;
    std::string_view text = v.s;
    if (!scratch->empty() && text.data() >= scratch->data() &&
        text.data() < scratch->data() + scratch->size()) {
      own.assign(text);
      text = own;
    }
    std::string tmp;
    PGW_TRY(Value decoded, DecodeText(target, text, &tmp));
    if (decoded.kind == Value::Kind::kText || decoded.kind == Value::Kind::kBlob) {
      bool in_tmp = !tmp.empty() && decoded.s.data() >= tmp.data() &&
                    decoded.s.data() < tmp.data() + tmp.size();
      bool in_own = !own.empty() && decoded.s.data() >= own.data() &&
                    decoded.s.data() < own.data() + own.size();
      if (in_tmp || in_own) {
        size_t off = decoded.s.data() - (in_tmp ? tmp.data() : own.data());
        *scratch = in_tmp ? std::move(tmp) : std::move(own);
        decoded.s = std::string_view(*scratch).substr(off, decoded.s.size());
      }
    }
    return codec::ApplyTypmod(target, typmod, decoded, scratch);
  }
  PGW_TRY(Value converted, CastNonText(v, target, scratch));
  return codec::ApplyTypmod(target, typmod, converted, scratch);
}

bool HasBinaryCodec(Oid type) {
  const TypeInfo* info = LookupType(type);
  if (info == nullptr) return false;
  switch (info->category) {
    case TypeCategory::kArray:
      return ArrayHasBinaryCodec(type);
    case TypeCategory::kOther:
      return false;
    default:
      return true;
  }
}

}  // namespace pgw
