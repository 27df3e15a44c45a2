// Reports (Q3) for supervisors: volumes, first response / response / wait /
// handle times, abandonment, bot deflection and CSAT for a period, filtered by
// inbox, team, agent and channel, per day and hour of week in the reader's time
// zone (?tz=), per channel and per agent (ranked); the conversations behind a
// figure (drill-down); and the queue as it is now (live dashboard). Every
// report but the live one is also a CSV (?format=csv). The figures come from one
// row of timings per conversation the store keeps on commit (reports/ has the
// arithmetic, docs/REPORTS.md the definitions).
#include <regex>

#include "api/csv.h"
#include "api/problems.h"
#include "api/routes.h"

namespace sb {
namespace {

namespace json = boost::json;
using reports::ConversationFacts;
using reports::Durations;
using reports::Summary;

constexpr int kMaxConversations = 500000;
constexpr std::size_t kMaxDrill = 200;

struct Query {
  ReportFilter filter;
  std::string tz_name = "UTC";
  TimeZone tz = TimeZone::utc();
  bool csv = false;
};

// The period and filters every report takes; problems name the field.
std::optional<Query> parse_query(const ReportServices& svc, const http::Request& req,
                                 Problems& bad) {
  Query q;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  q.filter.from = from;
  q.filter.to = to;
  q.filter.inbox_id = int_param(req, "inbox_id", bad);
  q.filter.team_id = int_param(req, "team_id", bad);
  q.filter.agent_id = int_param(req, "agent_id", bad);
  q.filter.channel = req.param("channel").value_or("");
  if (!q.filter.channel.empty() && !parse_conversation_kind(q.filter.channel))
    bad.add("channel", "unknown channel");
  q.tz = zone_param(req, svc.time_zones, bad, &q.tz_name);
  q.csv = req.param("format").value_or("") == "csv";
  if (!bad.empty()) return std::nullopt;
  return q;
}

json::value ms_or_null(const std::optional<Millis>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value rate(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? json::value(static_cast<double>(part) / static_cast<double>(whole))
                   : json::value(nullptr);
}

json::object durations_json(const Durations& d) {
  return {{"n", d.n},
          {"mean_ms", ms_or_null(d.mean)},
          {"median_ms", ms_or_null(d.median)},
          {"p90_ms", ms_or_null(d.p90)}};
}

json::object summary_json(const Summary& s) {
  return {{"conversations", s.conversations},
          {"open", s.open},
          {"closed", s.closed},
          {"first_response", durations_json(s.first_response)},
          {"response", durations_json(s.response)},
          {"wait", durations_json(s.wait)},
          {"handle", durations_json(s.handle)},
          {"abandoned", s.abandoned},
          {"abandonment_rate", rate(s.abandoned, s.closed)},
          {"bot_handled", s.bot_handled},
          {"bot_deflected", s.bot_deflected},
          {"deflection_rate", rate(s.bot_deflected, s.bot_handled)},
          {"rated", s.rated},
          {"rated_positive", s.rated_positive},
          {"csat", rate(s.rated_positive, s.rated)}};
}

// --- CSV: one header row, then a row per day / channel / agent / cell ---

std::string opt(const std::optional<Millis>& v) {
  return v ? std::to_string(*v) : "";
}
std::string ratio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

const std::vector<std::string> kSummaryHeader = {"conversations",
                                                 "open",
                                                 "closed",
                                                 "first_response_n",
                                                 "first_response_median_ms",
                                                 "first_response_p90_ms",
                                                 "first_response_mean_ms",
                                                 "response_n",
                                                 "response_mean_ms",
                                                 "wait_n",
                                                 "wait_median_ms",
                                                 "wait_p90_ms",
                                                 "handle_n",
                                                 "handle_median_ms",
                                                 "handle_mean_ms",
                                                 "abandoned",
                                                 "abandonment_rate",
                                                 "bot_handled",
                                                 "bot_deflected",
                                                 "deflection_rate",
                                                 "rated",
                                                 "rated_positive",
                                                 "csat"};

std::vector<std::string> summary_cells(const Summary& s) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  return {n(s.conversations),
          n(s.open),
          n(s.closed),
          n(s.first_response.n),
          opt(s.first_response.median),
          opt(s.first_response.p90),
          opt(s.first_response.mean),
          n(s.response.n),
          opt(s.response.mean),
          n(s.wait.n),
          opt(s.wait.median),
          opt(s.wait.p90),
          n(s.handle.n),
          opt(s.handle.median),
          opt(s.handle.mean),
          n(s.abandoned),
          ratio(s.abandoned, s.closed),
          n(s.bot_handled),
          n(s.bot_deflected),
          ratio(s.bot_deflected, s.bot_handled),
          n(s.rated),
          n(s.rated_positive),
          ratio(s.rated_positive, s.rated)};
}

class Csv {
 public:
  void row(const std::vector<std::string>& cells) { body_ += csv_row(cells); }
  http::Response response(const std::string& name) { return csv_file(std::move(body_), name); }

