// Converting between storage-form Values and PostgreSQL's wire formats (text and binary) for
// each type the gateway supports. Pure functions, no I/O; thread-safe.
//
// Storage forms (what a backend stores and hands back):
//   bool          Int 0/1 (text 't'/'f'/'true'/... accepted on input from storage too)
//   int2/4/8, oid Int
//   float4/8      Float (Int accepted)
//   numeric       Int, Float or Text (Text keeps exact digits)
//   text-like     Text (varchar, bpchar, name, char, json, xml, unknown)
//   bytea         Blob
//   date          Text "YYYY-MM-DD"
//   time          Text "HH:MM:SS[.ffffff]"
//   timestamp     Text "YYYY-MM-DD HH:MM:SS[.ffffff]"
//   timestamptz   Text "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (UTC)
//   interval      Text in PostgreSQL's "postgres" IntervalStyle ("1 day 02:00:00")
//   uuid          Text, lower-case canonical 8-4-4-4-12
//   json          Text as given;  jsonb  Text (normalized by the codec on output)
//   arrays        Text in PostgreSQL array literal form "{1,2,3}"
//   vector        Text "[1,2,3]"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "types/pg_types.h"
#include "types/value.h"

namespace pgw {

enum class WireFormat : int16_t { kText = 0, kBinary = 1 };

// Appends the wire representation of a non-null `v` (a column of type `type`, typmod `typmod`)
// to `out`, in `format`. REQUIRES: !v.is_null(). Returns 22P03/22P02 style errors when the
// stored value cannot be represented (e.g. binary date from malformed stored text).
[[nodiscard]] Status EncodeValue(Oid type, int32_t typmod, const Value& v, WireFormat format,
                                 std::string* out);

// Decodes a parameter or COPY field given on the wire (text or binary) for `type` into storage
// form. Text payloads that are already in storage form are returned as views into `wire`;
// anything converted is written to `*scratch` (which must outlive the Value) and viewed from
// there. Errors: 22P02 invalid input syntax, 22P03 invalid binary representation, 22003 out of
// range, 22007/22008 bad datetime; message text as PostgreSQL words it
// (`invalid input syntax for type integer: "abc"`).
[[nodiscard]] Result<Value> DecodeValue(Oid type, std::string_view wire, WireFormat format,
                                        std::string* scratch);

// Reads a value as a column's input function with its typmod does (COPY FROM fields): the
// type's text or binary input, then the typmod with assignment rules: a varchar(n)/char(n)
// value longer than n characters is 22001 `value too long for type character varying(n)`
// unless the excess is spaces (then it is cut); numeric(p,s) rounds to s (22003 `numeric field
// overflow` when too wide); time/timestamp/interval precisions round. char(n) is not padded
// (stored values never are; output pads). Bytes as for DecodeValue.
[[nodiscard]] Result<Value> DecodeColumnInput(Oid type, int32_t typmod, std::string_view wire,
                                              WireFormat format, std::string* scratch);

// Converts a storage-form value of unknown source type (as a backend hands it over: an Int may
// be an integer or a boolean) to the storage form of `target` with PostgreSQL's cast semantics:
// Text is parsed as the target's text input (22P02 on bad input); Float -> integer rounds half
// to even with a range check (22003 `integer out of range`); Int/Float -> text gives decimal
// text; numeric/varchar/bpchar typmods are applied (rounding to scale, truncating or padding
// per PostgreSQL's explicit-cast rules). NULL stays NULL. Converted bytes go to `*scratch`.
[[nodiscard]] Result<Value> CastValue(const Value& v, Oid target, int32_t typmod,
                                      std::string* scratch);

// True when `type` has a binary codec here.
bool HasBinaryCodec(Oid type);

// PostgreSQL's float8out/float4out with extra_float_digits=1 (shortest round-trip, "Infinity",
// "-Infinity", "NaN").
void AppendFloat8Text(double v, std::string* out);
void AppendFloat4Text(float v, std::string* out);

}  // namespace pgw
