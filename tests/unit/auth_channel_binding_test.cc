// SCRAM-SHA-256-PLUS with tls-server-end-point: the certificate hash (RFC 5929 4.1: the
// signature's hash, SHA-256 in place of SHA-1) checked against hashes computed with Python's
// hashlib over the certificates' DER bytes, and a whole -PLUS exchange checked against a vector
// computed independently with Python's hashlib/hmac:
//
//   salted = hashlib.pbkdf2_hmac("sha256", b"pencil", b64decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096)
//   cbind  = b"p=tls-server-end-point,," + sha256(DER of kCertSha256)
//   auth_message = client-first-bare + "," + server-first + "," + client-final-without-proof
//   proof = ClientKey XOR HMAC(H(ClientKey), auth_message); v = HMAC(ServerKey, auth_message)
#include <gtest/gtest.h>

#include <string>

#include "auth/scram.h"
#include "auth/tls_server_end_point.h"

namespace pgw {
namespace {

// Self-signed test certificates (openssl req -x509 -newkey ec -<md>), never used for TLS.
constexpr char kCertSha1[] = R"(-----BEGIN CERTIFICATE-----
MIIBhTCCASygAwIBAgIUW3UIvDGCatbLDHOreSGFYi9T5j8wCQYHKoZIzj0EATAY
MRYwFAYDVQQDDA1wZ3ctdGVzdC1zaGExMCAXDTI2MTIwMTE4NTcyNVoYDzIxMjYx
MTA3MTg1NzI1WjAYMRYwFAYDVQQDDA1wZ3ctdGVzdC1zaGExMFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEzGu5kEwyOqodSGFcNSItIm4cgsNHWyqQA6kHJIHf5xSX
woYdTaD0aJel/WVpOWdywn+0Eu4C2Hmds0DhgzoQpqNTMFEwHQYDVR0OBBYEFBg6
M1kV6Ii/pfA0H4sbvTtO65nsMB8GA1UdIwQYMBaAFBg6M1kV6Ii/pfA0H4sbvTtO
65nsMA8GA1UdEwEB/wQFMAMBAf8wCQYHKoZIzj0EAQNIADBFAiEAtvsck7l8U2Lb
71jFi9D0c7Xd8HVvzON16rMyU3uUqhkCIDC9TZujlyDaFyQm2YZjtROmg1yoP9Bt
ZIuNKhJLyjoS
-----END CERTIFICATE-----
)";
constexpr char kCertSha256[] = R"(-----BEGIN CERTIFICATE-----
MIIBjDCCATGgAwIBAgIUTgI31w50r6A29ysbVe9WIQ1CJS4wCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPcGd3LXRlc3Qtc2hhMjU2MCAXDTI2MTIwMTE4NTcyNVoYDzIx
MjYxMTA3MTg1NzI1WjAaMRgwFgYDVQQDDA9wZ3ctdGVzdC1zaGEyNTYwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARa74swXWbwWrICZlmbVhbNnxKsDX0jSPFuxzxh
EkxTPraR9H8pipGgvKm77OS9RyUxtG4034c8yW0KtDZ0hlBfo1MwUTAdBgNVHQ4E
FgQUV1Zbss54FS0MPyJjG7pVNq/K3nwwHwYDVR0jBBgwFoAUV1Zbss54FS0MPyJj
G7pVNq/K3nwwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA7ZyP
jmndD2ptKnoB4yAJKj0owMdSSL8sQwsaTc+H3KwCIQD9Ttjgr0RZWNneuJ2Z5/fI
DqlzAmiIJB6uf30A/y3H2A==
-----END CERTIFICATE-----
)";
constexpr char kCertSha384[] = R"(-----BEGIN CERTIFICATE-----
MIIBijCCATGgAwIBAgIUGjX1r0emXBJ5UqnIvt+pF7svJogwCgYIKoZIzj0EAwMw
GjEYMBYGA1UEAwwPcGd3LXRlc3Qtc2hhMzg0MCAXDTI2MTIwMTE4NTcyNVoYDzIx
MjYxMTA3MTg1NzI1WjAaMRgwFgYDVQQDDA9wZ3ctdGVzdC1zaGEzODQwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQP4+LySnNkM6aAbisEAvtQph9a+U9oV/j7AjmK
QpMHDYpuVXy8GIcmWqBOmAbynizdBZdAr4l4uWF+sZ0QzOXKo1MwUTAdBgNVHQ4E
FgQUVhVjKKU8Fbc35nm86x/fVFTdVM0wHwYDVR0jBBgwFoAUVhVjKKU8Fbc35nm8
6x/fVFTdVM0wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNHADBEAiAV8Vfl
Z/n6zxpMafsj2jBwxlCi3WCFBLY/ZtChJmRd4wIgX+hDtV+Esa5GE06mrHERGR7v
45qg/52o09/8L2Huj6U=
-----END CERTIFICATE-----
)";
constexpr char kCertEd25519[] = R"(-----BEGIN CERTIFICATE-----
MIIBTDCB/6ADAgECAhQyUOaUy+MjrD7cIvLs9droiAbGOTAFBgMrZXAwGzEZMBcG
A1UEAwwQcGd3LXRlc3QtZWQyNTUxOTAgFw0yNjEyMDExODU3MjVaGA8yMTI2MTEw
NzE4NTcyNVowGzEZMBcGA1UEAwwQcGd3LXRlc3QtZWQyNTUxOTAqMAUGAytlcAMh
AJCa4tbtySEhlfbLPJzY7pX9xAUynXMHkYi7uvwBROiuo1MwUTAdBgNVHQ4EFgQU
lywM+dv+eORqNoaEF0WdOYt16awwHwYDVR0jBBgwFoAUlywM+dv+eORqNoaEF0Wd
OYt16awwDwYDVR0TAQH/BAUwAwEB/zAFBgMrZXADQQAMKJiqZoCTviQT1ir5ZgkD
nbUn1ZwMY6XWL7c4A1eaFt0BlaKbg+LizxRNud+Qu+y9AW1ayMJB+AepX8lPktEK
-----END CERTIFICATE-----
)";

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    out += kDigits[u >> 4];
    out += kDigits[u & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

std::string HashOf(const char* pem) {
  Result<std::string> h = TlsServerEndPointHashFromPem(pem);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? Hex(*h) : "";
}

TEST(TlsServerEndPoint, Sha1SignatureIsHashedWithSha256) {
  EXPECT_EQ(HashOf(kCertSha1), "5729c39bd72f98be9b294923822d9c8b59ff2892131e5a78c96931e36f3215e6");
}

TEST(TlsServerEndPoint, Sha256AndSha384UseTheSignatureHash) {
  EXPECT_EQ(HashOf(kCertSha256),
            "613c46c3b5779676f826f403bd8ab9234a860960b02283265ff69c58d063136f");
  EXPECT_EQ(
      HashOf(kCertSha384),
      "5ff5247a7622c073a7bd777786922b199f667cb677f2ea9823c83f0a92e54aaf1ab7cc3c798282753e215d7"
      "4637e0217");
}

TEST(TlsServerEndPoint, SignatureWithoutASingleHashIsRefused) {
  Result<std::string> h = TlsServerEndPointHashFromPem(kCertEd25519);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), "could not determine server certificate signature algorithm");
  EXPECT_FALSE(TlsServerEndPointHashFromPem("not a certificate").ok());
}

