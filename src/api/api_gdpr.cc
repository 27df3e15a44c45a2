// GDPR: an admin exports everything kept about a contact as a
// zip, or erases it; per workspace, closed conversations are deleted after the
// retention period by the janitor.
#include <algorithm>
#include <filesystem>

#include "api/routes.h"
#include "api/zip_writer.h"
#include "http/http.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr int kMaxRetentionDays = 3650;
// The janitor deletes in small write transactions so chat writes interleave, and
// stops after a pass's worth; the rest waits for the next pass.
constexpr int kPurgeBatch = 100;
constexpr int kPurgePerPass = 500;

json::value millis_or_null(const std::optional<Millis>& t) {
  return t ? json::value(*t) : json::value(nullptr);
}

// A complaint as the console shows it (checklist and history: who ticked what,
// when), and who withdrew it, why, when.
json::object export_complaint(const complaint::Complaint& c) {
  auto v = views::complaint(c);
  v["withdrawn_at"] = millis_or_null(c.withdrawn_at);
  v["withdrawn_by"] = views::complaint_who(c.withdrawn_by);
  v["withdraw_reason"] = c.withdraw_reason;
  return v;
}

// A ticket's custom field values named by their labels, in the workspace's order;
// values of fields deleted since keep their key.
json::array custom_fields(const Conversation& c, const std::vector<TicketFieldDef>& defs) {
  json::array out;
  if (!c.ticket) return out;
  auto values = c.ticket->custom;
  for (const auto& d : defs)
    if (auto* v = values.if_contains(d.key)) {
      out.push_back({{"key", d.key}, {"label", d.label}, {"value", *v}});
      values.erase(d.key);
    }
  for (const auto& [k, v] : values) out.push_back({{"key", k}, {"label", k}, {"value", v}});
  return out;
}

json::object export_conversation(const ConversationRecord& r,
                                 const std::vector<TicketFieldDef>& defs) {
  auto v = views::conversation(r.conversation);
  v["custom_fields"] = custom_fields(r.conversation, defs);
  json::array complaints;
  for (const auto& c : r.complaints) complaints.push_back(export_complaint(c));
  v["complaints"] = std::move(complaints);
  v.erase("contact");  // said once, at the top of the document
  v.erase("last_message");
  v["erased_at"] = millis_or_null(r.erased_at);
  json::array events;
  for (const auto& e : r.events) {
    auto ev = views::event(e);
    ev["internal"] = e.kind == "note";  // agents' notes, never shown to the customer
    events.push_back(std::move(ev));
  }
  v["events"] = std::move(events);
  json::array questions;
  for (const auto& q : r.bot_questions)
    questions.push_back(json::object{{"text", q.text},
                                     {"language", q.language},
                                     {"outcome", q.outcome},
                                     {"created_at", q.created_at}});
  v["bot_questions"] = std::move(questions);
  return v;
}

// `files`: the zip entry of each attachment, in order; empty when its file is gone.
json::object export_document(const ContactData& d, const std::vector<std::string>& files,
                             Millis now) {
  auto contact = views::contact(d.contact);
  contact["notes"] = d.contact.notes;
  contact["erased_at"] = millis_or_null(d.erased_at);
  json::array identities, conversations, attachments, merged;
  // Records merged into this one (R5): the same person under another name or address.
  for (const auto& m : d.merged) {
    auto v = views::contact(m);
    v["notes"] = m.notes;
    merged.push_back(std::move(v));
  }
  for (const auto& i : d.identities)
    identities.push_back(json::object{{"kind", i.kind}, {"value", i.value}});
  for (const auto& r : d.conversations)
    conversations.push_back(export_conversation(r, d.ticket_fields));
  for (std::size_t i = 0; i < d.attachments.size(); ++i) {
    const auto& a = d.attachments[i];
    auto v = views::attachment(a);
    v.erase("url");
    v["conversation_id"] = a.conversation_id ? json::value(*a.conversation_id) : nullptr;
    v["created_at"] = a.created_at;
    v["file"] = files[i].empty() ? json::value(nullptr) : json::value(files[i]);
    attachments.push_back(std::move(v));
  }
  return {{"format", "switchboard-contact-export/1"},
          {"exported_at", now},
          {"contact", std::move(contact)},
          {"identities", std::move(identities)},
          {"merged_contacts", std::move(merged)},
          {"conversations", std::move(conversations)},
          {"attachments", std::move(attachments)}};
}

