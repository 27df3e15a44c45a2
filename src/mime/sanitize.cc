// HTML from a mail rebuilt from an allowlist: only the elements and attributes
// below survive, every text and value is escaped again, and nothing that could
// run code or fetch from the network is kept.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <optional>
#include <set>

#include "mime/html_tree.h"
#include "mime/mime.h"
#include "mime/text.h"

namespace sb::mime {

namespace {

using detail::tag_name;
using Names = std::set<std::string, std::less<>>;

// Gone with everything inside: code, embedded documents, forms' inputs.
const Names kDropped = {"script",   "style",  "iframe", "frame",   "frameset", "object",
                        "embed",    "applet", "svg",    "math",    "link",     "meta",
                        "base",     "input",  "select", "option",  "textarea", "noscript",
                        "template", "head",   "title",  "noembed", "noframes", "xmp",
                        "audio",    "video",  "canvas", "source",  "track",    "param",
                        "portal",   "dialog", "marquee"};

const Names kAllowed = {"p",     "br",   "div",    "span",    "a",          "b",     "strong",
                        "i",     "em",   "u",      "s",       "blockquote", "pre",   "code",
                        "ul",    "ol",   "li",     "table",   "thead",      "tbody", "tfoot",
                        "tr",    "td",   "th",     "caption", "h1",         "h2",    "h3",
                        "h4",    "h5",   "h6",     "hr",      "img",        "sub",   "sup",
                        "small", "font", "center", "dl",      "dt",         "dd"};

const Names kVoid = {"br", "hr", "img"};

const Names kStyleProperties = {"color",      "background-color", "font-weight",
                                "font-style", "text-decoration",  "text-align"};

// Quotes too, in text as well: no context in which a value could end early.
// Controls go, C0 and C1 (U+0080-U+009F, UTF-8 C2 80-9F): a parser would turn
// them into U+FFFD, and sanitising the output again would not give it back.
void escape_into(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      ++i;
      continue;
    }
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
      case '\r':  // a parser reads a lone CR (from &#13;) as LF: write what it will read
        out.push_back('\n');
        break;
      default:  // control characters other than white space: nothing to show
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out.push_back(c);
    }
  }
}

const char* attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? a->value : nullptr;
}

// Browsers drop tabs and newlines inside URLs and controls and spaces around
// them, so "jav&#x09;ascript:" is "javascript:"; the scheme is checked on what
// the browser would see. Only the schemes listed pass.
std::optional<std::string> clean_url(std::string_view value,
                                     std::initializer_list<const char*> schemes) {
  std::string url;
  for (unsigned char c : trim(value)) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x20 || c == 0x7F) return std::nullopt;
    if (c == ' ')
      url += "%20";
    else
      url.push_back(static_cast<char>(c));
  }
  if (url.size() > 8192) return std::nullopt;
  std::string low = lower(url);
  for (const char* scheme : schemes)
    if (low.rfind(scheme, 0) == 0) return url;
  return std::nullopt;
}

bool is_dimension(std::string_view v) {
  return !v.empty() && v.size() <= 10 && std::all_of(v.begin(), v.end(), [](unsigned char c) {
    return std::isdigit(c) || c == '%' || c == '.';
  });
}

bool is_safe_css_value(std::string_view value) {
  if (value.empty() || value.size() > 100) return false;
  if (!std::all_of(value.begin(), value.end(), [](unsigned char c) {
        return std::isalnum(c) ||
               std::string_view(" #%.,()-!").find(static_cast<char>(c)) != std::string_view::npos;
      }))
    return false;
  std::string low = lower(value);
  for (const char* bad : {"url", "expression", "javascript", "behavior", "binding", "image"})
    if (low.find(bad) != std::string::npos) return false;
  return true;
}

