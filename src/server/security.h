// Private to server/: passwords, tokens and signatures (libsodium).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/core.h"

namespace sb::security {

void init();  // sodium_init; call once before anything else here
std::string random_hex(std::size_t bytes);
std::string sha256_hex(std::string_view data);
std::string hash_password(std::string_view password);  // argon2id, self-describing string
bool verify_password(const std::string& hash, std::string_view password);
bool constant_time_equal(std::string_view a, std::string_view b);

// Visitor tokens: "v1.<workspace>.<visitor id>.<hmac>", HMAC-SHA256 under the server secret.
struct VisitorClaims {
  Id workspace_id = 0;
  std::string visitor_id;
};
std::string sign_visitor(std::string_view secret, const VisitorClaims& claims);
std::optional<VisitorClaims> verify_visitor(std::string_view secret, std::string_view token);

}  // namespace sb::security
