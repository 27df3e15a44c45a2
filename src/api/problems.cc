// A request's problems by field, as every validating handler answers them (problems.h).
#include "api/problems.h"

#include <charconv>

#include "api/context.h"
#include "env/env.h"
#include "http/http.h"

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

std::optional<std::int64_t> int_param(const http::Request& req, const std::string& name,
                                      Problems& p) {
  auto text = req.param(name);
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 0) {
    p.add(name, "must be a non-negative integer");
    return std::nullopt;
  }
  return v;
}

ReportRange report_range(const http::Request& req, std::int64_t now, Problems& p) {
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  bool fine = p.empty();
  ReportRange r;
  r.to = int_param(req, "to", p).value_or(now);
  r.from = int_param(req, "from", p).value_or(r.to - 30 * kDayMs);
  if (fine && p.empty() && r.from >= r.to)
    p.add("from", "must be before to");
  else if (fine && p.empty() && r.to - r.from > 400 * kDayMs)
    p.add("from", "the range is at most 400 days");
  return r;
}

TimeZone zone_param(const http::Request& req, TimeZones& zones, Problems& p, std::string* name) {
  if (name) *name = "UTC";
  auto asked = req.param("tz");
  if (!asked || asked->empty()) return TimeZone::utc();
  if (auto zone = zones.get(*asked)) {
    if (name) *name = *asked;
    return *zone;
  }
  p.add("tz", "unknown time zone");
  return TimeZone::utc();
}

http::Response invalid(const Problems& p) {
  return http::json(422, p.to_json());
}

json::object body_of(const http::Request& req) {
  return req.body.empty() ? json::object{} : parse_json_object(req.body);
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace sb