// Only the properties that change colour and emphasis; nothing that positions,
// sizes or loads.
std::string safe_style(std::string_view css) {
  std::string out;
  std::size_t pos = 0, declarations = 0;
  while (pos < css.size() && declarations++ < 50) {
    std::size_t end = css.find(';', pos);
    std::string_view decl = css.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? css.size() : end + 1;
    std::size_t colon = decl.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = lower(trim(decl.substr(0, colon)));
    std::string_view value = trim(decl.substr(colon + 1));
    if (!kStyleProperties.count(name) || !is_safe_css_value(value)) continue;
    if (!out.empty()) out += "; ";
    out += name + ": " + std::string(value);
  }
  return out;
}

class Sanitizer {
 public:
  explicit Sanitizer(const std::function<std::string(std::string_view)>& cid_url)
      : cid_url_(cid_url) {}
  bool enter(const GumboNode* node, std::size_t depth);
  void leave(const GumboNode* node);
  std::string take() { return std::move(out_); }

 private:
  bool element(const GumboNode* node, std::size_t depth);
  bool image(const GumboNode* node);
  void add(const char* name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    escape_into(out_, value);
    out_ += '"';
  }
  void common_attributes(const GumboNode* node, const std::string& tag);

  const std::function<std::string(std::string_view)>& cid_url_;
  std::string out_;
  bool misplaced(const std::string& tag) const;
  bool open_within(std::string_view tag, const Names& boundaries) const;
  std::vector<std::string> closers_;  // per element entered: its end tag, or ""
  std::vector<std::string> open_;     // per element entered: the tag written, or ""
};

constexpr std::size_t kMaxDepth = 100;

bool Sanitizer::enter(const GumboNode* node, std::size_t depth) {
  switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
      escape_into(out_, node->v.text.text);
      return false;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return element(node, depth);
    case GUMBO_NODE_DOCUMENT:
      closers_.emplace_back();
      open_.emplace_back();
      return true;
    default:  // comments (also <!--[if]-->), doctypes
      return false;
  }
}

void Sanitizer::leave(const GumboNode*) {
  if (closers_.empty()) return;
  out_ += closers_.back();
  closers_.pop_back();
  open_.pop_back();
}

void Sanitizer::common_attributes(const GumboNode* node, const std::string& tag) {
  if (const char* title = attribute(node, "title")) add("title", title);
  std::string style;
  if (const char* css = attribute(node, "style")) style = safe_style(css);
  if (tag == "font") {
    std::string_view color = attribute(node, "color") ? trim(attribute(node, "color")) : "";
    if (is_safe_css_value(color))
      style = "color: " + std::string(color) + (style.empty() ? "" : "; " + style);
  }
  if (!style.empty()) add("style", style);
  for (const char* name : {"width", "height"})
    if (const char* v = attribute(node, name); v && is_dimension(v) && tag != "a") add(name, v);
  if (tag == "td" || tag == "th")
    for (const char* name : {"colspan", "rowspan"})
      if (const char* v = attribute(node, name);
          v && *v && std::strlen(v) <= 4 && std::all_of(v, v + std::strlen(v), ::isdigit))
        add(name, v);
}

bool Sanitizer::element(const GumboNode* node, std::size_t depth) {
  std::string tag = tag_name(node);
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML || kDropped.count(tag)) return false;
  std::string shown = tag == "font" ? "span" : tag == "center" ? "div" : tag;
  if (!kAllowed.count(tag) || depth > kMaxDepth || misplaced(shown)) {
    closers_.emplace_back();  // unwrapped: its children stay, the tag goes
    open_.emplace_back();
    return true;
  }
  if (tag == "img") return image(node);
  out_ += '<' + shown;
  if (tag == "a") {
    if (const char* href = attribute(node, "href")) {
      if (auto url = clean_url(href, {"http://", "https://", "mailto:"})) {
        add("href", *url);
        add("rel", "noopener noreferrer");
        add("target", "_blank");
      }
    }
  }
  common_attributes(node, tag);
  out_ += '>';
  // A parser drops one newline right after <pre>; give it one to drop, so text
  // that starts with a newline keeps it.
  if (tag == "pre") out_ += '\n';
  if (kVoid.count(tag)) return false;
  closers_.push_back("</" + shown + ">");
  open_.push_back(shown);
  return true;
}

