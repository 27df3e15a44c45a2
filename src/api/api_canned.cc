// Canned answers (P1): the workspace's, a team's and each agent's own, per
// language, with a /shortcut, several variants (the least used is offered next,
// so replies do not all sound the same — seed 001) and ticket fields to set.
// Rendering fills {{variables}} from the conversation and says which are
// missing; every use is counted per variant.
#include <regex>

#include "api/canned_values.h"
#include "api/problems.h"
#include "api/routes.h"
#include "api/variant_effect.h"
#include "canned/canned.h"
#include "coach/coach.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxVariants = 10;
constexpr std::size_t kMaxVariantChars = 5000;
constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kListed = 200;
constexpr std::size_t kMaxFiles = 5;

std::string owner_of(const CannedAnswer& c) {
  return "canned:" + std::to_string(c.id);
}

std::vector<Id> teams_of(const CannedServices& svc, const Actor& a) {
  auto agent = svc.directory.get_agent(a.workspace_id, a.agent_id);
  return agent ? agent->routing.teams : std::vector<Id>{};
}

bool in_team(const std::vector<Id>& teams, std::optional<Id> team) {
  return team && std::find(teams.begin(), teams.end(), *team) != teams.end();
}

bool may_see(const CannedAnswer& c, const Actor& a, const std::vector<Id>& teams) {
  if (c.scope == "workspace") return true;
  if (c.scope == "team") return a.at_least(Role::kAdmin) || in_team(teams, c.team_id);
  return c.owner_id == a.agent_id;
}

// Personal: its owner. A team's: its supervisors, and admins. The workspace's:
// supervisors and admins.
bool may_edit(const CannedAnswer& c, const Actor& a, const std::vector<Id>& teams) {
  if (c.scope == "personal") return c.owner_id == a.agent_id;
  if (a.at_least(Role::kAdmin)) return true;
  if (!a.at_least(Role::kSupervisor)) return false;
  return c.scope == "workspace" || in_team(teams, c.team_id);
}

json::array files_view(const CannedAnswer& c) {
  json::array out;
  for (const auto& f : c.attachments) {
    auto o = f.as_object();
    o["url"] = "/api/v1/attachments/" + std::string(o.at("id").as_string());
    out.push_back(std::move(o));
  }
  return out;
}

