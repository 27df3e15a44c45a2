// Mail in: parse, drop what was seen, save the files, then one write that threads
// and stores it.
#include <algorithm>

#include "email/outbox.h"

namespace sb::email {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxFilename = 200;

// A name safe to show and to send back in Content-Disposition: no paths, no controls.
std::string clean_filename(std::string_view name, std::string_view fallback) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char ch : name)
    if (ch >= 0x20 && ch != 0x7f && ch != '"') out += static_cast<char>(ch);
  if (out.size() > kMaxFilename) out.resize(kMaxFilename);
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
  if (out.empty() || out == "." || out == "..") return std::string(fallback);
  return out;
}

// type/subtype of plain tokens, else a download of unknown bytes.
std::string clean_type(std::string_view type) {
  auto t = lower_ascii(type.substr(0, 100));
  auto slash = t.find('/');
  bool ok = slash != std::string::npos && slash > 0 && slash + 1 < t.size() &&
            std::all_of(t.begin(), t.end(), [](char c) {
              return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' ||
                     c == '+' || c == '-' || c == '_';
            });
  return ok ? t : "application/octet-stream";
}

std::string truncate_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  s.resize(max);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
  return s;
}

std::vector<MailAddress> addresses(const std::vector<mime::Address>& list) {
  std::vector<MailAddress> out;
  for (const auto& a : list)
    if (!a.address.empty() && out.size() < 100) out.push_back({a.name, lower_ascii(a.address)});
  return out;
}

// The header block alone: a mail too large to keep still becomes a ticket.
std::string_view header_block(std::string_view raw) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string_view::npos) end = raw.find("\n\n");
  return raw.substr(
      0, std::min(end == std::string_view::npos ? raw.size() : end + 2, std::size_t{256} << 10));
}

// Machines that must never get an acknowledgement (they would answer it).
bool is_automated_sender(std::string_view address) {
  auto local = lower_ascii(address.substr(0, address.find('@')));
  for (std::string_view p : {"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply",
                             "donotreply", "bounce"})
    if (local.starts_with(p)) return true;
  return false;
}

// Files up to this size stay in the database with the mail (one write instead of a
// file each; SQLite reads and writes blobs this small as fast as a file system);
// bigger ones stream better from files.
constexpr std::size_t kKeptInStore = std::size_t{1} << 20;

struct SavedFile {
  Attachment row;
  json::object json;
  std::optional<std::string_view> bytes;  // kept in the database
};

}  // namespace

MailIngest::MailIngest(MailStore& mail, ConversationStore& conversations, Env& env,
                       std::filesystem::path files_root, IngestLimits limits)
    : mail_(mail),
      conversations_(conversations),
      env_(env),
      files_(std::move(files_root)),
      limits_(limits) {}

