// The visitor side: widget configuration, visitor tokens, conversations,
// messages. Authenticated by the signed visitor token, never by cookies.
#include "api/abuse.h"
#include "api/problems.h"
#include "api/routes.h"
#include "bot/bot.h"
#include "http/http.h"
#include "mail_channel/mail_channel.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

Inbox inbox_by_key(const WidgetServices& svc, const std::string& key) {
  auto inbox = svc.directory.find_inbox_by_key(key);
  if (!inbox) throw HttpError(404, "not_found", "unknown inbox key");
  return *inbox;
}

http::Response config(const WidgetServices& svc, const http::Request&, const Params& p) {
  auto inbox = inbox_by_key(svc, p[0]);
  auto a = svc.inboxes.availability(inbox);
  auto reason = a.closed_reason();
  json::value next = nullptr;
  if (a.hours.next_open_at) next = *a.hours.next_open_at;
  json::object availability{{"open", reason.empty()},
                            {"agents_online", a.agents_online},
                            {"reason", reason.empty() ? json::value(nullptr) : json::value(reason)},
                            {"next_open_at", next}};
  json::object public_inbox{{"name", inbox.name},
                            {"widget", inbox.widget},
                            {"prechat_fields", inbox.prechat_fields},
                            {"topics", inbox.topics}};
  return http::json(200, {{"inbox", public_inbox},
                          {"availability", availability},
                          {"estimated_wait_s",
                           reason.empty() ? svc.live.new_chat_wait(inbox.workspace_id) : nullptr}});
}

// A new visitor, or with a still valid token of this workspace the same visitor
// with a fresh token (signed by the current key): the widget renews daily, so a
// visitor keeps their conversations across key rotations and expiry.
http::Response new_visitor(const WidgetServices& svc, const http::Request& req, const Params& p) {
  enforce_rate(svc.abuse.visitor_tokens_ip, req.remote, svc.env.now_ms());
  auto inbox = inbox_by_key(svc, p[0]);
  std::string visitor_id;
  auto auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) == 0)
    if (auto old = svc.auth.visitor_from_token(auth.substr(7));
        old && old->workspace_id == inbox.workspace_id)
      visitor_id = old->visitor_id;
  bool renewed = !visitor_id.empty();
  if (!renewed) visitor_id = svc.env.random_hex(16);
  auto now = svc.env.now_ms();
  return http::json(renewed ? 200 : 201,
                    {{"visitor_token", svc.visitor_keys.issue(inbox.workspace_id, visitor_id, now)},
                     {"expires_at", now + svc.visitor_keys.token_lifetime()}});
}

http::Response list_conversations(const WidgetServices& svc, const http::Request& req,
                                  const Params&) {
  auto v = svc.auth.require_visitor(req);
  return http::json(
      200,
      {{"conversations", views::visitor_conversations(svc.conversations.list_visitor_conversations(
                             v.workspace_id, v.visitor_id))}});
}

std::string bounded(const json::object& body, std::string_view key, std::size_t max) {
  auto s = trim(json_string(body, key).value_or(""));
  if (s.size() > max || !is_valid_utf8(s))
    throw HttpError(400, "bad_request", std::string(key) + " is too long or not UTF-8");
  return s;
}

