// ScramServer driven by a small independent SCRAM client (OpenSSL's own base64, PBKDF2 and HMAC),
// checked against RFC 7677's published exchange and verifiers made by PostgreSQL 15 itself.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <map>
#include <string>
#include <vector>

#include "auth/scram.h"

namespace pgw {
namespace {

std::string B64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string UnB64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  EXPECT_GE(n, 0) << text;
  size_t len = static_cast<size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() > 1 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string Sha(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof(md));
}

std::string SaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), 32, out);
  return std::string(reinterpret_cast<char*>(out), 32);
}

// "a=1,b=2" -> {a:1, b:2}
std::map<char, std::string> Attrs(const std::string& msg) {
  std::map<char, std::string> out;
  size_t start = 0;
  while (start <= msg.size()) {
    size_t comma = msg.find(',', start);
    if (comma == std::string::npos) comma = msg.size();
    std::string part = msg.substr(start, comma - start);
    if (part.size() >= 2 && part[1] == '=') out[part[0]] = part.substr(2);
    start = comma + 1;
  }
  return out;
}

// A minimal SCRAM-SHA-256 client, written from RFC 5802 independently of the server code.
class TestClient {
 public:
  TestClient(std::string password, std::string nonce, std::string gs2 = "n,,",
             std::string cbind_data = "", std::string user = "")
      : password_(std::move(password)),
        nonce_(std::move(nonce)),
        gs2_(std::move(gs2)),
        cbind_data_(std::move(cbind_data)),
        user_(std::move(user)) {}

  std::string First() const { return gs2_ + Bare(); }

  // Returns the client-final-message; `extension` (e.g. "x=1") goes before the proof.
  std::string Final(const std::string& server_first, const std::string& extension = "") {
    std::map<char, std::string> a = Attrs(server_first);
    std::string salt = UnB64(a['s']);
    int iterations = std::stoi(a['i']);
    std::string without_proof = "c=" + B64(gs2_ + cbind_data_) + ",r=" + a['r'];
    if (!extension.empty()) without_proof += "," + extension;
    std::string auth_message = Bare() + "," + server_first + "," + without_proof;
    std::string salted = SaltedPassword(password_, salt, iterations);
    std::string client_key = Hmac(salted, "Client Key");
    std::string signature = Hmac(Sha(client_key), auth_message);
    std::string proof = client_key;
    for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(proof[i] ^ signature[i]);
    expected_server_final_ = "v=" + B64(Hmac(Hmac(salted, "Server Key"), auth_message));
    return without_proof + ",p=" + B64(proof);
  }

  const std::string& expected_server_final() const { return expected_server_final_; }

 private:
  std::string Bare() const { return "n=" + user_ + ",r=" + nonce_; }

  std::string password_, nonce_, gs2_, cbind_data_, user_;
  std::string expected_server_final_;
};

// Runs a whole exchange; returns the final Status (OK when authenticated and the server's
// signature is the one the client expects).
Status Exchange(ScramServer& server, TestClient& client,
                std::string_view mechanism = kScramSha256) {
  Result<std::string> first = server.HandleClientFirst(mechanism, client.First());
  if (!first.ok()) return first.status();
  Result<std::string> final = server.HandleClientFinal(client.Final(*first));
  if (!final.ok()) return final.status();
  EXPECT_EQ(*final, client.expected_server_final());
  return Status::OK();
}

// Verifiers made by PostgreSQL 15 (CREATE ROLE ... PASSWORD; SELECT rolpassword FROM pg_authid).
constexpr char kPgSecret[] =  // password 'secret'
    "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==$CaN5XnfxIphpf262EzQisYVntnkmWq3dxVDZ9qrVw1M=:"
    "fDfQwXV5fWI6zXg+86HPx7LFCLQNoTgOaQAqixoJBRw=";
constexpr char kPgSoftHyphenNbsp[] =  // password U&'I\00ADX\00A0z'
    "SCRAM-SHA-256$4096:dAHbGxgA8BzuSMyDjBH/Dw==$VD6bjPakhrGNgaf4odySFd2oDIxXp/lcWqh1XNcIRF4=:"
    "IC/l6ZlhzottWrxQffqRufXV9XlmAcSiX3so6PZhRv4=";