bool Sanitizer::open_within(std::string_view tag, const Names& boundaries) const {
  for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
    if (*it == tag) return true;
    if (boundaries.count(*it)) return false;
  }
  return false;
}

// Unwrapping can leave an element where a parser would not keep it (a <div> in
// a <p>, an <a> in an <a>, a <td> outside a row); it would move or close it on
// reading, so such an element is unwrapped too and the output reads back as
// written.
bool Sanitizer::misplaced(const std::string& tag) const {
  static const Names kScope = {"table", "td", "th", "caption"};
  static const Names kClosesParagraph = {"p",     "div", "ul", "ol", "blockquote", "pre",
                                         "table", "hr",  "h1", "h2", "h3",         "h4",
                                         "h5",    "h6",  "dl", "li", "dd",         "dt"};
  static const Names kHeadings = {"h1", "h2", "h3", "h4", "h5", "h6"};
  static const Names kListScope = {"table", "td", "th", "caption", "ul", "ol"};
  static const Names kDefinitionScope = {"table", "td", "th", "caption", "dl"};
  if (kClosesParagraph.count(tag) && open_within("p", kScope)) return true;
  if (tag == "a" && open_within("a", kScope)) return true;
  if (kHeadings.count(tag))
    for (const auto& h : kHeadings)
      if (open_within(h, kScope)) return true;
  if (tag == "li" && open_within("li", kListScope)) return true;
  if ((tag == "dd" || tag == "dt") &&
      (open_within("dd", kDefinitionScope) || open_within("dt", kDefinitionScope)))
    return true;
  std::string parent;
  for (auto it = open_.rbegin(); it != open_.rend() && parent.empty(); ++it) parent = *it;
  if (tag == "tr") return parent != "tbody" && parent != "thead" && parent != "tfoot";
  if (tag == "td" || tag == "th") return parent != "tr";
  if (tag == "tbody" || tag == "thead" || tag == "tfoot" || tag == "caption")
    return parent != "table";
  return parent == "table" || parent == "tbody" || parent == "thead" || parent == "tfoot" ||
         parent == "tr";
}

// cid: images come from the mail itself (rewritten by the caller); remote
// images wait behind data-src until the agent asks for them.
bool Sanitizer::image(const GumboNode* node) {
  std::string tag = "<img";
  const char* src = attribute(node, "src");
  std::optional<std::string> local, remote;
  if (src) {
    local = clean_url(src, {"cid:"});
    remote = clean_url(src, {"http://", "https://"});
  } else if (const char* waiting = attribute(node, "data-src")) {
    remote = clean_url(waiting, {"http://", "https://"});  // our own placeholder, again
  }
  std::size_t mark = out_.size();
  out_ += tag;
  if (local) {
    std::string url = cid_url_ ? cid_url_(std::string_view(*local).substr(4)) : *local;
    if (url.empty()) {
      out_.resize(mark);
      return false;
    }
    add("src", url);
  } else if (remote) {
    add("data-src", *remote);
  }
  add("alt", attribute(node, "alt") ? attribute(node, "alt") : "");
  common_attributes(node, "img");
  out_ += '>';
  return false;
}

}  // namespace

std::string sanitize_html(std::string_view html,
                          const std::function<std::string(std::string_view)>& cid_url) {
  detail::HtmlTree tree(html);
  Sanitizer sanitizer(cid_url);
  detail::visit(
      tree.body(), [&](const GumboNode* n, std::size_t depth) { return sanitizer.enter(n, depth); },
      [&](const GumboNode* n) { sanitizer.leave(n); });
  // Leading white space is dropped by any parser before <body>; drop it here too,
  // so the output reads back the same.
  std::string out = sanitizer.take();
  out.erase(0, out.find_first_not_of(" \t\n\r\f"));
  return out;
}

}  // namespace sb::mime