NewConversation read_new_conversation(const json::object& body, const Inbox& inbox, const Actor& v,
                                      const http::Request& req) {
  NewConversation c;
  c.workspace_id = v.workspace_id;
  c.inbox_id = inbox.id;
  c.visitor_id = v.visitor_id;
  auto kind = parse_conversation_kind(json_string(body, "kind").value_or(""));
  if (!kind || kind == ConversationKind::kEmail)
    throw HttpError(400, "bad_request", "kind must be chat, callback or offline");
  c.kind = *kind;
  c.client_id = bounded(body, "client_id", 64);
  if (c.client_id.empty()) throw HttpError(400, "bad_request", "client_id is required");
  c.name = bounded(body, "name", 200);
  c.email = bounded(body, "email", 254);
  c.phone = bounded(body, "phone", 40);
  c.subject = bounded(body, "topic", 200);
  c.first_message = bounded(body, "message", kMaxMessageChars * 4);
  auto lang = bounded(body, "language", 10);
  c.language = is_supported_language(lang.substr(0, 2)) ? lang.substr(0, 2) : "";
  if (!c.email.empty() && !is_valid_email(c.email))
    throw HttpError(400, "bad_request", "e-mail address is not valid");
  c.meta = {{"page_url", bounded(body, "page_url", 2000)},
            {"user_agent", req.header("user-agent").substr(0, 500)},
            {"referrer", bounded(body, "referrer", 2000)}};
  if (c.kind == ConversationKind::kCallback) {
    if (!is_valid_phone(c.phone))
      throw HttpError(400, "bad_request", "a valid phone number is required");
    auto from = json_int(body, "window_from"), to = json_int(body, "window_to");
    if ((from || to) && (!from || !to || *from >= *to))
      throw HttpError(400, "bad_request", "window_from must be before window_to");
    c.meta["callback"] =
        json::object{{"phone", c.phone},
                     {"window_from", from ? json::value(*from) : json::value(nullptr)},
                     {"window_to", to ? json::value(*to) : json::value(nullptr)}};
    if (c.subject.empty()) c.subject = "Call-back request";
  }
  if (c.kind == ConversationKind::kOffline) {
    if (c.email.empty())
      throw HttpError(400, "bad_request", "an e-mail address is required so we can reply");
    if (c.first_message.empty()) throw HttpError(400, "bad_request", "message is required");
  }
  return c;
}

TimeZone inbox_zone(const WidgetServices& svc, const Inbox& inbox) {
  return svc.time_zones.get(inbox.timezone).value_or(TimeZone::utc());
}

// A call-back window must still be ahead and inside the hours agents call back in.
void check_callback_window(const WidgetServices& svc, const Inbox& inbox,
                           const NewConversation& c) {
  const auto& cb = c.meta.at("callback").as_object();
  if (cb.at("window_to").is_null()) return;  // "as soon as possible"
  auto from = cb.at("window_from").as_int64(), to = cb.at("window_to").as_int64();
  if (to <= svc.env.now_ms())
    throw HttpError(400, "bad_request", "the call-back window has already passed");
  if (!within_hours(inbox.hours, inbox_zone(svc, inbox), from, to))
    throw HttpError(400, "bad_request", "the call-back window is outside our opening hours");
}

http::Response create_conversation(const WidgetServices& svc, const http::Request& req,
                                   const Params&) {
  auto v = svc.auth.require_visitor(req);
  auto now = svc.env.now_ms();
  enforce_rate(svc.abuse.conversations_visitor, v.visitor_id, now);
  enforce_rate(svc.abuse.conversations_ip, req.remote, now);
  enforce_rate(svc.abuse.conversations_workspace, std::to_string(v.workspace_id), now);
  auto body = parse_json_object(req.body);
  auto key = json_string(body, "inbox_key");
  std::optional<Inbox> inbox;
  if (key) inbox = svc.directory.find_inbox_by_key(*key);
  if (!inbox) {  // the token says which workspace; default to its first inbox
    auto all = svc.directory.list_inboxes(v.workspace_id);
    if (!all.empty()) inbox = all.front();
  }
  if (!inbox || inbox->workspace_id != v.workspace_id)
    throw HttpError(404, "not_found", "unknown inbox");
  auto c = read_new_conversation(body, *inbox, v, req);
  if (c.kind == ConversationKind::kCallback) check_callback_window(svc, *inbox, c);
  // What the customer wrote says more about their language than the browser does;
  // routing's language rules use it first.
  if (auto [lang, confidence] = svc.languages.detect(c.first_message);
      !lang.empty() && confidence >= 0.5)
    c.detected_language = lang;
  svc.bot.prepare_new_conversation(c);
  // The bot greets after the commit.
  auto [conv, created] = svc.conversations.create_conversation(c);
  return http::json(created ? 201 : 200, views::visitor_conversation(conv));
}