constexpr char kPgCafe[] =  // password U&'caf\00E9' (precomposed)
    "SCRAM-SHA-256$4096:kYlmmFI6XUSGeM5yOUXzkg==$mloAIUaTBy+2VDQlPsqKXM0QHNBPBZllqkzl59C5d4c=:"
    "06sXWKyaDn6VxtchHHHxrtRaaUfs2h//TayRBdft05A=";

ScramVerifier MustParse(std::string_view text) {
  Result<ScramVerifier> v = ScramVerifier::Parse(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : ScramVerifier();
}

// ---- RFC 7677 -------------------------------------------------------------------------------

TEST(ScramRfc7677, PublishedExchange) {
  const std::string salt = UnB64("W22ZaJ0SNY7soEsUEjb6gQ==");
  ScramServer server(MakeScramVerifier("pencil", 4096, salt), "user");
  server.SetServerNonceForTest("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  Result<std::string> first =
      server.HandleClientFirst(kScramSha256, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(
      *first,
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

  const std::string rfc_final =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  TestClient client("pencil", "rOprNGfwEbeRWgbNEkqO", "n,,", "", "user");
  EXPECT_EQ(client.Final(*first), rfc_final);  // the test client itself agrees with the RFC

  Result<std::string> final = server.HandleClientFinal(rfc_final);
  ASSERT_TRUE(final.ok()) << final.status().ToString();
  EXPECT_EQ(*final, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST(ScramRfc7677, VerifierKeysMatchTheRfcDerivation) {
  const std::string salt = UnB64("W22ZaJ0SNY7soEsUEjb6gQ==");
  ScramVerifier v = MakeScramVerifier("pencil", 4096, salt);
  std::string salted = SaltedPassword("pencil", salt, 4096);
  EXPECT_EQ(v.iterations, 4096);
  EXPECT_EQ(v.salt, salt);
  EXPECT_EQ(v.stored_key, Sha(Hmac(salted, "Client Key")));
  EXPECT_EQ(v.server_key, Hmac(salted, "Server Key"));
}

// ---- Full exchanges ---------------------------------------------------------------------------

TEST(ScramExchange, CorrectPasswordSucceedsWithRandomServerNonce) {
  ScramServer server(MakeScramVerifier("hunter2"), "alice");
  EXPECT_EQ(server.Mechanisms(), std::vector<std::string_view>{kScramSha256});
  TestClient client("hunter2", "abcdefghijklmnopqrstuvwx");
  Result<std::string> first = server.HandleClientFirst(kScramSha256, client.First());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::map<char, std::string> a = Attrs(*first);
  ASSERT_EQ(a['r'].rfind("abcdefghijklmnopqrstuvwx", 0), 0u);
  std::string server_part = a['r'].substr(24);
  EXPECT_EQ(server_part.size(), 24u);  // 18 random bytes in base64
  EXPECT_EQ(UnB64(server_part).size(), 18u);
  EXPECT_EQ(UnB64(a['s']).size(), 16u);
  EXPECT_EQ(a['i'], "4096");
  Result<std::string> final = server.HandleClientFinal(client.Final(*first));
  ASSERT_TRUE(final.ok()) << final.status().ToString();
  EXPECT_EQ(*final, client.expected_server_final());
}

TEST(ScramExchange, ServerNoncesDifferBetweenExchanges) {
  ScramVerifier v = MakeScramVerifier("pw");
  ScramServer a(v, "u"), b(v, "u");
  Result<std::string> fa = a.HandleClientFirst(kScramSha256, "n,,n=,r=xyz");
  Result<std::string> fb = b.HandleClientFirst(kScramSha256, "n,,n=,r=xyz");
  ASSERT_TRUE(fa.ok() && fb.ok());
  EXPECT_NE(*fa, *fb);
}

TEST(ScramExchange, UserNameInMessageIsIgnored) {
  ScramServer server(MakeScramVerifier("pw"), "alice");
  TestClient client("pw", "nonce123", "n,,", "", "somebody-else");
  EXPECT_TRUE(Exchange(server, client).ok());
}

TEST(ScramExchange, ExtensionsAreAcceptedAndSigned) {
  // Optional extensions after the nonce in client-first are parsed and ignored.
  ScramServer server(MakeScramVerifier("pw"), "alice");
  TestClient client("pw", "nonce123");
  Result<std::string> first = server.HandleClientFirst(kScramSha256, client.First() + ",x=ext");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // An extension before the proof in client-final is part of the signed AuthMessage.
  ScramServer server2(MakeScramVerifier("pw"), "alice");
  Result<std::string> first2 = server2.HandleClientFirst(kScramSha256, client.First());
  ASSERT_TRUE(first2.ok());
  Result<std::string> final = server2.HandleClientFinal(client.Final(*first2, "x=ext"));
  ASSERT_TRUE(final.ok()) << final.status().ToString();
  EXPECT_EQ(*final, client.expected_server_final());
}

TEST(ScramExchange, WrongPasswordFailsWith28P01) {
  ScramServer server(MakeScramVerifier("right"), "alice");
  TestClient client("wrong", "nonce123");
  Status s = Exchange(server, client);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.sqlstate(), "28P01");
  EXPECT_EQ(s.message(), "password authentication failed for user \"alice\"");
  EXPECT_EQ(s.info().severity, Severity::kFatal);
}

TEST(ScramExchange, UnknownUserFailsExactlyLikeWrongPassword) {
  ScramServer known(MakeScramVerifier("right"), "alice");
  TestClient c1("guess", "nonce123");
  Status wrong = Exchange(known, c1);

  ScramServer unknown(std::nullopt, "alice");
  TestClient c2("guess", "nonce123");
  Result<std::string> first = unknown.HandleClientFirst(kScramSha256, c2.First());
  ASSERT_TRUE(first.ok()) << first.status().ToString();  // no early tell
  Result<std::string> final = unknown.HandleClientFinal(c2.Final(*first));
  ASSERT_FALSE(final.ok());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(final.status().sqlstate(), wrong.sqlstate());
  EXPECT_EQ(final.status().message(), wrong.message());
}

TEST(ScramExchange, UnknownUserSeesTheSameSaltEveryTime) {
  auto salt_of = [](std::string_view user) {
    ScramServer s(std::nullopt, user);
    Result<std::string> first = s.HandleClientFirst(kScramSha256, "n,,n=,r=abc");
    EXPECT_TRUE(first.ok());
    std::map<char, std::string> a = Attrs(first.ok() ? *first : "");
    EXPECT_EQ(a['i'], "4096");
    return a['s'];
  };
  std::string s1 = salt_of("ghost");
  EXPECT_EQ(UnB64(s1).size(), 16u);
  EXPECT_EQ(s1, salt_of("ghost"));
  EXPECT_NE(s1, salt_of("ghost2"));
}

TEST(ScramExchange, StateMachineRejectsOutOfOrderMessages) {
  ScramServer server(MakeScramVerifier("pw"), "alice");
  EXPECT_FALSE(server.HandleClientFinal("c=biws,r=x,p=AAAA").ok());
  // A failed exchange stays failed.
  EXPECT_FALSE(server.HandleClientFirst(kScramSha256, "n,,n=,r=abc").ok());

  ScramServer twice(MakeScramVerifier("pw"), "alice");
  ASSERT_TRUE(twice.HandleClientFirst(kScramSha256, "n,,n=,r=abc").ok());
  EXPECT_FALSE(twice.HandleClientFirst(kScramSha256, "n,,n=,r=abc").ok());
}

// ---- Channel binding --------------------------------------------------------------------------

constexpr char kCertHash[] = "0123456789abcdef0123456789abcdef";

TEST(ScramChannelBinding, PlusOfferedFirstWhenTlsIsOn) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  EXPECT_EQ(server.Mechanisms(), (std::vector<std::string_view>{kScramSha256Plus, kScramSha256}));
}

TEST(ScramChannelBinding, PlusWithRightDataSucceeds) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  TestClient client("pw", "nonce123", "p=tls-server-end-point,,", kCertHash);
  Status s = Exchange(server, client, kScramSha256Plus);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ScramChannelBinding, PlusWithWrongDataFails) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  TestClient client("pw", "nonce123", "p=tls-server-end-point,,", "a different certificate hash");
  Status s = Exchange(server, client, kScramSha256Plus);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.sqlstate(), "28000");
  EXPECT_EQ(s.message(), "SCRAM channel binding check failed");
}

TEST(ScramChannelBinding, PlusWithoutBindingHeaderIsMalformed) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  Result<std::string> r = server.HandleClientFirst(kScramSha256Plus, "n,,n=,r=abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "08P01");
  EXPECT_EQ(r.status().message(), "malformed SCRAM message");
  EXPECT_EQ(r.status().info().detail,
            "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include "
            "channel binding data.");
}

TEST(ScramChannelBinding, PlainMechanismWithBindingHeaderIsMalformed) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  Result<std::string> r = server.HandleClientFirst(kScramSha256, "p=tls-server-end-point,,n=,r=a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "08P01");
  EXPECT_EQ(r.status().info().detail,
            "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
            "includes channel binding data.");
}

TEST(ScramChannelBinding, PlainMechanismWithoutBindingUnderTlsSucceeds) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  TestClient client("pw", "nonce123", "n,,");
  EXPECT_TRUE(Exchange(server, client).ok());
}

