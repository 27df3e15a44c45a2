// Canned answers (P1), the rules without I/O: filling {{variables}} (with a
// fallback: {{contact.first_name|there}}), which variables exist, the variant to
// offer next (the least used, so answers do not all sound the same — seed 001),
// how well an answer matches what the agent typed after "/", and an inbox's
// opening hours today as a customer reads them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace sb::canned {

// The names an answer may use: contact.name, contact.first_name, contact.email,
// contact.phone, agent.name, agent.first_name, inbox.name, inbox.hours_today,
// workspace.name, conversation.id, ticket.subject, and ticket.custom.<key>.
bool known_variable(std::string_view name);

struct Placeholder {
  std::string name, fallback;
};
// The {{...}} of `text` in order; an unclosed "{{" is text.
std::vector<Placeholder> placeholders(std::string_view text);

struct Filled {
  std::string text;
  std::vector<std::string> missing;  // variables with no value and no fallback
};
// Each {{name}} becomes its value, else its fallback, else nothing (and is
// listed in `missing`, so the agent sees what to type before sending).
Filled fill(std::string_view text, const std::map<std::string, std::string>& values);

// The variant to offer: the least used; ties go to the first.
std::size_t pick_variant(const std::vector<std::int64_t>& uses);

// 0 when `query` (what follows "/", or a search) matches nothing; higher is
// better: the shortcut's start, then its letters in order, then words of the
// title and the text. Case and accents folded.
double match_score(std::string_view query, std::string_view shortcut, std::string_view title,
                   std::string_view text);

// "09:00–13:00, 14:00–18:00"; "closed today" / "open all day" in `language`
// (en, it, ru, hu, pl) on the inbox's local date at `now`.
std::string hours_today(const BusinessHours& hours, const TimeZone& tz, Millis now,
                        std::string_view language);

// ---------------------------------------------------------------- scripts (P2)
// Seed 001's situations, in the order an agent meets them.
inline constexpr std::string_view kSituations[] = {
    "greeting", "information", "wrong_company", "hold", "transfer", "saying_no", "closing"};
bool known_situation(std::string_view s);

// The situation the composer suggests a script for: a greeting until the agent
// has written; then what the draft starts to say (a hold, a transfer, a "no"),
// else a closing when the customer thanks or says goodbye, else an answer to
// their question. Words in en, it, ru, hu, pl; case and accents folded.
std::string_view suggest_situation(bool agent_has_written, std::string_view last_customer_message,
                                   std::string_view draft);

}  // namespace sb::canned
