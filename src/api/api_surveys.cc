// Satisfaction (Q2): at the end of a chat the widget asks for a rating — 1-3 as
// seed 004 asks ("How satisfied were you with the live chat today, on a scale
// of 1 to 3?"), or 1-5 or thumbs by the workspace's settings — with an optional
// comment. Agents see it as a note in the conversation; supervisors get CSAT
// (the share at the top of the scale) per agent, ranked by the lower bound of
// its 95% interval so one lucky rating does not top the list, per channel, the
// comments, and a CSV of every rating.
#include <cmath>

#include "api/csv.h"
#include "api/problems.h"
#include "api/routes.h"
#include "api/survey_forms.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxComment = 1000;  // characters
constexpr Millis kChangeWindowMs = 30 * 60 * 1000;
constexpr int kMaxReportRatings = 200000;
constexpr int kLowSample = 5;

struct ChatSurvey {
  bool enabled = true;
  std::string scale = "3";
  bool comment = true;
  json::object json() const {
    return {{"enabled", enabled}, {"scale", scale}, {"comment", comment}};
  }
};

ChatSurvey chat_survey(SurveyStore& store, Id ws) {
  ChatSurvey s;
  auto settings = store.survey_settings(ws);
  if (auto* c = settings.if_contains("chat"); c && c->is_object()) {
    const auto& o = c->as_object();
    if (auto* v = o.if_contains("enabled"); v && v->is_bool()) s.enabled = v->as_bool();
    if (auto* v = o.if_contains("scale"); v && v->is_string())
      s.scale = std::string(v->as_string());
    if (auto* v = o.if_contains("comment"); v && v->is_bool()) s.comment = v->as_bool();
  }
  return s;
}

int top_of(const std::string& scale) {
  return scale == "5" ? 5 : scale == "thumbs" ? 1 : 3;
}
int bottom_of(const std::string& scale) {
  return scale == "thumbs" ? 0 : 1;
}
// The top of the scale counts as satisfied: 3 of 3, 4-5 of 5, a thumb up.
bool positive(const std::string& scale, int score) {
  return scale == "5" ? score >= 4 : score == top_of(scale);
}

json::value rating_view(const std::optional<ChatRating>& r) {
  if (!r) return nullptr;
  return json::object{{"score", r->score},           {"scale", r->scale},
                      {"positive", r->positive},     {"comment", r->comment},
                      {"created_at", r->created_at}, {"updated_at", r->updated_at}};
}

// --- the widget ---

http::Response widget_rating(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto survey = chat_survey(svc.surveys, v.workspace_id);
  bool ended = conv.status == ConversationStatus::kClosed;
  return http::json(200,
                    {{"survey", survey.json()},
                     {"can_rate", survey.enabled && ended},
                     {"rating", rating_view(svc.surveys.chat_rating(v.workspace_id, conv.id))}});
}

std::string score_text(const ChatRating& r) {
  if (r.scale == "thumbs") return r.score ? "a thumb up" : "a thumb down";
  return std::to_string(r.score) + " of " + r.scale;
}

