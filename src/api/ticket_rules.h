// Private to api/: the ticket API's pure rules — tags, custom field definitions
// and values, the list's paging cursor — unit-tested without a server
// (tests/unit/ticket_rules_test.cc). Problems are named by field (problems.h).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/problems.h"
#include "store/store.h"

namespace sb::tickets {

constexpr std::size_t kMaxTags = 20, kMaxTagChars = 40, kMaxFields = 50, kMaxOptions = 50;

// Trimmed and lower-cased (ASCII); nullopt when empty, too long, or with a comma
// or control character.
std::optional<std::string> normalize_tag(std::string_view raw);
// A JSON array of tags, normalized and without repeats; problems under `field`.
std::optional<std::vector<std::string>> parse_tags(const boost::json::value& v,
                                                   const std::string& field, Problems& p);

// YYYY-MM-DD, a real day.
bool valid_date(std::string_view s);
// "" when `v` (not null) is a valid value of the field, else why not.
std::string check_value(const TicketFieldDef& f, const boost::json::value& v);
// Keys of required fields without a value in `values`.
std::vector<std::string> missing_required(const std::vector<TicketFieldDef>& defs,
                                          const boost::json::object& values);
// A definition from an admin's JSON onto `f` (present members only; `create`: key,
// label and type required); problems by member name.
void apply_definition(const boost::json::object& body, bool create, TicketFieldDef& f, Problems& p);
boost::json::object definition_json(const TicketFieldDef& f);

// The list's paging cursor: "<updated_at>.<id>" of the last row.
std::string cursor(Millis updated_at, Id id);
std::optional<std::pair<Millis, Id>> parse_cursor(std::string_view s);

}  // namespace sb::tickets
