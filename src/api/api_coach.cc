// The etiquette coach (Q1, docs/COACH.md): checks an agent's draft in the
// conversation's language with the workspace's rules (the shipped ones unless an
// admin changed them), lets admins edit the rules per language, and counts how
// often each flag was shown and taken.
#include <mutex>

#include "api/problems.h"
#include "api/routes.h"
#include "api/variant_effect.h"
#include "coach/coach.h"

namespace sb {

// The compiled rules per workspace and language, rebuilt when the stored JSON
// changes (another node's admin may change it: the row is read on each check).
class CoachCache {
 public:
  std::shared_ptr<const coach::Coach> get(Id ws, const std::string& language,
                                          const std::string& custom_json) {
    std::lock_guard lock(mu_);
    auto& slot = compiled_[{ws, language}];
    if (!slot.coach || slot.source != custom_json) {
      slot.source = custom_json;
      slot.coach = std::make_shared<const coach::Coach>(
          custom_json.empty() ? coach::default_rules(language)
                              : coach::rules_from_json(boost::json::parse(custom_json)));
    }
    return slot.coach;
  }

 private:
  struct Slot {
    std::string source;
    std::shared_ptr<const coach::Coach> coach;
  };
  std::mutex mu_;
  std::map<std::pair<Id, std::string>, Slot> compiled_;
};

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxDraftBytes = 20'000;
constexpr std::size_t kMaxFeedbackEvents = 100;

std::string custom_rules(const CoachServices& svc, Id ws, const std::string& language) {
  auto all = svc.coach.coach_rules(ws);
  auto it = all.find(language);
  return it == all.end() ? "" : it->second;
}

json::object flag_view(const coach::Flag& f) {
  json::array suggestions;
  for (const auto& e : f.suggestions)
    suggestions.push_back(json::object{{"text", e.text}, {"start", e.start}, {"end", e.end}});
  return {{"rule", f.rule},    {"kind", f.kind}, {"start", f.start},
          {"end", f.end},      {"text", f.text}, {"suggestions", std::move(suggestions)},
          {"params", f.params}};
}

// What the conversation says about the draft: its language, whether the agent
// side has written yet, whether "anything else?" was asked, the customer's name.
struct Draft {
  std::string language = "en";
  coach::Context context;
};

void read_conversation(const CoachServices& svc, const Actor& a, const Conversation& conv,
                       const coach::Coach& coach, Draft& d) {
  d.context.first_message = true;
  d.context.customer_name = conv.contact.name;
  for (const auto& e : svc.conversations.events_after(a.workspace_id, conv.id, 0, true, 1000)) {
    if (e.kind != "message" || e.author.type != AuthorType::kAgent) continue;
    d.context.first_message = false;
    if (coach.asks_anything_else(e.body)) d.context.asked_anything_else = true;
  }
}

http::Response check(const CoachServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  Problems bad;
  std::string text;
  if (auto* t = body.if_contains("text"); !t || !t->is_string())
    bad.add("text", "is required text");
  else if (text = std::string(t->as_string()); text.size() > kMaxDraftBytes)
    bad.add("text", "is longer than 20,000 bytes");
  else if (!is_valid_utf8(text))
    bad.add("text", "must be UTF-8");
  Draft d;
  std::optional<Conversation> conv;
  if (auto* c = body.if_contains("conversation_id"); c && !c->is_null()) {
    if (!c->is_int64() || c->as_int64() <= 0)
      bad.add("conversation_id", "must be a conversation's id");
    else
      conv = accessible_conversation(svc.conversations, a, c->as_int64());
  }
  if (conv && coach::is_language(conv->customer_language())) d.language = conv->customer_language();
  if (auto* l = body.if_contains("language"); l && !l->is_null()) {
    if (!l->is_string() || !coach::is_language(l->as_string()))
      bad.add("language", "must be one of en, it, ru, hu, pl");
    else
      d.language = std::string(l->as_string());
  }
  if (!bad.empty()) return invalid(bad);
  auto coach =
      svc.cache->get(a.workspace_id, d.language, custom_rules(svc, a.workspace_id, d.language));
  d.context.agent_name = a.name;
  if (conv) read_conversation(svc, a, *conv, *coach, d);
  json::array flags;
  for (const auto& f : coach->check(text, d.context)) flags.push_back(flag_view(f));
  return http::json(200, {{"language", d.language}, {"flags", std::move(flags)}});
}

json::object rules_view(const CoachServices& svc, Id ws, const std::string& language) {
  auto custom = custom_rules(svc, ws, language);
  auto rules = custom.empty() ? coach::to_json(coach::default_rules(language))
                              : json::parse(custom).as_object();
  return {{"language", language}, {"rules", std::move(rules)}, {"customized", !custom.empty()}};
}

std::string language_of(const std::string& text) {
  if (!coach::is_language(text)) throw HttpError(404, "not_found", "no such language: " + text);
  return text;
}

http::Response all_rules(const CoachServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto custom = svc.coach.coach_rules(a.workspace_id);
  json::object languages, defaults;
  json::array customized;
  for (const auto& l : coach::languages()) {
    defaults[l] = coach::to_json(coach::default_rules(l));
    auto it = custom.find(l);
    languages[l] = it == custom.end() ? defaults[l] : json::parse(it->second);
    if (it != custom.end()) customized.emplace_back(l);
  }
  return http::json(200, {{"languages", std::move(languages)},
                          {"customized", std::move(customized)},
                          {"defaults", std::move(defaults)}});
}

http::Response put_rules(const CoachServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto language = language_of(p[0]);
  auto body = body_of(req);
  coach::Rules rules;
  try {
    rules = coach::rules_from_json(body);
  } catch (const std::invalid_argument& e) {
    std::string why = e.what();
    auto colon = why.find(": ");
    Problems bad;
    bad.add(colon == std::string::npos ? "rules" : why.substr(0, colon),
            colon == std::string::npos ? why : why.substr(colon + 2));
    return invalid(bad);
  }
  auto before = rules_view(svc, a.workspace_id, language);
  svc.coach.set_coach_rules(a.workspace_id, language, json::serialize(coach::to_json(rules)));
  auto after = rules_view(svc, a.workspace_id, language);
  svc.audit.record(a, req, "coach.rules", "coach_rules", language, before, after);
  return http::json(200, after);
}

http::Response reset_rules(const CoachServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto language = language_of(p[0]);
  auto before = rules_view(svc, a.workspace_id, language);
  svc.coach.set_coach_rules(a.workspace_id, language, std::nullopt);
  auto after = rules_view(svc, a.workspace_id, language);
  svc.audit.record(a, req, "coach.rules_reset", "coach_rules", language, before, after);
  return http::json(200, after);
}

bool rule_name_ok(std::string_view s) {
  if (s.empty() || s.size() > 80) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

http::Response feedback(const CoachServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  Problems bad;
  std::vector<CoachFeedback> events;
  auto* list = body.if_contains("events");
  if (!list || !list->is_array()) {
    bad.add("events", "is required: a list");
  } else if (list->as_array().size() > kMaxFeedbackEvents) {
    bad.add("events", "has more than 100 entries");
  } else {
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      auto field = "events[" + std::to_string(i) + "]";
      const auto& v = list->as_array()[i];
      const auto* o = v.if_object();
      auto text = [&](const char* key) {
        auto* x = o ? o->if_contains(key) : nullptr;
        return x && x->is_string() ? std::string(x->as_string()) : std::string();
      };
      auto rule = text("rule"), language = text("language"), action = text("action");
      if (!rule_name_ok(rule)) bad.add(field + ".rule", "must be a rule's name");
      if (!coach::is_language(language))
        bad.add(field + ".language", "must be one of en, it, ru, hu, pl");
      if (action != "shown" && action != "accepted")
        bad.add(field + ".action", "must be shown or accepted");
      events.push_back({rule, language, action == "accepted"});
    }
  }
  // The conversation the draft was for, when the console says: the coach's effect.
  std::optional<Id> conversation;
  if (auto* c = body.if_contains("conversation_id"); c && !c->is_null()) {
    if (!c->is_int64() || c->as_int64() <= 0)
      bad.add("conversation_id", "must be a conversation's id");
    else
      conversation = c->as_int64();
  }
  if (!bad.empty()) return invalid(bad);
  if (conversation) accessible_conversation(svc.conversations, a, *conversation);
  svc.coach.count_coach_feedback(a.workspace_id, svc.env.now_ms(), events, conversation);
  http::Response r;
  r.status = 204;
  return r;
}

http::Response stats(const CoachServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  if (!bad.empty()) return invalid(bad);
  json::array rules;
  for (const auto& c : svc.coach.coach_counts(a.workspace_id, from, to))
    rules.push_back(json::object{
        {"rule", c.rule}, {"language", c.language}, {"shown", c.shown}, {"accepted", c.accepted}});
  return http::json(200, {{"from", from}, {"to", to}, {"rules", std::move(rules)}});
}

// Conversations where the agent took a suggestion against those where flags
// were shown and none taken: CSAT, resolution, handle time (an association,
// not a controlled experiment: agents who take advice may differ).
http::Response effect(const CoachServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  if (!bad.empty()) return invalid(bad);
  auto out = variant_effect({{0, "no suggestion taken", false}, {1, "a suggestion taken", false}},
                            svc.coach.coach_outcomes(a.workspace_id, from, to, kMaxOutcomes));
  out["from"] = from;
  out["to"] = to;
  return http::json(200, std::move(out));
}

}  // namespace

std::shared_ptr<CoachCache> make_coach_cache() {
  return std::make_shared<CoachCache>();
}

void add_coach_routes(Router& r, const CoachServices& svc) {
  const BodyRule draft{160 * 1024};
  const BodyRule small{64 * 1024};
  r.add(Access::kAgent, "POST", "/api/v1/coach/check", with(svc, check), draft);
  r.add(Access::kAgent, "POST", "/api/v1/coach/feedback", with(svc, feedback), small);
  r.add(Access::kAdmin, "GET", "/api/v1/coach/rules", with(svc, all_rules));
  r.add(Access::kAdmin, "PUT", "/api/v1/coach/rules/:lang", with(svc, put_rules), draft);
  r.add(Access::kAdmin, "DELETE", "/api/v1/coach/rules/:lang", with(svc, reset_rules), small);
  r.add(Access::kSupervisor, "GET", "/api/v1/coach/stats", with(svc, stats));
  r.add(Access::kSupervisor, "GET", "/api/v1/coach/effect", with(svc, effect));
}

}  // namespace sb
