// A request's problems by field, as every validating handler answers them (problems.h).
#include "api/problems.h"

namespace sb {

namespace json = boost::json;

void Problems::add(std::string field, std::string message) {
  list_.emplace_back(std::move(field), std::move(message));
}

json::object Problems::to_json() const {
  json::object fields;
  std::string message;
  for (const auto& [field, why] : list_) {
    if (!fields.contains(field)) fields[field] = why;
    if (!message.empty()) message += "; ";
    message += field + ": " + why;
  }
  return {{"error", {{"code", "invalid"}, {"message", message}, {"fields", fields}}}};
}

}  // namespace sb
