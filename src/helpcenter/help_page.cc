#include "helpcenter/help_page.h"

#include "helpcenter/help_strings.h"

namespace sb {
namespace {

// One small stylesheet inline: a help center page is one request.
constexpr std::string_view kStyle = R"css(
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb;--bg:#f8fafc}
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:1.2rem 1rem}header .wrap{display:flex;gap:1rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600;font-size:1.15rem}header nav a{font-size:.9rem;font-weight:400;margin-left:.6rem;opacity:.85}
header nav a[aria-current]{opacity:1;text-decoration:underline}
.wrap{max-width:860px;margin:0 auto;padding:0 1rem}main.wrap{padding:1.75rem 1rem 3rem}a{color:var(--accent)}
form.search{display:flex;gap:.5rem;margin:0 0 1.5rem}form.search input{flex:1;padding:.7rem .9rem;border:1px solid var(--line);border-radius:8px;font:inherit}
button,.button{background:var(--accent);color:#fff;border:0;border-radius:8px;padding:.65rem 1.1rem;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--fg);border:1px solid var(--line)}
button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
header a:focus-visible{outline-color:#fff}form.search input:focus{border-color:var(--accent);outline:0;box-shadow:0 0 0 3px #bfdbfe}
section.category,article,.box{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1rem 1.25rem;margin:0 0 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:.2rem 0 .5rem}h2 a{color:var(--fg);text-decoration:none}
ul.articles{list-style:none;margin:0;padding:0}main>ul.articles{background:#fff;border:1px solid var(--line);border-radius:12px;padding:.4rem 1.25rem;margin:0 0 1rem}ul.articles li{padding:.55rem 0;border-top:1px solid var(--line)}ul.articles li:first-child{border-top:0}
ul.articles a{color:var(--accent);font-weight:600;text-decoration:none}ul.articles p{margin:.15rem 0 0;color:var(--muted);font-size:.92rem}
.muted,.back{color:var(--muted);font-size:.92rem}.back{display:inline-block;margin-bottom:.8rem;color:var(--accent);text-decoration:none}
.vote{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .75rem}.vote p{margin:0}.vote p:first-child{margin-right:.25rem}.vote .muted{flex-basis:100%}
article>:last-child{margin-bottom:0}article img{max-width:100%;height:auto}article a{overflow-wrap:anywhere}
article code{background:#f1f5f9;border-radius:4px;padding:.1em .3em;font-size:.92em}article pre{background:#f1f5f9;border-radius:8px;padding:.75rem 1rem;overflow:auto}
article table{border-collapse:collapse;display:block;overflow-x:auto}article th,article td{border:1px solid var(--line);padding:.35rem .6rem}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}input[type=text],input[type=email],textarea{width:100%;padding:.6rem .75rem;border:1px solid var(--line);border-radius:8px;font:inherit}
textarea{min-height:9rem}.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:8px;padding:.6rem .8rem}
.notice{background:#ecfdf5;border:1px solid #a7f3d0;border-radius:12px;padding:1rem 1.25rem}
.contact{margin-top:2rem}.actions{display:flex;gap:.6rem;flex-wrap:wrap;margin-top:1rem}
)css";

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

HelpPage::HelpPage(std::string site_name, std::string slug, std::string lang, std::string title)
    : site_(std::move(site_name)),
      slug_(std::move(slug)),
      lang_(std::move(lang)),
      title_(std::move(title)) {}

std::string HelpPage::t(std::string_view key) const {
  return std::string(help_text(key, lang_));
}

std::string HelpPage::link(const std::string& path, std::string_view lang) const {
  return "/help/" + slug_ + (path.empty() ? "" : "/" + path) +
         "?lang=" + std::string(lang.empty() ? lang_ : lang);
}

void HelpPage::raw(const std::string& html) {
  body_ += html;
}

void HelpPage::search_box(const std::string& query) {
  body_ += "<form class=\"search\" role=\"search\" action=\"/help/" + slug_ +
           "/search\"><input type=\"hidden\" name=\"lang\" value=\"" + lang_ +
           "\"><input type=\"search\" name=\"q\" value=\"" + html_escape(query) +
           "\" aria-label=\"" + t("search") + "\" placeholder=\"" + t("search_placeholder") +
           "\"><button>" + t("search") + "</button></form>";
}

void HelpPage::back_link() {
  body_ += "<a class=\"back\" href=\"" + link("") + "\">← " + t("back") + "</a>";
}

void HelpPage::contact_link() {
  body_ += "<p class=\"contact\"><a class=\"button\" href=\"" + link("contact") + "\">" +
           t("contact") + "</a></p>";
}

void HelpPage::notice(std::string_view text) {
  body_ += "<div class=\"notice\" role=\"status\"><p>" + html_escape(text) + "</p><p><a href=\"" +
           link("") + "\">← " + t("back") + "</a></p></div>";
}

void HelpPage::vote_box(const KbArticle& a, bool voted) {
  body_ += "<div class=\"box vote\" id=\"vote\">";
  if (voted) {
    body_ += "<p role=\"status\">" + t("thanks_vote") + "</p>";
  } else {
    body_ += "<p>" + t("helpful_q") + "</p>";
    for (auto [value, label] : {std::pair{"1", "yes"}, std::pair{"0", "no"}})
      body_ += "<form method=\"post\" action=\"/help/" + slug_ + "/articles/" + a.slug +
               "/vote\"><input type=\"hidden\" name=\"lang\" value=\"" + a.language +
               "\"><input type=\"hidden\" name=\"helpful\" value=\"" + value + "\"><button" +
               (value[0] == '0' ? " class=\"secondary\"" : "") + ">" + t(label) +
               "</button></form>";
  }
  if (a.helpful > 0)
    body_ += "<p class=\"muted\">" + std::to_string(a.helpful) + " " + t("found_helpful") + "</p>";
  body_ += "</div>";
}

std::string HelpPage::hidden_fields(const std::map<std::string, std::string>& form) const {
  std::string out = "<input type=\"hidden\" name=\"lang\" value=\"" + lang_ + "\">";
  for (const char* key : {"name", "email", "subject", "message"}) {
    auto it = form.find(key);
    out += "<input type=\"hidden\" name=\"" + std::string(key) + "\" value=\"" +
           html_escape(it == form.end() ? "" : it->second) + "\">";
  }
  return out;
}

void HelpPage::contact_form(const std::map<std::string, std::string>& form,
                            const std::string& error) {
  auto value = [&](const char* key) {
    auto it = form.find(key);
    return html_escape(it == form.end() ? "" : it->second);
  };
  body_ += "<h1>" + t("contact") + "</h1><p class=\"muted\">" + t("contact_intro") + "</p>";
  if (!error.empty()) body_ += "<p class=\"error\" role=\"alert\">" + html_escape(error) + "</p>";
  body_ += "<form class=\"box\" method=\"post\" action=\"/help/" + slug_ +
           "/contact\"><input type=\"hidden\" name=\"lang\" value=\"" + lang_ + "\">" +
           "<label for=\"f-name\">" + t("name") +
           "</label><input type=\"text\" id=\"f-name\" name=\"name\" maxlength=\"200\" "
           "autocomplete=\"name\" value=\"" +
           value("name") + "\"><label for=\"f-email\">" + t("email") +
           "</label><input type=\"email\" id=\"f-email\" name=\"email\" required "
           "autocomplete=\"email\" value=\"" +
           value("email") + "\"><label for=\"f-subject\">" + t("subject") +
           "</label><input type=\"text\" id=\"f-subject\" name=\"subject\" maxlength=\"200\" "
           "value=\"" +
           value("subject") + "\"><label for=\"f-message\">" + t("message") +
           "</label><textarea id=\"f-message\" name=\"message\" required>" + value("message") +
           "</textarea><div class=\"actions\"><button>" + t("send") + "</button></div></form>";
}

void HelpPage::suggestions(const std::vector<const KbArticle*>& articles,
                           const std::map<std::string, std::string>& form, Id deflection) {
  body_ += "<h1>" + t("suggest_title") + "</h1><ul class=\"articles box\">";
  for (const auto* a : articles)
    body_ += "<li><a target=\"_blank\" href=\"" + link("articles/" + a->slug) + "\">" +
             html_escape(a->title) + "</a><p>" + html_escape(kb::plain_text(a->body, 200)) +
             "</p></li>";
  body_ +=
      "</ul><form method=\"post\" action=\"/help/" + slug_ + "/contact\">" + hidden_fields(form) +
      "<input type=\"hidden\" name=\"deflection\" value=\"" + std::to_string(deflection) +
      "\"><div class=\"actions\"><button name=\"outcome\" value=\"helped\">" + t("suggest_helped") +
      "</button><button class=\"secondary\" name=\"outcome\" value=\"continued\">" +
      t("suggest_continue") + "</button></div></form>";
}

http::Response HelpPage::response(int status) const {
  std::string languages;
  for (std::string_view l : kLanguages)
    languages += "<a hreflang=\"" + std::string(l) + "\" href=\"" + link(here_, l) + "\"" +
                 (l == lang_ ? " aria-current=\"true\"" : "") + ">" +
                 std::string(language_name(l)) + "</a>";
  http::Response r;
  r.status = status;
  r.body = "<!doctype html><html lang=\"" + lang_ +
           "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width,initial-scale=1\"><title>" +
           html_escape(title_) + " · " + html_escape(site_) + "</title><style>" +
           std::string(kStyle) + "</style></head><body><header><div class=\"wrap\"><a href=\"" +
           link("") + "\">" + html_escape(site_) + " · " + t("title") + "</a><nav aria-label=\"" +
           t("language") + "\">" + languages + "</nav></div></header><main class=\"wrap\">" +
           body_ + "</main></body></html>";
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Content-Security-Policy",
           "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'self'");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace sb
