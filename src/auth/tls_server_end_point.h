// tls-server-end-point channel binding data (RFC 5929 section 4.1) for SCRAM-SHA-256-PLUS: the
// hash of the server certificate's DER encoding, with the hash algorithm of the certificate's
// signature, except that MD5 and SHA-1 are replaced by SHA-256. The TLS transport computes it
// once per certificate and hands it to ScramServer. Pure functions over OpenSSL objects.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace pgw {

// The channel binding bytes for `cert`. Errors: 08P01 (as PostgreSQL's be_tls_get_certificate_hash)
// when the signature algorithm names no single hash (e.g. Ed25519) or hashing fails.
[[nodiscard]] Result<std::string> TlsServerEndPointHash(const X509* cert);
// The same for the first certificate of a PEM text (what a certificate file holds).
[[nodiscard]] Result<std::string> TlsServerEndPointHashFromPem(std::string_view pem);

}  // namespace pgw
