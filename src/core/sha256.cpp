// SHA-256 over OpenSSL's EVP interface (see sha256.hpp; docs/design.md says why libcrypto).
#include "glyphsieve/core/sha256.hpp"

#include <openssl/evp.h>

#include <new>

namespace glyphsieve {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : s_(std::make_unique<State>()) {
  s_->ctx = EVP_MD_CTX_new();
  if (!s_->ctx || EVP_DigestInit_ex(s_->ctx, EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  if (!bytes.empty()) EVP_DigestUpdate(s_->ctx, bytes.data(), bytes.size());
}

std::string Sha256::hex() const {
  // Finishing consumes a context: finish a copy, so update() may go on.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  if (!copy || EVP_MD_CTX_copy_ex(copy, s_->ctx) != 1) {
    EVP_MD_CTX_free(copy);
    throw std::bad_alloc();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(copy, digest, &size);
  EVP_MD_CTX_free(copy);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{2} * size);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace glyphsieve
