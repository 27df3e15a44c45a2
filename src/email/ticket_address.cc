// Ticket reply addresses and ticket numbers in subjects.
#include <sodium.h>

#include <charconv>

#include "email/email.h"

namespace sb::email {
namespace {

constexpr std::size_t kMacHexDigits = 12;  // 48 bits: guessing takes a mail per try
constexpr std::size_t kMaxNumberDigits = 15;

std::string mac_of(const MailInbox& inbox, Id ticket) {
  crypto_auth_hmacsha256_state st;
  const auto* key = reinterpret_cast<const unsigned char*>(inbox.token_key.data());
  crypto_auth_hmacsha256_init(&st, key, inbox.token_key.size());
  auto msg = std::to_string(inbox.workspace_id) + ":" + std::to_string(ticket);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string(hex, kMacHexDigits);
}

std::optional<Id> parse_number(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxNumberDigits) return std::nullopt;
  Id n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || n <= 0) return std::nullopt;
  return n;
}

std::pair<std::string_view, std::string_view> split_address(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return {address, {}};
  return {address.substr(0, at), address.substr(at + 1)};
}

}  // namespace

bool MailInbox::is_own(std::string_view candidate) const {
  auto a = lower_ascii(candidate), own = lower_ascii(address);
  if (a.empty()) return false;
  if (a == own) return true;
  // support+anything@ is ours too (the ticket reply addresses are).
  auto [local, domain] = split_address(a);
  auto [own_local, own_domain] = split_address(own);
  if (domain == own_domain && local.starts_with(std::string(own_local) + "+")) return true;
  for (const auto& alias : aliases)
    if (a == lower_ascii(alias)) return true;
  return false;
}

std::string ticket_address(const MailInbox& inbox, Id ticket) {
  auto [local, domain] = split_address(inbox.address);
  return std::string(local) + "+t" + std::to_string(ticket) + "-" + mac_of(inbox, ticket) + "@" +
         std::string(domain);
}

std::optional<Id> ticket_of_address(const MailInbox& inbox, std::string_view address) {
  if (address.size() > 320) return std::nullopt;
  auto given = lower_ascii(address), own = lower_ascii(inbox.address);
  auto [local, domain] = split_address(given);
  auto [own_local, own_domain] = split_address(own);
  if (domain != own_domain || !local.starts_with(own_local)) return std::nullopt;
  auto tag = std::string_view(local).substr(own_local.size());
  if (!tag.starts_with("+t")) return std::nullopt;
  tag.remove_prefix(2);
  auto dash = tag.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto number = parse_number(tag.substr(0, dash));
  if (!number) return std::nullopt;
  auto mac = tag.substr(dash + 1);
  auto want = mac_of(inbox, *number);
  if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0)
    return std::nullopt;
  return number;
}

std::optional<Id> ticket_in_subject(std::string_view subject) {
  subject = subject.substr(0, 2000);
  for (auto at = subject.find("[#"); at != std::string_view::npos;
       at = subject.find("[#", at + 2)) {
    auto rest = subject.substr(at + 2);
    auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    if (auto n = parse_number(rest.substr(0, close))) return n;
  }
  return std::nullopt;
}

}  // namespace sb::email
