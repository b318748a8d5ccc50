// CredentialStore: users and their SCRAM verifiers, loaded from a users file that never holds a
// password. File format (PgBouncer's userlist.txt shape), one user per line, '#' comments:
//   "alice" "SCRAM-SHA-256$4096:c2FsdA==$StoredKey:ServerKey"
// Thread-safe: lookups take a shared lock; Reload swaps the map atomically.
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "auth/scram.h"
#include "common/status.h"

namespace pgw {

class CredentialStore {
 public:
  CredentialStore() = default;

  // Loads (or reloads) `path`. A missing file is an empty store. Errors: F0000 with the line
  // number for a malformed line.
  [[nodiscard]] Status Load(const std::string& path);
  std::optional<ScramVerifier> Lookup(std::string_view user) const;
  bool empty() const;

  // Adds or replaces `user` in the file at `path` with a fresh verifier for `password`,
  // writing a temporary file and renaming it over the old one (mode 0600).
  [[nodiscard]] static Status SetPassword(const std::string& path, std::string_view user,
                                          std::string_view password);

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, ScramVerifier, std::less<>> users_;
};

}  // namespace pgw
