// SCRAM-SHA-256 server side, following PostgreSQL's src/backend/libpq/auth-scram.c: the same
// message grammar, the same checks in the same order, and the same error texts and SQLSTATEs.
#include "auth/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stringprep.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include "common/sqlstate.h"

namespace pgw {
namespace {

constexpr size_t kKeyLength = 32;           // SHA-256 digest length
constexpr size_t kSaltLength = 16;          // PostgreSQL's SCRAM_DEFAULT_SALT_LEN
constexpr size_t kRawNonceLength = 18;      // PostgreSQL's SCRAM_RAW_NONCE_LEN
constexpr size_t kMockSecretLength = 32;    // per-process key for unknown-user verifiers
constexpr size_t kMaxSanitizedLength = 30;  // as PostgreSQL's sanitize_str
constexpr char kCbindHeaderPlus[] = "p=tls-server-end-point,,";

// ---- Primitives ---------------------------------------------------------------------------------

constexpr char kB64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out += kB64Alphabet[(v >> 18) & 63];
    out += kB64Alphabet[(v >> 12) & 63];
    out += kB64Alphabet[(v >> 6) & 63];
    out += kB64Alphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kB64Alphabet[(v >> 18) & 63];
    out += kB64Alphabet[(v >> 12) & 63];
    out += rest == 2 ? kB64Alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict RFC 4648 decoding: whole 4-character groups, '=' only as trailing padding.
std::optional<std::string> Base64Decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    bool last = i + 4 == in.size();
    int pad = 0;
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = in[i + j];
      if (c == '=') {
        // Padding only in the last group, in its last one or two positions, and nothing after.
        if (!last || j < 2) return std::nullopt;
        ++pad;
        v <<= 6;
        continue;
      }
      int d = Base64Value(c);
      if (d < 0 || pad > 0) return std::nullopt;
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    out += static_cast<char>((v >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(v & 0xff);
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(data.data()), data.size(), md.data(), &len);
  return std::string(reinterpret_cast<const char *>(md.data()), len);
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
  SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), md.data());
  return std::string(reinterpret_cast<const char *>(md.data()), md.size());
}

std::optional<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), static_cast<int>(n)) != 1) {
    return std::nullopt;
  }
  return out;
}

std::string XorBytes(std::string_view a, std::string_view b) {
  std::string out(a);
  for (size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

// The secret behind unknown-user verifiers: random, chosen once per process, never revealed.
const std::string &MockSecret() {
  static const std::string secret = [] {
    std::optional<std::string> r = RandomBytes(kMockSecretLength);
    // Without randomness the fake verifier would be predictable; refuse to run instead.
    if (!r) std::abort();
    return *r;
  }();
  return secret;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<uint8_t>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// ---- Message parsing, in PostgreSQL's words -----------------------------------------------------

Status WithFatal(Status s) { return std::move(s).WithSeverity(Severity::kFatal); }

Status Malformed(std::string detail) {
  return WithFatal(Status::Error(sqlstate::kProtocolViolation, "malformed SCRAM message")
                       .WithDetail(std::move(detail)));
}

// PostgreSQL's sanitize_char: 'c' for printable ASCII, 0xNN otherwise (0x00 = end of message).
std::string SanitizeChar(char c) {
  auto u = static_cast<uint8_t>(c);
  if (u >= 0x21 && u <= 0x7E) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[u >> 4] + kHex[u & 15];
}

// PostgreSQL's sanitize_str: non-printable bytes become '?', at most 30 characters.
std::string SanitizeStr(std::string_view s) {
  std::string out(s.substr(0, kMaxSanitizedLength));
  for (char &c : out) {
    auto u = static_cast<uint8_t>(c);
    if (u < 0x21 || u > 0x7E) c = '?';
  }
  return out;
}

// printable = %x21-2B / %x2D-7E (no comma).
bool IsScramPrintable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<uint8_t>(c);
    return u >= 0x21 && u <= 0x7E && c != ',';
  });
}

