// Scenario JSON -> Scenario. Every error names the field it is about, and
// unknown fields are errors too: a typo ("capacty") must not silently mean
// "no capacity".
#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "sim/sim.h"

namespace sb::sim {
namespace json = boost::json;
namespace {

constexpr int kMaxHours = 14 * 24;
constexpr int kMaxAgents = 10000;
constexpr double kMaxRate = 100000;  // arrivals per hour and channel
constexpr double kMaxSeconds = 1e7;  // ~4 months: longer is a units mistake
constexpr std::array<std::string_view, kChannels> kChannelNames = {"chat", "callback", "ticket",
                                                                   "email", "sms"};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ScenarioError("scenario: " + path + ": " + what);
}

std::string key_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string format_bound(double v) {
  json::value j = v;
  if (v == std::floor(v) && std::abs(v) < 1e15) j = static_cast<std::int64_t>(v);
  return json::serialize(j);
}

const json::object& object_at(const json::value& v, const std::string& path) {
  if (!v.is_object()) fail(path, "must be an object");
  return v.get_object();
}

const json::array& array_at(const json::value& v, const std::string& path) {
  if (!v.is_array()) fail(path, "must be an array");
  return v.get_array();
}

double number_at(const json::value& v, const std::string& path, double lo, double hi) {
  if (!v.is_number()) fail(path, "must be a number");
  double d = v.to_number<double>();
  if (!std::isfinite(d) || d < lo || d > hi)
    fail(path, "must be from " + format_bound(lo) + " to " + format_bound(hi));
  return d;
}

int int_at(const json::value& v, const std::string& path, int lo, int hi) {
  double d = number_at(v, path, lo, hi);
  if (d != std::floor(d)) fail(path, "must be a whole number");
  return static_cast<int>(d);
}

std::string string_at(const json::value& v, const std::string& path) {
  if (!v.is_string() || v.get_string().empty()) fail(path, "must be a non-empty string");
  return std::string(v.get_string());
}

void only_keys(const json::object& o, const std::string& path,
               std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : o)
    if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end())
      fail(key_path(path, k), "unknown field");
}

Channel channel_at(std::string_view name, const std::string& path) {
  for (std::size_t i = 0; i < kChannels; ++i)
    if (kChannelNames[i] == name) return static_cast<Channel>(i);
  fail(path, "unknown channel (chat, callback, ticket, email, sms)");
}

std::size_t ix(Channel c) {
  return static_cast<std::size_t>(c);
}

// {"chat": X, ...} -> calls each(channel, value, path) for every entry.
template <typename F>
void per_channel(const json::value& v, const std::string& path, F each) {
  for (const auto& [k, item] : object_at(v, path)) {
    std::string p = key_path(path, k);
    each(channel_at(k, p), item, p);
  }
}

json::value parse_json(std::string_view text) {
  json::stream_parser p;
  json::error_code ec;
  std::size_t used = p.write(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    std::size_t line =
        1 + std::count(text.begin(), text.begin() + std::min(used, text.size()), '\n');
    throw ScenarioError("scenario: not valid JSON near line " + std::to_string(line) + ": " +
                        ec.message());
  }
  return p.release();
}

Distribution distribution_at(const json::value& v, const std::string& path) {
  const auto& o = object_at(v, path);
  only_keys(o, path, {"distribution", "mean_s", "sigma"});
  Distribution d;
  auto kind = o.if_contains("distribution");
  std::string k = kind ? string_at(*kind, path + ".distribution") : "exponential";
  if (k == "exponential")
    d.kind = DistKind::kExponential;
  else if (k == "lognormal")
    d.kind = DistKind::kLognormal;
  else if (k == "fixed")
    d.kind = DistKind::kFixed;
  else
    fail(path + ".distribution", "must be exponential, lognormal or fixed");
  auto mean = o.if_contains("mean_s");
  if (!mean) fail(path + ".mean_s", "missing");
  d.mean_s = number_at(*mean, path + ".mean_s", 0.001, kMaxSeconds);
  auto sigma = o.if_contains("sigma");
  if (d.kind == DistKind::kLognormal && !sigma) fail(path + ".sigma", "missing (lognormal)");
  if (sigma && d.kind != DistKind::kLognormal) fail(path + ".sigma", "only for lognormal");
  if (sigma) d.sigma = number_at(*sigma, path + ".sigma", 0, 3);
  return d;
}