json::object view(const CannedAnswer& c, bool editable) {
  json::array variants;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < c.variants.size(); ++i) {
    auto uses = i < c.uses.size() ? c.uses[i] : 0;
    total += uses;
    variants.push_back(json::object{{"index", i}, {"text", c.variants[i]}, {"uses", uses}});
  }
  auto opt = [](const std::optional<Id>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return {{"id", c.id},
          {"scope", c.scope},
          {"team_id", opt(c.team_id)},
          {"owner_id", opt(c.owner_id)},
          {"language", c.language},
          {"shortcut", c.shortcut},
          {"title", c.title},
          {"variants", std::move(variants)},
          {"uses", total},
          {"next_variant", canned::pick_variant(c.uses)},
          {"actions", c.actions},
          {"attachments", files_view(c)},
          {"editable", editable},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

CannedAnswer visible_answer(const CannedServices& svc, const Actor& a, const std::string& id,
                            const std::vector<Id>& teams) {
  auto c = svc.canned.canned_answer(a.workspace_id, parse_id(id));
  if (!c || !may_see(*c, a, teams)) throw HttpError(404, "not_found", "no such canned answer");
  return *c;
}

// --- reading the body of a create or change ---

void read_variants(const json::object& body, CannedAnswer& c, Problems& bad) {
  auto* v = body.if_contains("variants");
  if (!v) return;
  if (!v->is_array() || v->as_array().empty() || v->as_array().size() > kMaxVariants) {
    bad.add("variants", "must be a list of 1 to 10 texts");
    return;
  }
  c.variants.clear();
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    auto field = "variants[" + std::to_string(i) + "]";
    const auto& t = v->as_array()[i];
    if (!t.is_string() || !is_valid_utf8(t.as_string()) ||
        trim(std::string(t.as_string())).empty() || utf8_chars(t.as_string()) > kMaxVariantChars) {
      bad.add(field, "must be text of 1 to 5,000 characters");
      continue;
    }
    for (const auto& p : canned::placeholders(t.as_string()))
      if (!canned::known_variable(p.name)) bad.add(field, "unknown variable {{" + p.name + "}}");
    c.variants.emplace_back(trim(std::string(t.as_string())));
  }
}

void read_actions(const json::object& body, CannedAnswer& c, Problems& bad) {
  auto* v = body.if_contains("actions");
  if (!v) return;
  if (!v->is_object()) {
    bad.add("actions", "must be an object: {status?, priority?, tags?}");
    return;
  }
  json::object out;
  for (const auto& [key, value] : v->as_object()) {
    std::string field = "actions." + std::string(key);
    if (key == "status" && value.is_string() && parse_ticket_status(value.as_string())) {
      out["status"] = value;
    } else if (key == "priority" && value.is_string() && parse_ticket_priority(value.as_string())) {
      out["priority"] = value;
    } else if (key == "tags" && value.is_array() && value.as_array().size() <= kMaxTags &&
               std::all_of(value.as_array().begin(), value.as_array().end(), [](const auto& t) {
                 return t.is_string() && !t.as_string().empty() && t.as_string().size() <= 40 &&
                        is_valid_utf8(t.as_string());
               })) {
      out["tags"] = value;
    } else if (key == "status" || key == "priority" || key == "tags") {
      bad.add(field, key == "tags" ? "must be a list of up to 20 tags"
                                   : "must be a ticket " + std::string(key) + " name");
    } else {
      bad.add(field, "is not an action (status, priority, tags)");
    }
  }
  c.actions = std::move(out);
}

void read_scope(const CannedServices& svc, const Actor& a, const json::object& body,
                CannedAnswer& c, Problems& bad) {
  if (auto* s = body.if_contains("scope")) {
    if (!s->is_string() ||
        (s->as_string() != "workspace" && s->as_string() != "team" && s->as_string() != "personal"))
      bad.add("scope", "must be workspace, team or personal");
    else
      c.scope = std::string(s->as_string());
  }
  if (auto* t = body.if_contains("team_id"); t && !t->is_null()) {
    if (!t->is_int64()) {
      bad.add("team_id", "must be a team's id");
    } else {
      auto teams = svc.routing.workspace_routing(a.workspace_id).teams;
      if (std::none_of(teams.begin(), teams.end(),
                       [&](const auto& x) { return x.id == t->as_int64(); }))
        bad.add("team_id", "no such team");
      c.team_id = t->as_int64();
    }
  }
  if (c.scope != "team")
    c.team_id.reset();
  else if (!c.team_id)
    bad.add("team_id", "is required for a team's answer");
  c.owner_id =
      c.scope == "personal" ? std::optional<Id>(c.owner_id.value_or(a.agent_id)) : std::nullopt;
}

void read_texts(const json::object& body, CannedAnswer& c, Problems& bad) {
  static const std::regex kShortcut("[a-z0-9][a-z0-9_-]{0,39}");
  if (auto* s = body.if_contains("shortcut")) {
    std::string text = s->is_string() ? std::string(s->as_string()) : "";
    if (!text.empty() && text[0] == '/') text.erase(0, 1);
    if (!std::regex_match(text, kShortcut))
      bad.add("shortcut", "must be 1 to 40 of a-z, 0-9, - and _ (typed after /)");
    c.shortcut = text;
  }
  if (auto* t = body.if_contains("title")) {
    if (!t->is_string() || !is_valid_utf8(t->as_string()) ||
        trim(std::string(t->as_string())).empty() || utf8_chars(t->as_string()) > 120)
      bad.add("title", "must be text of 1 to 120 characters");
    else
      c.title = trim(std::string(t->as_string()));
  }
  if (auto* l = body.if_contains("language"); l && !l->is_null()) {
    if (!l->is_string() || (!l->as_string().empty() && !coach::is_language(l->as_string())))
      bad.add("language", "must be \"\" (any) or one of en, it, ru, hu, pl");
    else
      c.language = std::string(l->as_string());
  }
}

bool has_file(const CannedAnswer& c, std::string_view id) {
  return std::any_of(c.attachments.begin(), c.attachments.end(),
                     [&](const json::value& f) { return f.at("id").as_string() == id; });
}

// attachment_ids: the answer's files as they should be — ones it has, and
// uploads of this agent not sent yet (they pass to the answer when it is saved).
void read_files(const CannedServices& svc, const Actor& a, const json::object& body,
                const CannedAnswer& old, CannedAnswer& c, Problems& bad) {
  auto* ids = body.if_contains("attachment_ids");
  if (!ids) return;
  if (!ids->is_array() || ids->as_array().size() > kMaxFiles) {
    bad.add("attachment_ids", "must be a list of at most 5 file ids");
    return;
  }
  json::array files;
  for (std::size_t i = 0; i < ids->as_array().size(); ++i) {
    const auto& v = ids->as_array()[i];
    auto field = "attachment_ids[" + std::to_string(i) + "]";
    auto f = v.is_string() ? svc.conversations.get_attachment(a.workspace_id, v.as_string().c_str())
                           : std::nullopt;
    bool kept = f && old.id != 0 && f->uploader == owner_of(old) && has_file(old, f->id);
    bool fresh = f && f->uploader == uploader_of(a) && !f->conversation_id;
    if (!kept && !fresh) {
      bad.add(field, "is not a file of this answer or one you uploaded and have not sent");
      continue;
    }
    bool twice = std::any_of(files.begin(), files.end(),
                             [&](const json::value& x) { return x.at("id").as_string() == f->id; });
    if (!twice)
      files.push_back(json::object{
          {"id", f->id}, {"name", f->name}, {"content_type", f->content_type}, {"size", f->size}});
  }
  c.attachments = std::move(files);
}

// After the answer is saved: new uploads pass to it, dropped files are deleted.
CannedAnswer settle_files(const CannedServices& svc, const Actor& a, const CannedAnswer& old,
                          CannedAnswer saved) {
  std::vector<Attachment> gone;
  for (const auto& f : old.attachments) {
    auto id = std::string(f.at("id").as_string());
    if (has_file(saved, id)) continue;
    if (auto row = svc.conversations.delete_attachment(a.workspace_id, id, owner_of(old)))
      gone.push_back(*row);
  }
  svc.uploads.remove(gone);
  json::array kept;
  for (const auto& f : saved.attachments) {
    auto id = std::string(f.at("id").as_string());
    if (has_file(old, id) ||
        svc.conversations.move_attachment(a.workspace_id, id, uploader_of(a), owner_of(saved)))
      kept.push_back(f);
  }
  if (kept.size() == saved.attachments.size()) return saved;
  saved.attachments = std::move(kept);  // sent meanwhile: it is the message's now
  return svc.canned.save_canned_answer(saved);
}

http::Response save(const CannedServices& svc, const http::Request& req, CannedAnswer c,
                    const Actor& a, const std::vector<Id>& teams, int status) {
  const CannedAnswer old = c;
  auto body = body_of(req);
  Problems bad;
  read_scope(svc, a, body, c, bad);
  read_texts(body, c, bad);
  read_variants(body, c, bad);
  read_actions(body, c, bad);
  read_files(svc, a, body, old, c, bad);
  if (c.shortcut.empty() && !body.contains("shortcut")) bad.add("shortcut", "is required");
  if (c.title.empty() && !body.contains("title")) bad.add("title", "is required");
  if (c.variants.empty() && !body.contains("variants")) bad.add("variants", "is required");
  if (!bad.empty()) return invalid(bad);
  if (!may_edit(c, a, teams))
    throw HttpError(403, "forbidden",
                    "only supervisors and admins keep the workspace's and teams' answers");
  try {
    auto saved = settle_files(svc, a, old, svc.canned.save_canned_answer(c));
    svc.audit.record(a, req, status == 201 ? "canned.create" : "canned.update", "canned_answer",
                     std::to_string(saved.id), nullptr,
                     {{"shortcut", saved.shortcut}, {"scope", saved.scope}});
    return http::json(status, view(saved, true));
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kConflict) throw;
    Problems taken;
    taken.add("shortcut", e.what());
    return http::json(409, taken.to_json());
  }
}

