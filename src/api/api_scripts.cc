// Scripts (P2): what to say in each of seed 001's situations (greeting,
// information, wrong company, hold, transfer, saying "no", closing), per
// language, in variants. Agents propose new scripts and edits; supervisors
// approve them (or edit directly, which is a proposal approved at once, so the
// history shows it). The composer asks which script fits the moment; each use
// is recorded with its variant, and the effect report compares the variants on
// CSAT, resolution and handle time with 95% intervals and a significance test
// ("not enough data yet" until each has 30 observations); the supervisor
// promotes the winner (the others are retired, their history kept).
#include <set>

#include "api/canned_values.h"
#include "api/problems.h"
#include "api/routes.h"
#include "api/variant_effect.h"
#include "canned/canned.h"
#include "coach/coach.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxVariants = 10;
constexpr std::size_t kMaxVariantChars = 3000;
constexpr std::size_t kMaxNote = 1000;
constexpr int kRecentEvents = 200;

std::optional<int> offer_of(const Script& s) {
  std::optional<int> best;
  std::int64_t fewest = 0;
  for (const auto& v : s.variants)
    if (!v.retired && (!best || v.uses < fewest)) {
      best = v.id;
      fewest = v.uses;
    }
  return best;
}

json::object script_view(const Script& s) {
  json::array variants;
  for (const auto& v : s.variants)
    variants.push_back(
        json::object{{"id", v.id}, {"text", v.text}, {"retired", v.retired}, {"uses", v.uses}});
  auto offer = offer_of(s);
  return {{"id", s.id},
          {"situation", s.situation},
          {"language", s.language},
          {"title", s.title},
          {"variants", std::move(variants)},
          {"offer", offer ? json::value(*offer) : nullptr},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

json::object proposal_view(const ScriptProposal& p) {
  json::array texts;
  for (const auto& t : p.variants) texts.emplace_back(t);
  return {{"id", p.id},
          {"script_id", p.script_id ? json::value(*p.script_id) : nullptr},
          {"situation", p.situation},
          {"language", p.language},
          {"title", p.title},
          {"variants", std::move(texts)},
          {"note", p.note},
          {"status", p.status},
          {"proposed_by", p.proposed_by},
          {"reviewed_by", p.reviewed_by ? json::value(*p.reviewed_by) : nullptr},
          {"review_note", p.review_note},
          {"created_at", p.created_at},
          {"reviewed_at", p.reviewed_at ? json::value(*p.reviewed_at) : nullptr}};
}

Script visible_script(const CannedServices& svc, const Actor& a, const std::string& id) {
  auto s = svc.scripts.script(a.workspace_id, parse_id(id));
  if (!s) throw HttpError(404, "not_found", "no such script");
  return *s;
}

// The proposal's fields from a body; `base` fills what an edit leaves out.
ScriptProposal read_proposal(const json::object& body, const ScriptProposal& base, Problems& bad) {
  ScriptProposal p = base;
  if (auto* s = body.if_contains("situation")) {
    if (!s->is_string() || !canned::known_situation(s->as_string()))
      bad.add("situation",
              "must be greeting, information, wrong_company, hold, transfer, saying_no or closing");
    else
      p.situation = std::string(s->as_string());
  } else if (p.situation.empty()) {
    bad.add("situation", "is required");
  }
  if (auto* l = body.if_contains("language"); l && !l->is_null()) {
    if (!l->is_string() || (!l->as_string().empty() && !coach::is_language(l->as_string())))
      bad.add("language", "must be \"\" (any) or one of en, it, ru, hu, pl");
    else
      p.language = std::string(l->as_string());
  }
  if (auto* t = body.if_contains("title")) {
    if (!t->is_string() || !is_valid_utf8(t->as_string()) ||
        trim(std::string(t->as_string())).empty() || utf8_chars(t->as_string()) > 120)
      bad.add("title", "must be text of 1 to 120 characters");
    else
      p.title = trim(std::string(t->as_string()));
  } else if (p.title.empty()) {
    bad.add("title", "is required");
  }
  if (auto* v = body.if_contains("variants")) {
    p.variants.clear();
    bool ok = v->is_array() && !v->as_array().empty() && v->as_array().size() <= kMaxVariants;
    for (std::size_t i = 0; ok && i < v->as_array().size(); ++i) {
      const auto& x = v->as_array()[i];
      ok = x.is_string() && is_valid_utf8(x.as_string()) &&
           !trim(std::string(x.as_string())).empty() &&
           utf8_chars(x.as_string()) <= kMaxVariantChars;
      if (ok) p.variants.push_back(trim(std::string(x.as_string())));
    }
    if (!ok)
      bad.add("variants", "must be 1 to 10 texts of 1 to 3000 characters");
    else if (std::set<std::string>(p.variants.begin(), p.variants.end()).size() !=
             p.variants.size())
      bad.add("variants", "must differ from each other");
  } else if (p.variants.empty()) {
    bad.add("variants", "is required");
  }
  if (auto* n = body.if_contains("note"); n && !n->is_null()) {
    if (!n->is_string() || !is_valid_utf8(n->as_string()) || utf8_chars(n->as_string()) > kMaxNote)
      bad.add("note", "must be text of up to 1000 characters");
    else
      p.note = std::string(n->as_string());
  }
  return p;
}

ScriptProposal from_script(const Script& s) {
  ScriptProposal p;
  p.workspace_id = s.workspace_id;
  p.script_id = s.id;
  p.situation = s.situation;
  p.language = s.language;
  p.title = s.title;
  for (const auto& v : s.variants)
    if (!v.retired) p.variants.push_back(v.text);
  return p;
}

http::Response review_error(const StoreError& e) {
  if (e.code() == StoreError::Code::kConflict) throw HttpError(409, "conflict", e.what());
  if (e.code() == StoreError::Code::kNotFound) throw HttpError(404, "not_found", e.what());
  throw;
}

// --- scripts ---

http::Response list(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto situation = req.param("situation").value_or("");
  auto language = req.param("language").value_or("");
  json::array out;
  for (const auto& s : svc.scripts.scripts(a.workspace_id)) {
    if (!situation.empty() && s.situation != situation) continue;
    if (!language.empty() && !s.language.empty() && s.language != language) continue;
    out.push_back(script_view(s));
  }
  json::array situations;
  for (auto s : canned::kSituations) situations.emplace_back(s);
  return http::json(200, {{"situations", std::move(situations)}, {"scripts", std::move(out)}});
}

// A supervisor's own change: proposed and approved at once (the history keeps it).
http::Response apply(const CannedServices& svc, const http::Request& req, const Actor& a,
                     const ScriptProposal& base, int status) {
  Problems bad;
  auto p = read_proposal(body_of(req), base, bad);
  if (!bad.empty()) return invalid(bad);
  p.workspace_id = a.workspace_id;
  p.proposed_by = a.agent_id;
  try {
    auto proposed = svc.scripts.propose_script(p);
    auto done = svc.scripts.review_script_proposal(a.workspace_id, proposed.id, true, a.agent_id,
                                                   "edited by a supervisor");
    auto s = svc.scripts.script(a.workspace_id, *done.script_id);
    if (!s) throw HttpError(404, "not_found", "no such script");
    svc.audit.record(a, req, status == 201 ? "script.create" : "script.update", "script",
                     std::to_string(s->id), nullptr, {{"situation", s->situation}});
    return http::json(status, script_view(*s));
  } catch (const StoreError& e) {
    return review_error(e);
  }
}

http::Response create(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  return apply(svc, req, a, ScriptProposal{}, 201);
}

http::Response change(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  return apply(svc, req, a, from_script(visible_script(svc, a, p[0])), 200);
}

http::Response remove(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_script(svc, a, p[0]);
  svc.scripts.delete_script(a.workspace_id, s.id);
  svc.audit.record(a, req, "script.delete", "script", std::to_string(s.id),
                   {{"situation", s.situation}, {"title", s.title}}, nullptr);
  return http::json(200, {{"deleted", true}});
}

// --- proposals ---

http::Response propose(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  ScriptProposal base;
  if (auto* id = body.if_contains("script_id"); id && !id->is_null()) {
    if (!id->is_int64() || id->as_int64() <= 0) {
      Problems bad;
      bad.add("script_id", "must be a script's id");
      return invalid(bad);
    }
    base = from_script(visible_script(svc, a, std::to_string(id->as_int64())));
  }
  Problems bad;
  auto p = read_proposal(body, base, bad);
  if (!bad.empty()) return invalid(bad);
  p.workspace_id = a.workspace_id;
  p.proposed_by = a.agent_id;
  try {
    return http::json(201, proposal_view(svc.scripts.propose_script(p)));
  } catch (const StoreError& e) {
    return review_error(e);
  }
}

// Supervisors see every proposal; an agent their own.
http::Response proposals(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto status = req.param("status").value_or("");
  if (!status.empty() && status != "pending" && status != "approved" && status != "rejected") {
    Problems bad;
    bad.add("status", "must be pending, approved or rejected");
    return invalid(bad);
  }
  json::array out;
  for (const auto& p : svc.scripts.script_proposals(a.workspace_id, status, 500))
    if (a.at_least(Role::kSupervisor) || p.proposed_by == a.agent_id)
      out.push_back(proposal_view(p));
  return http::json(200, {{"proposals", std::move(out)}});
}

http::Response review(const CannedServices& svc, const http::Request& req, const Params& p,
                      bool approve) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  std::string note;
  if (auto* n = body.if_contains("note"); n && !n->is_null()) {
    if (!n->is_string() || !is_valid_utf8(n->as_string()) ||
        utf8_chars(n->as_string()) > kMaxNote) {
      Problems bad;
      bad.add("note", "must be text of up to 1000 characters");
      return invalid(bad);
    }
    note = std::string(n->as_string());
  }
  try {
    auto done = svc.scripts.review_script_proposal(a.workspace_id, parse_id(p[0]), approve,
                                                   a.agent_id, note);
    svc.audit.record(a, req, approve ? "script.approve" : "script.reject", "script_proposal",
                     std::to_string(done.id), nullptr,
                     {{"script_id", done.script_id ? json::value(*done.script_id) : nullptr}});
    return http::json(200, proposal_view(done));
  } catch (const StoreError& e) {
    return review_error(e);
  }
}
http::Response approve(const CannedServices& svc, const http::Request& req, const Params& p) {
  return review(svc, req, p, true);
}
http::Response reject(const CannedServices& svc, const http::Request& req, const Params& p) {
  return review(svc, req, p, false);
}

// --- in the composer ---

http::Response suggest(const CannedServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto id = int_param(req, "conversation_id", bad);
  if (!id && bad.empty()) bad.add("conversation_id", "is required");
  auto draft = req.param("draft").value_or("");
  if (!is_valid_utf8(draft) || draft.size() > 20000) bad.add("draft", "must be text");
  // The agent may ask for another situation's scripts (the composer's menu).
  auto asked = req.param("situation").value_or("");
  if (!asked.empty() && !canned::known_situation(asked)) bad.add("situation", "unknown situation");
  if (!bad.empty()) return invalid(bad);
  auto conv = accessible_conversation(svc.conversations, a, *id);
  bool agent_wrote = false;
  std::string last_customer;
  auto events = svc.conversations.events_after(
      a.workspace_id, conv.id, std::max<std::int64_t>(0, conv.last_seq - kRecentEvents), false,
      kRecentEvents);
  for (const auto& e : events) {
    if (e.kind != "message") continue;
    if (e.author.type == AuthorType::kAgent) agent_wrote = true;
    if (e.author.type == AuthorType::kVisitor) last_customer = e.body;
  }
  // Older history than the last 200 events: someone answered by then.
  if (conv.last_seq > kRecentEvents) agent_wrote = true;
  std::string situation =
      asked.empty() ? std::string(canned::suggest_situation(agent_wrote, last_customer, draft))
                    : asked;
  auto language = conv.customer_language();
  auto values = canned_values(svc, a, conv);
  json::array out;
  for (const auto& s : svc.scripts.scripts(a.workspace_id)) {
    if (s.situation != situation) continue;
    if (!s.language.empty() && s.language != language) continue;
    auto offer = offer_of(s);
    if (!offer) continue;
    const auto& v = *std::find_if(s.variants.begin(), s.variants.end(),
                                  [&](const ScriptVariant& x) { return x.id == *offer; });
    auto filled = canned::fill(v.text, values);
    json::array missing;
    for (const auto& m : filled.missing) missing.emplace_back(m);
    out.push_back(json::object{{"id", s.id},
                               {"title", s.title},
                               {"language", s.language},
                               {"variant", v.id},
                               {"text", filled.text},
                               {"missing", std::move(missing)}});
  }
  return http::json(
      200, {{"situation", situation}, {"language", language}, {"scripts", std::move(out)}});
}

http::Response used(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_script(svc, a, p[0]);
  auto body = body_of(req);
  Problems bad;
  auto* c = body.if_contains("conversation_id");
  if (!c || !c->is_int64() || c->as_int64() <= 0)
    bad.add("conversation_id", "must be a conversation's id");
  auto* v = body.if_contains("variant");
  if (!v || !v->is_int64() ||
      std::none_of(s.variants.begin(), s.variants.end(),
                   [&](const ScriptVariant& x) { return x.id == v->as_int64(); }))
    bad.add("variant", "must be one of the script's variant ids");
  if (!bad.empty()) return invalid(bad);
  auto conv = accessible_conversation(svc.conversations, a, c->as_int64());
  svc.scripts.record_script_use(a.workspace_id, s.id, static_cast<int>(v->as_int64()), conv.id,
                                a.agent_id);
  http::Response r;
  r.status = 204;
  return r;
}

// --- the effect ---

http::Response effect(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_script(svc, a, p[0]);
  std::vector<EffectVariant> variants;
  for (const auto& v : s.variants) variants.push_back({v.id, v.text, v.retired});
  auto out =
      variant_effect(variants, svc.scripts.script_outcomes(a.workspace_id, s.id, kMaxOutcomes));
  out["script"] = script_view(s);
  return http::json(200, std::move(out));
}

// The winner stays; the other variants are retired (their figures kept).
http::Response promote(const CannedServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_script(svc, a, p[0]);
  auto body = body_of(req);
  auto* v = body.if_contains("variant");
  if (!v || !v->is_int64() ||
      std::none_of(s.variants.begin(), s.variants.end(),
                   [&](const ScriptVariant& x) { return x.id == v->as_int64(); })) {
    Problems bad;
    bad.add("variant", "must be one of the script's variant ids");
    return invalid(bad);
  }
  for (auto& x : s.variants) x.retired = x.id != v->as_int64();
  auto saved = svc.scripts.save_script(s);
  svc.audit.record(a, req, "script.promote", "script", std::to_string(s.id), nullptr,
                   {{"variant", v->as_int64()}});
  return http::json(200, script_view(saved));
}

}  // namespace

