// LineDecoder: the CopyDecoder for the text and CSV formats (see copy_decoder.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "copy/copy_decoder.h"

namespace pgw {

class LineDecoder final : public CopyDecoder {
 public:
  // `force_not_null` / `force_null` hold one flag per column.
  LineDecoder(const CopyOptions& opts, std::vector<CopyColumn> columns,
              std::vector<bool> force_not_null, std::vector<bool> force_null);

  void Feed(std::string_view bytes) override;
  void Finish() override;
  [[nodiscard]] Result<Step> Next(CopyRow* row) override;
  int64_t line() const override { return lineno_; }
  std::string_view error_line_text() const override { return error_line_; }
  bool has_error_line() const override { return has_error_line_; }

 private:
  enum class Eol : uint8_t { kUnknown, kNl, kCr, kCrNl };
  enum class Scan : uint8_t { kLine, kNeedMore, kEof };
  // ScanLine's position and CSV/line-count state inside a line not yet complete.
  struct ScanState {
    size_t p;
    Eol eol;
    int64_t extra_lines;
    bool in_quote;
    bool last_was_esc;
    bool first_char;
  };

  Result<Scan> ScanLine(std::string_view* line, bool* end_marker);
  enum class FastField : uint8_t { kMore, kLast, kSlow };
  FastField PlainField(std::string_view line, size_t* p, char delim, char special);
  void AddField(std::string_view view, bool in_buf, bool is_null);
  void FinishFields();
  Status SplitText(std::string_view line);
  Status SplitCsv(std::string_view line);
  Status CheckHeader();
  Result<Step> RowFromLine(std::string_view line, CopyRow* row);
  Status CrError() const;
  Status NlError() const;
  void ValidateAhead();
  void MarkDone() {
    done_ = true;
    buf_.clear();  // anything after the end marker is ignored, as in protocol-mode COPY
    pos_ = 0;
    checked_ = 0;
    bad_at_ = std::string::npos;
    resume_.reset();
  }

  CopyOptions opts_;
  std::vector<CopyColumn> columns_;
  std::vector<bool> force_not_null_;
  std::vector<bool> force_null_;
  std::string buf_;
  size_t pos_ = 0;
  std::optional<ScanState> resume_;
  size_t checked_ = 0;                 // buf_[0, checked_) is valid UTF-8
  size_t bad_at_ = std::string::npos;  // offset of the first invalid sequence, if found
  bool finished_ = false;
  bool done_ = false;
  bool done_after_row_ = false;  // the end marker came with the last row returned
  bool header_pending_;
  Eol eol_ = Eol::kUnknown;
  int64_t lineno_ = 0;
  std::vector<std::string> field_bufs_;  // fields that needed unescaping
  std::vector<std::string_view> views_;  // every field: into the line or into field_bufs_
  std::vector<bool> in_buf_;
  std::vector<bool> nulls_;
  size_t nfields_ = 0;
  std::string error_line_;
  bool has_error_line_ = false;
};

}  // namespace pgw
