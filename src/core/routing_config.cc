// Routing settings: parsing with field-named errors, and back to JSON.
#include <algorithm>

#include "core/core.h"

namespace sb {
namespace json = boost::json;

namespace {

// Sets *error (when given) and returns nullopt-compatible false.
bool fail(std::string* error, std::string msg) {
  if (error) *error = std::move(msg);
  return false;
}

bool valid_skill_name(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_';
  });
}

bool valid_name(const std::string& s) {
  return !trim(s).empty() && s.size() <= 60 && is_valid_utf8(s);
}

std::optional<int> optional_seconds(const json::object& o, std::string_view key, bool* ok) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  auto n = json_int(o, key);
  if (!n || *n < 0 || *n > 86'400) {
    *ok = false;
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

json::value seconds_json(std::optional<int> s) {
  return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

std::size_t channel_index(ConversationKind k) {
  switch (k) {
    case ConversationKind::kChat:
      return 0;
    case ConversationKind::kCallback:
      return 1;
    case ConversationKind::kOffline:
      return 2;
    case ConversationKind::kEmail:
      return 3;
  }
  return 0;
}

json::object AgentRouting::to_json() const {
  json::object sk, cap;
  for (const auto& [name, level] : skills) sk[name] = level;
  for (std::size_t c = 0; c < capacity.size(); ++c) cap[kChannelNames[c]] = capacity[c];
  json::array t;
  for (Id id : teams) t.push_back(id);
  return {{"skills", sk}, {"capacity", cap}, {"teams", t}};
}

std::optional<AgentRouting> AgentRouting::from_json(const json::value& v, std::string* error) {
  AgentRouting r;
  if (!v.is_object()) return fail(error, "routing profile must be an object"), std::nullopt;
  const auto& o = v.as_object();
  if (auto* sk = o.if_contains("skills")) {
    if (!sk->is_object()) return fail(error, "skills must be an object"), std::nullopt;
    for (const auto& [name, level] : sk->as_object()) {
      if (!valid_skill_name(name))
        return fail(error, "skills: bad skill name '" + std::string(name) + "'"), std::nullopt;
      if (!level.is_int64() || level.as_int64() < 1 || level.as_int64() > 5)
        return fail(error, "skills." + std::string(name) + " must be a level from 1 to 5"),
               std::nullopt;
      r.skills[std::string(name)] = static_cast<int>(level.as_int64());
    }
  }
  if (auto* cap = o.if_contains("capacity")) {
    if (!cap->is_object()) return fail(error, "capacity must be an object"), std::nullopt;
    for (std::size_t c = 0; c < kChannelNames.size(); ++c) {
      auto n = json_int(cap->as_object(), kChannelNames[c]);
      if (!cap->as_object().contains(kChannelNames[c])) continue;
      if (!n || *n < 0 || *n > 100)
        return fail(error, "capacity." + std::string(kChannelNames[c]) + " must be 0-100"),
               std::nullopt;
      r.capacity[c] = static_cast<int>(*n);
    }
  }
  if (auto* t = o.if_contains("teams")) {
    if (!t->is_array()) return fail(error, "teams must be an array of team ids"), std::nullopt;
    for (const auto& id : t->as_array()) {
      if (!id.is_int64() || id.as_int64() <= 0)
        return fail(error, "teams must be an array of team ids"), std::nullopt;
      r.teams.push_back(id.as_int64());
    }
  }
  return r;
}

json::object WorkspaceRouting::to_json() const {
  json::array sk, tm, st;
  for (const auto& s : skills) sk.push_back({{"name", s.name}, {"label", s.label}});
  for (const auto& t : teams) tm.push_back({{"id", t.id}, {"name", t.name}});
  for (const auto& s : statuses)
    st.push_back({{"id", s.id}, {"name", s.name}, {"routable", s.routable}});
  return {{"skills", sk}, {"teams", tm}, {"statuses", st}};
}

std::optional<WorkspaceRouting> WorkspaceRouting::from_json(const json::value& v,
                                                            std::string* error) {
  if (!v.is_object()) return fail(error, "routing settings must be an object"), std::nullopt;
  const auto& o = v.as_object();
  WorkspaceRouting r;
  auto list = [&](std::string_view key, auto&& each) {
    auto* a = o.if_contains(key);
    if (!a) return true;
    if (!a->is_array()) return fail(error, std::string(key) + " must be an array");
    for (const auto& item : a->as_array())
      if (!item.is_object() || !each(item.as_object())) return false;
    return true;
  };
  Id max_team = 0, max_status = 0;
  bool ok = list("skills", [&](const json::object& s) {
    auto name = json_string(s, "name").value_or("");
    if (!valid_skill_name(name))
      return fail(error, "skills: name must be 1-40 of a-z 0-9 : - _ ('" + name + "')");
    for (const auto& have : r.skills)
      if (have.name == name) return fail(error, "skills: '" + name + "' twice");
    r.skills.push_back({name, json_string(s, "label").value_or(name)});
    return true;
  });
  // Teams and statuses: a name, and an id (new ones get theirs below).
  auto named = [&](std::string_view key, const json::object& o, Id& max_id, Id& id,
                   std::string& name) {
    name = trim(json_string(o, "name").value_or(""));
    if (!valid_name(name))
      return fail(error, std::string(key) + ": each needs a name (1-60 characters)");
    id = json_int(o, "id").value_or(0);
    if (id < 0) return fail(error, std::string(key) + ": id must be positive");
    max_id = std::max(max_id, id);
    return true;
  };
  ok = ok && list("teams", [&](const json::object& t) {
         Id id = 0;
         std::string name;
         if (!named("teams", t, max_team, id, name)) return false;
         r.teams.push_back({id, name});
         return true;
       });
  ok = ok && list("statuses", [&](const json::object& st) {
         Id id = 0;
         std::string name;
         if (!named("statuses", st, max_status, id, name)) return false;
         r.statuses.push_back({id, name, json_bool(st, "routable").value_or(false)});
         return true;
       });
  if (!ok) return std::nullopt;
  for (auto& t : r.teams)
    if (t.id == 0) t.id = ++max_team;
  for (auto& s : r.statuses)
    if (s.id == 0) s.id = ++max_status;
  return r;
}

const WorkspaceRouting::Status* WorkspaceRouting::status(Id id) const {
  for (const auto& s : statuses)
    if (s.id == id) return &s;
  return nullptr;
}

bool WorkspaceRouting::has_team(Id id) const {
  return std::any_of(teams.begin(), teams.end(), [&](const Team& t) { return t.id == id; });
}

json::object InboxRouting::to_json() const {
  json::array rs;
  for (const auto& r : rules)
    rs.push_back(
        {{"when", r.when}, {"value", r.value}, {"skill", r.skill}, {"min_level", r.min_level}});
  return {{"mode", mode == Mode::kAuto ? "auto" : "offer"},
          {"offer_timeout_s", offer_timeout_s},
          {"priority", priority},
          {"team_id", team ? json::value(*team) : json::value(nullptr)},
          {"rules", rs},
          {"fallback",
           {{"widen_skills_after_s", seconds_json(widen_skills_after_s)},
            {"widen_team_after_s", seconds_json(widen_team_after_s)},
            {"overflow_after_s", seconds_json(overflow_after_s)}}}};
}

std::optional<InboxRouting> InboxRouting::from_json(const json::value& v, std::string* error) {
  if (!v.is_object()) return fail(error, "routing must be an object"), std::nullopt;
  const auto& o = v.as_object();
  InboxRouting r;
  auto mode = json_string(o, "mode").value_or("auto");
  if (mode != "auto" && mode != "offer")
    return fail(error, "routing.mode must be auto or offer"), std::nullopt;
  r.mode = mode == "auto" ? Mode::kAuto : Mode::kOffer;
  r.offer_timeout_s = static_cast<int>(json_int(o, "offer_timeout_s").value_or(30));
  if (r.offer_timeout_s < 5 || r.offer_timeout_s > 600)
    return fail(error, "routing.offer_timeout_s must be 5-600"), std::nullopt;
  r.priority = static_cast<int>(json_int(o, "priority").value_or(0));
  if (r.priority < -100 || r.priority > 100)
    return fail(error, "routing.priority must be -100 to 100"), std::nullopt;
  if (auto* t = o.if_contains("team_id"); t && !t->is_null()) {
    if (!t->is_int64() || t->as_int64() <= 0)
      return fail(error, "routing.team_id must be a team id or null"), std::nullopt;
    r.team = t->as_int64();
  }
  if (auto* rs = o.if_contains("rules")) {
    if (!rs->is_array()) return fail(error, "routing.rules must be an array"), std::nullopt;
    for (const auto& item : rs->as_array()) {
      if (!item.is_object()) return fail(error, "routing.rules: each is an object"), std::nullopt;
      const auto& ro = item.as_object();
      Rule rule{json_string(ro, "when").value_or(""), json_string(ro, "value").value_or(""),
                json_string(ro, "skill").value_or(""),
                static_cast<int>(json_int(ro, "min_level").value_or(1))};
      if (rule.when != "topic" && rule.when != "language" && rule.when != "url_contains")
        return fail(error, "routing.rules: when must be topic, language or url_contains"),
               std::nullopt;
      if (rule.value.empty() || rule.value.size() > 200 || !is_valid_utf8(rule.value))
        return fail(error, "routing.rules: value must be 1-200 characters"), std::nullopt;
      if (!valid_skill_name(rule.skill))
        return fail(error, "routing.rules: skill must be a skill name"), std::nullopt;
      if (rule.min_level < 1 || rule.min_level > 5)
        return fail(error, "routing.rules: min_level must be 1-5"), std::nullopt;
      r.rules.push_back(rule);
    }
  }
  if (auto* fb = o.if_contains("fallback")) {
    if (!fb->is_object()) return fail(error, "routing.fallback must be an object"), std::nullopt;
    bool ok = true;
    const auto& f = fb->as_object();
    r.widen_skills_after_s = optional_seconds(f, "widen_skills_after_s", &ok);
    r.widen_team_after_s = optional_seconds(f, "widen_team_after_s", &ok);
    r.overflow_after_s = optional_seconds(f, "overflow_after_s", &ok);
    if (!ok)
      return fail(error, "routing.fallback: delays are seconds (0-86400) or null"), std::nullopt;
  }
  return r;
}

}  // namespace sb
