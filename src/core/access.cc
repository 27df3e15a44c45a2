#include <algorithm>

#include "core/core.h"

namespace sb {
namespace {

namespace json = boost::json;

bool contains(const std::vector<Id>& ids, Id id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::optional<std::vector<Id>> id_list(const json::object& o, std::string_view key,
                                       std::string* error) {
  std::vector<Id> out;
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  auto bad = [&] {
    if (error) *error = "scope." + std::string(key) + " must be an array of ids";
    return std::nullopt;
  };
  if (!v->is_array() || v->as_array().size() > 1000) return bad();
  for (const auto& id : v->as_array()) {
    if (!id.is_int64() || id.as_int64() <= 0) return bad();
    if (!contains(out, id.as_int64())) out.push_back(id.as_int64());
  }
  return out;
}

}  // namespace

std::string_view to_string(Role r) {
  switch (r) {
    case Role::kAgent:
      return "agent";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "agent";
}

std::optional<Role> parse_role(std::string_view s) {
  for (auto r : {Role::kAgent, Role::kSupervisor, Role::kAdmin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

bool AgentScope::covers(Id inbox, std::optional<Id> team, std::optional<Id> assignee,
                        Id self) const {
  if (assignee && *assignee == self) return true;
  if (!inboxes.empty() && !contains(inboxes, inbox)) return false;
  return teams.empty() || !team || contains(teams, *team);
}

json::object AgentScope::to_json() const {
  return {{"inboxes", json::value_from(inboxes)}, {"teams", json::value_from(teams)}};
}

std::optional<AgentScope> AgentScope::from_json(const json::value& v, std::string* error) {
  if (v.is_null()) return AgentScope{};
  if (!v.is_object()) {
    if (error) *error = "scope must be an object with inboxes and teams";
    return std::nullopt;
  }
  auto inboxes = id_list(v.as_object(), "inboxes", error);
  auto teams = id_list(v.as_object(), "teams", error);
  if (!inboxes || !teams) return std::nullopt;
  return AgentScope{*inboxes, *teams};
}

}  // namespace sb