IngestResult MailIngest::ingest(std::string_view raw, const MailInbox& inbox) {
  IngestResult result;
  bool too_large = raw.size() > limits_.max_raw_bytes;
  std::string error;
  auto parsed = mime::parse(too_large ? header_block(raw) : raw, &error);
  if (!parsed) {
    result.ignored = true;
    result.reason = "not a mail: " + error;
    return result;
  }
  auto input = thread_input(*parsed, too_large ? header_block(raw) : raw);
  if (inbox.is_own(input.from)) {
    result.ignored = true;
    result.reason = "our own mail";
    return result;
  }
  if (auto seen = mail_.find_mail(inbox.workspace_id, input.message_id)) {
    result.duplicate = true;
    result.reason = "seen before";
    result.conversation =
        conversations_.get_conversation(inbox.workspace_id, seen->conversation_id);
    return result;
  }

  InboundMail m;
  m.workspace_id = inbox.workspace_id;
  m.inbox_id = inbox.inbox_id;
  m.message_id = input.message_id;
  m.content.subject = truncate_utf8(parsed->subject, 1000);
  m.content.from = {parsed->from.name, lower_ascii(parsed->from.address)};
  m.content.to = addresses(parsed->to);
  m.content.cc = addresses(parsed->cc);
  for (const auto* list : {&m.content.to, &m.content.cc})
    for (const auto& a : *list)
      if (!inbox.is_own(a.address) && !ticket_of_address(inbox, a.address))
        m.participants.push_back(a);
  auto folded = mime::fold_quoted(parsed->text);
  // All of it quoted (a forward): the agent needs to read it all.
  m.body =
      truncate_utf8(folded.fresh.empty() ? parsed->text : folded.fresh, limits_.max_body_bytes);
  m.content.quoted =
      truncate_utf8(folded.fresh.empty() ? "" : folded.quoted, limits_.max_body_bytes);
  if (too_large)
    m.body = "(This mail was " + std::to_string(raw.size() >> 20) +
             " MB, over the limit; only its headers were kept.)";
  m.auto_reply = parsed->auto_reply;
  m.bounce = parsed->bounce.has_value();
  if (parsed->bounce)
    m.bounce_error = truncate_utf8(
        parsed->bounce->status + " " + parsed->bounce->recipient + " " + parsed->bounce->diagnostic,
        1000);

  std::vector<SavedFile> saved;
  auto remove_files = [&](const std::vector<SavedFile>& files) {
    for (const auto& f : files)
      if (!f.bytes)
        env_.remove_file((files_ / std::to_string(f.row.workspace_id) / f.row.id).string());
  };
  auto save = [&](std::string name, std::string type, std::string_view bytes,
                  const std::string& cid) {
    Attachment a{env_.random_hex(16),
                 inbox.workspace_id,
                 std::move(name),
                 std::move(type),
                 static_cast<std::int64_t>(bytes.size()),
                 env_.now_ms(),
                 "mail:" + input.from};
    std::optional<std::string_view> kept;
    if (bytes.size() <= kKeptInStore)
      kept = bytes;
    else
      env_.write_file((files_ / std::to_string(a.workspace_id) / a.id).string(), bytes);
    json::object j{{"id", a.id},
                   {"name", a.name},
                   {"content_type", a.content_type},
                   {"size", a.size},
                   {"url", "/api/v1/attachments/" + a.id},
                   {"inline", false},
                   {"content_id", cid}};
    saved.push_back({std::move(a), std::move(j), kept});
  };
  try {
    if (!too_large)
      for (const auto& part : parsed->attachments) {
        if (saved.size() >= limits_.max_files) break;
        save(clean_filename(part.filename, "attachment"), clean_type(part.content_type), part.data,
             truncate_utf8(part.content_id, 200));
      }
    if (limits_.keep_source && !too_large) save("message.eml", "message/rfc822", raw, "");
  } catch (...) {
    remove_files(saved);
    throw;
  }
  if (!too_large) m.content.html = parsed->html;
  // The parser's HTML is sanitised already; only inline images need a second pass.
  // `inline` marks the parts the HTML shows: the console lists the others under the
  // message (a part merely labelled inline, in a mail without HTML, would be lost).
  if (!too_large && parsed->html.find("cid:") != std::string::npos)
    m.content.html = mime::sanitize_html(parsed->html, [&](std::string_view cid) -> std::string {
      for (auto& f : saved)
        if (!cid.empty() && f.json.at("content_id").as_string() == cid) {
          f.json["inline"] = true;
          return std::string(f.json.at("url").as_string());
        }
      return "";
    });
  for (auto& f : saved) {
    m.attachments.push_back(f.json);
    m.files.push_back(f.row);
    m.file_bytes.push_back(f.bytes);
  }
  m.plan = [&input, &inbox](MailLookups& lookups) { return thread_mail(input, inbox, lookups); };
  if (inbox.acknowledge && !m.auto_reply && !m.bounce && !input.from.empty() &&
      !is_automated_sender(input.from)) {
    auto ack_id = new_message_id(inbox, env_);
    auto now = env_.now_ms();
    m.acknowledgement = [&, ack_id, now](const MailThread& t, const Event*) {
      return std::optional<OutboxMail>(
          outbox_of(build_acknowledgement(t, inbox, ack_id, now), inbox, std::nullopt));
    };
  }

  auto stored = mail_.ingest_mail(m);
  if (stored.duplicate || stored.plan.action == MailPlan::Action::kIgnore) remove_files(saved);
  result.conversation = std::move(stored.conversation);
  result.event = std::move(stored.event);
  result.created = stored.created;
  result.duplicate = stored.duplicate;
  result.ignored = stored.plan.action == MailPlan::Action::kIgnore;
  result.reason = stored.duplicate ? "seen before" : stored.plan.reason;
  return result;
}

}  // namespace sb::email
