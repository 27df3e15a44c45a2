// The help desk: ticket views with counts, property changes (PATCH and bulk),
// merge and split, a chat turned ticket, and the workspace's custom fields.
// Agents act on the tickets they may see (Actor::covers, as for conversations);
// moving a colleague's ticket to someone else is for supervisors and admins.
#include <algorithm>
#include <map>

#include "api/routes.h"
#include "api/ticket_rules.h"
#include "protocol/protocol.h"
#include "sla/sla.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr int kMaxList = 200, kMaxBulk = 200;
constexpr std::size_t kBodyBytes = 64 * 1024;
constexpr Millis kHour = 3'600'000;
// Follow-up times within a plausible range (an integer of ms since the epoch).
constexpr Millis kMaxInstant = 32503680000000;  // year 3000

json::value id_or_null(std::optional<Id> v) {
  return v ? json::value(*v) : nullptr;
}

// One row of the ticket list: what the list shows, not the whole conversation.
// `list` adds `sla` (badge, time left) from the SLA runner's watch, or null, and
// `complaint` ({status: open | resolved}) when the ticket is marked as one, or null.
json::object row(const Conversation& c, Millis now) {
  const auto& t = *c.ticket;
  json::array tags;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  json::value last = nullptr;
  if (c.last_message)
    last = json::object{{"body", c.last_message->body.substr(0, 200)},
                        {"author_type", to_string(c.last_message->author.type)},
                        {"created_at", c.last_message->created_at}};
  bool finished = t.status == TicketStatus::kSolved || t.status == TicketStatus::kClosed;
  return {{"id", c.id},
          {"subject", c.subject},
          {"kind", to_string(c.kind)},
          {"inbox_id", c.inbox_id},
          {"status", to_string(t.status)},
          {"priority", to_string(t.priority)},
          {"tags", std::move(tags)},
          {"assignee", c.assignee_id ? json::value(json::object{{"id", *c.assignee_id},
                                                                {"name", c.assignee_name}})
                                     : json::value(nullptr)},
          {"team_id", id_or_null(c.team_id)},
          {"contact", {{"id", c.contact.id}, {"name", c.contact.name}, {"email", c.contact.email}}},
          {"follow_up_at", t.follow_up_at ? json::value(*t.follow_up_at) : nullptr},
          {"follow_up_due", !finished && t.follow_up_at && *t.follow_up_at <= now},
          {"custom_fields", t.custom},
          {"merged_into", id_or_null(t.merged_into)},
          {"last_message", last},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

// A list row's SLA state from the runner's watch, without replaying the ticket:
// overdue past its due instant, at risk past its at-risk instant.
json::object sla_summary(const TicketSlaWatch& w, Millis now) {
  Millis due = w.due_at.value_or(sla::kNever);
  const char* badge = now > due ? "breached" : now >= *w.at_risk_at ? "at_risk" : "ok";
  return {{"badge", badge},
          {"due_at", w.due_at ? json::value(*w.due_at) : nullptr},
          {"at_risk_at", *w.at_risk_at},
          {"left_ms", w.due_at ? json::value(*w.due_at - now) : nullptr}};
}

// The ticket itself, if this agent may see it; 404 otherwise (also: not a ticket).
Conversation accessible_ticket(const TicketServices& svc, const Actor& a, Id id) {
  auto conv = accessible_conversation(svc.conversations, a, id);
  if (!conv.ticket)
    throw HttpError(404, "not_found", "ticket " + std::to_string(id) + " not found");
  return conv;
}

template <class T, class Parse>
std::optional<T> query_enum(const http::Request& req, const char* name, Parse parse) {
  auto v = req.param(name);
  if (!v || v->empty()) return std::nullopt;
  auto parsed = parse(*v);
  if (!parsed) throw HttpError(400, "bad_request", std::string(name) + " is not valid");
  return parsed;
}

std::optional<Id> query_id(const http::Request& req, const char* name) {
  auto v = req.param(name);
  if (!v || v->empty()) return std::nullopt;
  try {
    return parse_id(*v);
  } catch (const HttpError&) {
    throw HttpError(400, "bad_request", std::string(name) + " must be an id");
  }
}

// The agent's query: their id and scope (none for admins), the time.
TicketQuery base_query(const TicketServices& svc, const Actor& a) {
  TicketQuery q;
  q.agent_id = a.agent_id;
  if (!a.at_least(Role::kAdmin)) q.scope = a.scope;
  q.now = svc.env.now_ms();
  return q;
}

http::Response list(const TicketServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto q = base_query(svc, a);
  q.view = query_enum<TicketView>(req, "view", parse_ticket_view).value_or(TicketView::kAllOpen);
  q.status = query_enum<TicketStatus>(req, "status", parse_ticket_status);
  q.priority = query_enum<TicketPriority>(req, "priority", parse_ticket_priority);
  if (auto tag = req.param("tag"); tag && !tag->empty()) {
    auto t = tickets::normalize_tag(*tag);
    if (!t) throw HttpError(400, "bad_request", "tag is not valid");
    q.tag = *t;
  }
  q.inbox = query_id(req, "inbox");
  if (auto as = req.param("assignee"); as && !as->empty())
    q.assignee = *as == "none" ? std::optional<Id>{} : query_id(req, "assignee");
  q.text = req.param("q").value_or("");
  if (q.text.size() > 200) throw HttpError(400, "bad_request", "q is at most 200 characters");
  if (auto b = req.param("before"); b && !b->empty()) {
    q.before = tickets::parse_cursor(*b);
    if (!q.before) throw HttpError(400, "bad_request", "before is not a cursor of this list");
  }
  q.limit = 50;
  if (auto l = req.param("limit"); l && !l->empty()) {
    auto n = std::atoi(l->c_str());
    if (n < 1 || n > kMaxList) throw HttpError(400, "bad_request", "limit must be 1 to 200");
    q.limit = n;
  }
  auto found = svc.tickets.list_tickets(a.workspace_id, q);
  std::vector<Id> ids;
  for (const auto& c : found) ids.push_back(c.id);
  std::map<Id, TicketSlaWatch> watches;
  for (auto& w : svc.sla.sla_watches(a.workspace_id, ids)) watches[w.conversation_id] = w;
  std::map<Id, complaint::Status> complaints;
  for (auto [id, status] : svc.complaints.complaint_states(a.workspace_id, ids))
    complaints[id] = status;
  json::array rows;
  for (const auto& c : found) {
    auto r = row(c, q.now);
    auto w = watches.find(c.id);
    r["sla"] =
        w == watches.end() ? json::value(nullptr) : json::value(sla_summary(w->second, q.now));
    auto k = complaints.find(c.id);
    r["complaint"] = k == complaints.end()
                         ? json::value(nullptr)
                         : json::value(json::object{{"status", complaint::to_string(k->second)}});
    rows.push_back(std::move(r));
  }
  json::value next = nullptr;
  if (static_cast<int>(found.size()) == q.limit) {
    const auto& last = found.back();
    if (q.view != TicketView::kBreachingSoon)
      next = json::value(tickets::cursor(last.updated_at, last.id));
    else if (auto w = watches.find(last.id); w != watches.end() && w->second.due_at)
      next = json::value(tickets::cursor(*w->second.due_at, last.id));
  }
  return http::json(200, {{"tickets", rows}, {"next_before", next}, {"now", q.now}});
}

http::Response views_counts(const TicketServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto counts = svc.tickets.ticket_counts(a.workspace_id, base_query(svc, a), 20);
  json::object views;
  for (const auto& [v, n] : counts.views) views[to_string(v)] = n;
  json::array tags;
  for (const auto& [tag, n] : counts.tags) tags.push_back({{"tag", tag}, {"count", n}});
  return http::json(200, {{"views", views}, {"tags", tags}});
}

// ---------------------------------------------------------------- changes

struct Requested {
  TicketChange change;
  std::optional<std::optional<Id>> assignee;
};

void parse_status(const json::value& v, Requested& r, Problems& p) {
  auto s = v.is_string() ? parse_ticket_status(v.as_string()) : std::nullopt;
  if (!s)
    p.add("status", "must be new, open, pending_customer, on_hold, solved or closed");
  else
    r.change.status = s;
}

void parse_priority(const json::value& v, Requested& r, Problems& p) {
  auto s = v.is_string() ? parse_ticket_priority(v.as_string()) : std::nullopt;
  if (!s)
    p.add("priority", "must be low, normal, high or urgent");
  else
    r.change.priority = s;
}

std::optional<std::optional<Id>> parse_nullable_id(const json::value& v, const char* field,
                                                   Problems& p) {
  if (v.is_null()) return std::optional<Id>{};
  if (v.is_int64() && v.as_int64() > 0) return std::optional<Id>{v.as_int64()};
  p.add(field, "must be an id or null");
  return std::nullopt;
}

void check_agent(const TicketServices& svc, Id ws, const Requested& r, Problems& p) {
  if (!r.assignee || !*r.assignee) return;
  auto agent = svc.directory.get_agent(ws, **r.assignee);
  if (!agent || !agent->active()) p.add("assignee_id", "no such agent in this workspace");
}

void check_team(const TicketServices& svc, Id ws, const Requested& r, Problems& p) {
  if (!r.change.team || !*r.change.team) return;
  auto teams = svc.routing.workspace_routing(ws).teams;
  if (std::none_of(teams.begin(), teams.end(),
                   [&](const auto& t) { return t.id == **r.change.team; }))
    p.add("team_id", "no such team in this workspace");
}

void parse_custom(const json::value& v, const std::vector<TicketFieldDef>& defs, Requested& r,
                  Problems& p) {
  if (!v.is_object()) {
    p.add("custom_fields", "must be an object of field keys and values");
    return;
  }
  for (const auto& [k, value] : v.as_object()) {
    std::string field = "custom_fields." + std::string(k);
    auto def = std::find_if(defs.begin(), defs.end(), [&](const auto& d) { return d.key == k; });
    if (def == defs.end()) {
      p.add(field, "no such field");
      continue;
    }
    if (!value.is_null())
      if (auto why = tickets::check_value(*def, value); !why.empty()) {
        p.add(field, why);
        continue;
      }
    r.change.custom[k] = value;
  }
}

void parse_follow_up(const json::value& v, Requested& r, Problems& p) {
  if (v.is_null())
    r.change.follow_up_at = std::optional<Millis>{};
  else if (v.is_int64() && v.as_int64() > 0 && v.as_int64() < kMaxInstant)
    r.change.follow_up_at = std::optional<Millis>{v.as_int64()};
  else
    p.add("follow_up_at", "must be a time in milliseconds since 1970, or null");
}

void parse_subject(const json::value& v, Requested& r, Problems& p) {
  std::string s = v.is_string() ? std::string(v.as_string()) : "";
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos || s.size() > 300 || !is_valid_utf8(s) ||
      s.find_first_of("\r\n") != std::string::npos)
    p.add("subject", "1 to 300 characters on one line");
  else
    r.change.subject = s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// PATCH's body (bulk: `bulk` takes only status, priority, add/remove_tags, assignee_id).
Requested parse_changes(const TicketServices& svc, Id ws, const json::object& body, bool bulk,
                        Problems& p) {
  Requested r;
  std::vector<TicketFieldDef> defs;
  for (const auto& [k, v] : body) {
    std::string key(k);
    if (key == "status") {
      parse_status(v, r, p);
    } else if (key == "priority") {
      parse_priority(v, r, p);
    } else if (key == "assignee_id") {
      r.assignee = parse_nullable_id(v, "assignee_id", p);
    } else if (bulk && (key == "add_tags" || key == "remove_tags")) {
      if (auto t = tickets::parse_tags(v, key, p))
        (key == "add_tags" ? r.change.add_tags : r.change.remove_tags) = *t;
    } else if (!bulk && key == "tags") {
      r.change.tags = tickets::parse_tags(v, "tags", p);
    } else if (!bulk && key == "team_id") {
      r.change.team = parse_nullable_id(v, "team_id", p);
    } else if (!bulk && key == "custom_fields") {
      defs = svc.tickets.ticket_fields(ws);
      parse_custom(v, defs, r, p);
    } else if (!bulk && key == "follow_up_at") {
      parse_follow_up(v, r, p);
    } else if (!bulk && key == "subject") {
      parse_subject(v, r, p);
    } else {
      p.add(key, "unknown or not changeable here");
    }
  }
  check_agent(svc, ws, r, p);
  check_team(svc, ws, r, p);
  return r;
}

// What depends on the ticket: the workflow's allowed moves, required fields to
// solve, who may reassign.
void check_against(const TicketServices& svc, const Actor& a, const Conversation& conv,
                   const Requested& r, Problems& p) {
  const auto& t = *conv.ticket;
  if (r.change.status && *r.change.status != t.status &&
      !sla::can_change_status(t.status, *r.change.status))
    p.add("status", t.status == TicketStatus::kClosed ? "a closed ticket stays closed"
                                                      : "a ticket cannot go back to new");
  bool finishing = r.change.status && (*r.change.status == TicketStatus::kSolved ||
                                       *r.change.status == TicketStatus::kClosed);
  if (finishing) {
    auto values = t.custom;
    for (const auto& [k, v] : r.change.custom) values[k] = v;
    for (const auto& key :
         tickets::missing_required(svc.tickets.ticket_fields(a.workspace_id), values))
      p.add("custom_fields." + key, "required to solve the ticket");
  }
}

// A merged ticket lives on in the one it was merged into: changing it (reopening
// it above all) would split the customer's story again.
void refuse_if_merged(const Conversation& conv) {
  if (auto into = conv.ticket->merged_into)
    throw HttpError(409, "conflict", "this ticket was merged into #" + std::to_string(*into));
}

void require_may_move(const Actor& a, const Conversation& conv, const Requested& r) {
  bool moves = (r.assignee && *r.assignee != conv.assignee_id &&
                !(*r.assignee && **r.assignee == a.agent_id && !conv.assignee_id)) ||
               (r.change.team && *r.change.team != conv.team_id);
  if (moves) require_may_reassign(a, conv);
}

// Applies validated changes. The assignee of an open ticket goes through routing's
// claim (capacity holds, as for chats); of a finished one, it is written as is.
Conversation apply(const TicketServices& svc, const Actor& a, const Conversation& conv,
                   Requested r) {
  Author by{AuthorType::kAgent, a.agent_id, a.name};
  if (r.assignee && *r.assignee != conv.assignee_id) {
    if (conv.status == ConversationStatus::kOpen) {
      auto moved = *r.assignee
                       ? svc.routing.claim(a.workspace_id, conv.id, **r.assignee, conv.assignee_id,
                                           by, "", {})
                       : svc.routing.requeue(
                             a.workspace_id, conv.id, conv.assignee_id, conv.priority, conv.team_id,
                             {"Ticket returned to the queue", "returned_to_queue", {}});
      if (!moved) throw HttpError(409, "conflict", moved.refused().reason);
    } else {
      r.change.assignee = r.assignee;
    }
  }
  return svc.tickets.update_ticket(a.workspace_id, conv.id, r.change, by);
}

// What the audit log keeps of a ticket. Custom field values are the customer's
// (an order number, an address): the append-only log names the fields set, never
// their values, so erasing the contact leaves none behind.
json::object summary(const Conversation& c) {
  const auto& t = *c.ticket;
  json::array tags, fields;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  for (const auto& [key, value] : t.custom) fields.emplace_back(key);
  return {{"status", to_string(t.status)},
          {"priority", to_string(t.priority)},
          {"tags", tags},
          {"assignee_id", id_or_null(c.assignee_id)},
          {"team_id", id_or_null(c.team_id)},
          {"custom_fields", fields},
          {"subject", c.subject},
          {"follow_up_at", t.follow_up_at ? json::value(*t.follow_up_at) : nullptr}};
}

http::Response patch(const TicketServices& svc, const http::Request& req, const Params& params) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto conv = accessible_ticket(svc, a, parse_id(params[0]));
  refuse_if_merged(conv);
  Problems p;
  auto r = parse_changes(svc, a.workspace_id, body, false, p);
  if (p.empty()) check_against(svc, a, conv, r, p);
  if (!p.empty()) return invalid(p);
  require_may_move(a, conv, r);
  auto updated = apply(svc, a, conv, std::move(r));
  svc.audit.record(a, req, "ticket.update", "conversation", std::to_string(conv.id), summary(conv),
                   summary(updated));
  return http::json(200, views::conversation(updated));
}

json::object failure(Id id, int status, const std::string& code, const std::string& message) {
  return {{"id", id},
          {"ok", false},
          {"status", status},
          {"error", {{"code", code}, {"message", message}}}};
}

json::object bulk_one(const TicketServices& svc, const Actor& a, const http::Request& req, Id id,
                      const Requested& r) {
  try {
    auto conv = accessible_ticket(svc, a, id);
    refuse_if_merged(conv);
    Problems p;
    check_against(svc, a, conv, r, p);
    if (!p.empty()) {
      auto err = p.to_json()["error"].as_object();
      return failure(id, 422, "invalid", json::value_to<std::string>(err["message"]));
    }
    require_may_move(a, conv, r);
    auto updated = apply(svc, a, conv, r);
    svc.audit.record(a, req, "ticket.update", "conversation", std::to_string(id), summary(conv),
                     summary(updated));
    return {{"id", id}, {"ok", true}, {"ticket", row(updated, svc.env.now_ms())}};
  } catch (const HttpError& e) {
    return failure(id, e.status, e.code, e.what());
  } catch (const StoreError& e) {
    if (e.code() == StoreError::Code::kInternal) throw;
    return failure(id, e.code() == StoreError::Code::kNotFound ? 404 : 409,
                   e.code() == StoreError::Code::kNotFound ? "not_found" : "conflict", e.what());
  }
}

http::Response bulk(const TicketServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  Problems p;
  std::vector<Id> ids;
  auto* idv = body.if_contains("ids");
  if (!idv || !idv->is_array() || idv->as_array().empty() ||
      idv->as_array().size() > static_cast<std::size_t>(kMaxBulk)) {
    p.add("ids", "a list of 1 to 200 ticket ids");
  } else {
    for (const auto& v : idv->as_array()) {
      if (!v.is_int64() || v.as_int64() <= 0) {
        p.add("ids", "ids are positive numbers");
        break;
      }
      if (std::find(ids.begin(), ids.end(), v.as_int64()) == ids.end()) ids.push_back(v.as_int64());
    }
  }
  Requested r;
  auto* ch = body.if_contains("changes");
  if (!ch || !ch->is_object() || ch->as_object().empty())
    p.add("changes", "an object with status, priority, add_tags, remove_tags or assignee_id");
  else
    r = parse_changes(svc, a.workspace_id, ch->as_object(), true, p);
  for (const auto& [k, v] : body)
    if (k != "ids" && k != "changes") p.add(std::string(k), "unknown member");
  if (!p.empty()) return invalid(p);
  json::array results;
  int ok = 0;
  for (Id id : ids) {
    auto one = bulk_one(svc, a, req, id, r);
    ok += one["ok"].as_bool() ? 1 : 0;
    results.push_back(std::move(one));
  }
  return http::json(
      200, {{"results", results}, {"ok", ok}, {"failed", static_cast<int>(ids.size()) - ok}});
}

// ---------------------------------------------------------------- merge, split, chat -> ticket

http::Response merge(const TicketServices& svc, const http::Request& req, const Params& params) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto source = accessible_ticket(svc, a, parse_id(params[0]));
  refuse_if_merged(source);
  auto into = json_int(body, "into");
  Problems p;
  if (!into || *into <= 0)
    p.add("into", "the id of the ticket to merge into");
  else if (*into == source.id)
    p.add("into", "a ticket cannot be merged into itself");
  if (!p.empty()) return invalid(p);
  auto target = accessible_ticket(svc, a, *into);
  if (target.ticket->merged_into) p.add("into", "that ticket was merged into another");
  if (target.ticket->status == TicketStatus::kClosed) p.add("into", "that ticket is closed");
  if (!p.empty()) return invalid(p);
  auto merged = svc.tickets.merge_tickets(a.workspace_id, source.id, target.id,
                                          {AuthorType::kAgent, a.agent_id, a.name});
  svc.audit.record(a, req, "ticket.merge", "conversation", std::to_string(source.id),
                   {{"ticket", source.id}}, {{"merged_into", target.id}});
  return http::json(200, {{"ticket", views::conversation(merged)}});
}

