// HTML from anyone: the sanitised output has only allowlisted tags, no event
// handler, links only to http(s)/mailto, images only from cid: (remote ones wait
// in data-src), balanced tags; and read back by an HTML parser (sanitising it
// again) it has exactly the same tags and attributes, so the browser builds the
// elements we checked (no mutation XSS). Text may move: a parser fosters text out
// of a table, and that changes no element.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "mime/mime.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Values are escaped, so a tag ends at the first '>' and a value at the next '"'.
void check_attributes(std::string_view tag) {
  std::size_t pos = tag.find(' ');
  while (pos != std::string_view::npos && pos < tag.size()) {
    std::size_t eq = tag.find("=\"", pos);
    require(eq != std::string_view::npos);
    std::string_view name = tag.substr(pos + 1, eq - pos - 1);
    std::size_t end = tag.find('"', eq + 2);
    require(end != std::string_view::npos);
    std::string_view value = tag.substr(eq + 2, end - eq - 2);
    require(!starts(name, "on") && name != "srcdoc" && name != "formaction");
    if (name == "href")
      require(starts(value, "http://") || starts(value, "https://") || starts(value, "mailto:"));
    if (name == "src") require(starts(value, "cid:"));
    if (name == "data-src") require(starts(value, "http://") || starts(value, "https://"));
    if (name == "style")
      require(value.find("url") == std::string_view::npos &&
              value.find("expression") == std::string_view::npos);
    pos = end + 1 < tag.size() ? end + 1 : std::string_view::npos;
  }
}

void check(const std::string& out) {
  static const std::vector<std::string> allowed = {
      "p",     "br",         "div", "span", "a",       "b",     "strong", "i",     "em",    "u",
      "s",     "blockquote", "pre", "code", "ul",      "ol",    "li",     "table", "thead", "tbody",
      "tfoot", "tr",         "td",  "th",   "caption", "h1",    "h2",     "h3",    "h4",    "h5",
      "h6",    "hr",         "img", "sub",  "sup",     "small", "dl",     "dt",    "dd"};
  std::string low = lower(out);
  std::vector<std::string> open;
  for (std::size_t lt = low.find('<'); lt != std::string::npos; lt = low.find('<', lt + 1)) {
    std::size_t gt = low.find('>', lt);
    require(gt != std::string::npos);
    std::string_view tag(low.data() + lt + 1, gt - lt - 1);
    bool closing = starts(tag, "/");
    std::string name(tag.substr(closing, tag.find(' ') - closing));
    require(std::find(allowed.begin(), allowed.end(), name) != allowed.end());
    check_attributes(tag);
    if (name == "br" || name == "hr" || name == "img") continue;
    if (!closing) {
      open.push_back(name);
      continue;
    }
    require(!open.empty() && open.back() == name);
    open.pop_back();
  }
  require(open.empty());
}

// Every tag of well-formed output, in order (text never holds a raw '<').
std::vector<std::string> tags(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t lt = html.find('<'); lt != std::string::npos; lt = html.find('<', lt + 1))
    out.push_back(html.substr(lt, html.find('>', lt) - lt + 1));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  std::string out = sb::mime::sanitize_html(html);
  check(out);
  auto again = sb::mime::sanitize_html(out);
  check(again);
  require(tags(again) == tags(out));
  (void)sb::mime::html_to_text(html);
  return 0;
}