// --- handlers ---

http::Response list(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto teams = teams_of(svc, a);
  auto q = req.param("q").value_or("");
  auto language = req.param("language").value_or("");
  if (!q.empty() && q[0] == '/') q.erase(0, 1);
  std::vector<std::pair<double, CannedAnswer>> found;
  for (auto& c : svc.canned.canned_answers(a.workspace_id)) {
    if (!may_see(c, a, teams)) continue;
    if (!language.empty() && !c.language.empty() && c.language != language) continue;
    std::string text;
    for (const auto& v : c.variants) text += v + "\n";
    double score = canned::match_score(q, c.shortcut, c.title, text);
    if (score <= 0) continue;
    // Ties: the language asked for before "any", own before the team's before the workspace's.
    score += (c.language == language && !language.empty() ? 0.3 : 0) + (c.scope == "personal" ? 0.2
                                                                        : c.scope == "team"   ? 0.1
                                                                                              : 0);
    found.emplace_back(score, std::move(c));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  json::array out;
  for (const auto& [score, c] : found) {
    if (out.size() >= kListed) break;
    out.push_back(view(c, may_edit(c, a, teams)));
  }
  return http::json(200, {{"answers", std::move(out)}});
}

http::Response create(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  CannedAnswer c;
  c.workspace_id = a.workspace_id;
  c.created_by = a.agent_id;
  return save(svc, req, std::move(c), a, teams_of(svc, a), 201);
}

http::Response change(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto teams = teams_of(svc, a);
  auto c = visible_answer(svc, a, p[0], teams);
  if (!may_edit(c, a, teams))
    throw HttpError(403, "forbidden", "this answer is not yours to change");
  return save(svc, req, std::move(c), a, teams, 200);
}

http::Response remove(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto teams = teams_of(svc, a);
  auto c = visible_answer(svc, a, p[0], teams);
  if (!may_edit(c, a, teams))
    throw HttpError(403, "forbidden", "this answer is not yours to delete");
  svc.canned.delete_canned_answer(a.workspace_id, c.id);
  std::vector<Attachment> gone;
  for (const auto& f : c.attachments)
    if (auto row = svc.conversations.delete_attachment(
            a.workspace_id, std::string(f.at("id").as_string()), owner_of(c)))
      gone.push_back(*row);
  svc.uploads.remove(gone);
  svc.audit.record(a, req, "canned.delete", "canned_answer", std::to_string(c.id),
                   {{"shortcut", c.shortcut}, {"scope", c.scope}}, nullptr);
  return http::json(200, {{"deleted", true}});
}

std::optional<Conversation> conversation_of(const CannedServices& svc, const Actor& a,
                                            const json::object& body, Problems& bad) {
  auto* c = body.if_contains("conversation_id");
  if (!c || c->is_null()) return std::nullopt;
  if (!c->is_int64() || c->as_int64() <= 0) {
    bad.add("conversation_id", "must be a conversation's id");
    return std::nullopt;
  }
  return accessible_conversation(svc.conversations, a, c->as_int64());
}

std::optional<std::size_t> variant_of(const json::object& body, const CannedAnswer& c,
                                      Problems& bad) {
  auto* v = body.if_contains("variant");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->as_int64() < 0 ||
      static_cast<std::size_t>(v->as_int64()) >= c.variants.size()) {
    bad.add("variant", "must be one of the answer's variants, from 0");
    return std::nullopt;
  }
  return static_cast<std::size_t>(v->as_int64());
}

