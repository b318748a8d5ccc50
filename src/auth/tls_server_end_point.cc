// tls-server-end-point hash, as PostgreSQL's be_tls_get_certificate_hash computes it.
#include "auth/tls_server_end_point.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <memory>

#include "common/sqlstate.h"

namespace pgw {
namespace {

Status Failure(std::string message) {
  return Status::Error(sqlstate::kProtocolViolation, std::move(message));
}

}  // namespace

Result<std::string> TlsServerEndPointHash(const X509* cert) {
  if (cert == nullptr) return Failure("could not get server certificate");
  int algo_nid = NID_undef;
  if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &algo_nid, nullptr) ||
      algo_nid == NID_undef) {
    return Failure("could not determine server certificate signature algorithm");
  }
  // RFC 5929 section 4.1: MD5 and SHA-1 are upgraded to SHA-256.
  const EVP_MD* md = nullptr;
  if (algo_nid == NID_md5 || algo_nid == NID_sha1) {
    md = EVP_sha256();
  } else {
    md = EVP_get_digestbynid(algo_nid);
    if (md == nullptr) {
      return Failure(std::string("could not find digest for NID ") + OBJ_nid2sn(algo_nid));
    }
  }
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!X509_digest(cert, md, hash, &len))
    return Failure("could not generate server certificate hash");
  return std::string(reinterpret_cast<const char*>(hash), len);
}

Result<std::string> TlsServerEndPointHashFromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Failure("could not read certificate");
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return Failure("could not parse PEM certificate");
  return TlsServerEndPointHash(cert.get());
}

}  // namespace pgw
