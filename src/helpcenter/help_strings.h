// Private to helpcenter/: the help center's interface text in the five languages.
#pragma once

#include <string_view>

namespace sb {

std::string_view help_text(std::string_view key, std::string_view language);  // English fallback
std::string_view language_name(std::string_view language);                    // "Italiano"

}  // namespace sb
