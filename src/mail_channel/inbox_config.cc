#include "mail_channel/inbox_config.h"

#include <stdexcept>

namespace sb::mail_channel {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxField = 500;
constexpr std::size_t kMaxAliases = 20;

std::string field(const json::object& o, std::string_view key, const std::string& previous,
                  std::vector<std::string>& problems) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return previous;
  if (!v->is_string()) {
    problems.push_back(std::string(key) + " must be text");
    return previous;
  }
  std::string s(v->as_string());
  if (s.size() > kMaxField || !is_valid_utf8(s))
    problems.push_back(std::string(key) + " is too long or not UTF-8");
  return s;
}

json::object company_json(const email::MailInbox::Company& c) {
  return {{"name", c.name},      {"department", c.department}, {"address", c.address},
          {"phone", c.phone},    {"email", c.email},           {"tax_id", c.tax_id},
          {"website", c.website}};
}

email::MailInbox::Company company_from(const json::value* v, email::MailInbox::Company c,
                                       std::vector<std::string>& problems) {
  if (!v || v->is_null()) return c;
  if (!v->is_object()) {
    problems.push_back("company must be an object");
    return c;
  }
  const auto& o = v->as_object();
  c.name = field(o, "name", c.name, problems);
  c.department = field(o, "department", c.department, problems);
  c.address = field(o, "address", c.address, problems);
  c.phone = field(o, "phone", c.phone, problems);
  c.email = field(o, "email", c.email, problems);
  c.tax_id = field(o, "tax_id", c.tax_id, problems);
  c.website = field(o, "website", c.website, problems);
  return c;
}

std::vector<std::string> aliases_from(const json::value* v, std::vector<std::string> previous,
                                      std::vector<std::string>& problems) {
  if (!v || v->is_null()) return previous;
  std::vector<std::string> out;
  if (!v->is_array() || v->as_array().size() > kMaxAliases) {
    problems.push_back("aliases must be a list of at most 20 addresses");
    return previous;
  }
  for (const auto& a : v->as_array()) {
    if (!a.is_string() || !is_valid_email(std::string(a.as_string()))) {
      problems.push_back("every alias must be an e-mail address");
      return previous;
    }
    out.emplace_back(a.as_string());
  }
  return out;
}

bool bool_field(const json::object& o, std::string_view key, bool previous,
                std::vector<std::string>& problems) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return previous;
  if (!v->is_bool()) problems.push_back(std::string(key) + " must be true or false");
  return v->is_bool() ? v->as_bool() : previous;
}

void mirror_identity(InboxConfig& c) {
  c.identity.address = c.mailbox.from_address;
  c.identity.display_name = c.mailbox.display_name;
}

}  // namespace

InboxConfig read_stored(const InboxMail& row, const mailbox::PasswordBox& box) {
  boost::system::error_code ec;
  auto v = json::parse(row.settings, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("stored e-mail settings are not JSON");
  const auto& o = v.as_object();
  InboxConfig c;
  c.enabled = row.enabled;
  auto* mb = o.if_contains("mailbox");
  if (!mb || !mb->is_string()) throw std::invalid_argument("stored e-mail settings lack a mailbox");
  c.mailbox = mailbox::from_stored_json(mb->as_string(), box);
  std::vector<std::string> ignored;
  c.identity.workspace_id = row.workspace_id;
  c.identity.inbox_id = row.inbox_id;
  c.identity.aliases = aliases_from(o.if_contains("aliases"), {}, ignored);
  c.identity.company = company_from(o.if_contains("company"), {}, ignored);
  c.identity.answer_promise = field(o, "answer_promise", "", ignored);
  c.identity.acknowledge = bool_field(o, "acknowledge", true, ignored);
  auto key = box.unseal(field(o, "token_key_sealed", "", ignored));
  if (!key || key->empty())
    throw std::invalid_argument("the ticket-address key cannot be unsealed");
  c.identity.token_key = *key;
  mirror_identity(c);
  return c;
}

std::string to_stored(const InboxConfig& c, const mailbox::PasswordBox& box) {
  json::object o{{"mailbox", mailbox::to_stored_json(c.mailbox, box)},
                 {"company", company_json(c.identity.company)},
                 {"answer_promise", c.identity.answer_promise},
                 {"acknowledge", c.identity.acknowledge},
                 {"token_key_sealed", box.seal(c.identity.token_key)}};
  json::array aliases;
  for (const auto& a : c.identity.aliases) aliases.emplace_back(a);
  o["aliases"] = std::move(aliases);
  return json::serialize(o);
}

void refuse_if_any(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  std::string all;
  for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
  throw std::invalid_argument(all);
}

json::object to_api(const InboxConfig& c) {
  auto o = mailbox::to_json(c.mailbox);
  o["enabled"] = c.enabled;
  json::array aliases;
  for (const auto& a : c.identity.aliases) aliases.emplace_back(a);
  o["aliases"] = std::move(aliases);
  o["company"] = company_json(c.identity.company);
  o["answer_promise"] = c.identity.answer_promise;
  o["acknowledge"] = c.identity.acknowledge;
  return o;
}

InboxConfig from_api(const json::value& body, const InboxConfig& previous) {
  if (!body.is_object()) throw std::invalid_argument("the settings must be a JSON object");
  const auto& o = body.as_object();
  InboxConfig c = previous;
  c.mailbox = mailbox::from_json(body, &previous.mailbox);  // throws on a wrong shape
  std::vector<std::string> problems = mailbox::validate(c.mailbox);
  c.enabled = bool_field(o, "enabled", previous.enabled, problems);
  c.identity.aliases = aliases_from(o.if_contains("aliases"), previous.identity.aliases, problems);
  c.identity.company = company_from(o.if_contains("company"), previous.identity.company, problems);
  c.identity.answer_promise =
      field(o, "answer_promise", previous.identity.answer_promise, problems);
  c.identity.acknowledge = bool_field(o, "acknowledge", previous.identity.acknowledge, problems);
  mirror_identity(c);
  refuse_if_any(problems);
  return c;
}

}  // namespace sb::mail_channel
