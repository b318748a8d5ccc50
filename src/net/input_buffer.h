// InputBuffer: bytes read from a socket that the protocol has not consumed yet. Reads go
// straight into its free tail (no intermediate copy). It starts small, doubles when a read
// fills it or a message needs more room, and gives the memory back once drained, so an idle
// connection holds only kInitialCapacity bytes. Not thread-safe: one connection's coroutine.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

namespace pgw {

class InputBuffer {
 public:
  static constexpr size_t kInitialCapacity = 4096;
  // Reads never ask for more than this at once (a frame larger than this is read in pieces).
  static constexpr size_t kMaxReadChunk = 256 * 1024;

  // Unconsumed bytes.
  std::string_view data() const { return {buf_.get() + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }
  size_t capacity() const { return cap_; }

  // Room for the next read: the whole free tail, made at least `want` bytes (and not less than
  // the capacity the last full read asked for).
  std::span<char> PrepareRead() {
    if (begin_ == end_) begin_ = end_ = 0;
    size_t want = std::min(next_read_, kMaxReadChunk);
    if (cap_ - end_ < want) Reserve(want);
    return {buf_.get() + end_, cap_ - end_};
  }
  // `n` bytes were read into the span PrepareRead returned.
  void CommitRead(size_t n, size_t offered) {
    end_ += n;
    // A read that filled the space offered suggests more is coming: offer twice as much.
    next_read_ = n == offered ? std::min(offered * 2, kMaxReadChunk) : kInitialCapacity;
  }
  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      if (cap_ > kInitialCapacity * 16) Release();
    }
  }

 private:
  // Makes room for `extra` bytes after the data: moves the data to the front, grows if needed.
  void Reserve(size_t extra) {
    size_t n = size();
    size_t need = n + extra;
    if (need <= cap_) {
      std::memmove(buf_.get(), buf_.get() + begin_, n);
    } else {
      size_t cap = std::max(cap_ * 2, kInitialCapacity);
      while (cap < need) cap *= 2;
      auto fresh = std::make_unique_for_overwrite<char[]>(cap);
      if (n != 0) std::memcpy(fresh.get(), buf_.get() + begin_, n);
      buf_ = std::move(fresh);
      cap_ = cap;
    }
    begin_ = 0;
    end_ = n;
  }
  void Release() {
    buf_.reset();
    cap_ = 0;
    next_read_ = kInitialCapacity;
  }

  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t next_read_ = kInitialCapacity;
};

}  // namespace pgw
