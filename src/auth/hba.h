// Access rules in the spirit of PostgreSQL's pg_hba.conf: an ordered list of rules, each on
// connection type (local / host / hostssl / hostnossl), database, user and client address,
// naming the authentication method of the first rule that matches. Pure: parsing takes the file
// text (and a reader for @file includes), matching takes the facts of one connection; nothing
// here touches a socket. HbaRules is an immutable value, safe to share between threads;
// HbaStore holds the rules in force and swaps them atomically on reload.
//
// File format (one rule per line, '#' starts a comment, fields separated by blanks, lists by
// commas, "double quotes" make a keyword a plain name):
//   local      DATABASE USER                 METHOD
//   host       DATABASE USER ADDRESS [MASK]  METHOD
//   hostssl    DATABASE USER ADDRESS [MASK]  METHOD
//   hostnossl  DATABASE USER ADDRESS [MASK]  METHOD
// DATABASE: all, sameuser, replication (never matches: no replication connections), a name, or
// @file. USER: all, a name, or @file (+group is refused: the gateway has no roles). ADDRESS:
// all, an IPv4 or IPv6 address with /prefix (or a separate MASK field). METHOD: trust, reject,
// scram-sha-256 (md5 is accepted as its alias, as PostgreSQL uses SCRAM for SCRAM-stored
// passwords), password (clear text: allowed on hostssl rules only).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pgw {

// Named limit: nesting depth of @file includes.
inline constexpr int kMaxHbaIncludeDepth = 10;
// Named limit: a rules file (or included file) larger than this is refused.
inline constexpr size_t kMaxHbaFileBytes = 1 << 20;

enum class HbaConnectionType : uint8_t {
  kLocal,         // Unix-domain socket
  kHost,          // TCP, with or without TLS
  kHostSsl,       // TCP with TLS
  kHostNoSsl,     // TCP without TLS
  kHostGssEnc,    // TCP with GSS encryption: never matches (not offered)
  kHostNoGssEnc,  // TCP without GSS encryption: same as host
};

enum class AuthMethod : uint8_t { kTrust, kReject, kScramSha256, kPassword };

std::string_view AuthMethodName(AuthMethod m);

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are taken as IPv4.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4

  [[nodiscard]] static std::optional<IpAddress> Parse(std::string_view text);
  size_t size() const { return v6 ? 16 : 4; }
};

// What a rule is matched against.
struct HbaClient {
  bool local = false;  // Unix-domain socket (then `address` is unused)
  bool tls = false;
  std::optional<IpAddress> address;  // TCP peer; nullopt = unknown (matches only "all")
  std::string_view user;
  std::string_view database;
};

struct HbaRule {
  struct Name {
    std::string text;
    bool keyword = false;  // unquoted all / sameuser / replication
  };
  HbaConnectionType type = HbaConnectionType::kHost;
  std::vector<Name> databases;
  std::vector<Name> users;
  bool any_address = false;
  IpAddress address;  // with `prefix` bits significant, when !any_address
  int prefix = 0;
  AuthMethod method = AuthMethod::kReject;
  std::string source;  // file name (or "--auth MODE") and line, for messages
  int line = 0;

  bool Matches(const HbaClient& client) const;
};

class HbaRules {
 public:
  // Reads an included file (@name), already resolved to a path. Errors are reported as is.
  using IncludeReader = std::function<Result<std::string>(const std::string& path)>;

  HbaRules() = default;

  // Parses rules text. `source` names it in errors ("FILE:LINE: ..."); @file names are resolved
  // against `include_dir`. Errors: F0000.
  [[nodiscard]] static Result<HbaRules> Parse(std::string_view text, const std::string& source,
                                              const std::string& include_dir,
                                              const IncludeReader& read_include);
  // Reads and parses a rules file. Errors: F0000 (syntax, with file:line), 58P01 missing file.
  [[nodiscard]] static Result<HbaRules> LoadFile(const std::string& path);
  // The rule set `--auth MODE` stands for (auto | trust | scram-sha-256); see AuthModeRulesText.
  [[nodiscard]] static Result<HbaRules> ForAuthMode(std::string_view mode);
  // The rules text of `--auth MODE`, or "" for an unknown mode.
  static std::string AuthModeRulesText(std::string_view mode);

  // The first matching rule, or null when none matches (the caller refuses the connection).
  const HbaRule* Match(const HbaClient& client) const;
  const std::vector<HbaRule>& rules() const { return rules_; }

 private:
  std::vector<HbaRule> rules_;
};

// The rules in force. Thread-safe: sessions take a snapshot; Replace swaps it, so a reload never
// disturbs a login in progress or an established session.
class HbaStore {
 public:
  explicit HbaStore(HbaRules rules) : rules_(std::make_shared<const HbaRules>(std::move(rules))) {}

  std::shared_ptr<const HbaRules> Snapshot() const {
    std::shared_lock lock(mu_);
    return rules_;
  }
  void Replace(HbaRules rules) {
    auto next = std::make_shared<const HbaRules>(std::move(rules));
    std::unique_lock lock(mu_);
    rules_.swap(next);
  }

 private:
  mutable std::shared_mutex mu_;
  std::shared_ptr<const HbaRules> rules_;
};

}  // namespace pgw
