// The public header of api/: the request context and the services every handler
// shares (who is acting, may they, posting a message, audit), the router with
// its access levels and route tables, and the live abuse limits.
#pragma once

#include "abuse.h"
#include "context.h"
#include "router.h"
