#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace pgw {

namespace {

Status ConfigError(const std::string& what) {
  std::string detail;
  if (unsigned long e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    detail = std::string(": ") + buf;
  }
  ERR_clear_error();
  return Status::Error("F0000", what + detail);
}

bool ProtocolVersion(const std::string& name, int* version) {
  if (name == "TLSv1")
    *version = TLS1_VERSION;
  else if (name == "TLSv1.1")
    *version = TLS1_1_VERSION;
  else if (name == "TLSv1.2")
    *version = TLS1_2_VERSION;
  else if (name == "TLSv1.3")
    *version = TLS1_3_VERSION;
  else
    return false;
  return true;
}

// ALPN: pick "postgresql" when offered; refuse a client that offers only other protocols.
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  const size_t want = std::strlen(kPostgresAlpn);
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == want && std::memcmp(in + i + 1, kPostgresAlpn, want) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

}  // namespace

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::Create(const TlsOptions& options) {
  std::unique_ptr<TlsServerContext> tls(new TlsServerContext());
  SSL_CTX* ctx = tls->ctx_.native_handle();
  int min_version = 0;
  if (!ProtocolVersion(options.min_protocol, &min_version)) {
    return Status::Error("F0000", "invalid ssl_min_protocol_version \"" + options.min_protocol +
                                      "\": expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3");
  }
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) {
    return ConfigError("could not set the minimum TLS protocol version");
  }
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, options.ciphers.c_str()) != 1) {
    return ConfigError("could not set the TLS cipher list \"" + options.ciphers + "\"");
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, options.cert_file.c_str()) != 1) {
    return ConfigError("could not load server certificate file \"" + options.cert_file + "\"");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return ConfigError("could not load private key file \"" + options.key_file + "\"");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return ConfigError("private key file \"" + options.key_file +
                       "\" does not match the server certificate");
  }
  if (!options.ca_file.empty() &&
      SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(), nullptr) != 1) {
    return ConfigError("could not load root certificate file \"" + options.ca_file + "\"");
  }
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  std::ifstream f(options.cert_file, std::ios::binary);
  std::ostringstream pem;
  pem << f.rdbuf();
  tls->cert_pem_ = pem.str();
  return tls;
}

bool NegotiatedPostgresAlpn(SSL* ssl) {
  const unsigned char* proto = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl, &proto, &len);
  return len == std::strlen(kPostgresAlpn) && std::memcmp(proto, kPostgresAlpn, len) == 0;
}

}  // namespace pgw
