#include "realtime/realtime.h"

#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

std::shared_ptr<const std::string> frame(json::object o) {
  return std::make_shared<const std::string>(json::serialize(o));
}

using ClientSet = std::unordered_set<Hub::ClientPtr>;

// A visitor hears only conversations that are theirs. A GDPR erasure gives the
// conversation a new visitor id, so the old widget's socket stops hearing it here.
void drop_foreign_visitors(
    std::unordered_map<Id, ClientSet>& by_conversation,
    std::unordered_map<RealtimeClient*, std::unordered_set<Id>>& subscriptions,
    const Conversation& conv) {
  auto it = by_conversation.find(conv.id);
  if (it == by_conversation.end()) return;
  std::erase_if(it->second, [&](const Hub::ClientPtr& c) {
    if (c->is_agent || c->visitor_id == conv.visitor_id) return false;
    if (auto subs = subscriptions.find(c.get()); subs != subscriptions.end())
      subs->second.erase(conv.id);
    return true;
  });
  if (it->second.empty()) by_conversation.erase(it);
}

}  // namespace

void Hub::add(const ClientPtr& c) {
  std::lock_guard lock(mu_);
  by_workspace_[c->workspace_id].insert(c);
  if (!c->is_agent) return;
  agents_by_workspace_[c->workspace_id].insert(c);
  if (on_presence)
    on_presence(c->workspace_id, c->agent_id, agent_sockets(c->workspace_id, c->agent_id));
}

int Hub::agent_sockets(Id workspace, Id agent) const {
  auto it = agents_by_workspace_.find(workspace);
  if (it == agents_by_workspace_.end()) return 0;
  int n = 0;
  for (const auto& c : it->second) n += c->agent_id == agent;
  return n;
}

void Hub::broadcast(Id workspace, const json::object& message) {
  if (on_broadcast) on_broadcast(workspace, message);
}

// Each kind names what the local call did, and the same call runs here.
void Hub::apply_remote(Id ws, const json::object& m) {
  auto kind = json_string(m, "kind").value_or("");
  Id agent = json_int(m, "agent").value_or(0);
  Id conv = json_int(m, "conversation").value_or(0);
  const auto* frame = m.if_contains("frame");
  if (kind == "typing")
    typing_here(conv, m.contains("agent_side") && m.at("agent_side").as_bool(),
                json_string(m, "name").value_or(""),
                m.contains("typing") && m.at("typing").as_bool(), nullptr);
  else if (kind == "agent" && frame && frame->is_object())
    to_agent_here(ws, agent, frame->as_object());
  else if (kind == "conversation_agents" && frame && frame->is_object())
    to_conversation_agents_here(conv, frame->as_object());
  else if (kind == "covering_agents" && frame && frame->is_object())
    to_covering_agents_here(ws, json_int(m, "inbox").value_or(0), json_int(m, "team"),
                            json_int(m, "assignee"), frame->as_object());
  else if (kind == "disconnect")
    disconnect_agent_here(ws, agent, json_string(m, "keep").value_or(""));
  else if (kind == "agents_online")
    agents_online_here(ws, static_cast<int>(json_int(m, "count").value_or(0)));
}

void Hub::caught_up(Id ws, Id conversation, std::int64_t seq) {
  if (on_caught_up) on_caught_up(ws, conversation, seq);
}

std::vector<std::pair<Id, Id>> Hub::subscribed() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<Id, Id>> out;
  for (const auto& [conv, clients] : by_conversation_)
    if (!clients.empty()) out.emplace_back((*clients.begin())->workspace_id, conv);
  return out;
}

bool Hub::has_subscribers(Id conversation) {
  std::lock_guard lock(mu_);
  return by_conversation_.contains(conversation);
}

void Hub::disconnect_agent(Id workspace, Id agent, const std::string& keep) {
  disconnect_agent_here(workspace, agent, keep);
  broadcast(workspace, {{"kind", "disconnect"}, {"agent", agent}, {"keep", keep}});
}

void Hub::disconnect_agent_here(Id workspace, Id agent, const std::string& keep) {
  std::vector<ClientPtr> theirs;
  {
    std::lock_guard lock(mu_);
    if (auto it = agents_by_workspace_.find(workspace); it != agents_by_workspace_.end())
      for (const auto& c : it->second)
        if (c->agent_id == agent && (keep.empty() || c->session_hash != keep)) theirs.push_back(c);
  }
  for (const auto& c : theirs) c->disconnect();  // they remove themselves: no lock held here
}

void Hub::to_agent(Id workspace, Id agent, const json::object& o) {
  to_agent_here(workspace, agent, o);
  broadcast(workspace, {{"kind", "agent"}, {"agent", agent}, {"frame", o}});
}

void Hub::to_agent_here(Id workspace, Id agent, const json::object& o) {
  Outgoing out{frame(o), 0, 0, 0};
  std::lock_guard lock(mu_);
  auto it = agents_by_workspace_.find(workspace);
  if (it == agents_by_workspace_.end()) return;
  for (const auto& c : it->second)
    if (c->agent_id == agent) c->deliver(out);
}

void Hub::remove(const ClientPtr& c) {
  std::lock_guard lock(mu_);
  if (auto it = by_workspace_.find(c->workspace_id); it != by_workspace_.end()) {
    it->second.erase(c);
    if (it->second.empty()) by_workspace_.erase(it);
  }
  if (auto it = agents_by_workspace_.find(c->workspace_id); it != agents_by_workspace_.end()) {
    it->second.erase(c);
    if (it->second.empty()) agents_by_workspace_.erase(it);
    if (c->is_agent && on_presence)
      on_presence(c->workspace_id, c->agent_id, agent_sockets(c->workspace_id, c->agent_id));
  }
  if (auto subs = subscriptions_.find(c.get()); subs != subscriptions_.end()) {
    for (Id conv : subs->second) {
      auto it = by_conversation_.find(conv);
      if (it == by_conversation_.end()) continue;
      it->second.erase(c);
      if (it->second.empty()) by_conversation_.erase(it);
    }
    subscriptions_.erase(subs);
  }
}

