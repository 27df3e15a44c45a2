// Part of http/, exported by http/http.h: structured logs, one JSON object per line on stderr.
#pragma once

#include <boost/json.hpp>

namespace sb {

// Adds "ts" (ms since the epoch) and writes the line with one call, so lines
// from different threads never interleave.
void log_json(boost::json::object fields);

}  // namespace sb