TEST(ScramChannelBinding, YFlagUnderTlsIsADowngrade) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  Result<std::string> r = server.HandleClientFirst(kScramSha256, "y,,n=,r=abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "28000");
  EXPECT_EQ(r.status().message(), "SCRAM channel binding negotiation error");
}

TEST(ScramChannelBinding, YFlagWithoutTlsSucceeds) {
  ScramServer server(MakeScramVerifier("pw"), "alice");
  TestClient client("pw", "nonce123", "y,,");
  Status s = Exchange(server, client);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ScramChannelBinding, FinalMustRepeatTheFirstHeader) {
  ScramServer server(MakeScramVerifier("pw"), "alice");
  Result<std::string> first = server.HandleClientFirst(kScramSha256, "n,,n=,r=abc");
  ASSERT_TRUE(first.ok());
  std::string r = Attrs(*first)['r'];
  Result<std::string> final = server.HandleClientFinal("c=eSws,r=" + r + ",p=" + B64(Sha("x")));
  ASSERT_FALSE(final.ok());
  EXPECT_EQ(final.status().sqlstate(), "08P01");
  EXPECT_EQ(final.status().message(),
            "unexpected SCRAM channel-binding attribute in client-final-message");
}

TEST(ScramChannelBinding, UnsupportedBindingType) {
  ScramServer server(MakeScramVerifier("pw"), "alice", kCertHash);
  Result<std::string> r = server.HandleClientFirst(kScramSha256Plus, "p=tls-unique,,n=,r=abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().sqlstate(), "08P01");
  EXPECT_EQ(r.status().message(), "unsupported SCRAM channel-binding type \"tls-unique\"");
}

TEST(ScramMechanism, InvalidMechanisms) {
  const char* kMessage = "client selected an invalid SASL authentication mechanism";
  ScramServer no_tls(MakeScramVerifier("pw"), "alice");
  Result<std::string> plus = no_tls.HandleClientFirst(kScramSha256Plus, "n,,n=,r=abc");
  ASSERT_FALSE(plus.ok());
  EXPECT_EQ(plus.status().sqlstate(), "08P01");
  EXPECT_EQ(plus.status().message(), kMessage);

  ScramServer tls(MakeScramVerifier("pw"), "alice", kCertHash);
  Result<std::string> sha1 = tls.HandleClientFirst("SCRAM-SHA-1", "n,,n=,r=abc");
  ASSERT_FALSE(sha1.ok());
  EXPECT_EQ(sha1.status().message(), kMessage);
}

// ---- Malformed client-first-message ----------------------------------------------------------

struct BadFirst {
  const char* input;
  const char* sqlstate;
  const char* message;
  const char* detail;
};

TEST(ScramMalformed, ClientFirstMessages) {
  const BadFirst cases[] = {
      {"", "08P01", "malformed SCRAM message", "The message is empty."},
      {"x,,n=,r=a", "08P01", "malformed SCRAM message", "Unexpected channel-binding flag \"'x'\"."},
      {"n", "08P01", "malformed SCRAM message", "Comma expected, but found character \"0x00\"."},
      {"n,n=,r=a", "08P01", "malformed SCRAM message",
       "Unexpected attribute \"'n'\" in client-first-message."},
      {"n,a=bob,n=,r=a", "0A000", "client uses authorization identity, but it is not supported",
       ""},
      {"n,,m=ext,n=,r=a", "0A000", "client requires an unsupported SCRAM extension", ""},
      {"n,,r=a", "08P01", "malformed SCRAM message", "Expected attribute \"n\" but found \"'r'\"."},
      {"n,,n=", "08P01", "malformed SCRAM message", "Expected attribute \"r\" but found \"0x00\"."},
      {"n,,n=,rabc", "08P01", "malformed SCRAM message",
       "Expected character \"=\" for attribute \"r\"."},
      {"n,,n=,r=ab\x01z", "08P01", "non-printable characters in SCRAM nonce", ""},
      {"n,,n=,r=ab\xc3\xa9", "08P01", "non-printable characters in SCRAM nonce", ""},
      {"n,,n=,r=abc,1=x", "08P01", "malformed SCRAM message",
       "Attribute expected, but found invalid character \"'1'\"."},
      {"n,,n=,r=abc,x", "08P01", "malformed SCRAM message",
       "Expected character \"=\" for attribute \"x\"."},
  };
  for (const BadFirst& c : cases) {
    ScramServer server(MakeScramVerifier("pw", 1), "alice");
    Result<std::string> r = server.HandleClientFirst(kScramSha256, c.input);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.status().sqlstate(), c.sqlstate) << c.input;
    EXPECT_EQ(r.status().message(), c.message) << c.input;
    EXPECT_EQ(r.status().info().detail, c.detail) << c.input;
    EXPECT_EQ(r.status().info().severity, Severity::kFatal) << c.input;
  }
}

