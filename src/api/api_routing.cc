// Routing for people: the catalogue (skills, teams, custom statuses), agent
// profiles, offers, transfer, hold, internal notes with @mentions, the
// supervisor's live view and the visitor's place in the queue.
#include <set>

#include "api/routes.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

const Author kSystem{AuthorType::kSystem, 0, ""};

Author author_of(const Actor& a) {
  return {AuthorType::kAgent, a.agent_id, a.name};
}

std::string bounded_text(const json::object& body, std::string_view key, std::size_t max) {
  auto s = trim(json_string(body, key).value_or(""));
  if (s.size() > max || !is_valid_utf8(s))
    throw HttpError(
        400, "bad_request",
        std::string(key) + " must be UTF-8 text of at most " + std::to_string(max) + " bytes");
  return s;
}

// "@anna" or "@anna.k" (e-mail local part): the agents a note mentions.
std::vector<Agent> mentioned(const std::vector<Agent>& agents, const std::string& text) {
  std::vector<Agent> out;
  for (std::size_t i = text.find('@'); i != std::string::npos; i = text.find('@', i + 1)) {
    if (i > 0 && !std::isspace(static_cast<unsigned char>(text[i - 1])) && text[i - 1] != '(')
      continue;  // an e-mail address, not a mention
    std::size_t j = i + 1;
    while (j < text.size() && (static_cast<unsigned char>(text[j]) >= 0x80 ||
                               std::isalnum(static_cast<unsigned char>(text[j])) ||
                               text[j] == '.' || text[j] == '_' || text[j] == '-'))
      ++j;
    auto word = lower_ascii(text.substr(i + 1, j - i - 1));
    while (!word.empty() && word.back() == '.') word.pop_back();
    if (word.empty()) continue;
    for (const auto& a : agents) {
      auto first = lower_ascii(a.name.substr(0, a.name.find(' ')));
      auto local = lower_ascii(a.email.substr(0, a.email.find('@')));
      bool dup = std::any_of(out.begin(), out.end(), [&](const Agent& o) { return o.id == a.id; });
      if (!dup && (word == first || word == local)) out.push_back(a);
    }
  }
  return out;
}

// ---------------------------------------------------------------- catalogue and profiles

http::Response get_routing(const RoutingServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  return http::json(200, svc.routing.workspace_routing(a.workspace_id).to_json());
}

http::Response put_routing(const RoutingServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  std::string error;
  auto r = WorkspaceRouting::from_json(json::value(parse_json_object(req.body)), &error);
  if (!r) throw HttpError(400, "bad_request", error);
  auto before = svc.routing.workspace_routing(admin.workspace_id).to_json();
  svc.routing.set_workspace_routing(admin.workspace_id, *r);
  svc.audit.record(admin, req, "routing.update", "workspace", std::to_string(admin.workspace_id),
                   before, r->to_json());
  svc.live.settings_changed(admin.workspace_id);
  return http::json(200, r->to_json());
}

http::Response put_agent_routing(const RoutingServices& svc, const http::Request& req,
                                 const Params& p) {
  auto admin = svc.auth.require_admin(req);
  std::string error;
  auto r = AgentRouting::from_json(json::value(parse_json_object(req.body)), &error);
  if (!r) throw HttpError(400, "bad_request", error);
  auto catalogue = svc.routing.workspace_routing(admin.workspace_id);
  for (Id team : r->teams)
    if (!catalogue.has_team(team))
      throw HttpError(400, "bad_request", "teams: no team " + std::to_string(team));
  Id id = parse_id(p[0]);
  auto old = svc.directory.get_agent(admin.workspace_id, id);
  if (!old) throw HttpError(404, "not_found", "agent not found");
  auto agent = svc.routing.set_agent_routing(admin.workspace_id, id, *r);
  svc.audit.record(admin, req, "agent.routing", "agent", std::to_string(id), old->routing.to_json(),
                   agent.routing.to_json());
  svc.live.agent_changed(admin.workspace_id, id);
  return http::json(200, views::agent(agent));
}

// ---------------------------------------------------------------- offers

http::Response accept(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  return http::json(200, views::conversation(svc.live.accept(a, parse_id(p[0]))));
}

http::Response decline(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  svc.live.decline(a, parse_id(p[0]));
  return http::json(200, {{"ok", true}});
}

// ---------------------------------------------------------------- transfer, hold, notes

http::Response transfer(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto body = parse_json_object(req.body);
  auto note = bounded_text(body, "note", 4000);
  auto agent_id = json_int(body, "agent_id");
  auto team_id = json_int(body, "team_id");
  if (agent_id.has_value() == team_id.has_value())
    throw HttpError(400, "bad_request", "give exactly one of agent_id and team_id");
  require_may_reassign(a, conv);
  svc.audit.record(
      a, req, "conversation.transfer", "conversation", std::to_string(conv.id),
      {{"assignee_id", conv.assignee_id ? json::value(*conv.assignee_id) : nullptr}},
      agent_id ? json::object{{"agent_id", *agent_id}} : json::object{{"team_id", *team_id}});
  if (conv.status != ConversationStatus::kOpen)
    throw HttpError(409, "conflict", "conversation is closed");
  if (agent_id) {
    auto target = svc.directory.get_agent(a.workspace_id, *agent_id);
    if (!target) throw HttpError(400, "bad_request", "agent_id: no such agent");
    auto moved =
        svc.routing.claim(a.workspace_id, conv.id, target->id, conv.assignee_id, author_of(a), note,
                          {a.name + " transferred the conversation to " + target->name,
                           "transferred_to_agent",
                           {{"from", a.name}, {"to", target->name}}});
    if (!moved) throw HttpError(409, "conflict", moved.refused().reason);
    return http::json(200, views::conversation(*moved));
  }
  auto catalogue = svc.routing.workspace_routing(a.workspace_id);
  const WorkspaceRouting::Team* team = nullptr;
  for (const auto& t : catalogue.teams)
    if (t.id == *team_id) team = &t;
  if (!team) throw HttpError(400, "bad_request", "team_id: no such team");
  if (!note.empty())
    svc.conversations.append_event({a.workspace_id, conv.id, "note", author_of(a), note, "", {}});
  auto moved =
      svc.routing.requeue(a.workspace_id, conv.id, conv.assignee_id, conv.priority + 1, team->id,
                          {a.name + " transferred the conversation to the " + team->name + " team",
                           "transferred_to_team",
                           {{"from", a.name}, {"team", team->name}}});
  if (!moved) throw HttpError(409, "conflict", moved.refused().reason);
  return http::json(200, views::conversation(*moved));
}

