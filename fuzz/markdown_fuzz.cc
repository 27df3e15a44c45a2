// Knowledge-base Markdown: never emits a script element or a javascript: link.
#include <cstdlib>

#include "kb/kb.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto html = sb::kb::render_markdown(std::string_view(reinterpret_cast<const char*>(data), size));
  if (html.find("<script") != std::string::npos ||
      html.find("href=\"javascript:") != std::string::npos)
    std::abort();
  return 0;
}
