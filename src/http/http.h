// The public header of http/: what handlers and services need of HTTP, with no
// Beast in sight — request/response values, JSON log lines, process metrics,
// passwords, tokens and signatures, and the key ring that signs visitor tokens.
#pragma once

#include "http_types.h"
#include "log.h"
#include "metrics.h"
#include "security.h"
#include "visitor_keys.h"