ServiceLevel service_level_at(const json::object& o, const std::string& path, ServiceLevel d) {
  if (auto v = o.if_contains("seconds"))
    d.seconds = number_at(*v, path + ".seconds", 0, kMaxSeconds);
  // 100% is unreachable in Erlang C (the staffing search would never stop).
  if (auto v = o.if_contains("percent")) d.percent = number_at(*v, path + ".percent", 1, 99.9);
  return d;
}

void parse_day(const json::object& root, Scenario& s) {
  auto v = root.if_contains("day");
  if (!v) fail("day", "missing (e.g. {\"start_hour\": 8, \"hours\": 10})");
  const auto& o = object_at(*v, "day");
  only_keys(o, "day", {"start_hour", "hours"});
  if (auto h = o.if_contains("start_hour")) s.start_hour = int_at(*h, "day.start_hour", 0, 23);
  auto h = o.if_contains("hours");
  if (!h) fail("day.hours", "missing");
  s.hours = int_at(*h, "day.hours", 1, kMaxHours);
}

void parse_service_level(const json::object& root, Scenario& s) {
  ServiceLevel def;
  auto v = root.if_contains("service_level");
  if (!v) {
    s.target.fill(def);
    return;
  }
  const auto& o = object_at(*v, "service_level");
  only_keys(o, "service_level", {"seconds", "percent", "channels"});
  def = service_level_at(o, "service_level", def);
  s.target.fill(def);
  if (auto ch = o.if_contains("channels"))
    per_channel(*ch, "service_level.channels", [&](Channel c, const json::value& item, auto& p) {
      const auto& co = object_at(item, p);
      only_keys(co, p, {"seconds", "percent"});
      s.target[ix(c)] = service_level_at(co, p, def);
    });
}

void parse_arrivals(const json::object& root, Scenario& s) {
  auto v = root.if_contains("arrivals");
  if (!v) fail("arrivals", "missing (per channel: a rate per hour, or one per simulated hour)");
  per_channel(*v, "arrivals", [&](Channel c, const json::value& item, const std::string& p) {
    auto& rates = s.arrivals[ix(c)];
    if (item.is_number()) {
      rates.assign(static_cast<std::size_t>(s.hours), number_at(item, p, 0, kMaxRate));
      return;
    }
    const auto& a = array_at(item, p);
    if (a.size() != static_cast<std::size_t>(s.hours))
      fail(p, "has " + std::to_string(a.size()) + " hourly rates, day.hours is " +
                  std::to_string(s.hours));
    for (std::size_t i = 0; i < a.size(); ++i)
      rates.push_back(number_at(a[i], p + "[" + std::to_string(i) + "]", 0, kMaxRate));
  });
}

void parse_distributions(const json::object& root, Scenario& s) {
  if (auto v = root.if_contains("handle_time"))
    per_channel(*v, "handle_time", [&](Channel c, const json::value& item, auto& p) {
      s.handle[ix(c)] = distribution_at(item, p);
    });
  if (auto v = root.if_contains("patience"))
    per_channel(*v, "patience", [&](Channel c, const json::value& item, auto& p) {
      s.patience[ix(c)] = distribution_at(item, p);
    });
  for (std::size_t c = 0; c < kChannels; ++c) {
    bool busy =
        std::any_of(s.arrivals[c].begin(), s.arrivals[c].end(), [](double r) { return r > 0; });
    if (busy && !s.handle[c])
      fail("handle_time." + std::string(kChannelNames[c]), "missing (the channel has arrivals)");
  }
}

