// WalkMessages: visits every protobuf-c message of a parse tree below (and including) `m`,
// through the message descriptors, so a question about "any node of kind X anywhere in the
// statement" needs no hand-written traversal of each node type.
#pragma once

#include <protobuf-c/protobuf-c.h>

#include <cstddef>
#include <cstdint>

namespace pgw::sql {

// `visit(const ProtobufCMessage*)` returns false to skip the message's children.
template <typename Visit>
void WalkMessages(const ProtobufCMessage* m, Visit& visit) {
  if (m == nullptr || !visit(m)) return;
  const ProtobufCMessageDescriptor* d = m->descriptor;
  const char* base = reinterpret_cast<const char*>(m);
  for (unsigned i = 0; i < d->n_fields; ++i) {
    const ProtobufCFieldDescriptor& f = d->fields[i];
    if (f.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    // Members of a oneof share one offset: only the member the case names is set.
    if ((f.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
        *reinterpret_cast<const uint32_t*>(base + f.quantifier_offset) != f.id) {
      continue;
    }
    if (f.label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *reinterpret_cast<const size_t*>(base + f.quantifier_offset);
      auto* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + f.offset);
      for (size_t k = 0; k < n; ++k) WalkMessages(items[k], visit);
    } else {
      WalkMessages(*reinterpret_cast<ProtobufCMessage* const*>(base + f.offset), visit);
    }
  }
}

}  // namespace pgw::sql
