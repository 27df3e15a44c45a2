// ComplaintStore: complaints and their checklist history. The rules are
// complaint::apply's; this file reads the state, asks it, and writes the answer
// with its timeline in the same transaction.
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace {

using complaint::Complaint;
using complaint::Timeline;
namespace json = boost::json;

constexpr auto& C = kComplaintColumns;
constexpr auto& S = kComplaintStepColumns;

Complaint read_complaint(const sql::Statement& q) {
  Complaint c;
  c.id = q.int64(C["id"]);
  c.workspace_id = q.int64(C["workspace_id"]);
  c.conversation_id = q.int64(C["conversation_id"]);
  c.category = q.text(C["category"]);
  c.suggested = q.int64(C["suggested"]) != 0;
  c.marked_by = {q.int64(C["marked_by_id"]), q.text(C["marked_by_name"])};
  c.marked_at = q.int64(C["marked_at"]);
  c.status = complaint::parse_status(q.text(C["status"]));
  c.resolution = complaint::parse_resolution(q.text(C["resolution"]));
  if (!q.is_null(C["resolved_at"])) c.resolved_at = q.int64(C["resolved_at"]);
  c.resolved_by = {q.int64(C["resolved_by_id"]), q.text(C["resolved_by_name"])};
  c.resolution_note = q.text(C["resolution_note"]);
  if (!q.is_null(C["withdrawn_at"])) c.withdrawn_at = q.int64(C["withdrawn_at"]);
  c.withdrawn_by = {q.int64(C["withdrawn_by_id"]), q.text(C["withdrawn_by_name"])};
  c.withdraw_reason = q.text(C["withdraw_reason"]);
  c.revision = q.int64(C["revision"]);
  return c;
}

std::vector<complaint::Tick> load_history(sql::Connection& db, Id complaint_id) {
  sql::Statement q(
      db, "SELECT " + S.list() + " FROM complaint_step WHERE complaint_id = ? ORDER BY id");
  q.bind(1, complaint_id);
  std::vector<complaint::Tick> out;
  while (q.step()) {
    auto step = complaint::parse_step(q.text(S["step"]));
    if (!step) continue;  // a step a later version removed
    out.push_back({*step,
                   q.int64(S["done"]) != 0,
                   q.text(S["note"]),
                   {q.int64(S["agent_id"]), q.text(S["agent_name"])},
                   q.int64(S["at"])});
  }
  return out;
}

std::optional<Complaint> load_latest(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement q(db, "SELECT " + C.list() +
                           " FROM complaint WHERE workspace_id = ? AND conversation_id = ? "
                           "ORDER BY id DESC LIMIT 1");
  q.bind(1, ws).bind(2, conversation);
  if (!q.step()) return std::nullopt;
  auto c = read_complaint(q);
  c.history = load_history(db, c.id);
  return c;
}

}  // namespace

std::vector<Complaint> load_complaints(sql::Connection& db, Id ws, Id conversation) {
  auto all = read_rows(
      db,
      "SELECT " + C.list() +
          " FROM complaint WHERE workspace_id = ? AND conversation_id = ? ORDER BY id",
      [&](sql::Statement& q) { q.bind(1, ws).bind(2, conversation); }, read_complaint);
  for (auto& c : all) c.history = load_history(db, c.id);
  return all;
}