std::map<std::string, int> skills_at(const json::value& v, const std::string& path) {
  std::map<std::string, int> out;
  for (const auto& [k, level] : object_at(v, path)) {
    if (k.empty()) fail(path, "skill names must not be empty");
    out[std::string(k)] = int_at(level, key_path(path, k), 1, 5);
  }
  return out;
}

void parse_shift(const json::value& v, const std::string& path, const Scenario& s, AgentGroup& g) {
  const auto& o = object_at(v, path);
  only_keys(o, path, {"start", "end"});
  int lo = s.start_hour, hi = s.start_hour + s.hours;
  if (auto x = o.if_contains("start")) g.shift_start = int_at(*x, path + ".start", lo, hi);
  if (auto x = o.if_contains("end")) g.shift_end = int_at(*x, path + ".end", lo, hi);
  if (g.shift_end <= g.shift_start) fail(path + ".end", "must be after shift.start");
}

AgentGroup agent_group_at(const json::value& v, const std::string& path, const Scenario& s) {
  const auto& o = object_at(v, path);
  only_keys(o, path, {"name", "count", "skills", "capacity", "teams", "shift"});
  AgentGroup g;
  g.name = o.contains("name") ? string_at(o.at("name"), path + ".name") : path;
  if (auto x = o.if_contains("count")) g.count = int_at(*x, path + ".count", 0, kMaxAgents);
  if (auto x = o.if_contains("skills")) g.skills = skills_at(*x, path + ".skills");
  auto cap = o.if_contains("capacity");
  if (!cap) fail(path + ".capacity", "missing (e.g. {\"chat\": 2, \"ticket\": 5})");
  per_channel(*cap, path + ".capacity", [&](Channel c, const json::value& item, auto& p) {
    g.capacity[ix(c)] = int_at(item, p, 0, 100);
  });
  if (auto x = o.if_contains("teams")) {
    const auto& a = array_at(*x, path + ".teams");
    for (std::size_t i = 0; i < a.size(); ++i)
      g.teams.push_back(string_at(a[i], path + ".teams[" + std::to_string(i) + "]"));
  }
  g.shift_start = s.start_hour;
  g.shift_end = s.start_hour + s.hours;
  if (auto x = o.if_contains("shift")) parse_shift(*x, path + ".shift", s, g);
  return g;
}

void parse_agents(const json::object& root, Scenario& s) {
  auto v = root.if_contains("agents");
  if (!v) fail("agents", "missing");
  const auto& a = array_at(*v, "agents");
  int total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string p = "agents[" + std::to_string(i) + "]";
    s.agents.push_back(agent_group_at(a[i], p, s));
    total += s.agents.back().count;
    if (total > kMaxAgents) fail(p + ".count", "more than 10000 agents in all");
  }
}

bool team_exists(const Scenario& s, const std::string& team) {
  return std::any_of(s.agents.begin(), s.agents.end(), [&](const AgentGroup& g) {
    return std::find(g.teams.begin(), g.teams.end(), team) != g.teams.end();
  });
}

CustomerClass class_at(const json::value& v, const std::string& path, const Scenario& s) {
  const auto& o = object_at(v, path);
  only_keys(o, path, {"channel", "share", "skills", "team", "priority"});
  CustomerClass k;
  if (auto x = o.if_contains("channel"))
    k.channel = channel_at(string_at(*x, path + ".channel"), path + ".channel");
  auto share = o.if_contains("share");
  if (!share) fail(path + ".share", "missing (0-1 of the channel's arrivals)");
  k.share = number_at(*share, path + ".share", 0, 1);
  if (auto x = o.if_contains("skills"))
    for (const auto& [name, level] : skills_at(*x, path + ".skills"))
      k.skills.push_back({name, level});
  if (auto x = o.if_contains("team")) {
    k.team = string_at(*x, path + ".team");
    if (!team_exists(s, *k.team)) fail(path + ".team", "no agent is in team \"" + *k.team + "\"");
  }
  if (auto x = o.if_contains("priority")) k.priority = int_at(*x, path + ".priority", -100, 100);
  return k;
}