http::Response split(const TicketServices& svc, const http::Request& req, const Params& params) {
  auto a = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto conv = accessible_ticket(svc, a, parse_id(params[0]));
  refuse_if_merged(conv);
  auto event = json_int(body, "event_id");
  Problems p;
  if (!event || *event <= 0) p.add("event_id", "the id of a customer message of this ticket");
  if (!p.empty()) return invalid(p);
  Conversation created;
  try {
    created = svc.tickets.split_ticket(a.workspace_id, conv.id, *event,
                                       {AuthorType::kAgent, a.agent_id, a.name});
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kInvalid) throw;
    p.add("event_id", "must be a customer message of this ticket");
    return invalid(p);
  }
  svc.audit.record(a, req, "ticket.split", "conversation", std::to_string(conv.id),
                   {{"ticket", conv.id}, {"event_id", *event}}, {{"ticket", created.id}});
  return http::json(201, {{"ticket", views::conversation(created)}});
}

// A chat that cannot be finished now: a ticket, pending the customer (or open), with
// a follow-up reminder (24 h unless asked otherwise: seed 004's "within 24 hours").
http::Response to_ticket(const TicketServices& svc, const http::Request& req,
                         const Params& params) {
  auto a = svc.auth.require_agent(req);
  auto body = req.body.empty() ? json::object{} : parse_json_object(req.body);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(params[0]));
  Problems p;
  auto status = TicketStatus::kPendingCustomer;
  if (auto* v = body.if_contains("status")) {
    auto s = v->is_string() ? parse_ticket_status(v->as_string()) : std::nullopt;
    if (s != TicketStatus::kOpen && s != TicketStatus::kPendingCustomer &&
        s != TicketStatus::kOnHold)
      p.add("status", "must be open, pending_customer or on_hold");
    else
      status = *s;
  }
  std::int64_t hours = 24;
  if (auto* v = body.if_contains("follow_up_hours")) {
    if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 24 * 60)
      p.add("follow_up_hours", "hours from 0 (no reminder) to 1440");
    else
      hours = v->as_int64();
  }
  Requested subject;
  if (auto* v = body.if_contains("subject")) parse_subject(*v, subject, p);
  for (const auto& [k, v] : body)
    if (k != "status" && k != "follow_up_hours" && k != "subject")
      p.add(std::string(k), "unknown member");
  if (!p.empty()) return invalid(p);
  if (conv.ticket) throw HttpError(409, "conflict", "this conversation is a ticket already");
  std::optional<Millis> follow_up;
  if (hours > 0) follow_up = svc.env.now_ms() + hours * kHour;
  auto made = svc.tickets.make_ticket(a.workspace_id, conv.id, status, follow_up,
                                      subject.change.subject.value_or(""),
                                      {AuthorType::kAgent, a.agent_id, a.name});
  svc.audit.record(a, req, "ticket.create_from_chat", "conversation", std::to_string(conv.id),
                   nullptr, summary(made));
  return http::json(201, views::conversation(made));
}