http::Response render(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto c = visible_answer(svc, a, p[0], teams_of(svc, a));
  auto body = body_of(req);
  Problems bad;
  auto conv = conversation_of(svc, a, body, bad);
  auto chosen = variant_of(body, c, bad);
  if (!bad.empty()) return invalid(bad);
  auto index = chosen.value_or(canned::pick_variant(c.uses));
  auto filled = canned::fill(c.variants[index],
                             conv ? canned_values(svc, a, *conv)
                                  : std::map<std::string, std::string>{{"agent.name", a.name}});
  json::array missing;
  for (const auto& m : filled.missing) missing.emplace_back(m);
  return http::json(200, {{"text", filled.text},
                          {"variant", index},
                          {"variants", c.variants.size()},
                          {"missing", std::move(missing)},
                          {"actions", c.actions}});
}

http::Response used(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto c = visible_answer(svc, a, p[0], teams_of(svc, a));
  auto body = body_of(req);
  Problems bad;
  auto chosen = variant_of(body, c, bad);
  if (!chosen && bad.empty()) bad.add("variant", "is required");
  if (!bad.empty()) return invalid(bad);
  auto conv = conversation_of(svc, a, body, bad);
  if (!bad.empty()) return invalid(bad);
  svc.canned.count_canned_use(a.workspace_id,
                              {.answer = c.id,
                               .variant = static_cast<int>(*chosen),
                               .at = svc.env.now_ms(),
                               .conversation = conv ? std::optional(conv->id) : std::nullopt,
                               .agent = a.agent_id});
  http::Response r;
  r.status = 204;
  return r;
}

