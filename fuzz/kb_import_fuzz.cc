// Knowledge-base import, JSON and CSV: bad input is std::invalid_argument naming a field.
#include <stdexcept>

#include "kb_io/kb_io.h"
#include "server/server.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 3 == 0)
      sb::parse_kb_content(text);
    else
      sb::kb_from_csv(text, data[0] % 3 == 1 ? "articles" : "intents");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
