#include "totp/totp.h"

#include <liboath/oath.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace sb::totp {
namespace {

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

std::string percent_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string base32(std::string_view bytes) {
  init_once();
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) return {};
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  std::string text(out, len);
  text.erase(std::remove(text.begin(), text.end(), '='), text.end());
  return text;
}

std::string otpauth_url(std::string_view issuer, std::string_view account,
                        std::string_view secret_bytes) {
  auto label = percent_encode(issuer) + ":" + percent_encode(account);
  return "otpauth://totp/" + label + "?secret=" + base32(secret_bytes) +
         "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::optional<std::int64_t> verify(std::string_view secret_bytes, std::string_view code,
                                   std::int64_t now_s, std::int64_t last_step) {
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), ::isdigit)) return std::nullopt;
  init_once();
  std::string otp(code);
  int pos = 0;
  std::uint64_t counter = 0;
  int rc = oath_totp_validate3(secret_bytes.data(), secret_bytes.size(), now_s, kStepSeconds, 0, 1,
                               &pos, &counter, otp.c_str());
  if (rc < 0) return std::nullopt;
  auto step = static_cast<std::int64_t>(counter);
  if (step <= last_step) return std::nullopt;  // replayed
  return step;
}

std::string code_at(std::string_view secret_bytes, std::int64_t now_s) {
  init_once();
  char out[7] = {};
  if (oath_totp_generate(secret_bytes.data(), secret_bytes.size(), now_s, kStepSeconds, 0, 6,
                         out) != OATH_OK)
    return {};
  return out;
}

}  // namespace sb::totp
