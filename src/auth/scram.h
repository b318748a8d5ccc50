// SCRAM-SHA-256 (RFC 5802 / RFC 7677) as an I/O-free server state object, plus verifier
// creation and parsing in PostgreSQL's format:
//   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
// The session feeds client messages in and sends what comes out; this object never touches a
// socket. Not thread-safe; one per authentication exchange.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pgw {

inline constexpr int kDefaultScramIterations = 4096;
inline constexpr char kScramSha256[] = "SCRAM-SHA-256";
inline constexpr char kScramSha256Plus[] = "SCRAM-SHA-256-PLUS";

struct ScramVerifier {
  int iterations = kDefaultScramIterations;
  std::string salt;        // raw bytes
  std::string stored_key;  // raw 32 bytes
  std::string server_key;  // raw 32 bytes

  [[nodiscard]] static Result<ScramVerifier> Parse(std::string_view text);
  std::string ToString() const;
};

// Builds a verifier from a password (SASLprep'd first, as PostgreSQL does; a password that is
// not valid UTF-8 or fails SASLprep is used as raw bytes). `salt` empty = 16 random bytes.
ScramVerifier MakeScramVerifier(std::string_view password, int iterations = kDefaultScramIterations,
                                std::string_view salt = {});

// The verifier an unknown user gets: deterministic per name for this process (same salt every
// time, so a prober learns nothing by repeating), default iterations, keys nobody can match.
ScramVerifier MockScramVerifier(std::string_view user);

// Checks a clear-text password (the `password` method) against a verifier: SASLprep, PBKDF2 with
// the verifier's salt and iterations, constant-time comparison of the StoredKey. A mock verifier
// costs the same work and never matches.
bool ScramPasswordMatches(const ScramVerifier& verifier, std::string_view password);

// SASLprep (RFC 4013) as PostgreSQL applies it: returns nullopt when the input is not valid
// UTF-8 or contains prohibited characters (the caller then uses the raw bytes).
std::optional<std::string> SaslPrep(std::string_view input);

class ScramServer {
 public:
  // `verifier` null means the user does not exist: the exchange runs to the end against a
  // deterministic fake verifier and fails at the proof, so an unknown user and a wrong password
  // are indistinguishable. `tls_server_end_point` is the channel-binding data (hash of the
  // server certificate) when TLS is on, empty otherwise.
  ScramServer(std::optional<ScramVerifier> verifier, std::string_view user,
              std::string tls_server_end_point = {});

  // Mechanisms to offer in AuthenticationSASL: SCRAM-SHA-256-PLUS first when TLS is on.
  std::vector<std::string_view> Mechanisms() const;

  // Step 1: SASLInitialResponse. Returns the server-first-message. Errors: 08P01 malformed,
  // 28000 channel binding mismatch / unsupported mechanism.
  [[nodiscard]] Result<std::string> HandleClientFirst(std::string_view mechanism,
                                                      std::string_view client_first);
  // Step 2: SASLResponse. Returns the server-final-message ("v=..."). Errors: 28P01
  // `password authentication failed for user "..."` on a bad proof or unknown user; 08P01
  // malformed.
  [[nodiscard]] Result<std::string> HandleClientFinal(std::string_view client_final);

  // Test hook: use `server_nonce` verbatim instead of 18 random bytes in base64, so a test can
  // replay a published exchange (RFC 7677). Call before HandleClientFirst.
  void SetServerNonceForTest(std::string server_nonce) {
    test_server_nonce_ = std::move(server_nonce);
  }

 private:
  enum class State : uint8_t { kExpectClientFirst, kExpectClientFinal, kDone, kFailed };

  const ScramVerifier& ActiveVerifier() const { return verifier_ ? *verifier_ : fake_; }
  Status Fail(Status s);

  State state_ = State::kExpectClientFirst;
  char cbind_flag_ = 'n';
  std::string test_server_nonce_;
  std::optional<ScramVerifier> verifier_;
  ScramVerifier fake_;
  std::string user_;
  std::string cbind_data_;
  std::string mechanism_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
};

}  // namespace pgw
