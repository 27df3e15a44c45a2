// Part of http/, exported by http/http.h: passwords, tokens and signatures (libsodium).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/core.h"

namespace sb::security {

void init();  // sodium_init; call once before anything else here
std::string sha256_hex(std::string_view data);
std::string hash_password(std::string_view password);  // argon2id, self-describing string
bool verify_password(const std::string& hash, std::string_view password);
bool constant_time_equal(std::string_view a, std::string_view b);

// Visitor tokens: "v2.<key id>.<expires at, ms>.<workspace>.<visitor id>.<hmac>",
// HMAC-SHA256 over everything before the last dot under the key named by its id,
// so keys can be rotated while tokens signed by the previous key stay valid.
struct VisitorClaims {
  Id workspace_id = 0;
  std::string visitor_id;
  Millis expires_at = 0;
};
struct SigningKey {
  std::string id;  // short, no dots
  std::string secret;
};
// The secret of an accepted key, or nullopt if the id is unknown or retired.
using KeyLookup = std::function<std::optional<std::string>(std::string_view key_id)>;
std::string sign_visitor(const SigningKey& key, const VisitorClaims& claims);
// Claims of a well-formed, correctly signed token that has not expired at `now`.
std::optional<VisitorClaims> verify_visitor(const KeyLookup& secret_of, std::string_view token,
                                            Millis now);

}  // namespace sb::security
