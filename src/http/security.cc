#include "http/security.h"

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

std::string sign_visitor(const SigningKey& key, const VisitorClaims& c) {
  std::string payload = "v2." + key.id + "." + std::to_string(c.expires_at) + "." +
                        std::to_string(c.workspace_id) + "." + c.visitor_id;
  return payload + "." + hmac_hex(key.secret, payload);
}

namespace {

// A non-negative decimal of 1-18 digits.
std::optional<std::int64_t> decimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// Cuts `s` at the next dot: the part before it, and `s` becomes the rest.
std::optional<std::string_view> next_field(std::string_view& s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto field = s.substr(0, dot);
  s.remove_prefix(dot + 1);
  return field;
}

}  // namespace

std::optional<VisitorClaims> verify_visitor(const KeyLookup& secret_of, std::string_view token,
                                            Millis now) {
  auto dot = token.rfind('.');
  if (dot == std::string_view::npos || dot < 3 || token.substr(0, 3) != "v2.") return std::nullopt;
  auto payload = token.substr(0, dot);
  std::string_view rest = payload.substr(3);
  auto key_id = next_field(rest);
  auto expires = next_field(rest);
  auto workspace = next_field(rest);
  if (!key_id || !expires || !workspace || key_id->empty()) return std::nullopt;
  auto secret = secret_of(*key_id);
  if (!secret || !constant_time_equal(hmac_hex(*secret, payload), token.substr(dot + 1)))
    return std::nullopt;
  auto exp = decimal(*expires);
  auto ws = decimal(*workspace);
  if (!exp || !ws || *ws == 0 || rest.empty() || *exp <= now) return std::nullopt;
  return VisitorClaims{*ws, std::string(rest), *exp};
}

}  // namespace sb::security
