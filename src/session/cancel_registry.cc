#include "session/cancel_registry.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <random>

namespace pgw {

CancelRegistry::Key CancelRegistry::Register(std::function<void()> cancel) {
  int32_t secret = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&secret), sizeof(secret)) != 1) {
    std::random_device rd;
    secret = static_cast<int32_t>(rd());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (next_pid_ == 0) {
    std::random_device rd;
    next_pid_ = 1000 + static_cast<int32_t>(rd() % 100000);
  }
  int32_t pid;
  do {
    pid = next_pid_++;
    if (next_pid_ >= (1 << 30)) next_pid_ = 1000;
  } while (entries_.count(pid) != 0);
  entries_[pid] = Entry{secret, std::move(cancel)};
  return Key{pid, secret};
}

void CancelRegistry::Unregister(int32_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(pid);
}

bool CancelRegistry::Cancel(int32_t pid, int32_t secret) {
  std::function<void()> fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(pid);
    if (it == entries_.end()) return false;
    // Constant-time comparison: the secret is the only thing protecting other sessions.
    if (CRYPTO_memcmp(&it->second.secret, &secret, sizeof(secret)) != 0) return false;
    fn = it->second.cancel;
  }
  fn();
  return true;
}

size_t CancelRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace pgw