constexpr char kClientNonce[] = "rOprNGfwEbeRWgbNEkqO";
constexpr char kServerNonce[] = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
// RFC 7677's example salt ("W22ZaJ0SNY7soEsUEjb6gQ=="), decoded.
constexpr char kSaltHex[] = "5b6d99689d12358eeca04b141236fa81";
constexpr char kPlusClientFinal[] =
    "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCwsYTxGw7V3lnb4JvQDvYq5I0qGCWCwIoMmX/acWNBjE28=,"
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=TSprV3QVkk/+furmvbiJIZUVAQZyt6lv0jb+/1FhS7Q=";

ScramServer PlusServer(std::string cbind_data) {
  ScramServer server(MakeScramVerifier("pencil", 4096, Unhex(kSaltHex)), "user",
                     std::move(cbind_data));
  server.SetServerNonceForTest(kServerNonce);
  return server;
}

std::string PlusFirst() { return std::string("p=tls-server-end-point,,n=,r=") + kClientNonce; }

TEST(ScramPlusVector, ExchangeMatchesIndependentComputation) {
  Result<std::string> cbind = TlsServerEndPointHashFromPem(kCertSha256);
  ASSERT_TRUE(cbind.ok());
  ScramServer server = PlusServer(*cbind);
  ASSERT_EQ(server.Mechanisms().front(), kScramSha256Plus);
  Result<std::string> first = server.HandleClientFirst(kScramSha256Plus, PlusFirst());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first,
            std::string("r=") + kClientNonce + kServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  Result<std::string> final = server.HandleClientFinal(kPlusClientFinal);
  ASSERT_TRUE(final.ok()) << final.status().ToString();
  EXPECT_EQ(*final, "v=FQOJCufcwHvTPRQemkFlqgb4oa3HoUE0aRj9C9CCAmc=");
}

