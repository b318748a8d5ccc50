// TlsServerContext: the server side of TLS for client connections: an asio::ssl::context loaded
// from a certificate and key (PEM files), with a minimum protocol version, a cipher list and an
// ALPN callback that accepts "postgresql" (PostgreSQL 17's direct TLS requires it; a client that
// offers only other protocols is refused with the no_application_protocol alert). It knows
// TLS, not the PostgreSQL protocol. Built once at start; thread-safe to share afterwards.
#pragma once

#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>
#include <memory>
#include <string>

#include "common/status.h"

namespace pgw {

struct TlsOptions {
  std::string cert_file;
  std::string key_file;
  std::string ca_file;                       // optional: trusted CAs for client certificates
  std::string min_protocol = "TLSv1.2";      // TLSv1 | TLSv1.1 | TLSv1.2 | TLSv1.3
  std::string ciphers = "HIGH:!aNULL:!MD5";  // TLS 1.2 and below (OpenSSL cipher list)
};

// The ALPN protocol of the PostgreSQL wire protocol over TLS.
inline constexpr char kPostgresAlpn[] = "postgresql";

class TlsServerContext {
 public:
  // Errors: F0000 naming the file or setting that could not be used.
  [[nodiscard]] static Result<std::unique_ptr<TlsServerContext>> Create(const TlsOptions& options);

  asio::ssl::context& context() { return ctx_; }
  // The server certificate in PEM (for the channel binding hash).
  const std::string& cert_pem() const { return cert_pem_; }

 private:
  TlsServerContext() : ctx_(asio::ssl::context::tls_server) {}

  asio::ssl::context ctx_;
  std::string cert_pem_;
};

// True when the handshake of `ssl` settled on ALPN kPostgresAlpn.
bool NegotiatedPostgresAlpn(SSL* ssl);

}  // namespace pgw
