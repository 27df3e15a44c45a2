// Search across the workspace: messages and notes, conversations, contacts, as
// far as the asker's scope reaches. Snippets come as parts with the matches
// marked, never as HTML: the client escapes customer text.
#include <charconv>

#include "api/routes.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxQueryChars = 200;
constexpr int kMaxLimit = 50;

std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

std::int64_t positive_param(const http::Request& req, const std::string& name,
                            std::int64_t fallback) {
  auto text = req.param(name).value_or("");
  if (text.empty()) return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    throw HttpError(400, "bad_request", name + " must be a positive integer");
  return v;
}

SearchQuery::Type type_of(const http::Request& req) {
  auto type = req.param("type").value_or("all");
  if (type == "all") return SearchQuery::Type::kAll;
  if (type == "messages") return SearchQuery::Type::kMessages;
  if (type == "conversations") return SearchQuery::Type::kConversations;
  if (type == "contacts") return SearchQuery::Type::kContacts;
  throw HttpError(400, "bad_request", "type must be all, messages, conversations or contacts");
}

SearchQuery query_of(const Actor& a, const http::Request& req) {
  SearchQuery q;
  q.text = req.param("q").value_or("");
  if (q.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw HttpError(400, "bad_request", "q is empty");
  if (q.text.size() > 4 * kMaxQueryChars || !is_valid_utf8(q.text))
    throw HttpError(400, "bad_request", "q is too long or not UTF-8");
  if (characters(q.text) > kMaxQueryChars) throw HttpError(400, "bad_request", "q is too long");
  q.workspace_id = a.workspace_id;
  q.type = type_of(req);
  q.limit = static_cast<int>(std::min<std::int64_t>(positive_param(req, "limit", 20), kMaxLimit));
  if (auto before = positive_param(req, "before", 0)) q.before = before;
  q.agent_id = a.agent_id;
  q.unrestricted = a.at_least(Role::kAdmin);
  q.scope = a.scope;
  return q;
}

json::array snippet_view(const std::vector<SnippetPart>& parts) {
  json::array out;
  for (const auto& p : parts) out.push_back({{"text", p.text}, {"match", p.match}});
  return out;
}

json::object message_view(const MessageHit& h) {
  return {{"id", h.event_id},
          {"conversation_id", h.conversation_id},
          {"seq", h.seq},
          {"kind", h.kind},
          {"author", {{"type", to_string(h.author_type)}, {"name", h.author_name}}},
          {"created_at", h.created_at},
          {"snippet", snippet_view(h.snippet)}};
}

json::object contact_view(const ContactHit& h) {
  json::value conversation = nullptr;
  if (h.conversation_id) conversation = *h.conversation_id;
  return {{"id", h.id},
          {"name", h.name},
          {"email", h.email},
          {"phone", h.phone},
          {"conversation_id", conversation}};
}

// One list of results and where its next page starts (null: no more).
template <class Hit, class View, class IdOf>
json::object group(const std::vector<Hit>& hits, int limit, View view, IdOf id_of) {
  json::array items;
  for (const auto& h : hits) items.push_back(view(h));
  json::value next = nullptr;
  if (!hits.empty() && static_cast<int>(hits.size()) == limit) next = id_of(hits.back());
  return {{"items", std::move(items)}, {"next_before", next}};
}

http::Response search(const SearchServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto q = query_of(a, req);
  SearchResults r;
  try {
    r = svc.search.search(q);
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kInvalid) throw;
    throw HttpError(400, "bad_request", "q has no words to search for");
  }
  using Type = SearchQuery::Type;
  json::object out;
  if (q.type == Type::kAll || q.type == Type::kConversations)
    out["conversations"] = group(r.conversations, q.limit, views::conversation,
                                 [](const Conversation& c) { return c.id; });
  if (q.type == Type::kAll || q.type == Type::kMessages)
    out["messages"] =
        group(r.messages, q.limit, message_view, [](const MessageHit& h) { return h.event_id; });
  if (q.type == Type::kAll || q.type == Type::kContacts)
    out["contacts"] =
        group(r.contacts, q.limit, contact_view, [](const ContactHit& h) { return h.id; });
  out["complete"] = r.complete;
  return http::json(200, std::move(out));
}

}  // namespace

void add_search_routes(Router& r, const SearchServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/search", with(svc, search));
}

}  // namespace sb
