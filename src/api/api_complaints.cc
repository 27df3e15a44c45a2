// The complaint playbook (R7): mark a conversation as a complaint (or take the
// emotional-peak detector's suggestion), tick its checklist, resolve, withdraw;
// and the complaints report. The rules are complaint::apply's (complaint/).
// Agents viewing the conversation get each new state as a "complaint" frame.
#include <charconv>

#include "api/problems.h"
#include "api/routes.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;
using complaint::Action;

constexpr std::size_t kMaxNoteChars = 2000;
constexpr std::size_t kMaxReasonChars = 500;
constexpr int kMaxReportRecords = 100000;
constexpr Millis kDayMs = 24LL * 3600 * 1000;

json::value opt(const std::optional<Millis>& v) {
  return v ? json::value(*v) : nullptr;
}

// The state every answer and frame carries: the live complaint (null when there
// is none) and whether the console should offer "Treat as complaint".
json::object state_view(const std::optional<complaint::Complaint>& latest, bool peak) {
  bool live = latest && latest->active();
  return {{"complaint", live ? json::value(views::complaint(*latest)) : json::value(nullptr)},
          {"complaint_suggested", complaint::suggested(peak, latest)}};
}

std::optional<std::string> text_field(const json::object& body, const std::string& key,
                                      std::size_t max, bool required, Problems& p) {
  auto* v = body.if_contains(key);
  if (!v || v->is_null()) {
    if (required) p.add(key, "is required");
    return required ? std::nullopt : std::optional<std::string>("");
  }
  if (!v->is_string()) {
    p.add(key, "must be text");
    return std::nullopt;
  }
  auto s = trim(std::string(v->as_string()));
  if (!is_valid_utf8(s) || utf8_chars(s) > max) {
    p.add(key, "must be UTF-8 text of at most " + std::to_string(max) + " characters");
    return std::nullopt;
  }
  if (required && s.empty()) {
    p.add(key, "is required");
    return std::nullopt;
  }
  return s;
}

// Applies the action and answers with the new state; a refused action is 404
// (nothing to act on) or 409 (reopening an open complaint).
http::Response act(const ComplaintServices& svc, const Actor& a, const Conversation& conv,
                   Action action, int created_status = 200) {
  action.by = {a.agent_id, a.name};
  auto changed = svc.complaints.act_on_complaint(a.workspace_id, conv.id, std::move(action));
  const auto& applied = changed.applied;
  if (applied.problem == complaint::Problem::kNoComplaint)
    throw HttpError(404, "not_found", "this conversation is not a complaint");
  if (applied.problem == complaint::Problem::kNotResolved)
    throw HttpError(409, "conflict", "the complaint is not resolved");
  auto state = state_view(applied.complaint, changed.conversation.emotional_peak());
  if (applied.changed) {
    json::object frame{{"type", "complaint"}, {"conversation_id", conv.id}};
    for (const auto& [k, v] : state) frame[k] = v;
    svc.hub.to_conversation_agents(conv.workspace_id, conv.id, frame);
  }
  return http::json(applied.created ? created_status : 200, state);
}

void audit(const ComplaintServices& svc, const Actor& a, const http::Request& req,
           std::string action, Id conversation, json::value after) {
  svc.audit.record(a, req, "complaint." + action, "conversation", std::to_string(conversation),
                   nullptr, std::move(after));
}

http::Response show(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  return http::json(200, state_view(svc.complaints.latest_complaint(a.workspace_id, conv.id),
                                    conv.emotional_peak()));
}

http::Response mark(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  Problems bad;
  auto category = text_field(body, "category", 40, false, bad);
  if (category && !category->empty() && !complaint::valid_category(*category))
    bad.add("category", "must be a short slug: a-z, 0-9, '-' or '_', at most 40");
  if (!bad.empty()) return invalid(bad);
  Action action{.kind = Action::Kind::kMark, .category = *category};
  auto resp = act(svc, a, conv, action, 201);
  if (resp.status == 201) audit(svc, a, req, "mark", conv.id, {{"category", *category}});
  return resp;
}

