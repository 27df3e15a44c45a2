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

namespace {

// Block-level tags end a word; inline ones (<strong>, <a>, <code>) do not, so
// "**tracking**." stays "tracking." rather than "tracking .".
bool is_block_tag(std::string_view tag) {
  if (!tag.empty() && tag[0] == '/') tag.remove_prefix(1);
  auto end = tag.find_first_of(" />");
  tag = tag.substr(0, end);
  for (std::string_view b : {"p", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                             "blockquote", "pre", "hr", "table", "tr", "td", "th"})
    if (tag == b) return true;
  return false;
}

}  // namespace

std::string plain_text(std::string_view markdown, std::size_t max_bytes) {
  auto html = render_markdown(markdown);
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (c == '<') {
      auto close = html.find('>', i);
      if (close == std::string::npos) break;
      space = space || is_block_tag(std::string_view(html).substr(i + 1, close - i - 1));
      i = close;
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
