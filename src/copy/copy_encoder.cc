// COPY TO encoding, following PostgreSQL 15's copyto.c.
#include "copy/copy_encoder.h"

#include <algorithm>

#include "common/byte_io.h"
#include "common/sqlstate.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

void AppendInt16(int16_t v, std::string* out) { ByteWriter(out).PutInt16(v); }

void AppendInt32(int32_t v, std::string* out) { ByteWriter(out).PutInt32(v); }

// CopyAttributeOutText: runs of ordinary bytes are appended whole.
void AppendText(const CopyOptions& opts, std::string_view s, std::string* out) {
  const char delim = opts.delimiter[0];
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    char esc = 0;
    switch (c) {
      case '\b':
        esc = 'b';
        break;
      case '\f':
        esc = 'f';
        break;
      case '\n':
        esc = 'n';
        break;
      case '\r':
        esc = 'r';
        break;
      case '\t':
        esc = 't';
        break;
      case '\v':
        esc = 'v';
        break;
      default:
        if (c == '\\' || c == delim) esc = c;
        break;
    }
    if (esc == 0) continue;
    out->append(s.data() + run, i - run);
    out->push_back('\\');
    out->push_back(esc);
    run = i + 1;
  }
  out->append(s.data() + run, s.size() - run);
}

// CopyAttributeOutCSV.
void AppendCsv(const CopyOptions& opts, std::string_view s, bool use_quote, bool single_attr,
               std::string* out) {
  const char delim = opts.delimiter[0], quote = opts.quote[0], escape = opts.escape[0];
  if (!use_quote && s == opts.null_string) use_quote = true;
  if (!use_quote) {
    if (single_attr && s == "\\.") {
      use_quote = true;
    } else {
      use_quote = std::any_of(s.begin(), s.end(), [&](char c) {
        return c == delim || c == quote || c == '\n' || c == '\r';
      });
    }
  }
  if (!use_quote) {
    out->append(s);
    return;
  }
  out->push_back(quote);
  for (char c : s) {
    if (c == quote || c == escape) out->push_back(escape);
    out->push_back(c);
  }
  out->push_back(quote);
}

bool ForceQuoted(const CopyOptions& opts, const std::string& name) {
  return opts.force_quote_all || std::find(opts.force_quote.begin(), opts.force_quote.end(),
                                           name) != opts.force_quote.end();
}

}  // namespace

Status CheckForceQuoteColumns(const CopyOptions& opts, const std::vector<CopyColumn>& columns) {
  for (const std::string& name : opts.force_quote) {
    if (std::none_of(columns.begin(), columns.end(),
                     [&](const CopyColumn& c) { return c.name == name; })) {
      return Status::Error(sqlstate::kInvalidColumnReference,
                           "FORCE_QUOTE column \"" + name + "\" not referenced by COPY");
    }
  }
  return Status::OK();
}

void AppendCopyPrologue(const CopyOptions& opts, const std::vector<CopyColumn>& columns,
                        std::string* out) {
  if (opts.binary()) {
    out->append("PGCOPY\n\377\r\n", 10);
    out->push_back('\0');
    AppendInt32(0, out);  // flags
    AppendInt32(0, out);  // header extension length
    return;
  }
  if (opts.header == CopyHeader::kNone) return;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out->push_back(opts.delimiter[0]);
    if (opts.csv()) {
      AppendCsv(opts, columns[i].name, false, columns.size() == 1, out);
    } else {
      AppendText(opts, columns[i].name, out);
    }
  }
  out->push_back('\n');
}

namespace {

// A stored text value its column's output function prints as it is, in text and in binary
// (text, varchar, json, ...: not char(n), which is padded): no need to format it first.
bool PrintedAsStored(const CopyColumn& c, const Value& v) {
  if (v.kind != Value::Kind::kText || c.type == oid::kBpchar) return false;
  const TypeInfo* t = LookupType(c.type);
  return t != nullptr &&
         (t->category == TypeCategory::kString || t->category == TypeCategory::kJson);
}

}  // namespace

Status AppendCopyRow(const CopyOptions& opts, const std::vector<CopyColumn>& columns,
                     std::span<const Value> values, std::string* out) {
  std::string cell;
  if (opts.binary()) AppendInt16(static_cast<int16_t>(values.size()), out);
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    const bool as_stored = PrintedAsStored(columns[i], v);
    if (opts.binary()) {
      if (v.is_null()) {
        AppendInt32(-1, out);
        continue;
      }
      std::string_view bytes = v.s;
      if (!as_stored) {
        cell.clear();
        PGW_RETURN_IF_ERROR(
            EncodeValue(columns[i].type, columns[i].typmod, v, WireFormat::kBinary, &cell));
        bytes = cell;
      }
      AppendInt32(static_cast<int32_t>(bytes.size()), out);
      out->append(bytes);
      continue;
    }
    if (i > 0) out->push_back(opts.delimiter[0]);
    if (v.is_null()) {
      out->append(opts.null_string);
      continue;
    }
    std::string_view text = v.s;
    if (!as_stored) {
      cell.clear();
      PGW_RETURN_IF_ERROR(
          EncodeValue(columns[i].type, columns[i].typmod, v, WireFormat::kText, &cell));
      text = cell;
    }
    if (opts.csv()) {
      AppendCsv(opts, text, ForceQuoted(opts, columns[i].name), values.size() == 1, out);
    } else {
      AppendText(opts, text, out);
    }
  }
  if (!opts.binary()) out->push_back('\n');
  return Status::OK();
}

void AppendCopyEpilogue(const CopyOptions& opts, std::string* out) {
  if (opts.binary()) AppendInt16(-1, out);
}

}  // namespace pgw