 private:
  std::string body_;
};

std::vector<std::string> joined(std::vector<std::string> head,
                                const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// --- the reports ---

struct Loaded {
  Query query;
  std::vector<ConversationFacts> facts;
  bool truncated = false;
};

template <typename Build>
http::Response run(const ReportServices& svc, const http::Request& req, Build build) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto q = parse_query(svc, req, bad);
  if (!q) return invalid(bad);
  Loaded l{*q, svc.reports.conversation_facts(a.workspace_id, q->filter, kMaxConversations + 1)};
  l.truncated = l.facts.size() > static_cast<std::size_t>(kMaxConversations);
  if (l.truncated) l.facts.resize(kMaxConversations);
  return build(a, l);
}

json::object head(const Loaded& l) {
  return {{"from", l.query.filter.from},
          {"to", l.query.filter.to},
          {"tz", l.query.tz_name},
          {"truncated", l.truncated}};
}

http::Response summary(const ReportServices& svc, const http::Request& req, const Params&) {
  return run(svc, req, [](const Actor&, Loaded& l) {
    auto s = reports::summarize(l.facts);
    if (l.query.csv) {
      Csv csv;
      csv.row(joined({"from", "to"}, kSummaryHeader));
      csv.row(joined({std::to_string(l.query.filter.from), std::to_string(l.query.filter.to)},
                     summary_cells(s)));
      return csv.response("summary");
    }
    auto out = head(l);
    for (auto& [k, v] : summary_json(s)) out[k] = v;
    return http::json(200, out);
  });
}

http::Response daily(const ReportServices& svc, const http::Request& req, const Params&) {
  return run(svc, req, [](const Actor&, Loaded& l) {
    auto days = reports::daily(l.facts, l.query.tz, l.query.filter.from, l.query.filter.to);
    if (l.query.csv) {
      Csv csv;
      csv.row(joined({"date"}, kSummaryHeader));
      for (const auto& d : days) csv.row(joined({d.date}, summary_cells(d.summary)));
      return csv.response("daily");
    }
    json::array rows;
    for (const auto& d : days) {
      auto row = summary_json(d.summary);
      row["date"] = d.date;
      rows.push_back(std::move(row));
    }
    auto out = head(l);
    out["days"] = std::move(rows);
    return http::json(200, out);
  });
}

http::Response heatmap(const ReportServices& svc, const http::Request& req, const Params&) {
  return run(svc, req, [](const Actor&, Loaded& l) {
    auto h = reports::heatmap(l.facts, l.query.tz);
    if (l.query.csv) {
      Csv csv;
      csv.row({"weekday", "hour", "conversations"});
      for (std::size_t d = 0; d < 7; ++d)
        for (std::size_t hour = 0; hour < 24; ++hour)
          csv.row({std::to_string(d), std::to_string(hour), std::to_string(h[d][hour])});
      return csv.response("heatmap");
    }
    json::array rows;
    std::int64_t max = 0;
    for (const auto& day : h) {
      json::array row;
      for (auto n : day) {
        row.push_back(n);
        max = std::max(max, n);
      }
      rows.push_back(std::move(row));
    }
    auto out = head(l);
    out["hours"] = std::move(rows);
    out["max"] = max;
    return http::json(200, out);
  });
}

http::Response channels(const ReportServices& svc, const http::Request& req, const Params&) {
  return run(svc, req, [](const Actor&, Loaded& l) {
    auto by = reports::by_channel(l.facts);
    if (l.query.csv) {
      Csv csv;
      csv.row(joined({"channel"}, kSummaryHeader));
      for (const auto& [name, s] : by) csv.row(joined({name}, summary_cells(s)));
      return csv.response("channels");
    }
    json::array rows;
    for (const auto& [name, s] : by) {
      auto row = summary_json(s);
      row["channel"] = name;
      rows.push_back(std::move(row));
    }
    auto out = head(l);
    out["channels"] = std::move(rows);
    return http::json(200, out);
  });
}

std::map<Id, std::string> agent_names(const ReportServices& svc, Id ws) {
  std::map<Id, std::string> out;
  for (const auto& a : svc.directory.list_agents(ws)) out[a.id] = a.name;
  return out;
}

http::Response agents(const ReportServices& svc, const http::Request& req, const Params&) {
  return run(svc, req, [&](const Actor& a, Loaded& l) {
    auto rows = reports::by_agent(l.facts);
    auto names = agent_names(svc, a.workspace_id);
    if (l.query.csv) {
      Csv csv;
      csv.row(joined({"rank", "agent_id", "agent_name", "csat_lower"}, kSummaryHeader));
      for (const auto& r : rows)
        csv.row(joined({std::to_string(r.rank), std::to_string(r.agent_id), names[r.agent_id],
                        ratio(static_cast<std::int64_t>(r.csat_lower * 1e6), 1000000)},
                       summary_cells(r.summary)));
      return csv.response("agents");
    }
    json::array out_rows;
    for (const auto& r : rows) {
      auto row = summary_json(r.summary);
      row["agent_id"] = r.agent_id;
      row["agent_name"] = names[r.agent_id];
      row["rank"] = r.rank;
      row["csat_lower"] = r.csat_lower;
      out_rows.push_back(std::move(row));
    }
    auto out = head(l);
    out["agents"] = std::move(out_rows);
    return http::json(200, out);
  });
}

// --- the drill-down ---

struct Cell {
  std::optional<std::string> day;
  std::optional<int> weekday, hour;
};

std::optional<Cell> parse_cell(const http::Request& req, Problems& bad) {
  Cell c;
  if (auto d = req.param("day"); d && !d->empty()) {
    static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
    if (!std::regex_match(*d, kDate))
      bad.add("day", "must be YYYY-MM-DD");
    else
      c.day = *d;
  }
  auto bounded = [&](const char* name, int most) -> std::optional<int> {
    auto v = int_param(req, name, bad);
    if (v && (*v < 0 || *v > most)) {
      bad.add(name, "must be 0 to " + std::to_string(most));
      return std::nullopt;
    }
    if (!v) return std::nullopt;
    return static_cast<int>(*v);
  };
  c.weekday = bounded("weekday", 6);
  c.hour = bounded("hour", 23);
  if (c.weekday.has_value() != c.hour.has_value()) bad.add("hour", "weekday and hour go together");
  if (!bad.empty()) return std::nullopt;
  return c;
}

bool in_cell(const ConversationFacts& f, const Cell& c, reports::LocalClock& clock) {
  if (!c.day && !c.weekday) return true;
  auto t = clock.at(f.created_at);
  if (c.day && reports::LocalClock::date_of(t.day) != *c.day) return false;
  return !c.weekday || (t.weekday == *c.weekday && t.minute / 60 == *c.hour);
}

json::value rated(const std::optional<bool>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

http::Response drill(const ReportServices& svc, const http::Request& req, const Params&) {
  Problems bad;
  auto metric = reports::parse_metric(req.param("metric").value_or("all"));
  if (!metric) bad.add("metric", "unknown metric");
  auto cell = parse_cell(req, bad);
  if (!bad.empty()) {
    svc.auth.require_agent(req);
    return invalid(bad);
  }
  return run(svc, req, [&](const Actor& a, Loaded& l) {
    std::vector<const ConversationFacts*> hits;
    reports::LocalClock clock(l.query.tz);
    for (const auto& f : l.facts)
      if (reports::counts(f, *metric) && in_cell(f, *cell, clock)) hits.push_back(&f);
    auto names = agent_names(svc, a.workspace_id);
    auto row_of = [&](const ConversationFacts& f) {
      json::value frt = nullptr;
      if (f.first_reply_at) frt = *f.first_reply_at - f.created_at;
      return json::object{{"id", f.id},
                          {"channel", f.channel},
                          {"inbox_id", f.inbox_id},
                          {"agent_id", f.agent_id ? json::value(*f.agent_id) : nullptr},
                          {"agent_name", f.agent_id ? names[*f.agent_id] : ""},
                          {"created_at", f.created_at},
                          {"first_response_ms", frt},
                          {"closed_at", ms_or_null(f.closed_at)},
                          {"status", f.closed_at ? "closed" : "open"},
                          {"rated_positive", rated(f.rated_positive)}};
    };
    if (l.query.csv) {
      Csv csv;
      csv.row({"id", "channel", "inbox_id", "agent_id", "agent_name", "created_at",
               "first_response_ms", "closed_at", "status", "rated_positive"});
      for (auto it = hits.rbegin(); it != hits.rend(); ++it) {
        const auto& f = **it;
        auto row = row_of(f);
        std::vector<std::string> cells;
        for (const auto& [k, v] : row)
          cells.push_back(v.is_string() ? std::string(v.as_string())
                          : v.is_null() ? ""
                          : v.is_bool() ? (v.as_bool() ? "1" : "0")
                                        : json::serialize(v));
        csv.row(cells);
      }
      return csv.response("conversations");
    }
    json::array rows;
    for (auto it = hits.rbegin(); it != hits.rend() && rows.size() < kMaxDrill; ++it)
      rows.push_back(row_of(**it));
    auto out = head(l);
    out["total"] = hits.size();
    out["conversations"] = std::move(rows);
    return http::json(200, out);
  });
}

// --- the live dashboard ---

http::Response live(const ReportServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  TimeZone tz = zone_param(req, svc.time_zones, bad, nullptr);
  if (!bad.empty()) return invalid(bad);
  Millis now = svc.env.now_ms();
  auto queue = svc.reports.live_queue(a.workspace_id);
  // Today: since the reader's local midnight (at most a day back).
  Millis midnight = now - static_cast<Millis>(local_time(tz, now).minute) * 60000;
  ReportFilter today{.from = midnight - (midnight % 60000), .to = now + 1};
  auto facts = svc.reports.conversation_facts(a.workspace_id, today, kMaxConversations);
  json::array agents;
  std::int64_t online = 0;
  for (const auto& ag : svc.directory.list_agents(a.workspace_id)) {
    if (ag.status != AgentStatus::kOffline) ++online;
    auto it = queue.open_by_agent.find(ag.id);
    agents.push_back(json::object{{"id", ag.id},
                                  {"name", ag.name},
                                  {"status", to_string(ag.status)},
                                  {"open", it == queue.open_by_agent.end() ? 0 : it->second}});
  }
  json::value longest = nullptr;
  if (queue.oldest_waiting_since) longest = std::max<Millis>(now - *queue.oldest_waiting_since, 0);
  return http::json(200, {{"at", now},
                          {"open", queue.open},
                          {"waiting", queue.waiting},
                          {"longest_wait_ms", longest},
                          {"agents_online", online},
                          {"agents", std::move(agents)},
                          {"today", summary_json(reports::summarize(facts))}});
}

}  // namespace

void add_report_routes(Router& r, const ReportServices& svc) {
  const std::string base = "/api/v1/reports/";
  r.add(Access::kSupervisor, "GET", base + "summary", with(svc, summary));
  r.add(Access::kSupervisor, "GET", base + "daily", with(svc, daily));
  r.add(Access::kSupervisor, "GET", base + "heatmap", with(svc, heatmap));
  r.add(Access::kSupervisor, "GET", base + "channels", with(svc, channels));
  r.add(Access::kSupervisor, "GET", base + "agents", with(svc, agents));
  r.add(Access::kSupervisor, "GET", base + "drill", with(svc, drill));
  r.add(Access::kSupervisor, "GET", base + "live", with(svc, live));
}

}  // namespace sb
