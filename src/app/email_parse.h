// `switchboard email-parse FILE|-`: one mail read as the e-mail channel reads it,
// printed as one JSON object.
#pragma once

#include <string>

namespace sb {
// 0 and the JSON of the mail; 2 and {"error": ...} when the input cannot be read,
// is over 50 MB, or is not a mail.
int email_parse(const std::string& path);
}  // namespace sb