namespace {

// The columns every write sets, bound from ?1 on.
constexpr std::string_view kStateColumns =
    "category = ?1, status = ?2, resolution = ?3, resolved_at = ?4, resolved_by_id = ?5, "
    "resolved_by_name = ?6, resolution_note = ?7, withdrawn_at = ?8, withdrawn_by_id = ?9, "
    "withdrawn_by_name = ?10, withdraw_reason = ?11, revision = ?12";

void bind_state(sql::Statement& q, const Complaint& c) {
  q.bind(1, c.category).bind(2, complaint::to_string(c.status));
  q.bind(3, complaint::to_string(c.resolution)).bind(4, c.resolved_at);
  q.bind(5, c.resolved_by.id).bind(6, c.resolved_by.name).bind(7, c.resolution_note);
  q.bind(8, c.withdrawn_at).bind(9, c.withdrawn_by.id).bind(10, c.withdrawn_by.name);
  q.bind(11, c.withdraw_reason).bind(12, c.revision);
}

Id insert_complaint(sql::Connection& db, const Complaint& c) {
  sql::Statement q(db,
                   "INSERT INTO complaint (workspace_id, conversation_id, suggested, marked_by_id, "
                   "marked_by_name, marked_at) VALUES (?13, ?14, ?15, ?16, ?17, ?18) "
                   "RETURNING id");
  q.bind(13, c.workspace_id).bind(14, c.conversation_id).bind(15, c.suggested ? 1 : 0);
  q.bind(16, c.marked_by.id).bind(17, c.marked_by.name).bind(18, c.marked_at);
  if (!q.step()) throw StoreError(StoreError::Code::kInternal, "complaint not inserted");
  Id id = q.int64(0);
  q.run();
  return id;
}

void update_complaint(sql::Connection& db, const Complaint& c) {
  sql::Statement q(db, "UPDATE complaint SET " + std::string(kStateColumns) + " WHERE id = ?13");
  bind_state(q, c);
  q.bind(13, c.id).run();
}

void insert_tick(sql::Connection& db, Id complaint_id, const complaint::Tick& t) {
  sql::Statement q(
      db,
      "INSERT INTO complaint_step (complaint_id, step, done, note, agent_id, agent_name, "
      "at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, complaint_id).bind(2, complaint::key(t.step)).bind(3, t.done ? 1 : 0);
  q.bind(4, t.note).bind(5, t.by.id).bind(6, t.by.name).bind(7, t.at).run();
}

// The agent-only note a timeline entry becomes: English body, and the notice the
// console words in the reader's language ("_by" variants name the agent).
NewEvent timeline_note(const Complaint& c, Timeline what, const complaint::Who& by) {
  std::string code, text;
  json::object args{{"by", by.name}};
  switch (what) {
    case Timeline::kMarked:
      code = "complaint_marked", text = by.name + " marked this conversation as a complaint";
      break;
    case Timeline::kWithdrawn:
      code = "complaint_withdrawn",
      text = by.name + " withdrew the complaint: " + c.withdraw_reason;
      args["reason"] = c.withdraw_reason;
      break;
    case Timeline::kDismissed:
      code = "complaint_dismissed",
      text = by.name + " decided this is not a complaint: " + c.withdraw_reason;
      args["reason"] = c.withdraw_reason;
      break;
    case Timeline::kResolvedBySteps:
      code = "complaint_resolved_steps",
      text = "Complaint resolved: fixed, the fix reported and the customer's satisfaction checked";
      args = {};
      break;
    case Timeline::kResolvedByAgent:
      code = "complaint_resolved", text = by.name + " resolved the complaint";
      break;
    case Timeline::kReopened:
      code = "complaint_reopened", text = by.name + " reopened the complaint";
      break;
  }
  NewEvent e{c.workspace_id,
             c.conversation_id,
             "note",
             {AuthorType::kAgent, by.id, by.name},
             text,
             "",
             {}};
  e.notice = {{"code", code}, {"args", args}};
  return e;
}

}  // namespace

std::optional<Complaint> SqlStore::latest_complaint(Id ws, Id conversation) {
  return read([&](sql::Connection& db) { return load_latest(db, ws, conversation); });
}

ComplaintChange SqlStore::act_on_complaint(Id ws, Id id, complaint::Action action) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    action.peak = conv.emotional_peak();
    Millis now = clock_();
    ComplaintChange out{complaint::apply(load_latest(db, ws, id), action, now), conv};
    auto& a = out.applied;
    if (a.problem != complaint::Problem::kNone || !a.changed) return out;
    Complaint& c = a.complaint;
    c.workspace_id = ws;
    c.conversation_id = id;
    if (a.created) c.id = insert_complaint(db, c);
    update_complaint(db, c);
    if (a.tick) insert_tick(db, c.id, *a.tick);
    for (Timeline t : a.notes) {
      auto event = insert_event(db, timeline_note(c, t, action.by), now);
      out.conversation = must_load_conversation(db, ws, id);
      record({out.conversation, event, false});
    }
    return out;
  });
}

std::vector<std::pair<Id, complaint::Status>> SqlStore::complaint_states(
    Id ws, const std::vector<Id>& ids) {
  if (ids.empty()) return {};
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        "SELECT conversation_id, status FROM complaint WHERE conversation_id " +
            in_json_list(db, "?1") + " AND workspace_id = ?2 AND status != 'withdrawn'",
        [&](sql::Statement& q) { q.bind(1, json::serialize(json::value_from(ids))).bind(2, ws); },
        [](const sql::Statement& q) {
          return std::pair{q.int64(0), complaint::parse_status(q.text(1))};
        });
  });
}

std::vector<complaint::Record> SqlStore::complaint_records(Id ws, Millis from, Millis to,
                                                           int limit) {
  return read([&](sql::Connection& db) {
    // The steps done now: each step's latest tick.
    sql::Statement q(
        db, "SELECT k.id, v.contact_id, k.category, k.marked_at, k.resolved_at, (SELECT " +
                std::string(db.pick("group_concat(s.step)", "string_agg(s.step, ',')")) +
                " FROM complaint_step s WHERE s.complaint_id = k.id "
                "AND s.done = 1 AND s.id = (SELECT MAX(id) FROM complaint_step l "
                "WHERE l.complaint_id = k.id AND l.step = s.step)) "
                "FROM complaint k JOIN conversation v ON v.id = k.conversation_id "
                "WHERE k.workspace_id = ? AND k.status != 'withdrawn' AND k.marked_at >= ? "
                "AND k.marked_at < ? ORDER BY k.marked_at, k.id LIMIT ?");
    q.bind(1, ws).bind(2, from).bind(3, to).bind(4, limit);
    std::vector<complaint::Record> out;
    while (q.step()) {
      complaint::Record r{q.int64(0), q.int64(1), q.text(2), q.int64(3)};
      if (!q.is_null(4)) r.resolved_at = q.int64(4);
      std::string done = q.text(5);
      for (std::size_t i = 0; i < complaint::kStepCount; ++i) {
        auto k = std::string(complaint::key(complaint::kSteps[i]));
        if (("," + done + ",").find("," + k + ",") != std::string::npos) r.done_mask |= 1U << i;
      }
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace sb::sqlite
