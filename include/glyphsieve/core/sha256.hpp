// SHA-256 of resources and inputs, for provenance: two runs can be compared by what they read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace glyphsieve {

/// An incremental SHA-256 (OpenSSL's libcrypto, which uses the CPU's SHA extensions where present).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything given to update() so far, as 64 lowercase hex digits. The object may
  /// go on being updated afterwards.
  std::string hex() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace glyphsieve