TEST(ScramPlusVector, AnotherCertificateFailsTheBindingCheck) {
  // The same messages against a server holding a different certificate: the c= attribute no
  // longer matches (a man in the middle terminating TLS with its own certificate).
  Result<std::string> other = TlsServerEndPointHashFromPem(kCertSha384);
  ASSERT_TRUE(other.ok());
  ScramServer server = PlusServer(*other);
  ASSERT_TRUE(server.HandleClientFirst(kScramSha256Plus, PlusFirst()).ok());
  Result<std::string> final = server.HandleClientFinal(kPlusClientFinal);
  ASSERT_FALSE(final.ok());
  EXPECT_EQ(final.status().sqlstate(), "28000");
  EXPECT_EQ(final.status().message(), "SCRAM channel binding check failed");
}

TEST(ScramPlusVector, PlusIsNotAcceptedWithoutTls) {
  ScramServer server = PlusServer("");
  EXPECT_EQ(server.Mechanisms().size(), 1u);
  Result<std::string> first = server.HandleClientFirst(kScramSha256Plus, PlusFirst());
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().message(), "client selected an invalid SASL authentication mechanism");
}

TEST(ScramPlusVector, YFlagWhilePlusWasOfferedIsADowngrade) {
  ScramServer server =
      PlusServer(Unhex("613c46c3b5779676f826f403bd8ab9234a860960b02283265ff69c58d063136f"));
  Result<std::string> first =
      server.HandleClientFirst(kScramSha256, std::string("y,,n=,r=") + kClientNonce);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().sqlstate(), "28000");
  EXPECT_EQ(first.status().message(), "SCRAM channel binding negotiation error");
}

TEST(ScramPassword, ClearTextPasswordChecksAgainstTheVerifier) {
  ScramVerifier v = MakeScramVerifier("pencil", 4096, Unhex(kSaltHex));
  EXPECT_TRUE(ScramPasswordMatches(v, "pencil"));
  EXPECT_FALSE(ScramPasswordMatches(v, "pencil "));
  EXPECT_FALSE(ScramPasswordMatches(v, ""));
  // SASLprep applies as for SCRAM: a soft hyphen is mapped to nothing.
  EXPECT_TRUE(ScramPasswordMatches(v, "pen\u00ADcil"));
}

TEST(ScramPassword, MockVerifierCostsTheSameIterationsAndNeverMatches) {
  ScramVerifier mock = MockScramVerifier("nobody");
  EXPECT_EQ(mock.iterations, kDefaultScramIterations);
  EXPECT_EQ(mock.iterations, MakeScramVerifier("x").iterations);
  EXPECT_EQ(mock.salt.size(), MakeScramVerifier("x").salt.size());
  EXPECT_EQ(MockScramVerifier("nobody").salt, mock.salt) << "deterministic per name";
  EXPECT_NE(MockScramVerifier("somebody").salt, mock.salt);
  EXPECT_FALSE(ScramPasswordMatches(mock, ""));
  EXPECT_FALSE(ScramPasswordMatches(mock, "nobody"));
}

}  // namespace
}  // namespace pgw
