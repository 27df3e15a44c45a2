// Header fields of a parsed message as plain values: decoded text, addresses,
// message ids, dates, and the signs of a message sent by a machine.
#pragma once

#include <gmime/gmime.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/mime.h"

namespace sb::mime::detail {

// The unfolded value of the first `name` field, trimmed and at most kMaxHeaderBytes;
// "" when absent.
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
std::string raw_header(GMimeObject* object, const char* name);

// Every `name` field joined with ", " (mail with both "Cc:" and "cc:" exists).
std::string all_headers(GMimeObject* object, const char* name);

// Unstructured text (Subject...): raw 8-bit bytes in any charset, then RFC 2047.
std::string decode_text(GMimeParserOptions* options, std::string_view raw);

std::vector<Address> parse_addresses(GMimeParserOptions* options, std::string_view raw);

// The ids in a Message-ID / In-Reply-To / References value, without brackets: the
// <...> tokens when there are any (Outlook adds prose around them), else the bare
// words that look like ids. At most `max` ids: the first and the last max-1.
std::vector<std::string> message_ids(std::string_view raw, std::size_t max);

std::optional<std::int64_t> date_ms(std::string_view raw);
std::string iso8601(std::int64_t ms);  // "2024-01-31T09:05:00Z"

// RFC 3834 and the vendors' headers, then out-of-office subjects.
bool is_auto_reply(GMimeObject* message, std::string_view subject);

}  // namespace sb::mime::detail
