// The binary wire format of one-dimensional arrays (array_send / array_recv): a header (ndim,
// has-null flag, element oid, dimension size and lower bound) and each element as a length
// (-1 for NULL) plus its own binary form. Arrays are stored in their text form ("{1,2,NULL}");
// these convert between that and the binary form element by element, through the element
// type's codecs. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "types/pg_types.h"
#include "types/value.h"

namespace pgw {

// Appends the binary form of the stored array `text` of array type `type`.
[[nodiscard]] Status EncodeArrayBinary(Oid type, std::string_view text, std::string* out);

// Decodes a binary array of type `type` into its stored text form, written to `*scratch`.
// Multi-dimensional arrays are refused with 0A000.
[[nodiscard]] Result<Value> DecodeArrayBinary(Oid type, std::string_view wire,
                                              std::string* scratch);

// True when the element type of array type `type` has a binary codec.
bool ArrayHasBinaryCodec(Oid type);

}  // namespace pgw
