// The public help center, /help/<workspace slug>: server-rendered pages that
// work without JavaScript. Categories, articles (Markdown rendered safely),
// search, "was this helpful?" votes, and the contact form, which shows matching
// articles before it creates a ticket and counts whether they helped.
#include <algorithm>

#include "api/api.h"
#include "bot/bot.h"
#include "helpcenter/help_page.h"
#include "helpcenter/help_strings.h"
#include "helpcenter/helpcenter.h"
#include "http/http.h"

namespace sb {
namespace {

constexpr const char* kVoterCookie = "sb_hc";

struct Site {
  Workspace ws;
  std::shared_ptr<const KnowledgeSnapshot> kb;
  std::string lang;
  HelpBrand brand;
};

std::string param(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

// ?lang=, else the browser's first supported language, else English.
std::string page_language(const http::Request& req) {
  auto lang = param(req.query, "lang");
  if (is_supported_language(lang)) return lang;
  auto accept = lower_ascii(req.header("accept-language"));
  std::size_t best = std::string::npos;
  lang = "en";
  for (std::string_view l : kLanguages) {
    auto at = accept.find(l);
    if (at != std::string::npos && at < best) {
      best = at;
      lang = l;
    }
  }
  return lang;
}

// The workspace's look is its first inbox's widget (the colour its customers
// already see on the shop); that inbox's chat is the one "Chat with us" opens.
HelpBrand brand(const HelpCenterServices& svc, Id workspace) {
  auto inboxes = svc.directory.list_inboxes(workspace);
  if (inboxes.empty()) return {};
  return {json_string(inboxes.front().widget, "color").value_or(""), inboxes.front().public_key};
}

Site site(const HelpCenterServices& svc, const http::Request& req, const std::string& slug) {
  auto ws = svc.directory.find_workspace_by_slug(slug);
  if (!ws) throw HttpError(404, "not_found", "no help center here");
  return {*ws, svc.knowledge.get(ws->id), page_language(req), brand(svc, ws->id)};
}

HelpPage page(const Site& s, std::string title) {
  HelpPage p(s.ws.name, s.ws.slug, s.lang, std::move(title));
  p.set_brand(s.brand);
  return p;
}

std::string category_name(const Site& s, const std::string& slug) {
  for (const auto& c : s.kb->content.categories)
    if (c.slug == slug) {
      if (auto n = json_string(c.names, s.lang)) return *n;
      if (auto n = json_string(c.names, "en")) return *n;
    }
  return slug;
}

std::vector<const KbArticle*> articles_in(const Site& s, std::string_view category) {
  std::vector<const KbArticle*> out;
  for (const auto& a : s.kb->content.articles)
    if (a.published && a.language == s.lang && (category.empty() || a.category == category))
      out.push_back(&a);
  return out;
}

void article_list(HelpPage& p, const std::vector<const KbArticle*>& list) {
  p.raw("<ul class=\"articles\">");
  for (const auto* a : list)
    p.raw("<li><a href=\"" + p.link("articles/" + a->slug) + "\">" + html_escape(a->title) +
          "</a><p>" + html_escape(kb::plain_text(a->body, 160)) + "</p></li>");
  p.raw("</ul>");
}

// Up to `n` articles, most "helpful" votes first, then the newest: what
// readers found useful, or what was written last while nobody has voted.
std::vector<const KbArticle*> popular(std::vector<const KbArticle*> list, std::size_t n) {
  std::stable_sort(list.begin(), list.end(), [](const KbArticle* a, const KbArticle* b) {
    if (a->helpful != b->helpful) return a->helpful > b->helpful;
    return std::max(a->created_at, a->updated_at) > std::max(b->created_at, b->updated_at);
  });
  if (list.size() > n) list.resize(n);
  return list;
}

// A card per category: its icon, name and first few article titles.
void category_cards(HelpPage& p, const Site& s) {
  p.raw("<h2>" + std::string(help_text("browse", s.lang)) + "</h2><div class=\"cards\">");
  for (const auto& c : s.kb->content.categories) {
    auto list = articles_in(s, c.slug);
    if (list.empty()) continue;
    std::string titles;
    for (std::size_t i = 0; i < list.size() && i < 3; ++i)
      titles += (i ? " · " : "") + html_escape(list[i]->title);
    p.raw("<a class=\"card\" href=\"" + p.link("categories/" + c.slug) +
          "\"><span class=\"icon\">" + category_icon(c.slug) + "</span><strong>" +
          html_escape(category_name(s, c.slug)) + "</strong><span class=\"list\">" + titles +
          "</span></a>");
  }
  p.raw("</div>");
}

http::Response home(const HelpCenterServices& svc, const http::Request& req, const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto p = page(s, std::string(help_text("title", s.lang)));
  p.hero(help_text("how_can_we_help", s.lang), "");
  category_cards(p, s);
  if (auto top = popular(articles_in(s, ""), 5); !top.empty()) {
    p.raw("<h2>" + std::string(help_text("popular", s.lang)) + "</h2>");
    article_list(p, top);
  }
  p.contact_link();
  return p.response(200);
}

http::Response category(const HelpCenterServices& svc, const http::Request& req,
                        const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto list = articles_in(s, prm[1]);
  if (list.empty()) return page(s, std::string(help_text("not_found", s.lang))).response(404);
  auto name = category_name(s, prm[1]);
  auto p = page(s, name);
  p.set_here("categories/" + prm[1]);
  p.raw("<div class=\"narrow\">");
  p.breadcrumbs({{"categories/" + prm[1], name}});
  p.raw("<h1>" + html_escape(name) + "</h1>");
  article_list(p, list);
  p.contact_link();
  p.raw("</div>");
  return p.response(200);
}

std::optional<std::string> reader_cookie(const http::Request& req) {
  auto v = req.cookie(kVoterCookie);
  if (v && v->size() == 32 && v->find_first_not_of("0123456789abcdef") == std::string::npos)
    return v;
  return std::nullopt;
}

void set_reader_cookie(const HelpCenterServices& svc, http::Response& r) {
  std::string cookie(kVoterCookie);
  cookie.append("=")
      .append(svc.env.random_hex(16))
      .append("; Path=/help/; Max-Age=31536000; HttpOnly; SameSite=Lax");
  if (svc.config.secure_cookies()) cookie.append("; Secure");
  r.header("Set-Cookie", cookie);
}

// The other articles of its category, most useful first.
void related(HelpPage& p, const Site& s, const KbArticle& a) {
  if (a.category.empty()) return;  // articles_in() would list them all
  auto list = articles_in(s, a.category);
  std::erase_if(list, [&](const KbArticle* o) { return o->slug == a.slug; });
  if (list.empty()) return;
  p.raw("<h2>" + std::string(help_text("related", s.lang)) + "</h2>");
  article_list(p, popular(std::move(list), 5));
}

http::Response article(const HelpCenterServices& svc, const http::Request& req, const Params& prm) {
  auto s = site(svc, req, prm[0]);
  const auto* a = s.kb->article(prm[1], s.lang);
  if (!a || !a->published) {  // not in this language: the first translation there is
    for (const auto& other : s.kb->content.articles)
      if (other.slug == prm[1] && other.published) {
        a = &other;
        break;
      }
  }
  if (!a || !a->published)
    return page(s, std::string(help_text("not_found", s.lang))).response(404);
  s.lang = a->language;
  auto p = page(s, a->title);
  p.set_here("articles/" + a->slug);
  p.raw("<div class=\"narrow\">");
  std::vector<std::pair<std::string, std::string>> trail;
  if (!a->category.empty())
    trail.push_back({"categories/" + a->category, category_name(s, a->category)});
  trail.push_back({"", a->title});
  p.breadcrumbs(trail);
  p.raw("<article><h1>" + html_escape(a->title) + "</h1>" + kb::render_markdown(a->body) +
        "</article>");
  std::string others;
  for (const auto& t : s.kb->content.articles)
    if (t.slug == a->slug && t.language != a->language && t.published)
      others += " <a hreflang=\"" + t.language + "\" href=\"" +
                p.link("articles/" + t.slug, t.language) + "\">" +
                std::string(language_name(t.language)) + "</a>";
  if (!others.empty())
    p.raw("<p class=\"muted\">" + std::string(help_text("other_languages", s.lang)) + ":" + others +
          "</p>");
  p.vote_box(*a, param(req.query, "voted") == "1");
  related(p, s, *a);
  p.contact_link();
  p.raw("</div>");
  auto r = p.response(200);
  if (!reader_cookie(req)) set_reader_cookie(svc, r);  // so the vote form posts it
  return r;
}

http::Response search(const HelpCenterServices& svc, const http::Request& req, const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto q = param(req.query, "q").substr(0, 300);
  auto p = page(s, std::string(help_text("search", s.lang)));
  p.hero(help_text("how_can_we_help", s.lang), q);
  p.raw("<div class=\"narrow\"><h1>" + std::string(help_text("results_for", s.lang)) + " “" +
        html_escape(q) + "”</h1>");
  auto found = s.kb->find_articles(q, s.lang, 20);
  if (found.empty())
    p.raw("<p class=\"empty\">" + std::string(help_text("no_results", s.lang)) + "</p>");
  else
    article_list(p, found);
  p.contact_link();
  p.raw("</div>");
  return p.response(200);
}

// The reader's cookie (set when they read an article). Without one the vote is the
// IP's, so a script that never keeps cookies counts once, not once per request.
std::string voter_id(const HelpCenterServices& svc, const http::Request& req, http::Response& r) {
  if (auto v = reader_cookie(req)) return *v;
  set_reader_cookie(svc, r);
  return "ip-" + security::sha256_hex("help-vote|" + req.remote).substr(0, 29);
}

http::Response vote(const HelpCenterServices& svc, const http::Request& req, const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto form = http::parse_query(req.body);
  const auto* a = s.kb->article(prm[1], param(form, "lang"));
  if (!a) throw HttpError(404, "not_found", "article not found");
  auto helpful = param(form, "helpful");
  if (helpful != "1" && helpful != "0")
    throw HttpError(400, "bad_request", "helpful must be 1 or 0");
  enforce_rate(svc.abuse.help_votes_ip, req.remote + "|" + std::to_string(a->id), svc.env.now_ms());
  http::Response r;
  svc.kb.vote_kb_article(s.ws.id, a->id, voter_id(svc, req, r), helpful == "1");
  r.status = 303;
  r.header("Location", help_article_url(s.ws.slug, *a) + "&voted=1#vote");
  return r;
}

http::Response contact_form(const HelpCenterServices& svc, const http::Request& req,
                            const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto p = page(s, std::string(help_text("contact", s.lang)));
  p.set_here("contact");
  p.raw("<div class=\"narrow\">");
  p.breadcrumbs({{"contact", std::string(help_text("contact", s.lang))}});
  p.contact_form({}, "");
  p.raw("</div>");
  return p.response(200);
}

Id create_ticket(const HelpCenterServices& svc, const Site& s,
                 const std::map<std::string, std::string>& form) {
  auto inboxes = svc.directory.list_inboxes(s.ws.id);
  if (inboxes.empty()) throw HttpError(409, "conflict", "this workspace has no inbox yet");
  NewConversation c;
  c.workspace_id = s.ws.id;
  c.inbox_id = inboxes.front().id;
  c.visitor_id = "help-" + svc.env.random_hex(12);
  c.client_id = svc.env.random_hex(8);
  c.kind = ConversationKind::kOffline;
  c.name = param(form, "name");
  c.email = param(form, "email");
  c.subject = param(form, "subject");
  c.first_message = param(form, "message");
  c.language = s.lang;
  c.meta = {{"page_url", "/help/" + s.ws.slug + "/contact"}, {"source", "help_center"}};
  return svc.conversations.create_conversation(c).first.id;  // triaged after the commit
}

std::string form_error(const std::map<std::string, std::string>& form, std::string_view lang) {
  auto email = trim(param(form, "email"));
  auto message = trim(param(form, "message"));
  if (!is_valid_email(email)) return std::string(help_text("email_invalid", lang));
  if (message.empty() || message.size() > 20000 || !is_valid_utf8(message) ||
      param(form, "name").size() > 200 || param(form, "subject").size() > 200)
    return std::string(help_text("message_required", lang));
  return "";
}

// Step 1 shows matching articles (and counts it); step 2 is the customer's
// answer: "helped" ends there, "continued" creates the ticket.
http::Response contact_submit(const HelpCenterServices& svc, const http::Request& req,
                              const Params& prm) {
  auto s = site(svc, req, prm[0]);
  auto form = http::parse_query(req.body);
  if (is_supported_language(param(form, "lang"))) s.lang = param(form, "lang");
  auto p = page(s, std::string(help_text("contact", s.lang)));
  if (auto wait = svc.abuse.help_contact_ip.take(req.remote, svc.env.now_ms())) {
    p.contact_form(form, std::string(help_text("rate_limited", s.lang)));
    auto r = p.response(429);
    r.header("Retry-After", std::to_string(limits::retry_after_seconds(wait)));
    return r;
  }
  if (auto error = form_error(form, s.lang); !error.empty()) {
    p.contact_form(form, error);
    return p.response(400);
  }
  auto outcome = param(form, "outcome");
  auto deflection = param(form, "deflection");
  if (!deflection.empty()) {
    if (outcome != "helped" && outcome != "continued")
      throw HttpError(400, "bad_request", "outcome must be helped or continued");
    svc.kb.set_deflection_outcome(s.ws.id, parse_id(deflection), outcome);
    if (outcome == "helped") {
      p.notice(help_text("thanks_helped", s.lang));
      return p.response(200);
    }
  } else {
    auto query = (param(form, "subject") + " " + param(form, "message")).substr(0, 1000);
    auto found = svc.bot.suggest_articles(s.ws.id, "help_center", query, s.lang);
    if (found.deflection) {
      p.suggestions(found.articles, form, *found.deflection);
      return p.response(200);
    }
  }
  create_ticket(svc, s, form);
  p.notice(help_text("thanks_ticket", s.lang));
  return p.response(201);
}

http::Response script(const HelpCenterServices&, const http::Request&, const Params&) {
  http::Response r;
  r.status = 200;
  r.body = std::string(help_script());
  r.header("Content-Type", "text/javascript; charset=utf-8");
  r.header("Cache-Control", "public, max-age=3600");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

void add_help_center_routes(Router& r, const HelpCenterServices& svc) {
  r.add(Access::kPublic, "GET", "/help/:ws", with(svc, home));
  r.add(Access::kPublic, "GET", "/help/:ws/categories/:category", with(svc, category));
  r.add(Access::kPublic, "GET", "/help/:ws/articles/:article", with(svc, article));
  r.add(Access::kPublic, "POST", "/help/:ws/articles/:article/vote", with(svc, vote));
  r.add(Access::kPublic, "GET", "/help/:ws/search", with(svc, search));
  r.add(Access::kPublic, "GET", "/help/:ws/help.js", with(svc, script));
  r.add(Access::kPublic, "GET", "/help/:ws/contact", with(svc, contact_form));
  r.add(Access::kPublic, "POST", "/help/:ws/contact", with(svc, contact_submit));
}

}  // namespace sb