TEST(ScramMalformed, EmbeddedNulInClientFirst) {
  ScramServer server(MakeScramVerifier("pw", 1), "alice");
  Result<std::string> r =
      server.HandleClientFirst(kScramSha256, std::string_view("n,,n=,r=a\0b", 11));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().info().detail, "Message length does not match input length.");
}

// ---- Malformed client-final-message ----------------------------------------------------------

class ScramFinalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> first = server_.HandleClientFirst(kScramSha256, client_.First());
    ASSERT_TRUE(first.ok());
    server_first_ = *first;
    nonce_ = Attrs(server_first_)['r'];
    good_final_ = client_.Final(server_first_);
  }
  Status Final(const std::string& msg) { return server_.HandleClientFinal(msg).status(); }

  ScramServer server_{MakeScramVerifier("pw", 1), "alice"};
  TestClient client_{"pw", "clientnonce"};
  std::string server_first_, nonce_, good_final_;
};

TEST_F(ScramFinalTest, GoodMessageAuthenticates) { EXPECT_TRUE(Final(good_final_).ok()); }

TEST_F(ScramFinalTest, MissingChannelBinding) {
  Status s = Final("r=" + nonce_ + ",p=" + B64(Sha("x")));
  EXPECT_EQ(s.sqlstate(), "08P01");
  EXPECT_EQ(s.info().detail, "Expected attribute \"c\" but found \"'r'\".");
}

