// One customer record (R5): agents search contacts, open one with its identities
// and every channel's conversations, edit it, merge two and undo a merge.
//
// Who may: every agent may view, edit and merge, as in Zendesk (agents edit and
// merge end users) and Intercom (any teammate merges a lead into a user): the
// agent talking to the customer is the one who sees the duplicate. A merge is
// recorded and undoable, and audited. An agent limited to some inboxes or teams
// sees only contacts with a conversation in their scope, and only those
// conversations; they may not merge or undo, since that moves conversations they
// cannot see. Export and erasure stay with admins (api_gdpr.cc).
#include <cstdlib>

#include "api/problems.h"
#include "api/routes.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr int kDefaultPage = 25, kMaxPage = 100;
constexpr std::size_t kMaxQuery = 200, kMaxName = 200, kMaxNotes = 5000, kMaxIdentityEdits = 20;
constexpr std::size_t kPreviewChars = 160;

// What a malformed field gets: the API's 422 naming each field (problems.h).
class ValidationError : public HttpError {
 public:
  explicit ValidationError(const Problems& p)
      : HttpError(422, "invalid", message_of(p.to_json())), body(p.to_json()) {}
  json::object body;

 private:
  static std::string message_of(const json::object& b) {
    return json::value_to<std::string>(b.at("error").at("message"));
  }
};

struct Invalid {
  Problems problems;
  void add(const std::string& field, std::string_view why) {
    problems.add(field, std::string(why));
  }
  void throw_if_any() const {
    if (!problems.empty()) throw ValidationError(problems);
  }
};

http::Response validation_response(const ValidationError& e) {
  return http::json(422, e.body);
}

using ContactHandler = http::Response (*)(const ContactServices&, const http::Request&,
                                          const Params&);

// Handlers that validate answer 422 with the fields; the router does the rest.
template <ContactHandler F>
http::Response validating(const ContactServices& svc, const http::Request& req, const Params& p) {
  try {
    return F(svc, req, p);
  } catch (const ValidationError& e) {
    return validation_response(e);
  }
}

ContactQuery scope_of(const Actor& a) {
  ContactQuery q;
  q.agent_id = a.agent_id;
  if (!a.at_least(Role::kAdmin)) q.scope = a.scope;
  return q;
}

int page_limit(const http::Request& req) {
  auto v = req.param("limit");
  if (!v) return kDefaultPage;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end || n < 1 || n > kMaxPage)
    throw HttpError(400, "bad_request", "limit must be a whole number 1-100");
  return static_cast<int>(n);
}

Id page_before(const http::Request& req) {
  auto v = req.param("before");
  if (!v || v->empty()) return 0;
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (*end || n < 1) throw HttpError(400, "bad_request", "before must be an id");
  return n;
}

// The first characters of a message, cut on a character boundary.
std::string preview(const std::string& body) {
  if (body.size() <= kPreviewChars) return body;
  std::size_t cut = kPreviewChars;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return body.substr(0, cut) + "…";
}

std::string channel_of(const Conversation& c) {
  const auto* source = c.meta.if_contains("source");
  if (c.kind == ConversationKind::kOffline && source && source->is_string() &&
      source->as_string() == "help_center")
    return "help_center";
  return std::string(to_string(c.kind));
}

json::object profile_view(const ContactProfile& p) {
  json::array ids, channels;
  for (const auto& i : p.identities)
    ids.push_back(json::object{{"kind", i.kind}, {"value", i.value}});
  for (const auto& c : p.channels)
    channels.push_back(json::object{{"channel", c.channel}, {"conversations", c.conversations}});
  auto v = views::contact(p.contact);
  v["notes"] = p.contact.notes;
  v["identities"] = std::move(ids);
  v["channels"] = std::move(channels);
  v["conversations"] = p.conversations;
  v["open_conversations"] = p.open_conversations;
  v["last_activity_at"] = p.last_activity_at ? json::value(*p.last_activity_at) : nullptr;
  v["merged_into"] = p.merged_into ? json::value(*p.merged_into) : nullptr;
  v["erased"] = p.erased_at.has_value();
  return v;
}

