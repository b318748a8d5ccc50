// The text and CSV COPY FROM decoder: splits the stream into lines as PostgreSQL's
// CopyReadLineText does (end-of-line style fixed by the first line, "\." end marker, quoted CSV
// newlines) and each line into fields as CopyReadAttributesText / CopyReadAttributesCSV do.
#include "copy/line_decoder.h"

#include <string>

#include "common/sqlstate.h"
#include "copy/utf8_check.h"

namespace pgw {
namespace {

Status BadFormat(std::string msg) {
  return Status::Error(sqlstate::kBadCopyFileFormat, std::move(msg));
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

LineDecoder::LineDecoder(const CopyOptions& opts, std::vector<CopyColumn> columns,
                         std::vector<bool> force_not_null, std::vector<bool> force_null)
    : opts_(opts),
      columns_(std::move(columns)),
      force_not_null_(std::move(force_not_null)),
      force_null_(std::move(force_null)),
      header_pending_(opts.header != CopyHeader::kNone) {}

void LineDecoder::Feed(std::string_view bytes) {
  if (!done_) buf_.append(bytes);
}

void LineDecoder::Finish() { finished_ = true; }

Status LineDecoder::CrError() const {
  Status s = BadFormat(opts_.csv() ? "unquoted carriage return found in data"
                                   : "literal carriage return found in data");
  return std::move(s).WithHint(opts_.csv() ? "Use quoted CSV field to represent carriage return."
                                           : "Use \"\\r\" to represent carriage return.");
}

Status LineDecoder::NlError() const {
  Status s =
      BadFormat(opts_.csv() ? "unquoted newline found in data" : "literal newline found in data");
  return std::move(s).WithHint(opts_.csv() ? "Use quoted CSV field to represent newline."
                                           : "Use \"\\n\" to represent newline.");
}

// Extends the validated prefix of buf_. PostgreSQL validates the raw input ahead of the parser
// and raises the error when the parser reaches the bad bytes; ScanLine does the same.
void LineDecoder::ValidateAhead() {
  if (bad_at_ != std::string::npos) return;
  bool truncated = false;
  checked_ += ValidUtf8Prefix(std::string_view(buf_).substr(checked_), &truncated);
  if (checked_ < buf_.size() && (!truncated || finished_)) bad_at_ = checked_;
}

// One pass of CopyReadLineText over buf_ from pos_. Commits state only on a complete line.
Result<LineDecoder::Scan> LineDecoder::ScanLine(std::string_view* line, bool* end_marker) {
  const bool csv = opts_.csv();
  const char quotec = csv ? opts_.quote[0] : '\0';
  // As in PostgreSQL, an escape equal to the quote needs no special handling while splitting.
  const char escapec = csv && opts_.escape[0] != quotec ? opts_.escape[0] : '\0';
  const size_t n = buf_.size();
  // Resume where the last kNeedMore stopped, so a long line fed in many chunks is scanned once.
  const ScanState start = resume_ ? *resume_ : ScanState{pos_, eol_, 0, false, false, true};
  resume_.reset();
  Eol eol = start.eol;
  int64_t extra_lines = start.extra_lines;
  bool in_quote = start.in_quote, last_was_esc = start.last_was_esc, first_char = start.first_char;
  size_t p = start.p;
  size_t line_end = 0;  // exclusive end of the line's data
  *end_marker = false;
  auto fail = [&](Status s) -> Result<Scan> {
    lineno_ += 1 + extra_lines;
    return s;
  };
  ValidateAhead();
  auto bad_bytes = [&] { return InvalidUtf8Error(std::string_view(buf_).substr(bad_at_)); };
  for (;;) {
    const ScanState top{p, eol, extra_lines, in_quote, last_was_esc, first_char};
    auto need_more = [&] {
      resume_ = top;
      return Scan::kNeedMore;
    };
    if (p >= n) {
      if (!finished_) return need_more();
      if (p == pos_) {
        ++lineno_;  // PostgreSQL counts the attempt to read one more line
        return Scan::kEof;
      }
      line_end = p;
      *end_marker = true;  // data ended without a newline: last line
      break;
    }
    if (p - pos_ >= kMaxCopyLineBytes) {
      return fail(Status::Error(sqlstate::kProgramLimitExceeded, "out of memory")
                      .WithDetail("Cannot enlarge string buffer containing " +
                                  std::to_string(p - pos_) + " bytes by 1 more bytes."));
    }
    if (p >= bad_at_) return fail(bad_bytes());
    const size_t prev = p;
    const char c = buf_[p++];
    if (csv) {
      if (in_quote && c == escapec) last_was_esc = !last_was_esc;
      if (c == quotec && !last_was_esc) in_quote = !in_quote;
      if (c != escapec) last_was_esc = false;
      if (in_quote && c == (eol == Eol::kNl ? '\n' : '\r')) ++extra_lines;
    }
    if (c == '\r' && (!csv || !in_quote)) {
      if (eol == Eol::kUnknown || eol == Eol::kCrNl) {
        if (p >= n && !finished_) return need_more();
        if (p < n && buf_[p] == '\n') {
          ++p;
          eol = Eol::kCrNl;
        } else {
          if (eol == Eol::kCrNl) return fail(CrError());
          eol = Eol::kCr;
        }
      } else if (eol == Eol::kNl) {
        return fail(CrError());
      }
      line_end = prev;
      break;
    }
    if (c == '\n' && (!csv || !in_quote)) {
      if (eol == Eol::kCr || eol == Eol::kCrNl) return fail(NlError());
      eol = Eol::kNl;
      line_end = prev;
      break;
    }
    if (c == '\\' && (!csv || first_char)) {
      if (p >= n) {
        if (!finished_) return need_more();
        line_end = p;
        *end_marker = true;
        break;
      }
      if (buf_[p] == '.') {
        size_t q = p + 1;
        bool not_marker = false;
        // Returns the next char, '\0' at the end of data, or nullopt when more is needed.
        auto next = [&]() -> std::optional<char> {
          if (q >= n) {
            if (!finished_) return std::nullopt;
            return '\0';
          }
          return buf_[q++];
        };
        if (eol == Eol::kCrNl) {
          std::optional<char> c2 = next();
          if (!c2) return need_more();
          if (*c2 == '\n') {
            if (!csv) {
              return fail(BadFormat("end-of-copy marker does not match previous newline style"));
            }
            not_marker = true;
          } else if (*c2 != '\r') {
            if (!csv) return fail(BadFormat("end-of-copy marker corrupt"));
            not_marker = true;
          }
        }
        if (!not_marker) {
          std::optional<char> c2 = next();
          if (!c2) return need_more();
          if (*c2 != '\r' && *c2 != '\n') {
            if (!csv) return fail(BadFormat("end-of-copy marker corrupt"));
            not_marker = true;
          } else if ((eol == Eol::kNl && *c2 != '\n') || (eol == Eol::kCrNl && *c2 != '\n') ||
                     (eol == Eol::kCr && *c2 != '\r')) {
            return fail(BadFormat("end-of-copy marker does not match previous newline style"));
          }
        }
        if (!not_marker) {
          line_end = prev;
          p = q;
          *end_marker = true;
          break;
        }
      } else if (!csv) {
        ++p;  // the escaped character is never a line end or marker
      }
    }
    first_char = false;
  }
  if (bad_at_ < p) return fail(bad_bytes());
  eol_ = eol;
  lineno_ += 1 + extra_lines;
  *line = std::string_view(buf_).substr(pos_, line_end - pos_);
  pos_ = p;
  if (*end_marker && line->empty()) return Scan::kEof;
  return Scan::kLine;
}

// Records field nfields_: a view of the line (`in_buf` false) or of field_bufs_[nfields_].
void LineDecoder::AddField(std::string_view view, bool in_buf, bool is_null) {
  if (nfields_ == views_.size()) {
    views_.emplace_back();
    in_buf_.push_back(false);
    nulls_.push_back(false);
  }
  views_[nfields_] = view;
  in_buf_[nfields_] = in_buf;
  nulls_[nfields_++] = is_null;
}

// The field at *p when it holds no `special` byte: added as a view of the line, *p moved past
// its delimiter (kMore) or to the end (kLast). kSlow when it needs unescaping: then
// field_bufs_[nfields_] is ready for it and *p is unchanged.
LineDecoder::FastField LineDecoder::PlainField(std::string_view line, size_t* p, char delim,
                                               char special) {
  size_t q = *p;
  while (q < line.size() && line[q] != delim && line[q] != special) ++q;
  if (q < line.size() && line[q] != delim) {
    if (field_bufs_.size() <= nfields_) field_bufs_.resize(nfields_ + 1);
    return FastField::kSlow;
  }
  std::string_view view = line.substr(*p, q - *p);
  AddField(view, false, view == opts_.null_string);
  *p = q + 1;
  return q == line.size() ? FastField::kLast : FastField::kMore;
}

// Points the fields that were unescaped into field_bufs_ at their buffers (once all exist: the
// vector of buffers may grow while a line is split).
void LineDecoder::FinishFields() {
  for (size_t i = 0; i < nfields_; ++i) {
    if (in_buf_[i]) views_[i] = field_bufs_[i];
  }
}

Status LineDecoder::SplitText(std::string_view line) {
  const char delim = opts_.delimiter[0];
  nfields_ = 0;
  size_t p = 0;
  for (;;) {
    // Most fields have no escapes: they are views of the line, copied nowhere.
    FastField fast = PlainField(line, &p, delim, '\\');
    if (fast == FastField::kLast) break;
    if (fast == FastField::kMore) continue;
    std::string& out = field_bufs_[nfields_];
    out.clear();
    const size_t start = p;
    size_t end = p;
    bool found_delim = false, saw_non_ascii = false;
    for (;;) {
      end = p;
      if (p >= line.size()) break;
      char c = line[p++];
      if (c == delim) {
        found_delim = true;
        break;
      }
      if (c == '\\') {
        if (p >= line.size()) break;
        c = line[p++];
        switch (c) {
          case '0':
          case '1':
          case '2':
          case '3':
          case '4':
          case '5':
          case '6':
          case '7': {
            int val = c - '0';
            for (int k = 0; k < 2 && p < line.size() && IsOctal(line[p]); ++k) {
              val = val * 8 + (line[p++] - '0');
            }
            c = static_cast<char>(val & 0377);
            if (c == '\0' || (c & 0x80)) saw_non_ascii = true;
            break;
          }
          case 'x':
            if (p < line.size() && HexValue(line[p]) >= 0) {
              int val = HexValue(line[p++]);
              if (p < line.size() && HexValue(line[p]) >= 0) val = (val << 4) + HexValue(line[p++]);
              c = static_cast<char>(val & 0xff);
              if (c == '\0' || (c & 0x80)) saw_non_ascii = true;
            }
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'v':
            c = '\v';
            break;
          default:
            break;  // any other character stands for itself
        }
      }
      out += c;
    }
    const bool is_null = line.substr(start, end - start) == opts_.null_string;
    if (!is_null && saw_non_ascii) PGW_RETURN_IF_ERROR(CheckUtf8(out));
    AddField({}, true, is_null);
    if (!found_delim) break;
  }
  FinishFields();
  return Status::OK();
}

Status LineDecoder::SplitCsv(std::string_view line) {
  const char delim = opts_.delimiter[0];
  const char quotec = opts_.quote[0];
  const char escapec = opts_.escape[0];
  nfields_ = 0;
  size_t p = 0;
  for (;;) {
    // An unquoted field is a view of the line.
    FastField fast = PlainField(line, &p, delim, quotec);
    if (fast == FastField::kLast) break;
    if (fast == FastField::kMore) continue;
    std::string& out = field_bufs_[nfields_];
    out.clear();
    const size_t start = p;
    size_t end = p;
    bool found_delim = false, saw_quote = false;
    for (;;) {
      bool in_quoted_part = false;
      for (;;) {  // outside quotes
        end = p;
        if (p >= line.size()) break;
        const char c = line[p++];
        if (c == delim) {
          found_delim = true;
          break;
        }
        if (c == quotec) {
          saw_quote = true;
          in_quoted_part = true;
          break;
        }
        out += c;
      }
      if (!in_quoted_part) break;
      for (;;) {  // inside quotes
        end = p;
        if (p >= line.size()) return BadFormat("unterminated CSV quoted field");
        const char c = line[p++];
        if (c == escapec && p < line.size() && (line[p] == escapec || line[p] == quotec)) {
          out += line[p++];
          continue;
        }
        if (c == quotec) break;
        out += c;
      }
    }
    const bool is_null = !saw_quote && line.substr(start, end - start) == opts_.null_string;
    AddField({}, true, is_null);
    if (!found_delim) break;
  }
  FinishFields();
  return Status::OK();
}

Status LineDecoder::CheckHeader() {
  if (nfields_ != columns_.size()) {
    return BadFormat("wrong number of fields in header line: got " + std::to_string(nfields_) +
                     ", expected " + std::to_string(columns_.size()));
  }
  for (size_t i = 0; i < nfields_; ++i) {
    const std::string fieldno = std::to_string(i + 1);
    if (nulls_[i]) {
      return BadFormat("column name mismatch in header line field " + fieldno +
                       ": got null value (\"" + opts_.null_string + "\"), expected \"" +
                       columns_[i].name + "\"");
    }
    if (views_[i] != columns_[i].name) {
      return BadFormat("column name mismatch in header line field " + fieldno + ": got \"" +
                       std::string(views_[i]) + "\", expected \"" + columns_[i].name + "\"");
    }
  }
  return Status::OK();
}

// Turns one complete line into a row; a header line gives kNeedMore (no row to return).
Result<CopyDecoder::Step> LineDecoder::RowFromLine(std::string_view line, CopyRow* row) {
  Status split = opts_.csv() ? SplitCsv(line) : SplitText(line);
  auto fail = [&](Status s) -> Result<Step> {
    error_line_.assign(line);
    has_error_line_ = true;
    return s;
  };
  if (!split.ok()) return fail(std::move(split));
  if (header_pending_) {
    header_pending_ = false;
    if (opts_.header == CopyHeader::kMatch) {
      Status s = CheckHeader();
      if (!s.ok()) return fail(std::move(s));
    }
    return Step::kNeedMore;
  }
  if (!columns_.empty() && nfields_ > columns_.size()) {
    return fail(BadFormat("extra data after last expected column"));
  }
  row->line = lineno_;
  row->text = line;
  row->fields.clear();
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i >= nfields_) {
      return fail(BadFormat("missing data for column \"" + columns_[i].name + "\""));
    }
    std::optional<std::string_view> f;
    if (!nulls_[i]) f = views_[i];
    if (opts_.csv()) {
      if (!f && force_not_null_[i]) {
        f = opts_.null_string;
      } else if (f && force_null_[i] && *f == opts_.null_string) {
        f.reset();
      }
    }
    row->fields.push_back(f);
  }
  return Step::kRow;
}

Result<CopyDecoder::Step> LineDecoder::Next(CopyRow* row) {
  if (done_after_row_) {
    done_after_row_ = false;
    MarkDone();
  }
  for (;;) {
    if (done_) return Step::kDone;
    if (pos_ > 0 && pos_ * 2 > buf_.size()) {  // drop consumed bytes now and then
      buf_.erase(0, pos_);
      checked_ -= pos_;
      if (resume_) resume_->p -= pos_;
      if (bad_at_ != std::string::npos) bad_at_ -= pos_;
      pos_ = 0;
    }
    std::string_view line;
    bool end_marker = false;
    PGW_TRY(Scan scan, ScanLine(&line, &end_marker));
    if (scan == Scan::kNeedMore) return Step::kNeedMore;
    if (scan == Scan::kEof) {
      MarkDone();
      // PostgreSQL checks HEADER MATCH even against the empty line it got at end of data.
      if (header_pending_ && opts_.header == CopyHeader::kMatch) {
        PGW_TRY(Step ignored, RowFromLine("", row));
        (void)ignored;
      }
      return Step::kDone;
    }
    PGW_TRY(Step step, RowFromLine(line, row));
    if (end_marker) {
      // The row views buf_, which MarkDone() clears: done once the caller is through with it.
      if (step == Step::kRow) {
        done_after_row_ = true;
        return step;
      }
      MarkDone();
    }
    if (step == Step::kRow) return step;
  }
}

}  // namespace pgw
