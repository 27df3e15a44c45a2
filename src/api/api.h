// The public header of api/: who is acting and the rules handlers share, the
// services they work with (authentication, messaging, audit, inbox status,
// uploads, server settings), the router with its access levels, the route
// tables with what each family needs, and the live abuse limits.
#pragma once

#include "abuse.h"
#include "context.h"
#include "router.h"
#include "routes.h"
#include "services.h"
