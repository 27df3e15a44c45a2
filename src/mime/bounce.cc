#include "mime/bounce.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "mime/text.h"

namespace sb::mime::detail {

namespace {

// "rfc822; user@example.com" -> "user@example.com"
std::string after_type(std::string_view value) {
  auto semi = value.find(';');
  return std::string(trim(semi == std::string_view::npos ? value : value.substr(semi + 1)));
}

struct Field {
  std::string name, value;
};
using Block = std::vector<Field>;

constexpr std::size_t kMaxBlocks = 100;

// Header-like blocks separated by blank lines, continuation lines unfolded.
std::vector<Block> read_blocks(std::string_view body) {
  std::vector<Block> blocks(1);
  std::size_t pos = 0;
  while (pos < body.size() && blocks.size() <= kMaxBlocks) {
    std::size_t end = body.find('\n', pos);
    std::string_view line = body.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? body.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
    } else if ((line[0] == ' ' || line[0] == '\t') && !blocks.back().empty()) {
      blocks.back().back().value += " " + std::string(trim(line));
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      blocks.back().push_back(
          {lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    }
  }
  return blocks;
}

std::string field(const Block& block, std::string_view name) {
  for (const auto& f : block)
    if (f.name == name) return f.value;
  return {};
}

bool is_address_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("._%+-='").find(c) != std::string_view::npos;
}

std::vector<std::string> addresses_in(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  for (std::size_t at = text.find('@'); at != std::string_view::npos && out.size() < max;
       at = text.find('@', at + 1)) {
    std::size_t start = at, end = at + 1;
    while (start > 0 && is_address_char(text[start - 1])) --start;
    while (end < text.size() && (is_address_char(text[end]) || text[end] == '.')) ++end;
    while (end > at + 1 && text[end - 1] == '.') --end;
    if (start == at || end == at + 1) continue;
    std::string_view domain = text.substr(at + 1, end - at - 1);
    if (domain.find('.') == std::string_view::npos) continue;
    out.emplace_back(text.substr(start, end - start));
  }
  return out;
}

std::string first_status_code(std::string_view text) {
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    if ((text[i] != '4' && text[i] != '5') || text[i + 1] != '.') continue;
    if (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))
      continue;
    std::size_t j = i + 2, digits = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && digits < 3)
      ++j, ++digits;
    if (digits == 0 || j >= text.size() || text[j] != '.') continue;
    std::size_t k = j + 1;
    digits = 0;
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) && digits < 3)
      ++k, ++digits;
    if (digits == 0) continue;
    if (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.'))
      continue;
    return std::string(text.substr(i, k - i));
  }
  return {};
}

}  // namespace

Bounce read_delivery_status(std::string_view body) {
  Bounce bounce;
  auto blocks = read_blocks(body);
  const Block* chosen = nullptr;
  for (std::size_t i = 1; i < blocks.size(); ++i) {
    if (blocks[i].empty()) continue;
    if (!chosen) chosen = &blocks[i];
    if (lower(field(blocks[i], "action")) == "failed") {
      chosen = &blocks[i];
      break;
    }
  }
  if (!chosen && !blocks.empty()) chosen = &blocks[0];
  if (!chosen) return bounce;
  bounce.recipient = after_type(field(*chosen, "final-recipient"));
  if (bounce.recipient.empty()) bounce.recipient = after_type(field(*chosen, "original-recipient"));
  bounce.status = std::string(trim(field(*chosen, "status")).substr(0, 20));
  bounce.diagnostic = after_type(field(*chosen, "diagnostic-code")).substr(0, 1000);
  return bounce;
}

bool looks_like_bounce(const Address& from, std::string_view subject) {
  std::string local = lower(from.address.substr(0, from.address.find('@')));
  std::string name = lower(from.name);
  bool daemon = local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon" ||
                name.find("mailer-daemon") != std::string::npos ||
                name.find("mail delivery") != std::string::npos;
  if (!daemon) return false;
  static const std::array<std::string_view, 9> kSubjects = {
      "undelivered",          "delivery status notification",
      "mail delivery failed", "undeliverable",
      "returned mail",        "failure notice",
      "delivery failure",     "non remis",
      "non recapitabile"};
  std::string s = lower(subject);
  return std::any_of(kSubjects.begin(), kSubjects.end(),
                     [&](std::string_view k) { return s.find(k) != std::string::npos; });
}

void complete_from_text(Bounce& bounce, std::string_view text, std::string_view own_address) {
  text = text.substr(0, 64 * 1024);
  if (bounce.recipient.empty()) {
    std::string own = lower(own_address);
    for (const auto& a : addresses_in(text, 20)) {
      std::string l = lower(a);
      if (l == own || l.rfind("mailer-daemon@", 0) == 0 || l.rfind("postmaster@", 0) == 0) continue;
      bounce.recipient = a;
      break;
    }
  }
  if (bounce.status.empty()) bounce.status = first_status_code(text);
  if (bounce.original_message_id.empty()) {
    std::string l = lower(text);
    if (auto at = l.find("message-id:"); at != std::string::npos) {
      auto open = text.find('<', at), close = text.find('>', open);
      if (open != std::string_view::npos && close != std::string_view::npos && close - open < 1000)
        bounce.original_message_id = std::string(text.substr(open + 1, close - open - 1));
    }
  }
}

}  // namespace sb::mime::detail