void Hub::subscribe(const ClientPtr& c, Id conversation) {
  std::lock_guard lock(mu_);
  by_conversation_[conversation].insert(c);
  subscriptions_[c.get()].insert(conversation);
}

void Hub::send_to_conversation(Id conversation, const Outgoing& out, bool agents_only,
                               const RealtimeClient* skip) {
  auto it = by_conversation_.find(conversation);
  if (it == by_conversation_.end()) return;
  for (const auto& c : it->second)
    if (c.get() != skip && (!agents_only || c->is_agent)) c->deliver(out);
}

void Hub::on_change(const Change& change) {
  const auto& conv = change.conversation;
  std::lock_guard lock(mu_);
  drop_foreign_visitors(by_conversation_, subscriptions_, conv);
  if (change.event) {
    Outgoing out{frame({{"type", "event"}, {"event", views::event(*change.event)}}), conv.id,
                 change.event->seq, change.event->created_at};
    send_to_conversation(conv.id, out, change.event->kind == "note", nullptr);
  }
  if (change.receipts) {
    const auto& r = conv.receipts;
    for (bool visitor_side : {true, false}) {
      auto f = frame({{"type", "receipt"},
                      {"conversation_id", conv.id},
                      {"who", visitor_side ? "visitor" : "agent"},
                      {"delivered_seq", visitor_side ? r.visitor_delivered : r.agent_delivered},
                      {"read_seq", visitor_side ? r.visitor_read : r.agent_read}});
      send_to_conversation(conv.id, {f, conv.id, 0, 0}, false, nullptr);
    }
  }
  // Agents keep their conversation lists live from these. Only the agents are
  // visited: the workspace may hold tens of thousands of idle visitor sockets.
  auto ws = agents_by_workspace_.find(conv.workspace_id);
  if (ws == agents_by_workspace_.end()) return;
  Outgoing list_update{
      frame({{"type", "conversation"}, {"conversation", views::conversation(conv)}}), 0, 0, 0,
      conv.id};
  for (const auto& c : ws->second)
    if (!c->scope || c->scope->covers(conv.inbox_id, conv.team_id, conv.assignee_id, c->agent_id))
      c->deliver(list_update);
}

void Hub::typing(const RealtimeClient& from, Id conversation, bool typing) {
  typing_here(conversation, from.is_agent, from.name, typing, &from);
  broadcast(from.workspace_id, {{"kind", "typing"},
                                {"conversation", conversation},
                                {"agent_side", from.is_agent},
                                {"name", from.name},
                                {"typing", typing}});
}

void Hub::typing_here(Id conversation, bool agent, const std::string& name, bool typing,
                      const RealtimeClient* skip) {
  auto f = frame({{"type", "typing"},
                  {"conversation_id", conversation},
                  {"who", agent ? "agent" : "visitor"},
                  {"name", name},
                  {"typing", typing}});
  std::lock_guard lock(mu_);
  send_to_conversation(conversation, {f, conversation, 0, 0}, false, skip);
}

void Hub::to_conversation_agents(Id workspace, Id conversation, const json::object& f) {
  to_conversation_agents_here(conversation, f);
  broadcast(workspace,
            {{"kind", "conversation_agents"}, {"conversation", conversation}, {"frame", f}});
}

void Hub::to_conversation_agents_here(Id conversation, const json::object& f) {
  auto out = frame(f);
  std::lock_guard lock(mu_);
  send_to_conversation(conversation, {out, conversation, 0, 0}, true, nullptr);
}

void Hub::to_covering_agents(const Conversation& conv, const json::object& f) {
  auto optional_id = [](std::optional<Id> v) { return v ? json::value(*v) : json::value(nullptr); };
  to_covering_agents_here(conv.workspace_id, conv.inbox_id, conv.team_id, conv.assignee_id, f);
  broadcast(conv.workspace_id, {{"kind", "covering_agents"},
                                {"inbox", conv.inbox_id},
                                {"team", optional_id(conv.team_id)},
                                {"assignee", optional_id(conv.assignee_id)},
                                {"frame", f}});
}

// The same scope check as the conversation list's frames in on_change.
void Hub::to_covering_agents_here(Id workspace, Id inbox, std::optional<Id> team,
                                  std::optional<Id> assignee, const json::object& f) {
  Outgoing out{frame(f), 0, 0, 0};  // never `replaces`: that key is the list entry's
  std::lock_guard lock(mu_);
  auto ws = agents_by_workspace_.find(workspace);
  if (ws == agents_by_workspace_.end()) return;
  for (const auto& c : ws->second)
    if (!c->scope || c->scope->covers(inbox, team, assignee, c->agent_id)) c->deliver(out);
}

void Hub::agents_online(Id workspace, int count) {
  agents_online_here(workspace, count);
  broadcast(workspace, {{"kind", "agents_online"}, {"count", count}});
}

void Hub::agents_online_here(Id workspace, int count) {
  auto f = frame({{"type", "agents"}, {"agents_online", count}});
  std::lock_guard lock(mu_);
  auto ws = by_workspace_.find(workspace);
  if (ws == by_workspace_.end()) return;
  for (const auto& c : ws->second)
    if (!c->is_agent) c->deliver({f, 0, 0, 0});
}

}  // namespace sb
