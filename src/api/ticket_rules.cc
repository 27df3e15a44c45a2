// The ticket API's pure rules (see ticket_rules.h).
#include "api/ticket_rules.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sb::tickets {

namespace json = boost::json;

std::optional<std::string> normalize_tag(std::string_view raw) {
  auto b = raw.find_first_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  auto e = raw.find_last_not_of(" \t");
  std::string tag(raw.substr(b, e - b + 1));
  if (tag.size() > kMaxTagChars || !is_valid_utf8(tag)) return std::nullopt;
  for (char& c : tag) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ',') return std::nullopt;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return tag;
}

std::optional<std::vector<std::string>> parse_tags(const json::value& v, const std::string& field,
                                                   Problems& p) {
  if (!v.is_array()) {
    p.add(field, "must be a list of tags");
    return std::nullopt;
  }
  if (v.as_array().size() > kMaxTags) {
    p.add(field, "at most " + std::to_string(kMaxTags) + " tags");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& t : v.as_array()) {
    auto tag = t.is_string() ? normalize_tag(t.as_string()) : std::nullopt;
    if (!tag) {
      p.add(field, "a tag is 1 to " + std::to_string(kMaxTagChars) + " characters, no commas");
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), *tag) == out.end()) out.push_back(*tag);
  }
  return out;
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int y = 0, m = 0, d = 0;
  auto num = [&](std::size_t at, std::size_t n, int& out) {
    auto r = std::from_chars(s.data() + at, s.data() + at + n, out);
    return r.ec == std::errc{} && r.ptr == s.data() + at + n;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || y < 1900 || m < 1 || m > 12 || d < 1)
    return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string check_value(const TicketFieldDef& f, const json::value& v) {
  if (f.type == "number") {
    if (v.is_int64() || v.is_uint64()) return "";
    if (v.is_double() && std::isfinite(v.as_double())) return "";
    return "must be a number";
  }
  if (!v.is_string()) return f.type == "date" ? "must be a date (YYYY-MM-DD)" : "must be text";
  std::string_view s = v.as_string();
  if (f.type == "date") return valid_date(s) ? "" : "must be a date (YYYY-MM-DD)";
  if (f.type == "select")
    return std::find(f.options.begin(), f.options.end(), s) != f.options.end()
               ? ""
               : "must be one of the field's options";
  if (s.size() > 2000) return "at most 2000 characters";
  return is_valid_utf8(s) ? "" : "must be UTF-8 text";
}

std::vector<std::string> missing_required(const std::vector<TicketFieldDef>& defs,
                                          const json::object& values) {
  std::vector<std::string> out;
  for (const auto& f : defs) {
    auto* v = values.if_contains(f.key);
    bool empty = !v || v->is_null() || (v->is_string() && v->as_string().empty());
    if (f.required && empty) out.push_back(f.key);
  }
  return out;
}

namespace {

bool valid_key(std::string_view k) {
  if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z') return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void apply_options(const json::value& v, TicketFieldDef& f, Problems& p) {
  if (!v.is_array() || v.as_array().size() > kMaxOptions) {
    p.add("options", "must be a list of at most " + std::to_string(kMaxOptions) + " options");
    return;
  }
  f.options.clear();
  for (const auto& o : v.as_array()) {
    if (!o.is_string() || o.as_string().empty() || o.as_string().size() > 80 ||
        !is_valid_utf8(o.as_string())) {
      p.add("options", "an option is 1 to 80 characters of text");
      return;
    }
    std::string s(o.as_string());
    if (std::find(f.options.begin(), f.options.end(), s) != f.options.end()) {
      p.add("options", "options must differ");
      return;
    }
    f.options.push_back(std::move(s));
  }
}

}  // namespace

void apply_definition(const json::object& body, bool create, TicketFieldDef& f, Problems& p) {
  for (const auto& [k, v] : body)
    if (k != "key" && k != "label" && k != "type" && k != "options" && k != "required" &&
        k != "position")
      p.add(std::string(k), "unknown member");
  if (auto* v = body.if_contains("key")) {
    if (!v->is_string() || !valid_key(v->as_string()))
      p.add("key", "lower-case letters, digits and _, starting with a letter, at most 40");
    else
      f.key = v->as_string();
  } else if (create) {
    p.add("key", "is required");
  }
  if (auto* v = body.if_contains("label")) {
    if (!v->is_string() || v->as_string().empty() || v->as_string().size() > 80 ||
        !is_valid_utf8(v->as_string()))
      p.add("label", "1 to 80 characters");
    else
      f.label = v->as_string();
  } else if (create) {
    p.add("label", "is required");
  }
  if (auto* v = body.if_contains("type")) {
    std::string t = v->is_string() ? std::string(v->as_string()) : "";
    if (t != "text" && t != "number" && t != "select" && t != "date")
      p.add("type", "must be text, number, select or date");
    else
      f.type = t;
  } else if (create) {
    p.add("type", "is required");
  }
  if (auto* v = body.if_contains("options")) apply_options(*v, f, p);
  if (f.type == "select" && f.options.empty()) p.add("options", "a select field needs options");
  if (f.type != "select" && !f.type.empty()) f.options.clear();
  if (auto* v = body.if_contains("required")) {
    if (!v->is_bool())
      p.add("required", "must be true or false");
    else
      f.required = v->as_bool();
  }
  if (auto* v = body.if_contains("position")) {
    if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 1000)
      p.add("position", "must be a number from 0 to 1000");
    else
      f.position = static_cast<int>(v->as_int64());
  }
}

json::object definition_json(const TicketFieldDef& f) {
  json::array options;
  for (const auto& o : f.options) options.emplace_back(o);
  return {{"id", f.id},
          {"key", f.key},
          {"label", f.label},
          {"type", f.type},
          {"options", options},
          {"required", f.required},
          {"position", f.position},
          {"created_at", f.created_at}};
}

std::string cursor(Millis updated_at, Id id) {
  return std::to_string(updated_at) + "." + std::to_string(id);
}

std::optional<std::pair<Millis, Id>> parse_cursor(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  Millis at = 0;
  Id id = 0;
  auto a = std::from_chars(s.data(), s.data() + dot, at);
  auto b = std::from_chars(s.data() + dot + 1, s.data() + s.size(), id);
  if (a.ec != std::errc{} || a.ptr != s.data() + dot || b.ec != std::errc{} ||
      b.ptr != s.data() + s.size() || at < 0 || id <= 0)
    return std::nullopt;
  return std::pair{at, id};
}

}  // namespace sb::tickets
