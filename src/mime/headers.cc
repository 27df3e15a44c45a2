#include "mime/headers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "mime/charset.h"
#include "mime/gmime_util.h"
#include "mime/text.h"

namespace sb::mime::detail {

namespace {

// Header bytes that are not UTF-8 came from some 8-bit charset: guess it.
std::string as_utf8(std::string_view raw) {
  std::string bytes(raw);
  strip_nuls(bytes);
  if (is_valid_utf8(bytes)) return bytes;
  return to_utf8(bytes, "").utf8;
}

std::string lower_domain(std::string address) {
  auto at = address.rfind('@');
  if (at == std::string::npos) return address;
  std::transform(address.begin() + static_cast<std::ptrdiff_t>(at), address.end(),
                 address.begin() + static_cast<std::ptrdiff_t>(at),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return address;
}

constexpr std::size_t kMaxAddresses = 500;

void collect(InternetAddressList* list, std::vector<Address>& out, int depth) {
  if (!list || depth > 2) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < kMaxAddresses; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      collect(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) continue;
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    const char* name = internet_address_get_name(ia);
    Address a{name ? std::string(trim(name)) : "", lower_domain(addr ? addr : "")};
    if (!a.address.empty() || !a.name.empty()) out.push_back(std::move(a));
  }
}

bool looks_like_id(std::string_view word) {
  return word.size() >= 3 && word.find('@') != std::string_view::npos &&
         word.find_first_of("()\"") == std::string_view::npos;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return lower(haystack).find(needle) != std::string::npos;
}

// Unicode-aware lower case, so Cyrillic and accented subjects compare too.
std::string fold_case(std::string_view s) {
  return take_gstr(g_utf8_casefold(s.data(), static_cast<gssize>(s.size())));
}

bool has_out_of_office_subject(std::string_view subject) {
  static const std::array<std::string_view, 14> kPrefixes = {
      "out of office", "automatic reply",     "auto reply",         "autoreply",
      "auto-reply",    "risposta automatica", "fuori sede",         "автоматический ответ",
      "вне офиса",     "házon kívül",         "automatikus válasz", "odpowiedź automatyczna",
      "poza biurem",   "abwesenheitsnotiz"};
  std::string folded = fold_case(trim(subject));
  return std::any_of(kPrefixes.begin(), kPrefixes.end(), [&](std::string_view prefix) {
    return folded.compare(0, prefix.size(), fold_case(prefix)) == 0;
  });
}

}  // namespace

std::string raw_header(GMimeObject* object, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  if (!list) return {};
  GMimeHeader* header = g_mime_header_list_get_header(list, name);
  if (!header) return {};
  const char* raw = g_mime_header_get_raw_value(header);
  if (!raw) return {};
  std::string_view bounded(raw, strnlen(raw, kMaxHeaderBytes));
  std::string unfolded = take_gstr(g_mime_utils_header_unfold(std::string(bounded).c_str()));
  return std::string(trim(unfolded));
}

std::string all_headers(GMimeObject* object, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  std::string joined;
  int count = list ? g_mime_header_list_get_count(list) : 0;
  for (int i = 0; i < count && i < 1000 && joined.size() < kMaxHeaderBytes; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* header_name = g_mime_header_get_name(header);
    const char* raw = g_mime_header_get_raw_value(header);
    if (!header_name || !raw || g_ascii_strcasecmp(header_name, name) != 0) continue;
    std::string value(raw, strnlen(raw, kMaxHeaderBytes));
    std::string unfolded = take_gstr(g_mime_utils_header_unfold(value.c_str()));
    if (trim(unfolded).empty()) continue;
    if (!joined.empty()) joined += ", ";
    joined += trim(unfolded);
  }
  return joined;
}

std::string decode_text(GMimeParserOptions* options, std::string_view raw) {
  std::string utf8 = as_utf8(raw);
  std::string decoded = take_gstr(g_mime_utils_header_decode_text(options, utf8.c_str()));
  decoded = is_valid_utf8(decoded) ? undo_double_encoding(decoded) : to_utf8(decoded, "").utf8;
  std::replace_if(  // folding leaves tabs; controls have no place in one line
      decoded.begin(), decoded.end(), [](char c) { return c >= 0 && c < 0x20; }, ' ');
  return std::string(trim(decoded));
}

std::vector<Address> parse_addresses(GMimeParserOptions* options, std::string_view raw) {
  std::vector<Address> out;
  if (trim(raw).empty()) return out;
  std::string utf8 = as_utf8(raw);
  InternetAddressList* list = internet_address_list_parse(options, utf8.c_str());
  collect(list, out, 0);
  if (list) g_object_unref(list);
  for (auto& a : out)
    a.name = is_valid_utf8(a.name) ? undo_double_encoding(a.name) : to_utf8(a.name, "").utf8;
  return out;
}

std::vector<std::string> message_ids(std::string_view raw, std::size_t max) {
  std::vector<std::string> ids;
  for (std::size_t pos = 0; (pos = raw.find('<', pos)) != std::string_view::npos;) {
    std::size_t end = raw.find('>', pos + 1);
    if (end == std::string_view::npos) break;
    std::string_view id = trim(raw.substr(pos + 1, end - pos - 1));
    if (!id.empty() && id.size() <= 998 && id.find_first_of(" \t<") == std::string_view::npos)
      ids.emplace_back(id);
    pos = end + 1;
  }
  if (ids.empty()) {
    std::size_t pos = 0;
    while (pos < raw.size()) {
      std::size_t start = raw.find_first_not_of(" \t,", pos);
      if (start == std::string_view::npos) break;
      std::size_t end = raw.find_first_of(" \t,", start);
      std::string_view word = raw.substr(start, end == std::string_view::npos ? end : end - start);
      if (looks_like_id(word) && word.size() <= 998) ids.emplace_back(word);
      pos = end;
    }
  }
  if (ids.size() > max && max > 0) {
    ids.erase(ids.begin() + 1, ids.end() - static_cast<std::ptrdiff_t>(max - 1));
  }
  return ids;
}

std::optional<std::int64_t> date_ms(std::string_view raw) {
  if (trim(raw).empty()) return std::nullopt;
  std::string text(raw);
  GDateTime* dt = g_mime_utils_header_decode_date(text.c_str());
  if (!dt) return std::nullopt;
  std::int64_t ms = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
  g_date_time_unref(dt);
  return ms;
}

std::string iso8601(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  if (!gmtime_r(&seconds, &tm)) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool is_auto_reply(GMimeObject* message, std::string_view subject) {
  std::string auto_submitted = lower(raw_header(message, "Auto-Submitted"));
  auto_submitted = std::string(trim(auto_submitted.substr(0, auto_submitted.find(';'))));
  if (!auto_submitted.empty() && auto_submitted != "no") return true;
  std::string precedence = lower(raw_header(message, "Precedence"));
  if (precedence == "bulk" || precedence == "junk" || precedence == "list") return true;
  std::string autoreply = lower(raw_header(message, "X-Autoreply"));
  if (!autoreply.empty() && autoreply != "no") return true;
  for (const char* name : {"X-Autorespond", "X-Mail-Autoreply", "X-AutoReply-From"})
    if (!raw_header(message, name).empty()) return true;
  if (contains_ci(raw_header(message, "X-Autogenerated"), "reply")) return true;
  std::string suppress = raw_header(message, "X-Auto-Response-Suppress");
  if (contains_ci(suppress, "all") || contains_ci(suppress, "oof")) return true;
  return has_out_of_office_subject(subject);
}

}  // namespace sb::mime::detail
