// The public help center: server-rendered, accessible HTML pages of a
// workspace's published articles (/help/<slug>/...), its search and contact form.
#pragma once

#include "api/api.h"

namespace sb {

// Registered by the server next to the API's routes.
void add_help_center_routes(Router& r);

}  // namespace sb
