#include "mailbox/imap_text.h"

#include <sodium.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace sb::mailbox {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string numbered_untagged_kind(std::string_view line) {
  if (!line.starts_with("* ")) return {};
  auto rest = line.substr(2);
  auto sp = rest.find(' ');
  if (sp == std::string_view::npos || sp == 0) return {};
  if (!std::all_of(rest.begin(), rest.begin() + sp, [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  auto word = rest.substr(sp + 1);
  return upper(std::string(word.substr(0, word.find(' '))));
}

std::string clip(std::string s) {
  if (s.size() > 300) s.resize(300);
  return s;
}

std::optional<std::uint64_t> number_after(std::string_view line, std::string_view key) {
  auto up = upper(std::string(line));
  std::string k = upper(std::string(key)) + " ";
  for (std::size_t at = up.find(k); at != std::string::npos; at = up.find(k, at + 1)) {
    if (at > 0 && up[at - 1] != ' ' && up[at - 1] != '(' && up[at - 1] != '[') continue;
    std::uint64_t n = 0;
    auto begin = line.data() + at + k.size();
    auto [end, ec] = std::from_chars(begin, line.data() + line.size(), n);
    if (ec == std::errc() && end != begin) return n;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> literal_size(std::string_view line) {
  if (!line.ends_with('}')) return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto digits = line.substr(open + 1, line.size() - open - 2);
  if (digits.ends_with('+')) digits.remove_suffix(1);  // LITERAL+
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return n;
}

std::string quoted(std::string_view s) {
  if (s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    throw std::invalid_argument("a line break cannot go into an IMAP command");
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

}  // namespace sb::mailbox