// A cursor over an attribute list "a=value,b=value". Peek() is '\0' at the end; the caller has
// already rejected messages containing a NUL byte.
class AttrCursor {
 public:
  explicit AttrCursor(std::string_view s) : s_(s) {}

  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void Advance() { ++pos_; }
  size_t pos() const { return pos_; }
  std::string_view Rest() const { return s_.substr(pos_); }
  bool AtEnd() const { return pos_ >= s_.size(); }

  // read_attr_value: expects `attr=`, returns the value up to the next ',' (consumed) or end.
  Result<std::string_view> ReadAttrValue(char attr) {
    if (Peek() != attr) {
      return Malformed(std::string("Expected attribute \"") + attr + "\" but found \"" +
                       SanitizeChar(Peek()) + "\".");
    }
    Advance();
    if (Peek() != '=') {
      return Malformed(std::string("Expected character \"=\" for attribute \"") + attr + "\".");
    }
    Advance();
    return TakeValue();
  }

  // read_any_attr: any ALPHA attribute; its name goes to *attr.
  Result<std::string_view> ReadAnyAttr(char *attr) {
    char a = Peek();
    if (a == '\0') return Malformed("Attribute expected, but found end of string.");
    if (!((a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z'))) {
      return Malformed("Attribute expected, but found invalid character \"" + SanitizeChar(a) +
                       "\".");
    }
    *attr = a;
    Advance();
    if (Peek() != '=') {
      return Malformed(std::string("Expected character \"=\" for attribute \"") + a + "\".");
    }
    Advance();
    return TakeValue();
  }

 private:
  std::string_view TakeValue() {
    size_t end = s_.find(',', pos_);
    if (end == std::string_view::npos) end = s_.size();
    std::string_view v = s_.substr(pos_, end - pos_);
    pos_ = end < s_.size() ? end + 1 : end;
    return v;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

Status CheckMessageShape(std::string_view msg) {
  if (msg.empty()) return Malformed("The message is empty.");
  if (msg.find('\0') != std::string_view::npos) {
    return Malformed("Message length does not match input length.");
  }
  return Status::OK();
}

}  // namespace

// ---- Verifiers ----------------------------------------------------------------------------------

Result<ScramVerifier> ScramVerifier::Parse(std::string_view text) {
  auto invalid = [](std::string_view why) {
    return Status::Error(sqlstate::kConfigFileError, "invalid SCRAM secret")
        .WithDetail(std::string(why));
  };
  std::string_view prefix = kScramSha256;
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix ||
      text[prefix.size()] != '$') {
    return invalid("The secret does not start with \"SCRAM-SHA-256$\".");
  }
  std::string_view rest = text.substr(prefix.size() + 1);
  size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return invalid("The secret has no key part.");
  std::string_view params = rest.substr(0, dollar);
  std::string_view keys = rest.substr(dollar + 1);
  size_t colon = params.find(':');
  size_t key_colon = keys.find(':');
  if (colon == std::string_view::npos || key_colon == std::string_view::npos) {
    return invalid("The secret is not in the form iterations:salt$StoredKey:ServerKey.");
  }
  ScramVerifier v;
  std::string_view iter_text = params.substr(0, colon);
  const char *end = iter_text.data() + iter_text.size();
  auto [ptr, ec] = std::from_chars(iter_text.data(), end, v.iterations);
  if (iter_text.empty() || ec != std::errc() || ptr != end || v.iterations < 1) {
    return invalid("The iteration count is not a positive integer.");
  }
  std::optional<std::string> salt = Base64Decode(params.substr(colon + 1));
  if (!salt || salt->empty()) return invalid("The salt is not valid base64.");
  std::optional<std::string> stored = Base64Decode(keys.substr(0, key_colon));
  std::optional<std::string> server = Base64Decode(keys.substr(key_colon + 1));
  if (!stored || stored->size() != kKeyLength || !server || server->size() != kKeyLength) {
    return invalid("StoredKey and ServerKey must be 32 bytes in base64.");
  }
  v.salt = std::move(*salt);
  v.stored_key = std::move(*stored);
  v.server_key = std::move(*server);
  return v;
}

std::string ScramVerifier::ToString() const {
  return std::string(kScramSha256) + "$" + std::to_string(iterations) + ":" + Base64Encode(salt) +
         "$" + Base64Encode(stored_key) + ":" + Base64Encode(server_key);
}

std::optional<std::string> SaslPrep(std::string_view input) {
  // PostgreSQL's pg_saslprep passes pure ASCII through untouched (control characters included).
  bool ascii = std::all_of(input.begin(), input.end(),
                           [](char c) { return static_cast<uint8_t>(c) < 0x80; });
  if (ascii) return std::string(input);
  if (!IsValidUtf8(input)) return std::nullopt;
  std::string in(input);  // NUL-terminated copy for the C API
  char *out = nullptr;
  int rc = stringprep_profile(in.c_str(), &out, "SASLprep", STRINGPREP_NO_UNASSIGNED);
  if (rc != STRINGPREP_OK) {
    std::free(out);
    return std::nullopt;
  }
  std::string result(out);
  std::free(out);
  return result;
}

ScramVerifier MockScramVerifier(std::string_view user) {
  const std::string &secret = MockSecret();
  ScramVerifier v;
  v.iterations = kDefaultScramIterations;
  v.salt = HmacSha256(secret, std::string("salt\0", 5) + std::string(user)).substr(0, kSaltLength);
  v.stored_key = HmacSha256(secret, std::string("stored\0", 7) + std::string(user));
  v.server_key = HmacSha256(secret, std::string("server\0", 7) + std::string(user));
  return v;
}

namespace {

// SaltedPassword := Hi(Normalize(password), salt, i); the caller must cleanse it.
std::array<unsigned char, kKeyLength> SaltedPassword(std::string_view password,
                                                     std::string_view salt, int iterations) {
  std::optional<std::string> prepped = SaslPrep(password);
  std::string pw = prepped ? std::move(*prepped) : std::string(password);
  std::array<unsigned char, kKeyLength> salted{};
  PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()),
                    reinterpret_cast<const unsigned char *>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(salted.size()), salted.data());
  OPENSSL_cleanse(pw.data(), pw.size());
  return salted;
}

}  // namespace