FallbackSpec fallback_at(const json::value& v, const std::string& path) {
  const auto& o = object_at(v, path);
  only_keys(o, path, {"widen_skills_after_s", "widen_team_after_s", "overflow_after_s"});
  FallbackSpec f;
  auto read = [&](const char* key, std::optional<double>& out) {
    if (auto x = o.if_contains(key); x && !x->is_null())
      out = number_at(*x, key_path(path, key), 0, kMaxSeconds);
  };
  read("widen_skills_after_s", f.widen_skills_after_s);
  read("widen_team_after_s", f.widen_team_after_s);
  read("overflow_after_s", f.overflow_after_s);
  return f;
}

void parse_fallback(const json::value& v, Scenario& s) {
  const auto& o = object_at(v, "routing.fallback");
  // "default" first so that channel entries replace it whatever the key order.
  if (auto d = o.if_contains("default"))
    s.fallback.fill(fallback_at(*d, "routing.fallback.default"));
  for (const auto& [k, item] : o) {
    if (k == "default") continue;
    std::string p = key_path("routing.fallback", k);
    s.fallback[ix(channel_at(k, p))] = fallback_at(item, p);
  }
}

void check_shares(const Scenario& s) {
  for (std::size_t c = 0; c < kChannels; ++c) {
    double sum = 0;
    for (const auto& k : s.classes)
      if (!k.channel || ix(*k.channel) == c) sum += k.share;
    if (sum > 1 + 1e-9)
      fail("routing.classes",
           "shares for " + std::string(kChannelNames[c]) + " add up to more than 1");
  }
}

void parse_routing(const json::object& root, Scenario& s) {
  auto v = root.if_contains("routing");
  if (!v) return;
  const auto& o = object_at(*v, "routing");
  only_keys(o, "routing", {"priority", "classes", "fallback"});
  if (auto x = o.if_contains("priority"))
    per_channel(*x, "routing.priority", [&](Channel c, const json::value& item, auto& p) {
      s.priority[ix(c)] = int_at(item, p, -100, 100);
    });
  if (auto x = o.if_contains("classes")) {
    const auto& a = array_at(*x, "routing.classes");
    for (std::size_t i = 0; i < a.size(); ++i)
      s.classes.push_back(class_at(a[i], "routing.classes[" + std::to_string(i) + "]", s));
    check_shares(s);
  }
  if (auto x = o.if_contains("fallback")) parse_fallback(*x, s);
}

}  // namespace

std::string_view channel_name(Channel c) {
  return kChannelNames[ix(c)];
}

Scenario parse_scenario(std::string_view text) {
  json::value doc = parse_json(text);
  if (!doc.is_object()) throw ScenarioError("scenario: must be a JSON object");
  const auto& root = doc.get_object();
  only_keys(root, "",
            {"seed", "day", "service_level", "arrivals", "handle_time", "patience", "agents",
             "routing", "find_agents", "description"});
  Scenario s;
  if (auto v = root.if_contains("seed")) {
    if (!v->is_uint64() && !(v->is_int64() && v->get_int64() >= 0))
      fail("seed", "must be a whole number >= 0");
    s.seed = v->is_uint64() ? v->get_uint64() : static_cast<std::uint64_t>(v->get_int64());
  }
  parse_day(root, s);
  parse_service_level(root, s);
  parse_arrivals(root, s);
  parse_distributions(root, s);
  parse_agents(root, s);
  parse_routing(root, s);
  if (auto v = root.if_contains("find_agents")) {
    if (!v->is_bool()) fail("find_agents", "must be true or false");
    s.find_agents = v->get_bool();
  }
  return s;
}

}  // namespace sb::sim