// ---------------------------------------------------------------- custom fields

http::Response list_fields(const TicketServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  json::array out;
  for (const auto& f : svc.tickets.ticket_fields(a.workspace_id))
    out.push_back(tickets::definition_json(f));
  return http::json(200, {{"fields", out}});
}

http::Response create_field(const TicketServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  TicketFieldDef f;
  f.workspace_id = a.workspace_id;
  Problems p;
  tickets::apply_definition(body, true, f, p);
  auto existing = svc.tickets.ticket_fields(a.workspace_id);
  if (existing.size() >= tickets::kMaxFields) p.add("key", "at most 50 fields per workspace");
  if (p.empty() &&
      std::any_of(existing.begin(), existing.end(), [&](const auto& e) { return e.key == f.key; }))
    p.add("key", "another field has this key");
  if (!p.empty()) return invalid(p);
  if (!body.contains("position")) f.position = static_cast<int>(existing.size());
  auto saved = svc.tickets.save_ticket_field(f);
  svc.audit.record(a, req, "ticket_field.create", "ticket_field", std::to_string(saved.id), nullptr,
                   tickets::definition_json(saved));
  return http::json(201, tickets::definition_json(saved));
}

TicketFieldDef field_of(const TicketServices& svc, Id ws, Id id) {
  auto all = svc.tickets.ticket_fields(ws);
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& f) { return f.id == id; });
  if (it == all.end()) throw HttpError(404, "not_found", "field not found");
  return *it;
}

