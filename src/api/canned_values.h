// Private to api/: the values of {{variables}} in canned answers and scripts.
#pragma once

#include <map>
#include <string>

#include "api/routes.h"

namespace sb {

// The conversation's contact, agent, inbox (hours today), workspace and ticket
// values, by variable name (canned/'s known_variable).
std::map<std::string, std::string> canned_values(const CannedServices& svc, const Actor& a,
                                                 const Conversation& conv);

}  // namespace sb
