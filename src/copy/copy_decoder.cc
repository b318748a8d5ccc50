// CopyDecoder::Create: picks the format's decoder and resolves FORCE_(NOT_)NULL columns.
#include "copy/copy_decoder.h"

#include "common/sqlstate.h"
#include "copy/binary_decoder.h"
#include "copy/line_decoder.h"

namespace pgw {
namespace {

Result<std::vector<bool>> ColumnFlags(const std::vector<std::string>& names,
                                      const std::vector<CopyColumn>& columns,
                                      std::string_view option) {
  std::vector<bool> flags(columns.size(), false);
  for (const std::string& name : names) {
    size_t i = 0;
    while (i < columns.size() && columns[i].name != name) ++i;
    if (i == columns.size()) {
      return Status::Error(sqlstate::kInvalidColumnReference,
                           std::string(option) + " column \"" + name + "\" not referenced by COPY");
    }
    flags[i] = true;
  }
  return flags;
}

}  // namespace

Result<std::unique_ptr<CopyDecoder>> CopyDecoder::Create(const CopyOptions& opts,
                                                         std::vector<CopyColumn> columns) {
  if (opts.binary()) return std::unique_ptr<CopyDecoder>(new BinaryDecoder(std::move(columns)));
  PGW_TRY(std::vector<bool> fnn, ColumnFlags(opts.force_not_null, columns, "FORCE_NOT_NULL"));
  PGW_TRY(std::vector<bool> fn, ColumnFlags(opts.force_null, columns, "FORCE_NULL"));
  return std::unique_ptr<CopyDecoder>(
      new LineDecoder(opts, std::move(columns), std::move(fnn), std::move(fn)));
}

}  // namespace pgw
