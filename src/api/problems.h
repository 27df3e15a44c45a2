// Private to api/: what is wrong with a request, by field ("status",
// "custom_fields.size", "note"), all of it at once. Every handler that checks a
// body or query field by field answers the same 422:
//   {"error": {"code": "invalid", "message": "status: ...; note: ...",
//              "fields": {"status": "...", "note": "..."}}}
// (unit-tested with the ticket rules, tests/unit/ticket_rules_test.cc).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/core.h"

namespace sb {

class Problems {
 public:
  void add(std::string field, std::string message);
  bool empty() const { return list_.empty(); }
  // The error body; a field named twice keeps its first reason in `fields`.
  boost::json::object to_json() const;

 private:
  std::vector<std::pair<std::string, std::string>> list_;
};

namespace http {
struct Request;
struct Response;
}  // namespace http
// The 422 every validating handler answers with `p`.
http::Response invalid(const Problems& p);
// The request's JSON object body; {} when empty, HttpError 400 when malformed.
boost::json::object body_of(const http::Request& req);
// Characters (code points) of valid UTF-8.
std::size_t utf8_chars(std::string_view s);
// ?name=N as a non-negative integer; nullopt when absent, or (with a problem
// added) when not a number.
std::optional<std::int64_t> int_param(const http::Request& req, const std::string& name,
                                      Problems& p);

// A report's ?from=&to= (ms): to defaults to now, from to 30 days before to;
// from must be before to, and the range at most 400 days (a problem added).
struct ReportRange {
  std::int64_t from = 0, to = 0;
};
ReportRange report_range(const http::Request& req, std::int64_t now, Problems& p);

// A report's ?tz= (an IANA name): the reader's days and hours. UTC when absent;
// a problem added when unknown. `name` gets what was asked for ("UTC" if nothing).
class TimeZones;
TimeZone zone_param(const http::Request& req, TimeZones& zones, Problems& p, std::string* name);

}  // namespace sb