json::object timeline_item(const Conversation& c) {
  json::value last = nullptr;
  if (c.last_message)
    last = json::object{{"preview", preview(c.last_message->body)},
                        {"author_type", to_string(c.last_message->author.type)},
                        {"created_at", c.last_message->created_at}};
  json::value assignee = nullptr;
  if (c.assignee_id) assignee = json::object{{"id", *c.assignee_id}, {"name", c.assignee_name}};
  return {{"id", c.id},
          {"kind", to_string(c.kind)},
          {"channel", channel_of(c)},
          {"status", to_string(c.status)},
          {"ticket_status", c.ticket ? json::value(to_string(c.ticket->status)) : nullptr},
          {"subject", c.subject},
          {"inbox_id", c.inbox_id},
          {"assignee", assignee},
          {"last_message", last},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

json::object merge_view(const ContactMerge& m) {
  json::array ids;
  for (const auto& i : m.identities)
    ids.push_back(json::object{{"kind", i.kind}, {"value", i.value}});
  return {{"id", m.id},
          {"into_id", m.into_id},
          {"from_id", m.from_id},
          {"conversations", json::array(m.conversations.begin(), m.conversations.end())},
          {"identities", std::move(ids)},
          {"at", m.at},
          {"undone_at", m.undone_at ? json::value(*m.undone_at) : nullptr}};
}

// The contact, if this agent may see it: 404 otherwise (also another workspace's).
ContactProfile visible_contact(const ContactServices& svc, const Actor& a, Id id) {
  auto q = scope_of(a);
  auto p = svc.contacts.contact_profile(a.workspace_id, id, q);
  if (!p || (!q.scope.unrestricted() && p->conversations == 0))
    throw HttpError(404, "not_found", "contact not found");
  return *p;
}

void require_unscoped(const Actor& a) {
  if (!a.at_least(Role::kAdmin) && !a.scope.unrestricted())
    throw HttpError(403, "forbidden",
                    "a merge moves conversations outside your inboxes or teams: ask an admin");
}

json::value next_before(const json::array& items, int limit) {
  if (items.size() < static_cast<std::size_t>(limit)) return nullptr;
  return items.back().as_object().at("id");
}

http::Response list(const ContactServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto q = scope_of(a);
  q.text = req.param("q").value_or("");
  if (q.text.size() > kMaxQuery || !is_valid_utf8(q.text))
    throw HttpError(400, "bad_request", "q is too long or not UTF-8");
  q.before_id = page_before(req);
  q.limit = page_limit(req);
  json::array items;
  for (const auto& p : svc.contacts.search_contacts(a.workspace_id, q))
    items.push_back(profile_view(p));
  auto next = next_before(items, q.limit);
  return http::json(200, {{"contacts", std::move(items)}, {"next_before", next}});
}

http::Response show(const ContactServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  return http::json(200, {{"contact", profile_view(visible_contact(svc, a, parse_id(p[0])))}});
}

http::Response timeline(const ContactServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto contact = visible_contact(svc, a, parse_id(p[0]));
  auto q = scope_of(a);
  q.before_id = page_before(req);
  q.limit = page_limit(req);
  json::array items;
  for (const auto& c : svc.contacts.contact_timeline(a.workspace_id, contact.contact.id, q))
    items.push_back(timeline_item(c));
  auto next = next_before(items, q.limit);
  return http::json(200, {{"conversations", std::move(items)}, {"next_before", next}});
}

// An identity an agent adds (e-mail, phone) or removes (also a visitor id), normalised.
std::optional<ContactIdentity> read_identity(const json::value& v, const std::string& field,
                                             bool adding, Invalid& bad) {
  const auto* o = v.if_object();
  auto kind = o ? json_string(*o, "kind") : std::nullopt;
  auto value = o ? json_string(*o, "value") : std::nullopt;
  if (!kind || !value || value->size() > 254) {
    bad.add(field, "must be {kind, value} with a value of at most 254 characters");
    return std::nullopt;
  }
  if (*kind == "email") {
    auto email = normalize_email(*value);
    if (is_valid_email(email)) return ContactIdentity{"email", email};
    bad.add(field + ".value", "not a valid e-mail address");
  } else if (*kind == "phone") {
    auto phone = normalize_phone(*value);
    if (!phone.empty()) return ContactIdentity{"phone", phone};
    bad.add(field + ".value", "not a valid phone number (6-20 digits, may start with +)");
  } else if (*kind == "visitor" && !adding) {
    return ContactIdentity{"visitor", *value};
  } else {
    bad.add(field + ".kind", adding ? "must be email or phone" : "must be email, phone or visitor");
  }
  return std::nullopt;
}

void read_identities(const json::object& body, std::string_view key, bool adding,
                     std::vector<ContactIdentity>& out, Invalid& bad) {
  const auto* v = body.if_contains(key);
  if (!v) return;
  if (!v->is_array() || v->as_array().size() > kMaxIdentityEdits) {
    bad.add(std::string(key), "must be a list of at most 20 identities");
    return;
  }
  for (std::size_t i = 0; i < v->as_array().size(); ++i)
    if (auto id = read_identity(v->as_array()[i], std::string(key) + "[" + std::to_string(i) + "]",
                                adding, bad))
      out.push_back(*id);
}

std::optional<std::string> read_text(const json::object& body, std::string_view key,
                                     std::size_t max, Invalid& bad) {
  const auto* v = body.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_string() || v->as_string().size() > max || !is_valid_utf8(v->as_string())) {
    bad.add(std::string(key), "must be text of at most " + std::to_string(max) + " bytes");
    return std::nullopt;
  }
  return key == "notes" ? std::string(v->as_string()) : trim(v->as_string());
}

ContactChanges read_changes(const json::object& body) {
  Invalid bad;
  ContactChanges ch;
  ch.name = read_text(body, "name", kMaxName, bad);
  ch.notes = read_text(body, "notes", kMaxNotes, bad);
  read_identities(body, "add_identities", true, ch.add, bad);
  read_identities(body, "remove_identities", false, ch.remove, bad);
  bad.throw_if_any();
  return ch;
}

// The names of what changed: the audit log is append-only, so it keeps no
// personal data an erasure could not remove.
json::array changed_fields(const ContactChanges& ch) {
  json::array out;
  if (ch.name) out.push_back("name");
  if (ch.notes) out.push_back("notes");
  if (!ch.add.empty()) out.push_back("identities_added");
  if (!ch.remove.empty()) out.push_back("identities_removed");
  return out;
}

http::Response update(const ContactServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto contact = visible_contact(svc, a, parse_id(p[0]));
  auto changes = read_changes(body);
  auto done = svc.contacts.update_contact(a.workspace_id, contact.contact.id, changes);
  if (!done)
    throw HttpError(409,
                    done.refused().why == Refusal::kIdentityTaken ? "identity_taken" : "conflict",
                    done.refused().reason);
  svc.audit.record(a, req, "contact.update", "contact", std::to_string(contact.contact.id), nullptr,
                   json::object{{"changed", changed_fields(changes)}});
  return http::json(200, {{"contact", profile_view(*done)}});
}

json::object merge_summary(const ContactMerge& m) {
  return {{"merge_id", m.id},
          {"into", m.into_id},
          {"from", m.from_id},
          {"conversations", m.conversations.size()},
          {"identities", m.identities.size()}};
}

http::Response merge(const ContactServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  require_unscoped(a);
  auto body = parse_json_object(req.body);
  Id into = visible_contact(svc, a, parse_id(p[0])).contact.id;
  auto from = json_int(body, "from");
  Invalid bad;
  if (!from || *from < 1)
    bad.add("from", "must be the id of the contact to merge into this one");
  else if (*from == into)
    bad.add("from", "a contact cannot be merged into itself");
  bad.throw_if_any();
  visible_contact(svc, a, *from);
  auto done = svc.contacts.merge_contacts(a.workspace_id, into, *from, a.agent_id);
  if (!done) throw HttpError(409, "conflict", done.refused().reason);
  svc.audit.record(a, req, "contact.merge", "contact", std::to_string(into), nullptr,
                   merge_summary(*done));
  return http::json(200, {{"merge", merge_view(*done)},
                          {"contact", profile_view(visible_contact(svc, a, into))}});
}

http::Response undo(const ContactServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  Id id = parse_id(p[0]);
  require_unscoped(a);
  auto done = svc.contacts.undo_merge(a.workspace_id, id);
  if (!done)
    throw HttpError(409, done.refused().why == Refusal::kUndoUnsafe ? "undo_unsafe" : "conflict",
                    done.refused().reason);
  svc.audit.record(a, req, "contact.merge_undo", "contact", std::to_string(done->into_id), nullptr,
                   merge_summary(*done));
  return http::json(200, {{"merge", merge_view(*done)},
                          {"contact", profile_view(visible_contact(svc, a, done->into_id))},
                          {"restored", profile_view(visible_contact(svc, a, done->from_id))}});
}

}  // namespace

void add_contact_routes(Router& r, const ContactServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/contacts", with(svc, list));
  r.add(Access::kAgent, "GET", "/api/v1/contacts/:id", with(svc, show));
  r.add(Access::kAgent, "GET", "/api/v1/contacts/:id/timeline", with(svc, timeline));
  r.add(Access::kAgent, "PATCH", "/api/v1/contacts/:id", with(svc, validating<update>));
  r.add(Access::kAgent, "POST", "/api/v1/contacts/:id/merge", with(svc, validating<merge>));
  r.add(Access::kAgent, "POST", "/api/v1/contacts/merges/:id/undo", with(svc, undo));
}

}  // namespace sb