http::Response events(const WidgetServices& svc, const http::Request& req, const Params& p) {
  return conversation_events(svc.conversations, svc.auth.require_visitor(req), req, p[0]);
}

http::Response post(const WidgetServices& svc, const http::Request& req, const Params& p) {
  return message_response(svc.messaging, svc.auth.require_visitor(req), req, p[0]);
}

// The same, for the common message (no attachments): checked on the I/O thread.
std::optional<AppendPlan> post_fast(const WidgetServices& svc, const http::Request& req,
                                    const Params& p) {
  auto visitor = svc.auth.require_visitor(req);
  auto body = parse_json_object(req.body);
  if (message_check_reads_store(visitor, body)) return std::nullopt;
  return AppendPlan{svc.messaging.prepare(visitor, parse_id(p[0]), body),
                    [&messaging = svc.messaging](const AppendResult& stored) {
                      messaging.count(stored);
                      return message_answer(stored);
                    }};
}

// Before the body is read: a valid visitor within their upload rate.
void admit_upload(const WidgetServices& svc, const http::Request& req) {
  auto v = svc.auth.require_visitor(req);
  enforce_rate(svc.abuse.uploads_visitor, v.visitor_id, svc.env.now_ms());
  enforce_rate(svc.abuse.uploads_ip, req.remote, svc.env.now_ms());
}

http::Response upload(const WidgetServices& svc, const http::Request& req, const Params&) {
  return svc.uploads.store(svc.auth.require_visitor(req), req);
}

// Ticket deflection in the widget: articles that may answer what the visitor is
// about to send (offline form, or before a chat), counted when any are shown.
http::Response suggestions(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto inbox = inbox_by_key(svc, p[0]);
  auto body = parse_json_object(req.body);
  auto query = bounded(body, "query", 2000);
  auto lang = bounded(body, "language", 10).substr(0, 2);
  if (!is_supported_language(lang)) {
    auto [detected, confidence] = svc.languages.detect(query);
    lang = confidence >= 0.5 ? detected : "";
  }
  auto ws = svc.directory.get_workspace(inbox.workspace_id);
  auto found = svc.bot.suggest_articles(inbox.workspace_id, "widget", query, lang);
  json::array articles;
  for (const auto* a : found.articles)
    articles.push_back({{"id", a->id},
                        {"title", a->title},
                        {"snippet", kb::plain_text(a->body, 200)},
                        {"url", help_article_url(ws->slug, *a)}});
  json::value id = nullptr;
  if (found.deflection) id = *found.deflection;
  return http::json(200, {{"deflection_id", id}, {"articles", articles}});
}

http::Response suggestion_outcome(const WidgetServices& svc, const http::Request& req,
                                  const Params& p) {
  auto inbox = inbox_by_key(svc, p[0]);
  auto outcome = json_string(parse_json_object(req.body), "outcome").value_or("");
  if (outcome != "helped" && outcome != "continued")
    throw HttpError(400, "bad_request", "outcome must be helped or continued");
  svc.kb.set_deflection_outcome(inbox.workspace_id, parse_id(p[1]), outcome);
  return http::json(200, {{"outcome", outcome}});
}

// Name, e-mail and phone given in the chat (progressive pre-chat); absent or
// blank fields are left as they are.
struct VisitorDetails {
  std::optional<std::string> name, email, phone;
  bool empty() const { return !name && !email && !phone; }
};

std::optional<std::string> detail(const json::object& body, std::string_view key, std::size_t max) {
  const auto* v = body.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) throw HttpError(400, "bad_request", std::string(key) + " must be text");
  auto s = bounded(body, key, max);
  if (s.empty()) return std::nullopt;
  return s;
}