TEST_F(ScramFinalTest, WrongNonce) {
  Status s = Final("c=biws,r=" + nonce_ + "X,p=" + B64(Sha("x")));
  EXPECT_EQ(s.sqlstate(), "08P01");
  EXPECT_EQ(s.message(), "invalid SCRAM response");
  EXPECT_EQ(s.info().detail, "Nonce does not match.");
}

TEST_F(ScramFinalTest, ClientNonceAloneIsNotEnough) {
  Status s = Final("c=biws,r=clientnonce,p=" + B64(Sha("x")));
  EXPECT_EQ(s.message(), "invalid SCRAM response");
}

TEST_F(ScramFinalTest, MissingProof) {
  Status s = Final("c=biws,r=" + nonce_);
  EXPECT_EQ(s.sqlstate(), "08P01");
  EXPECT_EQ(s.info().detail, "Attribute expected, but found end of string.");
}

TEST_F(ScramFinalTest, BadBase64Proof) {
  Status s = Final("c=biws,r=" + nonce_ + ",p=not*base64!");
  EXPECT_EQ(s.sqlstate(), "08P01");
  EXPECT_EQ(s.info().detail, "Malformed proof in client-final-message.");
}

TEST_F(ScramFinalTest, ShortProof) {
  Status s = Final("c=biws,r=" + nonce_ + ",p=" + B64(Sha("x").substr(0, 31)));
  EXPECT_EQ(s.info().detail, "Malformed proof in client-final-message.");
}

TEST_F(ScramFinalTest, GarbageAfterProof) {
  Status s = Final(good_final_ + ",x=1");
  EXPECT_EQ(s.sqlstate(), "08P01");
  EXPECT_EQ(s.info().detail, "Garbage found at the end of client-final-message.");
}

TEST_F(ScramFinalTest, TamperedProofFails) {
  std::string tampered = good_final_;
  size_t p = tampered.find(",p=") + 3;
  tampered[p] = tampered[p] == 'A' ? 'B' : 'A';
  Status s = Final(tampered);
  EXPECT_EQ(s.sqlstate(), "28P01");
}

