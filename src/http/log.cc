#include "http/log.h"

#include <cstdio>

#include "store/store.h"

namespace sb {

void log_json(boost::json::object fields) {
  fields["ts"] = system_now();
  auto line = boost::json::serialize(fields);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sb