// Every check before anything is saved: a bad e-mail loses nothing and hands nothing off.
VisitorDetails read_details(const json::object& body) {
  VisitorDetails d{detail(body, "name", 200), detail(body, "email", 254),
                   detail(body, "phone", 40)};
  if (d.email && !is_valid_email(*d.email))
    throw HttpError(400, "bad_request", "e-mail address is not valid");
  if (d.phone && !is_valid_phone(*d.phone))
    throw HttpError(400, "bad_request", "phone number is not valid");
  return d;
}

// Onto the conversation's contact, as an agent's edit of it would be. An address
// that is another contact's is not taken over (nor is its owner revealed to the
// visitor): agents get a note and can merge the two records.
void save_details(const WidgetServices& svc, const Conversation& conv, const VisitorDetails& d) {
  if (d.empty()) return;
  ContactChanges changes;
  changes.name = d.name;
  if (d.email) changes.add.push_back({"email", normalize_email(*d.email)});
  if (d.phone) changes.add.push_back({"phone", normalize_phone(*d.phone)});
  auto done = svc.contacts.update_contact(conv.workspace_id, conv.contact.id, changes);
  if (!done && done.refused().why == Refusal::kIdentityTaken) {
    svc.conversations.append_event({conv.workspace_id,
                                    conv.id,
                                    "note",
                                    {AuthorType::kSystem, 0, ""},
                                    "The visitor gave contact details that belong to another "
                                    "contact: " +
                                        done.refused().reason,
                                    "",
                                    {}});
    changes.add.clear();
    done = svc.contacts.update_contact(conv.workspace_id, conv.contact.id, changes);
  }
  if (!done) throw HttpError(409, "conflict", done.refused().reason);
  // Their messages carry this name from now on; the write also refreshes agents' lists.
  const auto* given = conv.meta.if_contains("visitor_name");
  json::value name = d.name ? json::value(*d.name) : given ? *given : json::value("");
  svc.conversations.set_meta_value(conv.workspace_id, conv.id, "visitor_name", name, true);
}

// The customer asked for a person with the widget's button, maybe giving their
// name and address first (progressive pre-chat).
http::Response handoff(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto details = read_details(body_of(req));
  save_details(svc, conv, details);
  return http::json(200, views::visitor_conversation(svc.bot.hand_off(conv, "asked_for_human")));
}

// The same details without a handoff (the widget going offline in progressive mode).
http::Response contact(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  Id id = parse_id(p[0]);
  auto conv = accessible_conversation(svc.conversations, v, id);
  save_details(svc, conv, read_details(body_of(req)));
  return http::json(200,
                    views::visitor_conversation(accessible_conversation(svc.conversations, v, id)));
}

// Public like the config: the windows the call-back form offers.
http::Response callback_windows(const WidgetServices& svc, const http::Request&, const Params& p) {
  auto inbox = inbox_by_key(svc, p[0]);
  json::array slots;
  for (const auto& w : callback_slots(inbox.hours, inbox_zone(svc, inbox), svc.env.now_ms()))
    slots.push_back({{"from", w.from}, {"to", w.to}});
  return http::json(200, {{"timezone", inbox.timezone},
                          {"open_now", svc.inboxes.availability(inbox).closed_reason().empty()},
                          {"slots", std::move(slots)}});
}

