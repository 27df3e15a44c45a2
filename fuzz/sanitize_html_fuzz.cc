// HTML from anyone: the sanitised output has no script, no event handler, no
// javascript:/data: value and no remote src, and sanitising it again changes
// nothing (it is stable under re-parsing, the mark of no mutation XSS).
#include <cctype>
#include <cstdlib>
#include <string>

#include "mime/mime.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  std::string out = sb::mime::sanitize_html(html);
  std::string low = lower(out);
  for (const char* bad : {"<script", "<style", "<iframe", "<svg", "<math",
                          "javascript:", "vbscript:", "data:", " src=\"http", "<!--"})
    require(low.find(bad) == std::string::npos);
  for (std::size_t at = low.find(" on"); at != std::string::npos; at = low.find(" on", at + 1)) {
    // " on..." inside a tag would be an event handler; in text it is a word.
    std::size_t open = low.rfind('<', at), close = low.rfind('>', at);
    require(open == std::string::npos || (close != std::string::npos && close > open));
  }
  require(sb::mime::sanitize_html(out) == out);
  (void)sb::mime::html_to_text(html);
  return 0;
}
