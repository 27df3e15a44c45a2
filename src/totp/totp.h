// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps) on
// Debian's liboath, for agents' two-factor sign-in. No I/O, no clock: the
// caller passes the time and the secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::totp {

constexpr unsigned kStepSeconds = 30;

// RFC 4648 base32 without padding, as authenticator apps take it.
std::string base32(std::string_view bytes);
// The otpauth:// link an authenticator app scans (as a QR code) or takes pasted.
std::string otpauth_url(std::string_view issuer, std::string_view account,
                        std::string_view secret_bytes);
// The step a 6-digit code is valid for, within one step either side of `now_s`
// (clock drift), and only if later than `last_step` (a code works once).
std::optional<std::int64_t> verify(std::string_view secret_bytes, std::string_view code,
                                   std::int64_t now_s, std::int64_t last_step);
// The code at a time; tests and the enrolment preview use it.
std::string code_at(std::string_view secret_bytes, std::int64_t now_s);

}  // namespace sb::totp