// Only web pages: the console renders the url as a link.
bool is_web_url(std::string_view url) {
  auto lower = lower_ascii(url.substr(0, 8));
  if (!lower.starts_with("https://") && !lower.starts_with("http://")) return false;
  for (unsigned char c : url)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

// The page the visitor is on now: kept in meta.current_page and sent live to the
// agents who see the conversation. Not a conversation change (no version): the
// widget repeats it every minute.
http::Response page(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto body = parse_json_object(req.body);
  const auto* url_value = body.if_contains("url");
  if (!url_value || !url_value->is_string() || url_value->as_string().size() > 2000 ||
      !is_valid_utf8(url_value->as_string()) || !is_web_url(url_value->as_string()))
    throw HttpError(400, "bad_request", "url must be an http(s) address of at most 2000 bytes");
  if (const auto* t = body.if_contains("title"); t && !t->is_null() && !t->is_string())
    throw HttpError(400, "bad_request", "title must be text");
  auto title = bounded(body, "title", 300);
  auto now = svc.env.now_ms();
  enforce_rate(svc.abuse.visitor_pages, std::to_string(conv.id), now);
  std::string url(url_value->as_string());
  svc.conversations.set_meta_value(conv.workspace_id, conv.id, "current_page",
                                   json::object{{"url", url}, {"title", title}, {"at", now}},
                                   false);
  svc.hub.to_covering_agents(conv, {{"type", "visitor_page"},
                                    {"conversation_id", conv.id},
                                    {"url", url},
                                    {"title", title},
                                    {"at", now}});
  http::Response r;
  r.status = 204;
  return r;
}

// "Did this help?" under a bot answer: counted for the bot's report.
http::Response bot_feedback(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto body = body_of(req);
  Problems bad;
  auto question = json_int(body, "question_id");
  if (!question || *question <= 0) bad.add("question_id", "must be the answer's question_id");
  auto* helpful = body.if_contains("helpful");
  if (!helpful || !helpful->is_bool()) bad.add("helpful", "must be true or false");
  if (!bad.empty()) return invalid(bad);
  if (!svc.kb.rate_bot_answer(v.workspace_id, conv.id, *question, helpful->as_bool()))
    throw HttpError(404, "not_found", "no such bot answer in this conversation");
  http::Response r;
  r.status = 204;
  return r;
}

// Mailed from the inbox's mailbox (or the workspace's first); agents see a note either
// way, and without any e-mail inbox the note is all there is (202 with sent: false).
http::Response transcript(const WidgetServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  Id id = parse_id(p[0]);
  auto conv = accessible_conversation(svc.conversations, v, id);
  auto email = trim(json_string(parse_json_object(req.body), "email").value_or(""));
  if (!is_valid_email(email)) throw HttpError(400, "bad_request", "e-mail address is not valid");
  svc.conversations.append_event({v.workspace_id,
                                  id,
                                  "note",
                                  {AuthorType::kSystem, 0, ""},
                                  "The visitor asked for the transcript by e-mail at " + email,
                                  "",
                                  {}});
  bool sent = svc.mail.send_transcript(v.workspace_id, id, email);
  return http::json(202, {{"queued", true}, {"sent", sent}});
}

}  // namespace

void add_widget_routes(Router& r, const WidgetServices& svc) {
  r.add(Access::kPublic, "GET", "/api/v1/widget/:key/config", with(svc, config));
  r.add(Access::kPublic, "POST", "/api/v1/widget/:key/visitors", with(svc, new_visitor));
  r.add(Access::kVisitor, "GET", "/api/v1/widget/conversations", with(svc, list_conversations));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations", with(svc, create_conversation));
  r.add(Access::kVisitor, "GET", "/api/v1/widget/conversations/:id/events", with(svc, events));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/messages", with(svc, post),
        with(svc, post_fast));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/transcript",
        with(svc, transcript));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/handoff", with(svc, handoff));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/contact", with(svc, contact));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/page", with(svc, page));
  r.add(Access::kPublic, "GET", "/api/v1/widget/:key/callback-slots", with(svc, callback_windows));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/conversations/:id/bot-feedback",
        with(svc, bot_feedback));
  r.add(Access::kPublic, "POST", "/api/v1/widget/:key/suggestions", with(svc, suggestions));
  r.add(Access::kPublic, "POST", "/api/v1/widget/:key/suggestions/:id",
        with(svc, suggestion_outcome));
  r.add(Access::kVisitor, "POST", "/api/v1/widget/uploads", with(svc, upload),
        {kMaxUploadBytes, true, with(svc, admit_upload)});
}

}  // namespace sb