http::Response update_field(const TicketServices& svc, const http::Request& req,
                            const Params& params) {
  auto a = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  auto before = field_of(svc, a.workspace_id, parse_id(params[0]));
  auto f = before;
  Problems p;
  tickets::apply_definition(body, false, f, p);
  if (!p.empty()) return invalid(p);
  try {
    auto saved = svc.tickets.save_ticket_field(f);
    svc.audit.record(a, req, "ticket_field.update", "ticket_field", std::to_string(f.id),
                     tickets::definition_json(before), tickets::definition_json(saved));
    return http::json(200, tickets::definition_json(saved));
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kConflict) throw;
    p.add("key", "another field has this key");
    return invalid(p);
  }
}

http::Response delete_field(const TicketServices& svc, const http::Request& req,
                            const Params& params) {
  auto a = svc.auth.require_admin(req);
  auto before = field_of(svc, a.workspace_id, parse_id(params[0]));
  svc.tickets.delete_ticket_field(a.workspace_id, before.id);
  svc.audit.record(a, req, "ticket_field.delete", "ticket_field", std::to_string(before.id),
                   tickets::definition_json(before), nullptr);
  return http::json(200, {{"deleted", true}});
}

}  // namespace

int announce_follow_ups(TicketStore& tickets, Hub& hub, Millis now) {
  auto due = tickets.announce_due_follow_ups(now, 200);
  for (const auto& c : due)
    if (c.assignee_id)
      hub.to_agent(c.workspace_id, *c.assignee_id,
                   {{"type", "ticket_follow_up"},
                    {"conversation_id", c.id},
                    {"subject", c.subject},
                    {"contact_name", c.contact.name}});
  return static_cast<int>(due.size());
}

void add_ticket_routes(Router& r, const TicketServices& svc) {
  BodyRule body{kBodyBytes};
  r.add(Access::kAgent, "GET", "/api/v1/tickets", with(svc, list));
  r.add(Access::kAgent, "GET", "/api/v1/tickets/views", with(svc, views_counts));
  r.add(Access::kAgent, "PATCH", "/api/v1/tickets/:id", with(svc, patch), body);
  r.add(Access::kAgent, "POST", "/api/v1/tickets/bulk", with(svc, bulk), body);
  r.add(Access::kAgent, "POST", "/api/v1/tickets/:id/merge", with(svc, merge), body);
  r.add(Access::kAgent, "POST", "/api/v1/tickets/:id/split", with(svc, split), body);
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/ticket", with(svc, to_ticket), body);
  r.add(Access::kAgent, "GET", "/api/v1/ticket-fields", with(svc, list_fields));
  r.add(Access::kAdmin, "POST", "/api/v1/ticket-fields", with(svc, create_field), body);
  r.add(Access::kAdmin, "PATCH", "/api/v1/ticket-fields/:id", with(svc, update_field), body);
  r.add(Access::kAdmin, "DELETE", "/api/v1/ticket-fields/:id", with(svc, delete_field));
}

}  // namespace sb