TEST_F(ScramFinalTest, EmptyMessage) {
  Status s = Final("");
  EXPECT_EQ(s.info().detail, "The message is empty.");
}

TEST_F(ScramFinalTest, NoSecondChanceAfterFailure) {
  EXPECT_FALSE(Final("c=biws,r=wrong,p=" + B64(Sha("x"))).ok());
  EXPECT_FALSE(Final(good_final_).ok());
}

TEST(ScramMalformed, MutatedMessagesNeverCrash) {
  // Deterministic byte flips, truncations and insertions of valid messages: every outcome must be
  // a clean Status (and a mutated final message must never authenticate).
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
  };
  auto mutate = [&next](std::string m) {
    switch (next() % 3) {
      case 0:
        if (!m.empty()) m[next() % m.size()] = static_cast<char>(next() & 0xff);
        break;
      case 1:
        m.resize(next() % (m.size() + 1));
        break;
      default:
        m.insert(next() % (m.size() + 1), 1, ",=p\0"[next() % 4]);
        break;
    }
    return m;
  };
  ScramVerifier v = MakeScramVerifier("pw", 1);
  for (int i = 0; i < 500; ++i) {
    ScramServer first_only(v, "alice");
    (void)first_only.HandleClientFirst(kScramSha256, mutate("n,,n=,r=abcdef"));

    ScramServer server(v, "alice");
    TestClient client("pw", "abcdef");
    Result<std::string> first = server.HandleClientFirst(kScramSha256, client.First());
    ASSERT_TRUE(first.ok());
    std::string good = client.Final(*first);
    std::string bad = mutate(good);
    Result<std::string> final = server.HandleClientFinal(bad);
    // A trailing comma after the proof is accepted, as PostgreSQL accepts it.
    if (bad != good && bad != good + ",") {
      EXPECT_FALSE(final.ok()) << bad;
    }
  }
}

// ---- Verifiers ---------------------------------------------------------------------------------

TEST(ScramVerifierText, ParsesPostgresSecretAndRoundTrips) {
  ScramVerifier v = MustParse(kPgSecret);
  EXPECT_EQ(v.iterations, 4096);
  EXPECT_EQ(v.salt, UnB64("9pO1SkNxChCdq5S0XarGZA=="));
  EXPECT_EQ(v.stored_key.size(), 32u);
  EXPECT_EQ(v.server_key.size(), 32u);
  EXPECT_EQ(v.ToString(), kPgSecret);
}

TEST(ScramVerifierText, MakeThenParseRoundTrips) {
  ScramVerifier v = MakeScramVerifier("pw", 10, "saltsalt");
  ScramVerifier back = MustParse(v.ToString());
  EXPECT_EQ(back.iterations, 10);
  EXPECT_EQ(back.salt, "saltsalt");
  EXPECT_EQ(back.stored_key, v.stored_key);
  EXPECT_EQ(back.server_key, v.server_key);
}

TEST(ScramVerifierText, RejectsMalformedSecrets) {
  const std::string good_keys =
      "CaN5XnfxIphpf262EzQisYVntnkmWq3dxVDZ9qrVw1M=:fDfQwXV5fWI6zXg+86HPx7LFCLQNoTgOaQAqixoJBRw=";
  const std::vector<std::string> bad = {
      "",
      "md5c4ca4238a0b923820dcc509a6f75849b",
      "SCRAM-SHA-1$4096:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==",
      "SCRAM-SHA-256$4096$" + good_keys,
      "SCRAM-SHA-256$abc:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$0:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$-5:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$99999999999:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$4096x:9pO1SkNxChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$4096:9pO1SkN*ChCdq5S0XarGZA==$" + good_keys,
      "SCRAM-SHA-256$4096:$" + good_keys,
      "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==$AAAA:fDfQwXV5fWI6zXg+"
      "86HPx7LFCLQNoTgOaQAqixoJBRw=",
      "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==$" + good_keys + "AAAA",
      "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==$" + good_keys + ":x",
  };
  for (const std::string& text : bad) {
    Result<ScramVerifier> v = ScramVerifier::Parse(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.status().sqlstate(), "F0000") << text;
    EXPECT_FALSE(v.status().message().empty());
  }
}

TEST(ScramVerifierText, RandomSaltsDiffer) {
  ScramVerifier a = MakeScramVerifier("pw", 1), b = MakeScramVerifier("pw", 1);
  EXPECT_EQ(a.salt.size(), 16u);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.stored_key, b.stored_key);
}

