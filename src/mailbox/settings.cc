// MailboxSettings: validation and the JSON shapes (API and stored).
#include <algorithm>
#include <stdexcept>

#include "mailbox/imap_text.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxField = 512;

const char* after_fetch_name(AfterFetch a) {
  switch (a) {
    case AfterFetch::keep:
      return "keep";
    case AfterFetch::mark_seen:
      return "mark_seen";
    case AfterFetch::move:
      return "move";
  }
  return "keep";
}

AfterFetch parse_after_fetch(std::string_view s) {
  if (s == "keep") return AfterFetch::keep;
  if (s == "mark_seen") return AfterFetch::mark_seen;
  if (s == "move") return AfterFetch::move;
  throw std::invalid_argument("after_fetch must be keep, mark_seen or move");
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool plausible_address(std::string_view a) {
  auto at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find('@', at + 1) == std::string_view::npos &&
         a.find_first_of(" <>\t\",;") == std::string_view::npos;
}

void check_server(const char* name, const ServerSettings& s, std::vector<std::string>& problems) {
  std::string n = name;
  if (s.host.empty() || s.host.size() > 253 ||
      s.host.find_first_of(" /\t\r\n") != std::string::npos)
    problems.push_back(n + " host is missing or not a host name");
  if (s.port < 1 || s.port > 65535) problems.push_back(n + " port must be 1-65535");
  if (s.security == Security::none && !s.host.empty() && !is_loopback_host(s.host))
    problems.push_back(n + " without TLS is only allowed to this machine (loopback)");
  if (has_control_chars(s.user) || has_control_chars(s.password) || s.user.size() > kMaxField ||
      s.password.size() > kMaxField)
    problems.push_back(n + " user or password has line breaks or is too long");
}

json::object server_json(const ServerSettings& s) {
  return {{"host", s.host},
          {"port", s.port},
          {"security", security_name(s.security)},
          {"user", s.user},
          {"password_set", !s.password.empty()}};
}

std::string string_field(const json::object& o, const char* key, const std::string& fallback) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return fallback;
  if (!it->value().is_string()) throw std::invalid_argument(std::string(key) + " must be a string");
  return std::string(it->value().as_string());
}

ServerSettings server_from(const json::value* v, const ServerSettings* previous) {
  ServerSettings s = previous ? *previous : ServerSettings{};
  if (!v || v->is_null()) return s;
  if (!v->is_object()) throw std::invalid_argument("imap and smtp must be objects");
  const auto& o = v->as_object();
  s.host = string_field(o, "host", s.host);
  if (auto it = o.find("port"); it != o.end()) {
    if (!it->value().is_int64()) throw std::invalid_argument("port must be a number");
    s.port = static_cast<int>(std::clamp<std::int64_t>(it->value().as_int64(), -1, 70000));
  }
  if (auto sec = string_field(o, "security", ""); !sec.empty()) {
    auto parsed = parse_security(sec);
    if (!parsed) throw std::invalid_argument("security must be tls, starttls or none");
    s.security = *parsed;
  }
  s.user = string_field(o, "user", s.user);
  s.password = string_field(o, "password", s.password);
  return s;
}

}  // namespace

const char* security_name(Security s) {
  switch (s) {
    case Security::tls:
      return "tls";
    case Security::starttls:
      return "starttls";
    case Security::none:
      return "none";
  }
  return "tls";
}

std::optional<Security> parse_security(std::string_view name) {
  if (name == "tls") return Security::tls;
  if (name == "starttls") return Security::starttls;
  if (name == "none") return Security::none;
  return std::nullopt;
}

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::none:
      return "none";
    case Stage::settings:
      return "settings";
    case Stage::dns:
      return "dns";
    case Stage::connect:
      return "connect";
    case Stage::tls:
      return "tls";
    case Stage::auth:
      return "auth";
    case Stage::mailbox:
      return "mailbox";
    case Stage::mail_from:
      return "mail_from";
    case Stage::rcpt:
      return "rcpt";
    case Stage::data:
      return "data";
    case Stage::protocol:
      return "protocol";
  }
  return "none";
}

std::vector<std::string> validate(const MailboxSettings& s) {
  std::vector<std::string> problems;
  check_server("IMAP", s.imap, problems);
  check_server("SMTP", s.smtp, problems);
  // Non-ASCII names need IMAP's modified UTF-7, which this client does not write.
  auto folder_ok = [](const std::string& f) {
    return !f.empty() && f.size() <= 200 &&
           std::all_of(f.begin(), f.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  };
  if (!folder_ok(s.folder)) problems.push_back("folder must be a plain ASCII name");
  if (s.after_fetch == AfterFetch::move && (!folder_ok(s.move_to) || s.move_to == s.folder))
    problems.push_back("moving fetched mail needs another folder to move it to");
  if (!plausible_address(s.from_address) || s.from_address.size() > 254)
    problems.push_back("from address is not an e-mail address");
  if (has_control_chars(s.display_name) || s.display_name.size() > 200)
    problems.push_back("display name has line breaks or is too long");
  return problems;
}

json::object to_json(const MailboxSettings& s) {
  return {{"imap", server_json(s.imap)},
          {"folder", s.folder},
          {"after_fetch", after_fetch_name(s.after_fetch)},
          {"move_to", s.move_to},
          {"smtp", server_json(s.smtp)},
          {"from_address", s.from_address},
          {"display_name", s.display_name},
          {"allow_self_signed", s.allow_self_signed}};
}

MailboxSettings from_json(const json::value& v, const MailboxSettings* previous) {
  if (!v.is_object()) throw std::invalid_argument("mailbox settings must be an object");
  const auto& o = v.as_object();
  MailboxSettings s = previous ? *previous : MailboxSettings{};
  s.imap = server_from(o.if_contains("imap"), previous ? &previous->imap : nullptr);
  s.smtp = server_from(o.if_contains("smtp"), previous ? &previous->smtp : nullptr);
  s.folder = string_field(o, "folder", s.folder);
  if (auto a = string_field(o, "after_fetch", ""); !a.empty()) s.after_fetch = parse_after_fetch(a);
  s.move_to = string_field(o, "move_to", s.move_to);
  s.from_address = string_field(o, "from_address", s.from_address);
  s.display_name = string_field(o, "display_name", s.display_name);
  if (auto it = o.find("allow_self_signed"); it != o.end()) {
    if (!it->value().is_bool())
      throw std::invalid_argument("allow_self_signed must be true or false");
    s.allow_self_signed = it->value().as_bool();
  }
  return s;
}

std::string to_stored_json(const MailboxSettings& s, const PasswordBox& box) {
  auto o = to_json(s);
  o["imap"].as_object()["password_sealed"] = box.seal(s.imap.password);
  o["smtp"].as_object()["password_sealed"] = box.seal(s.smtp.password);
  return json::serialize(o);
}

MailboxSettings from_stored_json(std::string_view text, const PasswordBox& box) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("stored mailbox settings are not JSON");
  auto s = from_json(v);
  for (auto [key, server] : {std::pair{"imap", &s.imap}, std::pair{"smtp", &s.smtp}}) {
    const auto* o = v.as_object().at(key).if_object();
    const auto* sealed = o ? o->if_contains("password_sealed") : nullptr;
    if (!sealed || !sealed->is_string()) throw std::invalid_argument("stored password missing");
    auto password = box.unseal(sealed->as_string());
    if (!password)
      throw std::invalid_argument(std::string("the ") + key +
                                  " password cannot be unsealed (key file changed?)");
    server->password = *password;
  }
  return s;
}

}  // namespace sb::mailbox