http::Response rate(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto survey = chat_survey(svc.surveys, v.workspace_id);
  if (!survey.enabled) throw HttpError(409, "survey_off", "ratings are turned off");
  if (conv.status != ConversationStatus::kClosed)
    throw HttpError(409, "not_ended", "a conversation is rated when it has ended");
  auto body = body_of(req);
  Problems bad;
  int score = -1;
  auto* s = body.if_contains("score");
  if (!s || !s->is_int64() || s->as_int64() < bottom_of(survey.scale) ||
      s->as_int64() > top_of(survey.scale))
    bad.add("score", "must be a whole number from " + std::to_string(bottom_of(survey.scale)) +
                         " to " + std::to_string(top_of(survey.scale)));
  else
    score = static_cast<int>(s->as_int64());
  std::string comment;
  if (auto* c = body.if_contains("comment"); c && !c->is_null()) {
    if (!c->is_string() || !is_valid_utf8(c->as_string()) ||
        utf8_chars(c->as_string()) > kMaxComment)
      bad.add("comment", "must be UTF-8 text of at most 1,000 characters");
    else if (survey.comment)
      comment = trim(std::string(c->as_string()));
  }
  if (!bad.empty()) return invalid(bad);
  Millis now = svc.env.now_ms();
  auto before = svc.surveys.chat_rating(v.workspace_id, conv.id);
  if (before && now - before->created_at > kChangeWindowMs)
    throw HttpError(409, "already_rated", "this conversation was rated already");
  ChatRating r{v.workspace_id,
               conv.id,
               conv.inbox_id,
               conv.assignee_id,
               conv.assignee_name,
               std::string(to_string(conv.kind)),
               survey.scale,
               score,
               positive(survey.scale, score),
               comment,
               now,
               now};
  auto saved = svc.surveys.save_chat_rating(r);
  // The agents' view: a note, in their language through its notice.
  std::string text = "The customer rated the chat " + score_text(saved) +
                     (comment.empty() ? "." : ": “" + comment + "”");
  svc.conversations.append_event({v.workspace_id,
                                  conv.id,
                                  "note",
                                  {AuthorType::kSystem, 0, ""},
                                  text,
                                  "rating:" + std::to_string(now),
                                  {},
                                  "",
                                  {{"code", "chat_rating"},
                                   {"args",
                                    {{"score", score},
                                     {"scale", survey.scale},
                                     {"positive", saved.positive},
                                     {"comment", comment}}}}});
  return http::json(200, {{"rating", rating_view(saved)}});
}

// --- settings ---

// Solved tickets: the survey mailed to their customer (mail_channel/ sends it).
struct TicketSurvey {
  bool enabled = false;
  std::optional<Id> survey_id;
  json::object json() const {
    return {{"enabled", enabled}, {"survey_id", survey_id ? json::value(*survey_id) : nullptr}};
  }
};

TicketSurvey ticket_survey(SurveyStore& store, Id ws) {
  TicketSurvey t;
  auto settings = store.survey_settings(ws);
  if (auto* o = settings.if_contains("tickets"); o && o->is_object()) {
    t.enabled = json_bool(o->as_object(), "enabled").value_or(false);
    t.survey_id = json_int(o->as_object(), "survey_id");
  }
  return t;
}

http::Response get_settings(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  return http::json(200, {{"chat", chat_survey(svc.surveys, a.workspace_id).json()},
                          {"tickets", ticket_survey(svc.surveys, a.workspace_id).json()},
                          {"widget_nps", widget_nps(svc.surveys, a.workspace_id).json()}});
}

void read_ticket_survey(const SurveyServices& svc, Id ws, const json::value& v, TicketSurvey& t,
                        Problems& bad) {
  if (!v.is_object()) {
    bad.add("tickets", "must be {enabled, survey_id}");
    return;
  }
  read_survey_choice(svc.surveys, ws, v.as_object(), "tickets", t.enabled, t.survey_id, false, bad);
  if (t.enabled && !t.survey_id) bad.add("tickets.survey_id", "is required to send one");
}

