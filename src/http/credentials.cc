// Key and password helpers that app/ calls (declared in server/server.h) and the
// workspace handler uses; they live here, beside what they wrap, so the API does
// not call up into the server.
#include <string>
#include <string_view>

#include "http/security.h"
#include "http/visitor_keys.h"
#include "server/server.h"

namespace sb {

std::string rotate_visitor_keys(const std::string& data_dir, std::int64_t grace_ms) {
  security::init();
  return rotate_keys(real_env(), data_dir, real_env().now_ms(), grace_ms).new_key_id;
}

std::string random_inbox_key() {
  security::init();
  return real_env().random_hex(8);
}

std::string hash_agent_password(std::string_view password) {
  security::init();
  return security::hash_password(password);
}

}  // namespace sb
