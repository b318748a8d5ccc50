// CancelRegistry: maps the (pid, secret key) pairs handed out in BackendKeyData to the sessions
// that may be cancelled. A CancelRequest arrives on a different connection and thread; Cancel()
// compares the secret in constant time and asks that session to interrupt its running
// statement, and nothing else. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace pgw {

class CancelRegistry {
 public:
  struct Key {
    int32_t pid;
    int32_t secret;
  };

  // Allocates a fresh key and registers `cancel` under it. `cancel` must be thread-safe and
  // stay valid until Unregister(pid).
  Key Register(std::function<void()> cancel);
  void Unregister(int32_t pid);
  // Returns true when a session matched (the caller learns nothing else; PostgreSQL answers a
  // cancel request with silence either way).
  bool Cancel(int32_t pid, int32_t secret);
  size_t size() const;

 private:
  struct Entry {
    int32_t secret;
    std::function<void()> cancel;
  };
  mutable std::mutex mu_;
  std::unordered_map<int32_t, Entry> entries_;
  int32_t next_pid_ = 0;
};

}  // namespace pgw
