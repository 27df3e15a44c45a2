# Writes OUTPUT: a C++ file defining `std::string_view NAME()` with INPUT's bytes.
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace sb {\nstd::string_view ${NAME}() {\n  return R\"SBEMBED(${content})SBEMBED\";\n}\n}  // namespace sb\n")
