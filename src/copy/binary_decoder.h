// BinaryDecoder: the CopyDecoder for COPY's binary format (signature, flags, header extension,
// rows of int16 field count and int32-length fields, int16 -1 trailer); see copy_decoder.h.
#pragma once

#include <string>
#include <vector>

#include "copy/copy_decoder.h"

namespace pgw {

class BinaryDecoder final : public CopyDecoder {
 public:
  explicit BinaryDecoder(std::vector<CopyColumn> columns) : columns_(std::move(columns)) {}

  void Feed(std::string_view bytes) override;
  void Finish() override { finished_ = true; }
  [[nodiscard]] Result<Step> Next(CopyRow* row) override;
  int64_t line() const override { return lineno_; }
  std::string_view error_column() const override { return error_column_; }

 private:
  Result<Step> ReadHeader();

  std::vector<CopyColumn> columns_;
  std::string buf_;
  size_t pos_ = 0;
  bool finished_ = false;
  bool header_done_ = false;
  bool done_ = false;
  bool trailer_seen_ = false;
  int64_t lineno_ = 0;
  std::string error_column_;
};

}  // namespace pgw
