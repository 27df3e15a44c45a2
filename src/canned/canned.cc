#include "canned/canned.h"

#include <algorithm>

namespace sb::canned {
namespace {

constexpr std::string_view kVariables[] = {
    "contact.name",   "contact.first_name", "contact.email",  "contact.phone",
    "agent.name",     "agent.first_name",   "inbox.name",     "inbox.hours_today",
    "workspace.name", "conversation.id",    "ticket.subject",
};

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Lower case without accents, for matching what an agent types.
std::u32string folded(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out += without_diacritics(to_lower(next_code_point(s, i)));
  return out;
}

bool is_word_char(char32_t c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

// How many of the query's words start a word of `text` (each query word once).
int words_starting(const std::u32string& text, const std::vector<std::u32string>& words) {
  int found = 0;
  for (const auto& w : words)
    for (std::size_t at = text.find(w); at != std::u32string::npos; at = text.find(w, at + 1))
      if (at == 0 || !is_word_char(text[at - 1])) {
        ++found;
        break;
      }
  return found;
}

// The letters of `query` in order within `s` (a subsequence): "rfd" in "refund".
bool in_order(const std::u32string& query, const std::u32string& s) {
  std::size_t at = 0;
  for (char32_t c : query) {
    at = s.find(c, at);
    if (at == std::u32string::npos) return false;
    ++at;
  }
  return true;
}

const char* closed_today(std::string_view language) {
  if (language == "it") return "oggi siamo chiusi";
  if (language == "ru") return "сегодня мы не работаем";
  if (language == "hu") return "ma zárva vagyunk";
  if (language == "pl") return "dziś jesteśmy nieczynni";
  return "closed today";
}

const char* open_all_day(std::string_view language) {
  if (language == "it") return "aperto tutto il giorno";
  if (language == "ru") return "круглосуточно";
  if (language == "hu") return "egész nap nyitva";
  if (language == "pl") return "czynne całą dobę";
  return "open all day";
}

}  // namespace

bool known_variable(std::string_view name) {
  if (name.starts_with("ticket.custom.") && name.size() > 14 && name.size() <= 60) return true;
  return std::find(std::begin(kVariables), std::end(kVariables), name) != std::end(kVariables);
}

std::vector<Placeholder> placeholders(std::string_view text) {
  std::vector<Placeholder> out;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    auto end = text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    auto inside = text.substr(at + 2, end - at - 2);
    auto bar = inside.find('|');
    out.push_back(
        {std::string(trim_view(inside.substr(0, bar))),
         bar == std::string_view::npos ? "" : std::string(trim_view(inside.substr(bar + 1)))});
    at = end + 2;
  }
  return out;
}

Filled fill(std::string_view text, const std::map<std::string, std::string>& values) {
  Filled f;
  std::size_t from = 0;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", from)) {
    auto end = text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    f.text += text.substr(from, at - from);
    auto p = placeholders(text.substr(at, end + 2 - at)).front();
    auto it = values.find(p.name);
    if (it != values.end() && !it->second.empty()) {
      f.text += it->second;
    } else if (!p.fallback.empty()) {
      f.text += p.fallback;
    } else if (std::find(f.missing.begin(), f.missing.end(), p.name) == f.missing.end()) {
      f.missing.push_back(p.name);
    }
    from = end + 2;
  }
  f.text += text.substr(from);
  return f;
}

std::size_t pick_variant(const std::vector<std::int64_t>& uses) {
  if (uses.empty()) return 0;
  return static_cast<std::size_t>(std::min_element(uses.begin(), uses.end()) - uses.begin());
}

double match_score(std::string_view query, std::string_view shortcut, std::string_view title,
                   std::string_view text) {
  auto q = folded(trim_view(query));
  if (q.empty()) return 1;
  auto s = folded(shortcut);
  if (s == q) return 100;
  if (s.starts_with(q))
    return 80 + 10.0 * static_cast<double>(q.size()) / static_cast<double>(s.size());
  std::vector<std::u32string> words;
  std::u32string word;
  for (char32_t c : q + U" ") {
    if (is_word_char(c)) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (words.empty()) return 0;
  double score = 0;
  if (words.size() == 1 && in_order(q, s)) score = 50;
  auto t = folded(title);
  int in_title = words_starting(t, words);
  if (in_title == static_cast<int>(words.size())) score = std::max(score, 40.0 + in_title);
  int in_text = words_starting(folded(text), words);
  if (in_title + in_text >= static_cast<int>(words.size()))
    score = std::max(score, 20.0 + in_title + 0.5 * in_text);
  return score;
}

std::string hours_today(const BusinessHours& hours, const TimeZone& tz, Millis now,
                        std::string_view language) {
  auto t = local_time(tz, now);
  for (const auto& d : hours.holidays)
    if (d == t.date) return closed_today(language);
  if (hours.weekly.empty()) return open_all_day(language);
  std::vector<OpeningSpan> today;
  for (const auto& s : hours.weekly)
    if (s.day == t.weekday) today.push_back(s);
  if (today.empty()) return closed_today(language);
  std::sort(today.begin(), today.end(),
            [](const auto& a, const auto& b) { return a.open_minute < b.open_minute; });
  std::string out;
  for (const auto& s : today) {
    if (!out.empty()) out += ", ";
    out += format_clock(s.open_minute) + "\xE2\x80\x93" + format_clock(s.close_minute);  // –
  }
  return out;
}

}  // namespace sb::canned
