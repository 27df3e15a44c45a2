// Markdown through cmark (Debian's libcmark). Without CMARK_OPT_UNSAFE, cmark
// drops raw HTML and javascript:/vbscript:/file:/data: links (except images), so
// an article can never inject markup into the help center.
#include <cmark.h>

#include <memory>

#include "kb/kb.h"

namespace sb::kb {

std::string render_markdown(std::string_view markdown) {
  std::unique_ptr<char, decltype(&free)> html(
      cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_SMART),
      &free);
  return html ? std::string(html.get()) : std::string();
}

std::string plain_text(std::string_view markdown, std::size_t max_bytes) {
  auto html = render_markdown(markdown);
  std::string out;
  bool in_tag = false, space = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (c == '<') in_tag = true;
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        space = true;
      }
      continue;
    }
    if (c == '&') {  // the entities cmark writes
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      for (auto [name, ch] : kEntities)
        if (html.compare(i, name.size(), name) == 0) {
          c = ch;
          i += name.size() - 1;
          break;
        }
    }
    if (c == '\n' || c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() <= max_bytes) return out;
  auto cut = out.rfind(' ', max_bytes);
  if (cut == std::string::npos || cut < max_bytes / 2) cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not mid-letter
  return out.substr(0, cut) + "…";
}

}  // namespace sb::kb