bool ScramPasswordMatches(const ScramVerifier &verifier, std::string_view password) {
  std::array<unsigned char, kKeyLength> salted =
      SaltedPassword(password, verifier.salt, verifier.iterations);
  std::string_view salted_view(reinterpret_cast<const char *>(salted.data()), salted.size());
  std::string client_key = HmacSha256(salted_view, "Client Key");
  std::string stored = Sha256(client_key);
  OPENSSL_cleanse(salted.data(), salted.size());
  OPENSSL_cleanse(client_key.data(), client_key.size());
  return verifier.stored_key.size() == kKeyLength &&
         CRYPTO_memcmp(stored.data(), verifier.stored_key.data(), kKeyLength) == 0;
}

ScramVerifier MakeScramVerifier(std::string_view password, int iterations, std::string_view salt) {
  ScramVerifier v;
  v.iterations = std::max(iterations, 1);
  if (salt.empty()) {
    std::optional<std::string> r = RandomBytes(kSaltLength);
    // A verifier with a predictable salt must never be written; there is no error channel here.
    if (!r) std::abort();
    v.salt = std::move(*r);
  } else {
    v.salt = std::string(salt);
  }
  std::array<unsigned char, kKeyLength> salted = SaltedPassword(password, v.salt, v.iterations);
  std::string_view salted_view(reinterpret_cast<const char *>(salted.data()), salted.size());
  v.stored_key = Sha256(HmacSha256(salted_view, "Client Key"));
  v.server_key = HmacSha256(salted_view, "Server Key");
  OPENSSL_cleanse(salted.data(), salted.size());
  return v;
}

// ---- The exchange -------------------------------------------------------------------------------

ScramServer::ScramServer(std::optional<ScramVerifier> verifier, std::string_view user,
                         std::string tls_server_end_point)
    : verifier_(std::move(verifier)), user_(user), cbind_data_(std::move(tls_server_end_point)) {
  if (!verifier_) fake_ = MockScramVerifier(user_);
}

