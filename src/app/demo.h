// Demo data for `switchboard serve --demo`: a workspace, an admin, two agents
// and an inbox with business hours. Idempotent.
#pragma once

#include <string>

#include "store/store.h"

namespace sb {

// Returns the lines to print about the demo (logins, URLs).
std::string seed_demo(Store& store, const std::string& base_url);

}  // namespace sb
