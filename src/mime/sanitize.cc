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

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Quotes too, in text as well: no context in which a value could end early.
void escape_into(std::string& out, std::string_view s) {
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
      case '\0':
        break;
      default:
        out.push_back(c);
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
  std::vector<std::string> closers_;  // per element entered: its end tag, or ""
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
      return true;
    default:  // comments (also <!--[if]-->), doctypes
      return false;
  }
}

void Sanitizer::leave(const GumboNode*) {
  if (closers_.empty()) return;
  out_ += closers_.back();
  closers_.pop_back();
}

void Sanitizer::common_attributes(const GumboNode* node, const std::string& tag) {
  if (const char* title = attribute(node, "title")) add("title", title);
  std::string style;
  if (const char* css = attribute(node, "style")) style = safe_style(css);
  if (tag == "font") {
    if (const char* color = attribute(node, "color"); color && is_safe_css_value(color))
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
  if (!kAllowed.count(tag) || depth > kMaxDepth) {
    closers_.emplace_back();  // unwrapped: its children stay, the tag goes
    return true;
  }
  if (tag == "img") return image(node);
  std::string shown = tag == "font" ? "span" : tag == "center" ? "div" : tag;
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
  if (kVoid.count(tag)) return false;
  closers_.push_back("</" + shown + ">");
  return true;
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
  return sanitizer.take();
}

}  // namespace sb::mime