void write_export(const GdprServices& svc, const ContactData& d, const fs::path& path) {
  ZipWriter zip(path.string());
  std::vector<std::string> files;
  for (const auto& a : d.attachments) {
    auto name = "attachments/" + safe_zip_name(a.id, a.name);
    if (auto kept = svc.uploads.kept_bytes(a)) {
      files.push_back(name);
      zip.add_text(name, std::move(*kept));
      continue;
    }
    auto file = svc.uploads.file_of(a);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      files.emplace_back();
      continue;
    }
    files.push_back(name);
    zip.add_file(name, file.string());
  }
  zip.add_text("contact.json", json::serialize(export_document(d, files, svc.env.now_ms())));
  zip.close();
}

http::Response export_contact(const GdprServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  Id id = parse_id(p[0]);
  auto data = svc.privacy.contact_data(admin.workspace_id, id);
  if (!data) throw HttpError(404, "not_found", "contact not found");
  // A .part in incoming: should the answer never be sent, the upload sweep removes it.
  auto dir = svc.uploads.incoming();
  fs::create_directories(dir);
  auto path = dir / ("export-" + svc.env.random_hex(16) + ".part");
  try {
    write_export(svc, *data, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(path, ec);
    throw;
  }
  svc.audit.record(admin, req, "contact.export", "contact", std::to_string(id));
  http::Response r;
  r.file_path = path.string();
  r.delete_file = true;
  r.header("Content-Type", "application/zip");
  r.header("Content-Disposition",
           "attachment; filename=\"contact-" + std::to_string(id) + "-export.zip\"");
  r.header("Cache-Control", "no-store");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

http::Response erase_contact(const GdprServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  Id id = parse_id(p[0]);
  auto result = svc.privacy.erase_contact(admin.workspace_id, id);
  if (!result) throw HttpError(404, "not_found", "contact not found");
  svc.uploads.remove(result->attachments);
  json::object summary{{"contact_id", id},
                       {"conversations", result->conversations},
                       {"messages_redacted", result->messages_redacted},
                       {"attachments_deleted", result->attachments.size()}};
  // The entry stays when the data is gone: who erased whom, when, and how much.
  svc.audit.record(admin, req, "contact.erase", "contact", std::to_string(id), nullptr, summary);
  return http::json(200, summary);
}

json::value days_value(std::optional<int> days) {
  return days ? json::value(*days) : json::value(nullptr);
}

json::object retention_view(std::optional<int> days) {
  return {{"retention_days", days_value(days)}};
}

http::Response get_retention(const GdprServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  return http::json(200, retention_view(svc.privacy.retention_days(admin.workspace_id)));
}

http::Response put_retention(const GdprServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  const auto* v = body.if_contains("retention_days");
  if (!v) throw HttpError(400, "bad_request", "retention_days is required (null: keep forever)");
  std::optional<int> days;
  if (!v->is_null()) {
    if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > kMaxRetentionDays)
      throw HttpError(400, "bad_request", "retention_days must be null or a whole number 1-3650");
    days = static_cast<int>(v->as_int64());
  }
  auto before = retention_view(svc.privacy.retention_days(admin.workspace_id));
  svc.privacy.set_retention_days(admin.workspace_id, days);
  svc.audit.record(admin, req, "workspace.retention", "workspace",
                   std::to_string(admin.workspace_id), before, retention_view(days));
  return http::json(200, retention_view(days));
}

}  // namespace

int purge_expired_conversations(PrivacyStore& privacy, const Uploads& uploads, Millis now) {
  int total = 0;
  while (total < kPurgePerPass) {
    int batch = std::min(kPurgeBatch, kPurgePerPass - total);
    auto r = privacy.purge_expired_conversations(now, batch);
    uploads.remove(r.attachments);
    total += r.conversations;
    if (r.conversations < batch) break;
  }
  if (total > 0)
    log_json({{"level", "info"}, {"msg", "retention: conversations deleted"}, {"count", total}});
  return total;
}

void add_gdpr_routes(Router& r, const GdprServices& svc) {
  r.add(Access::kAdmin, "GET", "/api/v1/contacts/:id/export", with(svc, export_contact));
  r.add(Access::kAdmin, "POST", "/api/v1/contacts/:id/erase", with(svc, erase_contact));
  r.add(Access::kAdmin, "GET", "/api/v1/admin/retention", with(svc, get_retention));
  r.add(Access::kAdmin, "PUT", "/api/v1/admin/retention", with(svc, put_retention));
}

}  // namespace sb