void add_script_routes(Router& r, const CannedServices& svc) {
  const BodyRule small{64 * 1024};
  const std::string base = "/api/v1/scripts";
  r.add(Access::kAgent, "GET", base, with(svc, list));
  r.add(Access::kSupervisor, "POST", base, with(svc, create), small);
  r.add(Access::kAgent, "GET", base + "/suggest", with(svc, suggest));
  r.add(Access::kAgent, "GET", base + "/proposals", with(svc, proposals));
  r.add(Access::kAgent, "POST", base + "/proposals", with(svc, propose), small);
  r.add(Access::kSupervisor, "POST", base + "/proposals/:id/approve", with(svc, approve), small);
  r.add(Access::kSupervisor, "POST", base + "/proposals/:id/reject", with(svc, reject), small);
  r.add(Access::kSupervisor, "PATCH", base + "/:id", with(svc, change), small);
  r.add(Access::kSupervisor, "DELETE", base + "/:id", with(svc, remove), small);
  r.add(Access::kAgent, "POST", base + "/:id/used", with(svc, used), small);
  r.add(Access::kSupervisor, "GET", base + "/:id/effect", with(svc, effect));
  r.add(Access::kSupervisor, "POST", base + "/:id/promote", with(svc, promote), small);
}

}  // namespace sb
