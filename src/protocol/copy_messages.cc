// COPY sub-protocol backend messages.
#include "protocol/copy_messages.h"

#include "common/byte_io.h"

namespace pgw {
namespace {

void AppendCopyResponse(char type, bool binary, int16_t columns, std::string* out) {
  ByteWriter w(out);
  w.PutByte(static_cast<uint8_t>(type));
  w.PutInt32(4 + 1 + 2 + 2 * columns);
  w.PutByte(binary ? 1 : 0);
  w.PutInt16(columns);
  for (int16_t i = 0; i < columns; ++i) w.PutInt16(binary ? 1 : 0);
}

}  // namespace

void AppendCopyInResponse(bool binary, int16_t columns, std::string* out) {
  AppendCopyResponse('G', binary, columns, out);
}

void AppendCopyOutResponse(bool binary, int16_t columns, std::string* out) {
  AppendCopyResponse('H', binary, columns, out);
}

size_t BeginCopyData(std::string* out) {
  size_t start = out->size();
  ByteWriter w(out);
  w.PutByte('d');
  w.PutInt32(0);
  return start;
}

void EndCopyData(size_t start, std::string* out) {
  ByteWriter(out).PatchInt32(start + 1, static_cast<int32_t>(out->size() - start - 1));
}

void AppendCopyData(std::string_view payload, std::string* out) {
  size_t start = BeginCopyData(out);
  out->append(payload);
  EndCopyData(start, out);
}

void AppendCopyDone(std::string* out) {
  ByteWriter w(out);
  w.PutByte('c');
  w.PutInt32(4);
}

}  // namespace pgw