// The answer's files as new uploads of the agent, ready to send in the
// conversation (each message owns its copy; unsent copies are swept).
http::Response attach(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto c = visible_answer(svc, a, p[0], teams_of(svc, a));
  auto body = body_of(req);
  Problems bad;
  auto conv = conversation_of(svc, a, body, bad);
  if (!conv && bad.empty()) bad.add("conversation_id", "is required");
  if (!bad.empty()) return invalid(bad);
  json::array out;
  for (const auto& f : c.attachments) {
    auto row = svc.conversations.get_attachment(a.workspace_id, f.at("id").as_string().c_str());
    if (!row || row->uploader != owner_of(c)) continue;  // gone with an interrupted edit
    out.push_back(views::attachment(svc.uploads.copy(a, *row)));
  }
  return http::json(200, {{"attachments", std::move(out)}});
}

// Which variant did better: CSAT, resolution, handle time of the conversations
// each was used in (reports/ decides when the data says enough).
http::Response effect(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto c = visible_answer(svc, a, p[0], teams_of(svc, a));
  std::vector<EffectVariant> variants;
  for (std::size_t i = 0; i < c.variants.size(); ++i)
    variants.push_back({static_cast<int>(i), c.variants[i], false});
  auto out =
      variant_effect(variants, svc.canned.canned_outcomes(a.workspace_id, c.id, kMaxOutcomes));
  out["answer"] = view(c, false);
  return http::json(200, std::move(out));
}

}  // namespace

// The conversation's values for {{variables}}.
std::map<std::string, std::string> canned_values(const CannedServices& svc, const Actor& a,
                                                 const Conversation& conv) {
  auto first = [](const std::string& s) { return s.substr(0, s.find(' ')); };
  std::map<std::string, std::string> v{
      {"contact.name", conv.contact.name},
      {"contact.first_name", first(conv.contact.name)},
      {"contact.email", conv.contact.email},
      {"contact.phone", conv.contact.phone},
      {"agent.name", a.name},
      {"agent.first_name", first(a.name)},
      {"conversation.id", std::to_string(conv.id)},
  };
  if (conv.ticket) {
    v["ticket.subject"] = conv.subject;
    for (const auto& [key, value] : conv.ticket->custom)
      v["ticket.custom." + std::string(key)] =
          value.is_string() ? std::string(value.as_string()) : json::serialize(value);
  }
  if (auto ws = svc.directory.get_workspace(a.workspace_id)) v["workspace.name"] = ws->name;
  if (auto inbox = svc.directory.get_inbox(a.workspace_id, conv.inbox_id)) {
    v["inbox.name"] = inbox->name;
    auto tz = svc.time_zones.get(inbox->timezone).value_or(TimeZone::utc());
    auto language = coach::is_language(conv.customer_language()) ? conv.customer_language() : "en";
    v["inbox.hours_today"] = canned::hours_today(inbox->hours, tz, svc.env.now_ms(), language);
  }
  return v;
}

void add_canned_routes(Router& r, const CannedServices& svc) {
  const BodyRule small{128 * 1024};
  r.add(Access::kAgent, "GET", "/api/v1/canned", with(svc, list));
  r.add(Access::kAgent, "POST", "/api/v1/canned", with(svc, create), small);
  r.add(Access::kAgent, "PATCH", "/api/v1/canned/:id", with(svc, change), small);
  r.add(Access::kAgent, "DELETE", "/api/v1/canned/:id", with(svc, remove), small);
  r.add(Access::kAgent, "POST", "/api/v1/canned/:id/render", with(svc, render), small);
  r.add(Access::kAgent, "POST", "/api/v1/canned/:id/used", with(svc, used), small);
  r.add(Access::kAgent, "POST", "/api/v1/canned/:id/attach", with(svc, attach), small);
  r.add(Access::kSupervisor, "GET", "/api/v1/canned/:id/effect", with(svc, effect));
}

}  // namespace sb
