#include "helpcenter/help_page.h"

#include <cmath>

#include "helpcenter/help_strings.h"

namespace sb {
namespace {

// One small stylesheet inline: a help center page is one request. --brand is
// set per workspace (brand_style()); the rest derives from it.
constexpr std::string_view kStyle = R"css(
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f6f7fb;--card:#fff;--soft:color-mix(in srgb,var(--brand) 9%,#fff);--radius:14px;--shadow:0 1px 2px rgba(15,23,42,.05),0 4px 14px rgba(15,23,42,.05)}
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);-webkit-text-size-adjust:100%}
a{color:var(--brand)}.wrap{max-width:1040px;margin:0 auto;padding:0 1.25rem}main.wrap{padding:1.75rem 1.25rem 3rem}.narrow{max-width:760px}
header.top{background:#fff;border-bottom:1px solid var(--line)}header.top .wrap{display:flex;gap:.5rem 1.25rem;align-items:center;justify-content:space-between;flex-wrap:wrap;padding-top:.7rem;padding-bottom:.7rem}
.brand{display:flex;align-items:center;gap:.6rem;color:var(--fg);text-decoration:none;font-weight:700;font-size:1.05rem;min-width:0}
.logo{flex:none;width:2.1rem;height:2.1rem;border-radius:10px;background:var(--brand);color:var(--on-brand);display:grid;place-items:center;font-weight:800;font-size:1.05rem;text-transform:uppercase}
.brand .sub{font-weight:500;color:var(--muted);border-left:1px solid var(--line);padding-left:.6rem}
nav.langs{display:flex;gap:.15rem;overflow-x:auto;max-width:100%}nav.langs a{color:var(--muted);text-decoration:none;font-size:.85rem;padding:.2rem .5rem;border-radius:999px;white-space:nowrap}
nav.langs a[aria-current]{background:var(--soft);color:var(--brand);font-weight:600}
.hero{background:linear-gradient(135deg,var(--brand),color-mix(in srgb,var(--brand) 70%,#0f172a));color:var(--on-brand);padding:2.75rem 0 3.25rem}
.hero h1{font-size:clamp(1.6rem,4.5vw,2.4rem);margin:0 0 1.1rem;letter-spacing:-.01em}
.hero form.search{max-width:640px;margin:0;background:#fff;border-radius:999px;padding:.35rem;box-shadow:0 10px 30px rgba(15,23,42,.2)}
form.search{display:flex;gap:.4rem;align-items:center;margin:0 0 1.5rem}form.search input{flex:1;min-width:0;padding:.7rem 1rem;border:1px solid var(--line);border-radius:999px;font:inherit;color:var(--fg);background:#fff}
.hero form.search input{border:0;font-size:1.05rem}.hero form.search input:focus{box-shadow:none;outline:0}.hero form.search:focus-within{outline:3px solid color-mix(in srgb,var(--on-brand) 60%,transparent);outline-offset:2px}
button,.button{background:var(--brand);color:var(--on-brand);border:0;border-radius:999px;padding:.65rem 1.25rem;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;gap:.45rem;white-space:nowrap}
button.secondary,.button.secondary{background:#fff;color:var(--fg);border:1px solid var(--line)}
button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid color-mix(in srgb,var(--brand) 45%,#fff);outline-offset:2px}
form.search input:focus{border-color:var(--brand);outline:0;box-shadow:0 0 0 3px var(--soft)}
h1{font-size:1.75rem;line-height:1.25;margin:.2rem 0 1rem;letter-spacing:-.01em}h2{font-size:1.2rem;margin:2rem 0 .8rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:1rem;margin:0 0 1rem}
.card{display:block;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.1rem 1.2rem;color:var(--fg);text-decoration:none;box-shadow:var(--shadow);transition:border-color .15s,transform .15s}
.card:hover{border-color:var(--brand);transform:translateY(-2px)}.card .icon{width:2.6rem;height:2.6rem;border-radius:12px;background:var(--soft);color:var(--brand);display:grid;place-items:center;margin-bottom:.7rem}
.card svg{width:1.4rem;height:1.4rem}.card strong{display:block;font-size:1.05rem}.card span.list{display:block;color:var(--muted);font-size:.88rem;margin-top:.25rem;line-height:1.45}
section.box,article,.box{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.2rem 1.4rem;margin:0 0 1rem;box-shadow:var(--shadow)}
ul.articles{list-style:none;margin:0 0 1rem;padding:.3rem 1.4rem;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow)}
ul.articles li{padding:.75rem 0;border-top:1px solid var(--line)}ul.articles li:first-child{border-top:0}
ul.articles a{color:var(--fg);font-weight:600;text-decoration:none}ul.articles a:hover{color:var(--brand)}ul.articles a::after{content:" →";color:var(--brand)}ul.articles p{margin:.15rem 0 0;color:var(--muted);font-size:.92rem}
nav.crumbs{font-size:.9rem;color:var(--muted);margin:0 0 1rem}nav.crumbs ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}nav.crumbs li+li::before{content:"›";margin-right:.3rem;color:var(--muted)}
nav.crumbs a{color:var(--muted);text-decoration:none}nav.crumbs a:hover{color:var(--brand)}
.muted,.back{color:var(--muted);font-size:.92rem}.back{display:inline-block;margin-bottom:.8rem;color:var(--brand);text-decoration:none}
.vote{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1rem}.vote p{margin:0}.vote .q{flex:1 1 12rem;font-weight:600}
.vote .choices{display:flex;gap:.5rem;flex:none}.vote .choices button{min-width:5rem;justify-content:center}.vote .muted{flex-basis:100%}
article{padding:1.6rem 1.8rem}article>:last-child{margin-bottom:0}article img{max-width:100%;height:auto}article a{overflow-wrap:anywhere}article h1{font-size:1.9rem}
article code{background:#f1f5f9;border-radius:4px;padding:.1em .3em;font-size:.92em}article pre{background:#f1f5f9;border-radius:8px;padding:.75rem 1rem;overflow:auto}
article table{border-collapse:collapse;display:block;overflow-x:auto}article th,article td{border:1px solid var(--line);padding:.35rem .6rem}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}input[type=text],input[type=email],textarea{width:100%;padding:.6rem .75rem;border:1px solid var(--line);border-radius:10px;font:inherit}
textarea{min-height:9rem}.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:10px;padding:.6rem .8rem}
.notice{background:#ecfdf5;border:1px solid #a7f3d0;border-radius:var(--radius);padding:1rem 1.25rem}
.help{margin-top:2.5rem;display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:1rem;background:var(--soft);border:1px solid color-mix(in srgb,var(--brand) 20%,#fff);border-radius:var(--radius);padding:1.3rem 1.5rem}
.help h2{margin:0;font-size:1.15rem}.help p{margin:.15rem 0 0;color:var(--muted)}.actions{display:flex;gap:.6rem;flex-wrap:wrap}.help .actions{margin:0}form .actions{margin-top:1rem}
footer.bottom{color:var(--muted);font-size:.85rem;padding:1.5rem 0 6rem;text-align:center}
@media (max-width:600px){.hero{padding:1.8rem 0 2.2rem}.brand .sub{display:none}article{padding:1.2rem 1.1rem}ul.articles{padding:.2rem 1.1rem}.hero form.search button{padding:.65rem 1rem}}
)css";

constexpr std::string_view kDefaultBrand = "#2563eb";

bool is_hex_colour(std::string_view c) {
  return (c.size() == 4 || c.size() == 7) && c[0] == '#' &&
         c.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string_view::npos;
}

// Text on the brand colour: white unless the colour is light (WCAG luminance).
std::string_view ink_on(std::string_view hex) {
  auto channel = [&](int i) {
    auto digits =
        hex.size() == 4 ? std::string(2, hex[1 + i]) : std::string(hex.substr(1 + 2 * i, 2));
    double v = std::stoi(digits, nullptr, 16) / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  double luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return luminance > 0.45 ? "#0f172a" : "#ffffff";
}

// The first letter of the name (a whole UTF-8 character), the logo's monogram.
std::string initial(std::string_view name) {
  if (name.empty()) return "?";
  std::size_t n = 1;
  while (n < name.size() && (static_cast<unsigned char>(name[n]) & 0xC0) == 0x80) ++n;
  return std::string(name.substr(0, n));
}

constexpr std::string_view kScript =
    R"js(// Help center: "Chat with us" opens the chat widget; without it the link goes to the contact form.
document.querySelectorAll('[data-open-chat]').forEach(function (el) {
  el.addEventListener('click', function (e) {
    if (window.Switchboard) { e.preventDefault(); window.Switchboard.open(); }
  });
});
)js";

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

std::string_view help_script() {
  return kScript;
}

namespace {

// Stroke paths of a 24x24 icon: the first whose words the slug contains.
std::string_view icon_paths(std::string_view slug) {
  struct Icon {
    std::initializer_list<std::string_view> words;
    std::string_view paths;
  };
  static const Icon kIcons[] = {
      {{"return", "refund", "exchange"},
       R"(<path d="M9 14 4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>)"},
      {{"deliver", "ship", "track", "parcel"},
       R"(<path d="M3 6h11v10H3z"/><path d="M14 9h4l3 3v4h-7"/><circle cx="7" cy="17.5" r="1.8"/><circle cx="17" cy="17.5" r="1.8"/>)"},
      {{"pay", "bill", "invoice", "price"},
       R"(<rect x="2.5" y="5" width="19" height="14" rx="2"/><path d="M2.5 10h19M6.5 15h4"/>)"},
      {{"complain", "warrant", "claim", "problem"},
       R"(<path d="M12 3.5 2.5 20h19z"/><path d="M12 10v4.5M12 17.2v.1"/>)"},
      {{"order", "account", "cancel"},
       R"(<path d="M21 8 12 3 3 8v8l9 5 9-5z"/><path d="m3 8 9 5 9-5M12 13v8"/>)"},
  };
  for (const auto& icon : kIcons)
    for (auto w : icon.words)
      if (slug.find(w) != std::string_view::npos) return icon.paths;
  return R"(<path d="M6 2.5h8.5l4.5 4.5v14.5H6z"/><path d="M14 2.5V7h5M9 12h6M9 16h6"/>)";
}

}  // namespace

std::string category_icon(std::string_view slug) {
  return "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\" "
         "stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\">" +
         std::string(icon_paths(slug)) + "</svg>";
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

void HelpPage::hero(std::string_view heading, const std::string& query) {
  // search_box() writes to body_: build it there, then move it to the band.
  auto body = std::move(body_);
  body_.clear();
  search_box(query);
  hero_ = "<section class=\"hero\"><div class=\"wrap\"><h1>" + html_escape(heading) + "</h1>" +
          body_ + "</div></section>";
  body_ = std::move(body);
}

void HelpPage::breadcrumbs(const std::vector<std::pair<std::string, std::string>>& trail) {
  body_ += "<nav class=\"crumbs\" aria-label=\"" + t("breadcrumbs") + "\"><ol><li><a href=\"" +
           link("") + "\">" + t("title") + "</a></li>";
  for (std::size_t i = 0; i < trail.size(); ++i) {
    const auto& [path, text] = trail[i];
    if (i + 1 == trail.size())
      body_ += "<li aria-current=\"page\">" + html_escape(text) + "</li>";
    else
      body_ += "<li><a href=\"" + link(path) + "\">" + html_escape(text) + "</a></li>";
  }
  body_ += "</ol></nav>";
}

void HelpPage::contact_link() {
  body_ += "<section class=\"help\"><div><h2>" + t("still_need_help") + "</h2><p>" +
           t("still_need_help_text") + "</p></div><div class=\"actions\">";
  if (!brand_.widget_key.empty())  // the script opens the widget; without it, the form
    body_ +=
        "<a class=\"button\" data-open-chat href=\"" + link("contact") + "\">" +
        "<svg width=\"18\" height=\"18\" viewBox=\"0 0 24 24\" fill=\"none\" "
        "stroke=\"currentColor\" stroke-width=\"2\" aria-hidden=\"true\"><path d=\"M4 5h16v11H9l-5 "
        "4z\"/></svg>" +
        t("chat") + "</a>";
  body_ += "<a class=\"button" + std::string(brand_.widget_key.empty() ? "" : " secondary") +
           "\" href=\"" + link("contact") + "\">" + t("contact") + "</a></div></section>";
}

void HelpPage::notice(std::string_view text) {
  body_ += "<div class=\"notice\" role=\"status\"><p>" + html_escape(text) + "</p><p><a href=\"" +
           link("") + "\">← " + t("back") + "</a></p></div>";
}

// The question and the buttons are two flex items: on a narrow screen the
// buttons go below the question together, never one of them alone.
void HelpPage::vote_box(const KbArticle& a, bool voted) {
  body_ += "<div class=\"box vote\" id=\"vote\">";
  if (voted) {
    body_ += "<p class=\"q\" role=\"status\">" + t("thanks_vote") + "</p>";
  } else {
    body_ += "<p class=\"q\">" + t("helpful_q") + "</p><div class=\"choices\">";
    for (auto [value, label] : {std::pair{"1", "yes"}, std::pair{"0", "no"}})
      body_ += "<form method=\"post\" action=\"/help/" + slug_ + "/articles/" + a.slug +
               "/vote\"><input type=\"hidden\" name=\"lang\" value=\"" + a.language +
               "\"><input type=\"hidden\" name=\"helpful\" value=\"" + value + "\"><button" +
               (value[0] == '0' ? " class=\"secondary\"" : "") + ">" + t(label) +
               "</button></form>";
    body_ += "</div>";
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

std::string HelpPage::brand_style() const {
  std::string_view colour = is_hex_colour(brand_.color) ? brand_.color : kDefaultBrand;
  return ":root{--brand:" + std::string(colour) + ";--on-brand:" + std::string(ink_on(colour)) +
         "}";
}

std::string HelpPage::header() const {
  std::string languages;
  for (std::string_view l : kLanguages)
    languages += "<a hreflang=\"" + std::string(l) + "\" lang=\"" + std::string(l) + "\" href=\"" +
                 link(here_, l) + "\"" + (l == lang_ ? " aria-current=\"true\"" : "") + ">" +
                 std::string(language_name(l)) + "</a>";
  return "<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" href=\"" + link("") +
         "\"><span class=\"logo\" aria-hidden=\"true\">" + html_escape(initial(site_)) +
         "</span><span>" + html_escape(site_) + "</span><span class=\"sub\">" + t("title") +
         "</span></a><nav class=\"langs\" aria-label=\"" + t("language") + "\">" + languages +
         "</nav></div></header>";
}

http::Response HelpPage::response(int status) const {
  bool chat = !brand_.widget_key.empty();
  std::string scripts;
  if (chat)  // the widget, as a shop embeds it, and the script of our chat button
    scripts = "<script src=\"/widget.js\" data-inbox=\"" + html_escape(brand_.widget_key) +
              "\" data-lang=\"" + lang_ + "\" async></script><script src=\"/help/" + slug_ +
              "/help.js\" defer></script>";
  http::Response r;
  r.status = status;
  r.body = "<!doctype html><html lang=\"" + lang_ +
           "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width,initial-scale=1\"><title>" +
           html_escape(title_) + " · " + html_escape(site_) + "</title><style>" + brand_style() +
           std::string(kStyle) + "</style>" + scripts + "</head><body>" + header() + hero_ +
           "<main class=\"wrap\">" + body_ + "</main><footer class=\"bottom\">© " +
           html_escape(site_) + " · " + t("title") + "</footer></body></html>";
  r.header("Content-Type", "text/html; charset=utf-8");
  // Scripts only from this origin (the widget and help.js), never inline; the
  // widget talks to its API here and draws its Shadow DOM with inline styles.
  r.header(
      "Content-Security-Policy",
      std::string("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:") +
          (chat ? " blob:; script-src 'self'; connect-src 'self'; font-src 'self'" : "") +
          "; form-action 'self'; base-uri 'none'; frame-ancestors 'self'");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace sb