http::Response put_settings(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto body = body_of(req);
  auto before = chat_survey(svc.surveys, a.workspace_id);
  ChatSurvey s = before;
  Problems bad;
  auto tickets_before = ticket_survey(svc.surveys, a.workspace_id);
  auto tickets = tickets_before;
  auto* chat = body.if_contains("chat");
  auto* for_tickets = body.if_contains("tickets");
  if (for_tickets) read_ticket_survey(svc, a.workspace_id, *for_tickets, tickets, bad);
  auto nps_before = widget_nps(svc.surveys, a.workspace_id);
  auto nps = nps_before;
  auto* for_widget = body.if_contains("widget_nps");
  if (for_widget) read_widget_nps(svc.surveys, a.workspace_id, *for_widget, nps, bad);
  if (!chat && !for_tickets && !for_widget) {
    bad.add("chat", "is required: {enabled, scale, comment}");
  } else if (chat && !chat->is_object()) {
    bad.add("chat", "must be {enabled, scale, comment}");
  } else if (chat) {
    const auto& o = chat->as_object();
    if (auto* v = o.if_contains("enabled")) {
      if (!v->is_bool())
        bad.add("chat.enabled", "must be true or false");
      else
        s.enabled = v->as_bool();
    }
    if (auto* v = o.if_contains("scale")) {
      if (!v->is_string() ||
          (v->as_string() != "3" && v->as_string() != "5" && v->as_string() != "thumbs"))
        bad.add("chat.scale", "must be \"3\", \"5\" or \"thumbs\"");
      else
        s.scale = std::string(v->as_string());
    }
    if (auto* v = o.if_contains("comment")) {
      if (!v->is_bool())
        bad.add("chat.comment", "must be true or false");
      else
        s.comment = v->as_bool();
    }
  }
  if (!bad.empty()) return invalid(bad);
  auto settings = svc.surveys.survey_settings(a.workspace_id);
  settings["chat"] = s.json();
  settings["tickets"] = tickets.json();
  settings["widget_nps"] = nps.json();
  svc.surveys.set_survey_settings(a.workspace_id, settings);
  if (chat) svc.audit.record(a, req, "survey.update", "survey", "chat", before.json(), s.json());
  if (for_tickets)
    svc.audit.record(a, req, "survey.update", "survey", "tickets", tickets_before.json(),
                     tickets.json());
  if (for_widget)
    svc.audit.record(a, req, "survey.update", "survey", "widget_nps", nps_before.json(),
                     nps.json());
  return http::json(200,
                    {{"chat", s.json()}, {"tickets", tickets.json()}, {"widget_nps", nps.json()}});
}

// --- the report ---

// Wilson's 95% interval of a share: honest with few answers.
std::pair<double, double> wilson(std::int64_t positive, std::int64_t n) {
  if (n == 0) return {0, 0};
  const double z = 1.96;
  double p = static_cast<double>(positive) / static_cast<double>(n), nn = static_cast<double>(n);
  double centre = p + z * z / (2 * nn);
  double spread = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  double scale = 1 + z * z / nn;
  return {(centre - spread) / scale, (centre + spread) / scale};
}

json::value percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return nullptr;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

struct Tally {
  std::string name;
  std::int64_t responses = 0, positive = 0;
  void add(const ChatRating& r) {
    ++responses;
    positive += r.positive ? 1 : 0;
  }
  json::object json() const {
    auto [low, high] = wilson(positive, responses);
    return {{"responses", responses},
            {"positive", positive},
            {"csat_pct", percent(positive, responses)},
            {"csat_low_pct", std::round(low * 1000) / 10},
            {"csat_high_pct", std::round(high * 1000) / 10},
            {"low_sample", responses < kLowSample}};
  }
};

bool wanted(const ChatRating& r, const std::optional<std::int64_t>& inbox,
            const std::optional<std::int64_t>& agent, const std::string& channel) {
  return (!inbox || r.inbox_id == *inbox) && (!agent || r.agent_id == *agent) &&
         (channel.empty() || r.channel == channel);
}

