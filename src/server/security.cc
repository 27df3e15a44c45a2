#include "server/security.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace sb::security {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string hmac_hex(std::string_view key, std::string_view msg) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return to_hex(mac, sizeof mac);
}

}  // namespace

void init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_hex(std::size_t bytes) {
  if (bytes == 0) return {};  // randombytes_buf's buffer is declared nonnull
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return to_hex(buf.data(), buf.size());
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(out, sizeof out);
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sign_visitor(std::string_view secret, const VisitorClaims& c) {
  std::string payload = "v1." + std::to_string(c.workspace_id) + "." + c.visitor_id;
  return payload + "." + hmac_hex(secret, payload);
}

std::optional<VisitorClaims> verify_visitor(std::string_view secret, std::string_view token) {
  auto dot = token.rfind('.');
  if (dot == std::string_view::npos || token.substr(0, 3) != "v1.") return std::nullopt;
  auto payload = token.substr(0, dot);
  if (!constant_time_equal(hmac_hex(secret, payload), token.substr(dot + 1))) return std::nullopt;
  auto rest = payload.substr(3);
  auto mid = rest.find('.');
  if (mid == std::string_view::npos || mid == 0) return std::nullopt;
  VisitorClaims c;
  for (char ch : rest.substr(0, mid)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    c.workspace_id = c.workspace_id * 10 + (ch - '0');
  }
  c.visitor_id = std::string(rest.substr(mid + 1));
  if (c.visitor_id.empty()) return std::nullopt;
  return c;
}

}  // namespace sb::security