std::vector<std::string_view> ScramServer::Mechanisms() const {
  if (!cbind_data_.empty()) return {kScramSha256Plus, kScramSha256};
  return {kScramSha256};
}

Status ScramServer::Fail(Status s) {
  state_ = State::kFailed;
  return s;
}

Result<std::string> ScramServer::HandleClientFirst(std::string_view mechanism,
                                                   std::string_view client_first) {
  if (state_ != State::kExpectClientFirst) {
    return Fail(Malformed("Unexpected client-first-message."));
  }
  bool plus = false;
  if (mechanism == kScramSha256Plus && !cbind_data_.empty()) {
    plus = true;
  } else if (mechanism != kScramSha256) {
    return Fail(WithFatal(Status::Error(
        sqlstate::kProtocolViolation, "client selected an invalid SASL authentication mechanism")));
  }
  mechanism_ = std::string(mechanism);
  if (Status s = CheckMessageShape(client_first); !s.ok()) return Fail(std::move(s));

  AttrCursor in(client_first);
  cbind_flag_ = in.Peek();
  switch (cbind_flag_) {
    case 'n':
    case 'y':
      if (plus) {
        return Fail(
            Malformed("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not "
                      "include channel binding data."));
      }
      // "y": the client could bind but believes we cannot. We offered -PLUS, so this is a downgrade
      // and must fail (RFC 5802 section 6).
      if (cbind_flag_ == 'y' && !cbind_data_.empty()) {
        return Fail(WithFatal(
            Status::Error(sqlstate::kInvalidAuthorizationSpecification,
                          "SCRAM channel binding negotiation error")
                .WithDetail("The client supports SCRAM channel binding but thinks the server does "
                            "not.  However, this server does support channel binding.")));
      }
      in.Advance();
      if (in.Peek() != ',') {
        return Fail(
            Malformed("Comma expected, but found character \"" + SanitizeChar(in.Peek()) + "\"."));
      }
      in.Advance();
      break;
    case 'p': {
      if (!plus) {
        return Fail(
            Malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM "
                      "message includes channel binding data."));
      }
      Result<std::string_view> type = in.ReadAttrValue('p');
      if (!type.ok()) return Fail(std::move(type).take_status());
      if (*type != "tls-server-end-point") {
        return Fail(WithFatal(Status::Error(
            sqlstate::kProtocolViolation,
            "unsupported SCRAM channel-binding type \"" + SanitizeStr(*type) + "\"")));
      }
      break;
    }
    default:
      return Fail(
          Malformed("Unexpected channel-binding flag \"" + SanitizeChar(in.Peek()) + "\"."));
  }
  if (in.Peek() == 'a') {
    return Fail(
        WithFatal(Status::Error(sqlstate::kFeatureNotSupported,
                                "client uses authorization identity, but it is not supported")));
  }
  if (in.Peek() != ',') {
    return Fail(Malformed("Unexpected attribute \"" + SanitizeChar(in.Peek()) +
                          "\" in client-first-message."));
  }
  in.Advance();
  gs2_header_ = std::string(client_first.substr(0, in.pos()));
  client_first_bare_ = std::string(in.Rest());

  if (in.Peek() == 'm') {
    return Fail(WithFatal(Status::Error(sqlstate::kFeatureNotSupported,
                                        "client requires an unsupported SCRAM extension")));
  }
  // The user name in the message is ignored: the startup packet's user is authoritative.
  Result<std::string_view> ignored_user = in.ReadAttrValue('n');
  if (!ignored_user.ok()) return Fail(std::move(ignored_user).take_status());
  Result<std::string_view> client_nonce = in.ReadAttrValue('r');
  if (!client_nonce.ok()) return Fail(std::move(client_nonce).take_status());
  if (!IsScramPrintable(*client_nonce)) {
    return Fail(WithFatal(
        Status::Error(sqlstate::kProtocolViolation, "non-printable characters in SCRAM nonce")));
  }
  // Optional extensions follow; none are supported, so they are parsed and ignored.
  while (!in.AtEnd()) {
    char attr = 0;
    Result<std::string_view> ext = in.ReadAnyAttr(&attr);
    if (!ext.ok()) return Fail(std::move(ext).take_status());
  }

  std::string server_nonce = test_server_nonce_;
  if (server_nonce.empty()) {
    std::optional<std::string> raw = RandomBytes(kRawNonceLength);
    if (!raw) {
      return Fail(
          WithFatal(Status::Error(sqlstate::kInternalError, "could not generate random nonce")));
    }
    server_nonce = Base64Encode(*raw);
  }
  nonce_ = std::string(*client_nonce) + server_nonce;
  const ScramVerifier &v = ActiveVerifier();
  server_first_ =
      "r=" + nonce_ + ",s=" + Base64Encode(v.salt) + ",i=" + std::to_string(v.iterations);
  state_ = State::kExpectClientFinal;
  return server_first_;
}