TEST(ScramPostgresVerifier, AcceptsTheRightPasswordOnly) {
  ScramServer good(MustParse(kPgSecret), "x");
  TestClient right("secret", "pgnonce");
  Status s = Exchange(good, right);
  EXPECT_TRUE(s.ok()) << s.ToString();

  ScramServer bad(MustParse(kPgSecret), "x");
  TestClient wrong("Secret", "pgnonce");
  EXPECT_EQ(Exchange(bad, wrong).sqlstate(), "28P01");
}

TEST(ScramPostgresVerifier, SaslPrepMatchesPostgres) {
  // PostgreSQL stored U&'I\00ADX\00A0z' as the verifier of SASLprep'd "IX z".
  ScramVerifier pg = MustParse(kPgSoftHyphenNbsp);
  ScramVerifier ours = MakeScramVerifier("I\u00ADX\u00A0z", pg.iterations, pg.salt);
  EXPECT_EQ(ours.stored_key, pg.stored_key);
  EXPECT_EQ(ours.server_key, pg.server_key);
  ScramServer server(pg, "y");
  TestClient client("IX z", "n1");  // what libpq sends after its own SASLprep
  EXPECT_TRUE(Exchange(server, client).ok());

  // NFKC: a decomposed "cafe" + combining acute accent equals PostgreSQL's precomposed one.
  ScramVerifier cafe = MustParse(kPgCafe);
  ScramVerifier decomposed = MakeScramVerifier("cafe\u0301", cafe.iterations, cafe.salt);
  EXPECT_EQ(decomposed.stored_key, cafe.stored_key);
}

// ---- SASLprep --------------------------------------------------------------------------------

TEST(ScramSaslPrep, MapsAndNormalizes) {
  EXPECT_EQ(SaslPrep("I\u00ADX"), "IX");           // soft hyphen mapped to nothing
  EXPECT_EQ(SaslPrep("a\u00A0b"), "a b");          // no-break space mapped to space
  EXPECT_EQ(SaslPrep("a\u2003b"), "a b");          // em space mapped to space
  EXPECT_EQ(SaslPrep("\u00AA"), "a");              // RFC 4013 example: NFKC
  EXPECT_EQ(SaslPrep("\u2168"), "IX");             // RFC 4013 example: roman numeral nine
  EXPECT_EQ(SaslPrep("cafe\u0301"), "caf\u00E9");  // composition
  EXPECT_EQ(SaslPrep("plain ascii"), "plain ascii");
  EXPECT_EQ(SaslPrep("tab\there"), "tab\there");  // pure ASCII passes as is, like PostgreSQL
  EXPECT_EQ(SaslPrep(""), "");
}

TEST(ScramSaslPrep, RejectsInvalidOrProhibitedInput) {
  EXPECT_EQ(SaslPrep("\xff\xfe"), std::nullopt);        // not UTF-8
  EXPECT_EQ(SaslPrep("\xc3"), std::nullopt);            // truncated sequence
  EXPECT_EQ(SaslPrep("\xc0\xaf"), std::nullopt);        // overlong
  EXPECT_EQ(SaslPrep("\xed\xa0\x80"), std::nullopt);    // surrogate
  EXPECT_EQ(SaslPrep("\u00E9\x07"), std::nullopt);      // ASCII control (C.2.1)
  EXPECT_EQ(SaslPrep("\u00E9\uE000"), std::nullopt);    // private use (C.3)
  EXPECT_EQ(SaslPrep("a\u0378"), std::nullopt);         // unassigned code point
  EXPECT_EQ(SaslPrep("\u0627a"), std::nullopt);         // RandALCat mixed with LCat
  EXPECT_EQ(SaslPrep("\u0627\u0628"), "\u0627\u0628");  // pure RTL is fine
}

TEST(ScramSaslPrep, InvalidPasswordIsHashedAsRawBytes) {
  const std::string raw = "pa\xffss";
  const std::string salt = "0123456789abcdef";
  ScramVerifier v = MakeScramVerifier(raw, 16, salt);
  std::string salted = SaltedPassword(raw, salt, 16);
  EXPECT_EQ(v.stored_key, Sha(Hmac(salted, "Client Key")));
  EXPECT_EQ(v.server_key, Hmac(salted, "Server Key"));
}

}  // namespace
}  // namespace pgw