std::string iso_utc(Millis ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

http::Response ratings_csv(const std::vector<ChatRating>& ratings) {
  std::string body =
      "conversation_id,rated_at,channel,inbox_id,agent_id,agent_name,scale,score,positive,"
      "comment\r\n";
  for (const auto& r : ratings)
    body += csv_row({std::to_string(r.conversation_id), iso_utc(r.created_at), r.channel,
                     std::to_string(r.inbox_id), r.agent_id ? std::to_string(*r.agent_id) : "",
                     r.agent_name, r.scale, std::to_string(r.score), r.positive ? "1" : "0",
                     r.comment});
  return csv_file(std::move(body), "csat");
}

http::Response report(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  auto inbox = int_param(req, "inbox_id", bad);
  auto agent = int_param(req, "agent_id", bad);
  auto channel = req.param("channel").value_or("");
  if (!bad.empty()) return invalid(bad);
  auto all = svc.surveys.chat_ratings(a.workspace_id, from, to, kMaxReportRatings + 1);
  bool truncated = all.size() > static_cast<std::size_t>(kMaxReportRatings);
  if (truncated) all.resize(kMaxReportRatings);
  std::vector<ChatRating> ratings;
  for (auto& r : all)
    if (wanted(r, inbox, agent, channel)) ratings.push_back(std::move(r));
  if (req.param("format").value_or("") == "csv") return ratings_csv(ratings);

  Tally total;
  std::map<Id, Tally> agents;
  std::map<std::string, Tally> channels;
  std::map<std::string, std::map<int, std::int64_t>> distribution;
  json::array comments;
  for (const auto& r : ratings) {
    total.add(r);
    if (r.agent_id) {
      agents[*r.agent_id].name = r.agent_name;
      agents[*r.agent_id].add(r);
    }
    channels[r.channel].add(r);
    ++distribution[r.scale][r.score];
  }
  for (auto it = ratings.rbegin(); it != ratings.rend() && comments.size() < 50; ++it)
    if (!it->comment.empty())
      comments.push_back(json::object{{"conversation_id", it->conversation_id},
                                      {"score", it->score},
                                      {"scale", it->scale},
                                      {"positive", it->positive},
                                      {"comment", it->comment},
                                      {"agent_name", it->agent_name},
                                      {"at", it->created_at}});
  // Ranked by the interval's lower bound: many good ratings beat one.
  std::vector<std::pair<Id, const Tally*>> ranked;
  for (const auto& [id, t] : agents) ranked.push_back({id, &t});
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return wilson(x.second->positive, x.second->responses).first >
           wilson(y.second->positive, y.second->responses).first;
  });
  json::array by_agent;
  for (const auto& [id, t] : ranked) {
    auto row = t->json();
    row["agent_id"] = id;
    row["agent_name"] = t->name;
    row["rank"] = by_agent.size() + 1;
    by_agent.push_back(std::move(row));
  }
  json::array by_channel;
  for (const auto& [name, t] : channels) {
    auto row = t.json();
    row["channel"] = name;
    by_channel.push_back(std::move(row));
  }
  json::object scales;
  for (const auto& [scale, counts] : distribution) {
    json::object c;
    for (int s = bottom_of(scale); s <= top_of(scale); ++s) {
      auto it = counts.find(s);
      c[std::to_string(s)] = it == counts.end() ? 0 : it->second;
    }
    scales[scale] = std::move(c);
  }
  auto out = total.json();
  out["from"] = from;
  out["to"] = to;
  out["by_agent"] = std::move(by_agent);
  out["by_channel"] = std::move(by_channel);
  out["distribution"] = std::move(scales);
  out["comments"] = std::move(comments);
  out["truncated"] = truncated;
  return http::json(200, out);
}

}  // namespace

void add_survey_routes(Router& r, const SurveyServices& svc) {
  const BodyRule small{16 * 1024};
  const std::string rating = "/api/v1/widget/conversations/:id/rating";
  r.add(Access::kVisitor, "GET", rating, with(svc, widget_rating));
  r.add(Access::kVisitor, "POST", rating, with(svc, rate));
  r.add(Access::kAgent, "GET", "/api/v1/settings/survey", with(svc, get_settings));
  r.add(Access::kAdmin, "PUT", "/api/v1/settings/survey", with(svc, put_settings), small);
  r.add(Access::kSupervisor, "GET", "/api/v1/reports/csat", with(svc, report));
}

}  // namespace sb
