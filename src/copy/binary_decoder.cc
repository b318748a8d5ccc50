// Binary COPY FROM, as PostgreSQL 15's ReceiveCopyBinaryHeader / CopyReadBinaryAttribute.
#include "copy/binary_decoder.h"

#include <cstring>

#include "common/sqlstate.h"

namespace pgw {
namespace {

constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // plus the terminating NUL: 11 bytes
constexpr size_t kSignatureLen = 11;

Status BadFormat(std::string msg) {
  return Status::Error(sqlstate::kBadCopyFileFormat, std::move(msg));
}

int32_t ReadInt32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(b[at + k]);
  return static_cast<int32_t>(v);
}

int16_t ReadInt16(const std::string& b, size_t at) {
  return static_cast<int16_t>((static_cast<unsigned char>(b[at]) << 8) |
                              static_cast<unsigned char>(b[at + 1]));
}

}  // namespace

void BinaryDecoder::Feed(std::string_view bytes) {
  if (!done_) buf_.append(bytes);
}

Result<CopyDecoder::Step> BinaryDecoder::ReadHeader() {
  const size_t have = buf_.size() - pos_;
  if (have < kSignatureLen) {
    if (!finished_) return Step::kNeedMore;
    return BadFormat("COPY file signature not recognized");
  }
  if (std::memcmp(buf_.data() + pos_, kSignature, kSignatureLen) != 0) {
    return BadFormat("COPY file signature not recognized");
  }
  if (have < kSignatureLen + 4) {
    if (!finished_) return Step::kNeedMore;
    return BadFormat("invalid COPY file header (missing flags)");
  }
  int32_t flags = ReadInt32(buf_, pos_ + kSignatureLen);
  if ((flags & (1 << 16)) != 0) return BadFormat("invalid COPY file header (WITH OIDS)");
  flags &= ~(1 << 16);
  if ((flags >> 16) != 0) return BadFormat("unrecognized critical flags in COPY file header");
  if (have < kSignatureLen + 8) {
    if (!finished_) return Step::kNeedMore;
    return BadFormat("invalid COPY file header (missing length)");
  }
  const int32_t ext = ReadInt32(buf_, pos_ + kSignatureLen + 4);
  if (ext < 0) return BadFormat("invalid COPY file header (missing length)");
  if (have < kSignatureLen + 8 + static_cast<size_t>(ext)) {
    if (!finished_) return Step::kNeedMore;
    return BadFormat("invalid COPY file header (wrong length)");
  }
  pos_ += kSignatureLen + 8 + static_cast<size_t>(ext);
  header_done_ = true;
  return Step::kRow;
}

Result<CopyDecoder::Step> BinaryDecoder::Next(CopyRow* row) {
  if (trailer_seen_) {
    // PostgreSQL waits for the protocol-level end after the trailer and rejects more data.
    if (pos_ < buf_.size()) return BadFormat("received copy data after EOF marker");
    if (!finished_) return Step::kNeedMore;
    done_ = true;
  }
  if (done_) return Step::kDone;
  if (!header_done_) {
    PGW_TRY(Step s, ReadHeader());
    if (s != Step::kRow) return s;
  }
  if (pos_ > 0 && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  // The whole row must be buffered before it is decoded; find its end first.
  size_t p = pos_;
  const size_t n = buf_.size();
  if (n - p < 2) {
    if (!finished_) return Step::kNeedMore;
    ++lineno_;
    done_ = true;  // a missing or truncated count is a plain end of data, as in PostgreSQL
    return Step::kDone;
  }
  const int16_t count = ReadInt16(buf_, p);
  p += 2;
  if (count == -1) {
    ++lineno_;
    pos_ = p;
    trailer_seen_ = true;
    return Next(row);
  }
  if (count != static_cast<int16_t>(columns_.size()) || count < 0) {
    ++lineno_;
    return BadFormat("row field count is " + std::to_string(count) + ", expected " +
                     std::to_string(columns_.size()));
  }
  row->fields.clear();
  for (int16_t i = 0; i < count; ++i) {
    if (n - p < 4) {
      if (!finished_) return Step::kNeedMore;
      ++lineno_;
      error_column_ = columns_[static_cast<size_t>(i)].name;
      return BadFormat("unexpected EOF in COPY data");
    }
    const int32_t size = ReadInt32(buf_, p);
    p += 4;
    if (size == -1) {
      row->fields.emplace_back(std::nullopt);
      continue;
    }
    if (size < 0) {
      ++lineno_;
      error_column_ = columns_[static_cast<size_t>(i)].name;
      return BadFormat("invalid field size");
    }
    if (static_cast<size_t>(size) >= kMaxCopyLineBytes) {
      ++lineno_;
      error_column_ = columns_[static_cast<size_t>(i)].name;
      return Status::Error(sqlstate::kProgramLimitExceeded, "out of memory")
          .WithDetail("Cannot enlarge string buffer containing 0 bytes by " + std::to_string(size) +
                      " more bytes.");
    }
    if (n - p < static_cast<size_t>(size)) {
      if (!finished_) return Step::kNeedMore;
      ++lineno_;
      error_column_ = columns_[static_cast<size_t>(i)].name;
      return BadFormat("unexpected EOF in COPY data");
    }
    row->fields.emplace_back(std::string_view(buf_).substr(p, static_cast<size_t>(size)));
    p += static_cast<size_t>(size);
  }
  ++lineno_;
  row->line = lineno_;
  pos_ = p;
  return Step::kRow;
}

}  // namespace pgw