http::Response withdraw(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  Problems bad;
  auto reason = text_field(body, "reason", kMaxReasonChars, true, bad);
  if (!bad.empty()) return invalid(bad);
  // Unmarking someone else's complaint is for supervisors: it drops out of the
  // reports. Dismissing the detector's suggestion is anyone's call.
  auto latest = svc.complaints.latest_complaint(a.workspace_id, conv.id);
  if (latest && latest->active() && latest->marked_by.id != a.agent_id &&
      !a.at_least(Role::kSupervisor))
    throw HttpError(403, "forbidden", "only its author or a supervisor may withdraw a complaint");
  auto resp = act(svc, a, conv, {.kind = Action::Kind::kWithdraw, .text = *reason});
  audit(svc, a, req, latest && latest->active() ? "withdraw" : "dismiss", conv.id,
        {{"reason", *reason}});
  return resp;
}

http::Response tick(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto step = complaint::parse_step(p[1]);
  if (!step) throw HttpError(404, "not_found", "no such step");
  Problems bad;
  auto done = json_bool(body, "done");
  if (!done) bad.add("done", "must be true or false");
  auto note = text_field(body, "note", kMaxNoteChars, false, bad);
  if (!bad.empty()) return invalid(bad);
  return act(svc, a, conv,
             {.kind = Action::Kind::kTick, .text = *note, .step = *step, .done = *done});
}

http::Response resolve(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto body = body_of(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  Problems bad;
  auto note = text_field(body, "note", kMaxNoteChars, false, bad);
  if (!bad.empty()) return invalid(bad);
  auto resp = act(svc, a, conv, {.kind = Action::Kind::kResolve, .text = *note});
  audit(svc, a, req, "resolve", conv.id, {{"note", *note}});
  return resp;
}

http::Response reopen(const ComplaintServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto resp = act(svc, a, conv, {.kind = Action::Kind::kReopen});
  audit(svc, a, req, "reopen", conv.id, nullptr);
  return resp;
}

json::object report_view(const complaint::Report& r, const complaint::ReportQuery& q,
                         bool truncated) {
  json::array categories, skipped;
  for (const auto& c : r.by_category)
    categories.push_back(
        {{"category", c.category.empty() ? json::value(nullptr) : json::value(c.category)},
         {"total", c.total},
         {"open", c.open},
         {"resolved", c.resolved},
         {"repeats", c.repeats}});
  for (const auto& s : r.skipped)
    skipped.push_back(
        {{"step", complaint::key(s.step)}, {"skipped", s.skipped}, {"of", r.resolved}});
  return {{"from", q.from},
          {"to", q.to},
          {"total", r.total},
          {"open", r.open},
          {"resolved", r.resolved},
          {"time_to_resolve",
           {{"count", r.resolved}, {"median_ms", opt(r.median_ms)}, {"p90_ms", opt(r.p90_ms)}}},
          {"by_category", categories},
          {"recurrence",
           {{"days", q.recurrence_days},
            {"contact_repeats", r.contact_repeats},
            {"same_category_repeats", r.same_category_repeats},
            {"repeat_contacts", r.repeat_contacts}}},
          {"skipped_steps", skipped},
          {"truncated", truncated}};
}

http::Response report(const ComplaintServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  auto days = int_param(req, "recurrence_days", bad).value_or(30);
  if (days < 1 || days > 365) bad.add("recurrence_days", "must be 1 to 365");
  if (!bad.empty()) return invalid(bad);
  complaint::ReportQuery q{from, to, static_cast<int>(days)};
  auto records = svc.complaints.complaint_records(a.workspace_id, from - days * kDayMs, to,
                                                  kMaxReportRecords + 1);
  bool truncated = records.size() > static_cast<std::size_t>(kMaxReportRecords);
  if (truncated) records.resize(kMaxReportRecords);
  return http::json(200, report_view(complaint::report(std::move(records), q), q, truncated));
}

}  // namespace

void add_complaint_routes(Router& r, const ComplaintServices& svc) {
  const BodyRule small{16 * 1024};
  const std::string base = "/api/v1/conversations/:id/complaint";
  r.add(Access::kAgent, "GET", base, with(svc, show));
  r.add(Access::kAgent, "POST", base, with(svc, mark), small);
  r.add(Access::kAgent, "DELETE", base, with(svc, withdraw), small);
  r.add(Access::kAgent, "PUT", base + "/steps/:key", with(svc, tick), small);
  r.add(Access::kAgent, "POST", base + "/resolve", with(svc, resolve), small);
  r.add(Access::kAgent, "POST", base + "/reopen", with(svc, reopen), small);
  r.add(Access::kSupervisor, "GET", "/api/v1/reports/complaints", with(svc, report));
}

}  // namespace sb
