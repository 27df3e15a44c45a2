// Small pieces of IMAP text: what the client parses out of server lines and
// how it writes arguments. Pure functions, unit-tested on their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::mailbox {

// The number after `key` in `line` ("UID 42"), `key` a whole word.
std::optional<std::uint64_t> number_after(std::string_view line, std::string_view key);
// The literal size a line announces at its end ("... BODY[] {1234}").
std::optional<std::uint64_t> literal_size(std::string_view line);
// "* 12 EXISTS" -> "EXISTS"; empty when the line is not "* <number> <word>".
std::string numbered_untagged_kind(std::string_view line);
// An IMAP quoted string; throws std::invalid_argument on CR, LF or NUL.
std::string quoted(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string upper(std::string s);
std::string base64(std::string_view bytes);
// At most 300 bytes of a server's line, for error messages.
std::string clip(std::string s);
bool is_loopback_host(const std::string& host);

}  // namespace sb::mailbox
