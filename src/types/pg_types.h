// PostgreSQL built-in types as the gateway knows them: OIDs (the real ones from pg_type.dat),
// names, lengths, and the mapping from a declared column type ("numeric(10,2)",
// "timestamp with time zone", "int", "serial", "vector(384)") to an OID and typmod.
// Types travel as OIDs from the first byte to the last. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgw {

using Oid = uint32_t;

namespace oid {
inline constexpr Oid kInvalid = 0;
inline constexpr Oid kBool = 16;
inline constexpr Oid kBytea = 17;
inline constexpr Oid kChar = 18;
inline constexpr Oid kName = 19;
inline constexpr Oid kInt8 = 20;
inline constexpr Oid kInt2 = 21;
inline constexpr Oid kInt2Vector = 22;
inline constexpr Oid kInt4 = 23;
inline constexpr Oid kRegproc = 24;
inline constexpr Oid kText = 25;
inline constexpr Oid kOid = 26;
inline constexpr Oid kOidVector = 30;
inline constexpr Oid kJson = 114;
inline constexpr Oid kXml = 142;
inline constexpr Oid kPgNodeTree = 194;
inline constexpr Oid kFloat4 = 700;
inline constexpr Oid kFloat8 = 701;
inline constexpr Oid kUnknown = 705;
inline constexpr Oid kMoney = 790;
inline constexpr Oid kInet = 869;
inline constexpr Oid kBoolArray = 1000;
inline constexpr Oid kInt2Array = 1005;
inline constexpr Oid kInt4Array = 1007;
inline constexpr Oid kTextArray = 1009;
inline constexpr Oid kVarcharArray = 1015;
inline constexpr Oid kInt8Array = 1016;
inline constexpr Oid kFloat4Array = 1021;
inline constexpr Oid kFloat8Array = 1022;
inline constexpr Oid kOidArray = 1028;
inline constexpr Oid kAclitem = 1033;
inline constexpr Oid kBpchar = 1042;
inline constexpr Oid kVarchar = 1043;
inline constexpr Oid kDate = 1082;
inline constexpr Oid kTime = 1083;
inline constexpr Oid kTimestamp = 1114;
inline constexpr Oid kTimestamptz = 1184;
inline constexpr Oid kInterval = 1186;
inline constexpr Oid kTimetz = 1266;
inline constexpr Oid kBit = 1560;
inline constexpr Oid kVarbit = 1562;
inline constexpr Oid kNumeric = 1700;
inline constexpr Oid kRegprocedure = 2202;
inline constexpr Oid kRegclass = 2205;
inline constexpr Oid kRegtype = 2206;
inline constexpr Oid kRecord = 2249;
inline constexpr Oid kCstring = 2275;
inline constexpr Oid kAny = 2276;
inline constexpr Oid kVoid = 2278;
inline constexpr Oid kUuid = 2950;
inline constexpr Oid kJsonb = 3802;
inline constexpr Oid kRegnamespace = 4089;
inline constexpr Oid kRegrole = 4096;
// Not built in to PostgreSQL (pgvector assigns it at CREATE EXTENSION); fixed here so
// clients see a stable OID for `vector` columns.
inline constexpr Oid kVector = 16385;
}  // namespace oid

// Broad storage class, used to pick text/binary codecs and backend bindings.
enum class TypeCategory : uint8_t {
  kBool,
  kInteger,   // int2, int4, int8, oid and reg* types
  kFloat,     // float4, float8
  kNumeric,
  kString,    // text, varchar, bpchar, name, char, unknown, json, xml, ...
  kBytea,
  kDate,
  kTime,
  kTimestamp,
  kTimestamptz,
  kInterval,
  kUuid,
  kJson,
  kJsonb,
  kArray,
  kVector,
  kOther,
};

struct TypeInfo {
  Oid oid;
  const char* name;          // pg_type.typname, e.g. "int4"
  const char* sql_name;      // format_type() spelling, e.g. "integer"
  int16_t typlen;            // -1 variable, -2 cstring
  TypeCategory category;
  Oid array_oid;             // 0 if none
  Oid element_oid;           // for array types, else 0
};

// nullptr when the OID is not a type the gateway knows.
const TypeInfo* LookupType(Oid oid);
// By pg_type.typname or SQL spelling ("int4", "integer", "int", "timestamptz",
// "timestamp with time zone", "character varying", "double precision", ...). Case-insensitive.
const TypeInfo* LookupTypeByName(std::string_view name);

// A declared column type resolved: OID and typmod as PostgreSQL would report them in
// RowDescription (varchar(20) -> typmod 24; numeric(10,2) -> ((10<<16)|2)+4; else -1).
struct DeclaredType {
  Oid oid = oid::kText;
  int32_t typmod = -1;
  bool is_serial = false;  // serial/bigserial/smallserial
};
// Parses a declared type as written in DDL (and kept as SQLite's declared type). Unknown names
// map to text. Array suffix "[]" maps to the element's array type.
DeclaredType ParseDeclaredType(std::string_view declared);

// format_type(oid, typmod): "character varying(20)", "numeric(10,2)", "integer".
std::string FormatType(Oid oid, int32_t typmod);

}  // namespace pgw