http::Response hold(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto body = req.body.empty() ? json::object{} : parse_json_object(req.body);
  auto message = bounded_text(body, "message", 1000);
  NewEvent hold{a.workspace_id, conv.id, "system", kSystem, message, "", {}};
  if (message.empty()) {  // the default is said in the customer's language by the widget
    hold.body = a.name + " is checking this for you. Please hold on, we will be right back.";
    hold.notice = Notice{"", "hold", {{"agent", a.name}}}.json();
  }
  auto e = svc.conversations.append_event(hold);
  return http::json(201, views::event(e.event));
}

http::Response note(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto body = parse_json_object(req.body);
  auto client_id = json_string(body, "client_id").value_or("");
  if (client_id.empty() || client_id.size() > 64)
    throw HttpError(400, "bad_request", "client_id (1-64 characters) is required");
  auto text = bounded_text(body, "body", kMaxMessageChars * 4);
  if (text.empty()) throw HttpError(400, "bad_request", "a note needs text");
  auto result = svc.conversations.append_event(
      {a.workspace_id, conv.id, "note", author_of(a), text, client_id, {}});
  if (result.duplicate) return http::json(200, views::event(result.event));
  auto notify = mentioned(svc.directory.list_agents(a.workspace_id), text);
  if (conv.assignee_id && *conv.assignee_id != a.agent_id &&
      std::none_of(notify.begin(), notify.end(),
                   [&](const Agent& m) { return m.id == *conv.assignee_id; }))
    if (auto assignee = svc.directory.get_agent(a.workspace_id, *conv.assignee_id))
      notify.push_back(*assignee);  // a supervisor's whisper reaches the agent on it
  for (const auto& m : notify)
    if (m.id != a.agent_id)
      svc.hub.to_agent(a.workspace_id, m.id,
                       {{"type", "mention"},
                        {"conversation_id", conv.id},
                        {"by", {{"id", a.agent_id}, {"name", a.name}}},
                        {"body", text}});
  return http::json(201, views::event(result.event));
}

// ---------------------------------------------------------------- supervisor, visitor

bool in_teams(const std::vector<Id>& mine, const std::vector<Id>& theirs) {
  return std::any_of(theirs.begin(), theirs.end(),
                     [&](Id t) { return std::find(mine.begin(), mine.end(), t) != mine.end(); });
}

// A team lead sees their teams' agents, their queue and the unteamed queue.
void keep_teams(const RoutingServices& svc, const Actor& lead, json::object& view) {
  std::set<std::int64_t> agents{lead.agent_id};
  for (const auto& a : svc.directory.list_agents(lead.workspace_id))
    if (in_teams(lead.scope.teams, a.routing.teams)) agents.insert(a.id);
  auto keep = [&](std::string_view key, auto pred) {
    auto& list = view[key].as_array();
    json::array kept;
    for (auto& item : list)
      if (pred(item.as_object())) kept.push_back(std::move(item));
    list = std::move(kept);
  };
  keep("agents", [&](const json::object& a) { return agents.contains(a.at("id").as_int64()); });
  keep("offers",
       [&](const json::object& o) { return agents.contains(o.at("agent_id").as_int64()); });
  keep("queue", [&](const json::object& q) {
    const auto& team = q.at("team_id");
    return team.is_null() || in_teams(lead.scope.teams, {team.as_int64()});
  });
}

http::Response live(const RoutingServices& svc, const http::Request& req, const Params&) {
  auto lead = svc.auth.require_supervisor(req);
  auto view = svc.live.live(lead.workspace_id);
  if (!lead.at_least(Role::kAdmin) && !lead.scope.teams.empty()) keep_teams(svc, lead, view);
  return http::json(200, view);
}

http::Response queue(const RoutingServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  return http::json(200, svc.live.queue_info(v.workspace_id, conv.id));
}

}  // namespace

void add_routing_routes(Router& r, const RoutingServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/routing", with(svc, get_routing));
  r.add(Access::kAdmin, "PUT", "/api/v1/routing", with(svc, put_routing));
  r.add(Access::kAdmin, "PUT", "/api/v1/agents/:id/routing", with(svc, put_agent_routing));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/accept", with(svc, accept));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/decline", with(svc, decline));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/transfer", with(svc, transfer));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/hold", with(svc, hold));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/notes", with(svc, note));
  r.add(Access::kSupervisor, "GET", "/api/v1/supervisor/live", with(svc, live));
  r.add(Access::kVisitor, "GET", "/api/v1/widget/conversations/:id/queue", with(svc, queue));
}

}  // namespace sb