Result<std::string> ScramServer::HandleClientFinal(std::string_view client_final) {
  if (state_ != State::kExpectClientFinal) {
    return Fail(Malformed("Unexpected client-final-message."));
  }
  if (Status s = CheckMessageShape(client_final); !s.ok()) return Fail(std::move(s));
  AttrCursor in(client_final);

  // c=: the base64 of the gs2 header, plus the certificate hash under channel binding.
  Result<std::string_view> cbind = in.ReadAttrValue('c');
  if (!cbind.ok()) return Fail(std::move(cbind).take_status());
  if (mechanism_ == kScramSha256Plus) {
    if (*cbind != Base64Encode(kCbindHeaderPlus + cbind_data_)) {
      return Fail(WithFatal(Status::Error(sqlstate::kInvalidAuthorizationSpecification,
                                          "SCRAM channel binding check failed")));
    }
  } else if (!(*cbind == "biws" && cbind_flag_ == 'n') &&
             !(*cbind == "eSws" && cbind_flag_ == 'y')) {
    return Fail(WithFatal(
        Status::Error(sqlstate::kProtocolViolation,
                      "unexpected SCRAM channel-binding attribute in client-final-message")));
  }

  Result<std::string_view> final_nonce = in.ReadAttrValue('r');
  if (!final_nonce.ok()) return Fail(std::move(final_nonce).take_status());

  // Extensions may precede the proof; the proof is the first "p" attribute.
  size_t proof_start = 0;
  char attr = 0;
  std::string_view proof_b64;
  do {
    proof_start = in.pos();
    Result<std::string_view> value = in.ReadAnyAttr(&attr);
    if (!value.ok()) return Fail(std::move(value).take_status());
    proof_b64 = *value;
  } while (attr != 'p');
  std::optional<std::string> proof = Base64Decode(proof_b64);
  if (!proof || proof->size() != kKeyLength) {
    return Fail(Malformed("Malformed proof in client-final-message."));
  }
  if (!in.AtEnd()) return Fail(Malformed("Garbage found at the end of client-final-message."));
  // Without the comma before "p=".
  std::string_view final_without_proof = client_final.substr(0, proof_start - 1);

  if (*final_nonce != nonce_) {
    return Fail(WithFatal(Status::Error(sqlstate::kProtocolViolation, "invalid SCRAM response")
                              .WithDetail("Nonce does not match.")));
  }

  const ScramVerifier &v = ActiveVerifier();
  std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(final_without_proof);
  std::string client_signature = HmacSha256(v.stored_key, auth_message);
  std::string client_key = XorBytes(*proof, client_signature);
  std::string computed_stored = Sha256(client_key);
  bool proof_ok = v.stored_key.size() == kKeyLength &&
                  CRYPTO_memcmp(computed_stored.data(), v.stored_key.data(), kKeyLength) == 0;
  OPENSSL_cleanse(client_key.data(), client_key.size());
  if (!proof_ok || !verifier_) {
    return Fail(WithFatal(Status::Error(
        sqlstate::kInvalidPassword, "password authentication failed for user \"" + user_ + "\"")));
  }
  state_ = State::kDone;
  return "v=" + Base64Encode(HmacSha256(v.server_key, auth_message));
}

}  // namespace pgw
