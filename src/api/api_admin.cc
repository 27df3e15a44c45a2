// Admin: agents, inboxes (business hours, widget look) and the embed snippet.
#include <algorithm>

#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "protocol/protocol.h"
#include "sla_runner/sla_runner.h"

namespace sb {
namespace {

namespace json = boost::json;

std::string required_text(const json::object& body, std::string_view key, std::size_t max) {
  auto s = trim(json_string(body, key).value_or(""));
  if (s.empty() || s.size() > max)
    throw HttpError(400, "bad_request", std::string(key) + " is required");
  return s;
}

// A job title is optional (empty clears it); it ends up in mail signatures.
std::optional<std::string> optional_title(const json::object& body) {
  auto* v = body.if_contains("title");
  if (!v) return std::nullopt;
  if (!v->is_string()) throw HttpError(422, "validation", "title: must be text");
  auto s = trim(std::string(v->as_string()));
  if (s.size() > 200 || !is_valid_utf8(s) || s.find('\n') != std::string::npos)
    throw HttpError(422, "validation", "title: at most 200 characters on one line");
  return s;
}

void check_password(const std::string& pw) {
  if (pw.size() < 8)
    throw HttpError(400, "bad_request", "password must have at least 8 characters");
}

void check_role(const std::string& role) {
  if (!parse_role(role))
    throw HttpError(400, "bad_request", "role must be agent, supervisor or admin");
}

// Inboxes and teams named in a scope must be this workspace's.
AgentScope parse_scope(const AdminServices& svc, Id ws, const json::value& v) {
  std::string error;
  auto scope = AgentScope::from_json(v, &error);
  if (!scope) throw HttpError(400, "bad_request", error);
  for (Id inbox : scope->inboxes)
    if (!svc.directory.get_inbox(ws, inbox))
      throw HttpError(400, "bad_request", "scope.inboxes: no inbox " + std::to_string(inbox));
  auto catalogue = svc.routing.workspace_routing(ws);
  for (Id team : scope->teams)
    if (!catalogue.has_team(team))
      throw HttpError(400, "bad_request", "scope.teams: no team " + std::to_string(team));
  return *scope;
}

http::Response list_agents(const AdminServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  json::array out;
  for (const auto& agent : svc.directory.list_agents(a.workspace_id))
    out.push_back(views::agent(agent));
  return http::json(200, {{"agents", out}});
}

http::Response create_agent(const AdminServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  Agent a;
  a.workspace_id = admin.workspace_id;
  a.name = required_text(body, "name", 200);
  a.email = required_text(body, "email", 254);
  a.title = optional_title(body).value_or("");
  if (!is_valid_email(a.email)) throw HttpError(400, "bad_request", "e-mail address is not valid");
  auto pw = json_string(body, "password").value_or("");
  check_password(pw);
  a.role = json_string(body, "role").value_or("agent");
  check_role(a.role);
  if (auto* scope = body.if_contains("scope"))
    a.scope = parse_scope(svc, admin.workspace_id, *scope);
  a.password_hash = with_password_slot(svc.abuse, [&] { return security::hash_password(pw); });
  static const char* kColors[] = {"#6366f1", "#0ea5e9", "#10b981", "#f59e0b",
                                  "#ef4444", "#8b5cf6", "#ec4899"};
  a.avatar_color = kColors[std::hash<std::string>{}(a.email) % 7];
  auto stored = svc.directory.create_agent(a);
  if (!stored) throw HttpError(409, "conflict", stored.refused().reason);
  auto created = views::agent(*stored);
  svc.audit.record(admin, req, "agent.create", "agent", std::to_string(created["id"].as_int64()),
                   nullptr, created);
  return http::json(201, created);
}

http::Response update_agent(const AdminServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  auto current = svc.directory.get_agent(admin.workspace_id, parse_id(p[0]));
  if (!current) throw HttpError(404, "not_found", "agent not found");
  auto body = parse_json_object(req.body);
  auto before = views::agent(*current);
  if (body.contains("name")) current->name = required_text(body, "name", 200);
  if (auto title = optional_title(body)) current->title = *title;
  if (auto* scope = body.if_contains("scope"))
    current->scope = parse_scope(svc, admin.workspace_id, *scope);
  if (auto role = json_string(body, "role")) {
    check_role(*role);
    if (current->id == admin.agent_id && *role != "admin")
      throw HttpError(409, "conflict", "you cannot remove your own admin role");
    current->role = *role;
  }
  bool end_sessions = false;
  if (auto pw = json_string(body, "password")) {
    check_password(*pw);
    current->password_hash =
        with_password_slot(svc.abuse, [&] { return security::hash_password(*pw); });
    end_sessions = true;  // a cookie stolen with the old password must not outlive it
  }
  if (auto* reset = body.if_contains("reset_two_factor")) {
    if (!reset->is_bool()) throw HttpError(400, "bad_request", "reset_two_factor must be true");
    if (reset->as_bool() && current->two_factor.enabled()) {
      svc.directory.set_two_factor(current->workspace_id, current->id, TwoFactor{});
      current->two_factor = TwoFactor{};
      end_sessions = end_sessions || current->id != admin.agent_id;  // sign in, set up anew
    }
  }
  if (auto* active = body.if_contains("active")) {
    if (!active->is_bool()) throw HttpError(400, "bad_request", "active must be true or false");
    if (!active->as_bool() && current->id == admin.agent_id)
      throw HttpError(409, "conflict", "you cannot deactivate yourself");
    if (!active->as_bool() && current->active()) {
      current->deactivated_at = svc.env.now_ms();
      end_sessions = true;
    }
    if (active->as_bool()) current->deactivated_at.reset();
  }
  bool access_changed = current->role != before["role"].as_string() ||
                        json::value(current->scope.to_json()) != before["scope"];
  auto saved = svc.directory.update_agent(*current);
  // Open sockets carry the scope they were opened with: make them reconnect.
  if (access_changed && !end_sessions) svc.hub.disconnect_agent(saved.workspace_id, saved.id);
  if (access_changed) svc.live.settings_changed(saved.workspace_id);  // offers follow scope
  if (end_sessions) {
    // The admin changing their own password stays signed in here.
    auto keep = current->id == admin.agent_id
                    ? security::sha256_hex(req.cookie(kSessionCookie).value_or(""))
                    : std::string();
    svc.access.delete_agent_sessions(saved.workspace_id, saved.id, keep);
    svc.hub.disconnect_agent(saved.workspace_id, saved.id, keep);
  }
  if (!saved.active() && saved.status != AgentStatus::kOffline) {
    saved = svc.directory.set_agent_status(saved.workspace_id, saved.id, AgentStatus::kOffline);
    svc.live.agent_changed(saved.workspace_id, saved.id);
    svc.hub.agents_online(saved.workspace_id, svc.routing.count_online_agents(saved.workspace_id));
  }
  auto after = views::agent(saved);
  if (end_sessions) after["sessions_ended"] = true;  // a password reset shows no hash
  svc.audit.record(admin, req, "agent.update", "agent", std::to_string(saved.id), before, after);
  return http::json(200, views::agent(saved));
}

[[noreturn]] void bad_widget(const std::string& field, std::string_view why) {
  throw HttpError(400, "bad_request", "widget." + field + " " + std::string(why));
}

// One key of a widget patch: short strings, but for the keys with a shape of their own.
// Translations are checked once the patch's topics are known (check_translations).
void apply_widget_value(std::string_view key, const json::value& v, json::object& widget) {
  std::string k(key);
  if (k == "translations") {
    if (v.is_null()) return void(widget.erase(k));
    if (!v.is_object()) bad_widget(k, "must be an object of languages");
  } else if (k == "prechat_mode") {
    if (v != json::value("before") && v != json::value("progressive"))
      bad_widget(k, "must be before or progressive");
  } else if (k == "popup_delay_s") {
    if (v.is_null()) return void(widget.erase(k));  // no greeting pop-up
    if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 600)
      bad_widget(k, "must be a whole number of seconds from 0 to 600, or null");
  } else if (!v.is_string() || v.as_string().size() > 500) {
    bad_widget(k, "must be a short string");
  }
  widget[k] = v;
}

bool has_topic(const Inbox& inbox, std::string_view topic) {
  for (const auto& t : inbox.topics)
    if (t.is_string() && t.as_string() == topic) return true;
  return false;
}

void check_text(const std::string& field, const json::value& v, std::size_t max) {
  if (!v.is_string() || v.as_string().size() > max)
    bad_widget(field, "must be text of at most " + std::to_string(max) + " bytes");
}

// widget.translations: {lang: {greeting?, title?, offline_message?, popup_message?,
// topics?: {canonical topic: label}}}; topics must be the inbox's own.
void check_translations(const Inbox& inbox) {
  static constexpr std::string_view kTexts[] = {"greeting", "title", "offline_message",
                                                "popup_message"};
  const auto* all = inbox.widget.if_contains("translations");
  if (!all) return;
  for (const auto& [lang, texts] : all->as_object()) {
    std::string at = "translations." + std::string(lang);
    if (lang.size() != 2 || !is_supported_language(lang))
      bad_widget(at, "is not a language of the widget (en, it, ru, hu, pl)");
    if (!texts.is_object()) bad_widget(at, "must be an object");
    for (const auto& [field, value] : texts.as_object()) {
      std::string name = at + "." + std::string(field);
      if (field == "topics") {
        if (!value.is_object()) bad_widget(name, "must map topics to their labels");
        for (const auto& [topic, label] : value.as_object()) {
          std::string topic_name = name + "." + std::string(topic);
          if (!has_topic(inbox, topic)) bad_widget(topic_name, "is not one of the inbox's topics");
          check_text(topic_name, label, 200);
        }
      } else if (std::ranges::find(kTexts, std::string_view(field)) != std::end(kTexts)) {
        check_text(name, value, 500);
      } else {
        bad_widget(name, "is not a translatable text");
      }
    }
  }
}

// A topic taken off the list takes its labels with it.
void prune_translated_topics(Inbox& inbox) {
  auto* all = inbox.widget.if_contains("translations");
  if (!all || !all->is_object()) return;
  for (auto& [lang, texts] : all->as_object()) {
    auto* topics = texts.is_object() ? texts.as_object().if_contains("topics") : nullptr;
    if (!topics || !topics->is_object()) continue;
    std::vector<std::string> gone;
    for (const auto& [topic, label] : topics->as_object())
      if (!has_topic(inbox, topic)) gone.emplace_back(topic);
    for (const auto& topic : gone) topics->as_object().erase(topic);
  }
}

// Applies the fields present in body onto inbox, validating each.
void apply_inbox_fields(const AdminServices& svc, const json::object& body, Inbox& inbox) {
  if (body.contains("name")) inbox.name = required_text(body, "name", 200);
  if (body.contains("timezone")) {
    inbox.timezone = required_text(body, "timezone", 64);
    if (!svc.time_zones.get(inbox.timezone))
      throw HttpError(400, "bad_request", "unknown time zone " + inbox.timezone);
  }
  if (auto* h = body.if_contains("business_hours")) {
    std::string err;
    auto hours = BusinessHours::from_json(*h, &err);
    if (!hours) throw HttpError(400, "bad_request", err);
    inbox.hours = *hours;
  }
  const auto* w = body.if_contains("widget");
  if (w) {
    if (!w->is_object()) throw HttpError(400, "bad_request", "widget must be an object");
    for (const auto& [k, v] : w->as_object()) apply_widget_value(k, v, inbox.widget);
    auto pos = json_string(inbox.widget, "position").value_or("right");
    if (pos != "right" && pos != "left")
      throw HttpError(400, "bad_request", "widget.position must be right or left");
  }
  for (const char* key : {"prechat_fields", "topics"}) {
    auto* v = body.if_contains(key);
    if (!v) continue;
    if (!v->is_array())
      throw HttpError(400, "bad_request", std::string(key) + " must be an array of strings");
    for (const auto& item : v->as_array())
      if (!item.is_string())
        throw HttpError(400, "bad_request", std::string(key) + " must be an array of strings");
    (std::string_view(key) == "topics" ? inbox.topics : inbox.prechat_fields) = v->as_array();
  }
  // Against the topics as they are after this patch.
  if (w && w->as_object().contains("translations")) check_translations(inbox);
  prune_translated_topics(inbox);
  if (auto* v = body.if_contains("routing")) {
    std::string error;
    auto r = InboxRouting::from_json(*v, &error);
    if (!r) throw HttpError(400, "bad_request", error);
    if (r->team && !svc.routing.workspace_routing(inbox.workspace_id).has_team(*r->team))
      throw HttpError(400, "bad_request", "routing.team_id: no such team");
    inbox.routing = *r;
  }
}

http::Response list_inboxes(const AdminServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  json::array out;
  for (const auto& i : svc.directory.list_inboxes(a.workspace_id)) out.push_back(views::inbox(i));
  return http::json(200, {{"inboxes", out}});
}

http::Response create_inbox(const AdminServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  Inbox inbox;
  inbox.workspace_id = admin.workspace_id;
  inbox.public_key = svc.env.random_hex(8);
  if (!body.contains("name")) throw HttpError(400, "bad_request", "name is required");
  apply_inbox_fields(svc, body, inbox);
  auto created = views::inbox(svc.directory.create_inbox(inbox));
  svc.audit.record(admin, req, "inbox.create", "inbox", std::to_string(created["id"].as_int64()),
                   nullptr, created);
  return http::json(201, created);
}

http::Response update_inbox(const AdminServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  auto inbox = svc.directory.get_inbox(admin.workspace_id, parse_id(p[0]));
  if (!inbox) throw HttpError(404, "not_found", "inbox not found");
  auto before = views::inbox(*inbox);
  apply_inbox_fields(svc, parse_json_object(req.body), *inbox);
  auto updated = views::inbox(svc.directory.update_inbox(*inbox));
  svc.live.settings_changed(admin.workspace_id);
  // Business-hours SLA instants of its open tickets move with the hours.
  if (before["business_hours"] != updated["business_hours"] ||
      before["timezone"] != updated["timezone"])
    svc.sla.rescan(admin.workspace_id);
  svc.audit.record(admin, req, "inbox.update", "inbox", std::to_string(inbox->id), before, updated);
  return http::json(200, updated);
}

http::Response embed(const AdminServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto inbox = svc.directory.get_inbox(a.workspace_id, parse_id(p[0]));
  if (!inbox) throw HttpError(404, "not_found", "inbox not found");
  // Never from the Host header: a forged one would hand admins a script from elsewhere.
  auto snippet = "<script src=\"" + svc.config.public_url + "/widget.js\" data-inbox=\"" +
                 inbox->public_key + "\" async></script>";
  return http::json(200, {{"snippet", snippet}});
}

}  // namespace

void add_admin_routes(Router& r, const AdminServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/agents", with(svc, list_agents));
  r.add(Access::kAdmin, "POST", "/api/v1/agents", with(svc, create_agent));
  r.add(Access::kAdmin, "PATCH", "/api/v1/agents/:id", with(svc, update_agent));
  r.add(Access::kAgent, "GET", "/api/v1/inboxes", with(svc, list_inboxes));
  r.add(Access::kAdmin, "POST", "/api/v1/inboxes", with(svc, create_inbox));
  r.add(Access::kAdmin, "PATCH", "/api/v1/inboxes/:id", with(svc, update_inbox));
  r.add(Access::kAgent, "GET", "/api/v1/inboxes/:id/embed", with(svc, embed));
}

}  // namespace sb
