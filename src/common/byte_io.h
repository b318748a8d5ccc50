// ByteReader: a bounds-checked cursor over a borrowed byte range, network (big-endian) order.
// Every read checks the remaining length and reports failure instead of reading past the end;
// callers turn a failed read into 08P01. ByteWriter appends big-endian integers to a
// std::string the caller owns. Neither is thread-safe; both are cheap to copy.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace pgw {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  bool ReadByte(uint8_t* out) {
    if (remaining() < 1) return false;
    *out = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool ReadInt16(int16_t* out) {
    uint16_t v;
    if (!ReadBE(&v)) return false;
    *out = static_cast<int16_t>(v);
    return true;
  }
  bool ReadInt32(int32_t* out) {
    uint32_t v;
    if (!ReadBE(&v)) return false;
    *out = static_cast<int32_t>(v);
    return true;
  }
  bool ReadUInt32(uint32_t* out) { return ReadBE(out); }
  bool ReadInt64(int64_t* out) {
    uint64_t v;
    if (!ReadBE(&v)) return false;
    *out = static_cast<int64_t>(v);
    return true;
  }
  // A NUL-terminated string; the view excludes the terminator.
  bool ReadCString(std::string_view* out) {
    const void* nul = std::memchr(data_.data() + pos_, 0, remaining());
    if (nul == nullptr) return false;
    size_t len = static_cast<const char*>(nul) - (data_.data() + pos_);
    *out = data_.substr(pos_, len);
    pos_ += len + 1;
    return true;
  }
  bool ReadBytes(size_t n, std::string_view* out) {
    if (remaining() < n) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view Rest() {
    std::string_view r = data_.substr(pos_);
    pos_ = data_.size();
    return r;
  }

 private:
  template <typename U>
  bool ReadBE(U* out) {
    if (remaining() < sizeof(U)) return false;
    U v = 0;
    for (size_t i = 0; i < sizeof(U); ++i) {
      v = static_cast<U>((v << 8) | static_cast<uint8_t>(data_[pos_ + i]));
    }
    pos_ += sizeof(U);
    *out = v;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void PutByte(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void PutInt16(int16_t v) { PutBE(static_cast<uint16_t>(v)); }
  void PutInt32(int32_t v) { PutBE(static_cast<uint32_t>(v)); }
  void PutUInt32(uint32_t v) { PutBE(v); }
  void PutInt64(int64_t v) { PutBE(static_cast<uint64_t>(v)); }
  void PutBytes(std::string_view b) { out_->append(b); }
  void PutCString(std::string_view s) {
    out_->append(s);
    out_->push_back('\0');
  }
  size_t size() const { return out_->size(); }
  // Overwrites 4 bytes at `offset` with `v` (used to back-patch message lengths).
  void PatchInt32(size_t offset, int32_t v) {
    auto u = static_cast<uint32_t>(v);
    for (int i = 3; i >= 0; --i) {
      (*out_)[offset + i] = static_cast<char>(u & 0xff);
      u >>= 8;
    }
  }
  std::string* buffer() { return out_; }

 private:
  template <typename U>
  void PutBE(U v) {
    char buf[sizeof(U)];
    for (int i = sizeof(U) - 1; i >= 0; --i) {
      buf[i] = static_cast<char>(v & 0xff);
      v = static_cast<U>(v >> 8);
    }
    out_->append(buf, sizeof(U));
  }

  std::string* out_;
};

}  // namespace pgw
