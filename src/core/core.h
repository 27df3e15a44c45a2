// Switchboard core: domain values and pure rules. No I/O, no clocks, no threads:
// everything here is deterministic over its arguments, so it is unit-testable in
// microseconds and reusable by the server, the store and (later) the simulator.
#pragma once

#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

using Millis = std::int64_t;  // milliseconds since the Unix epoch, UTC
using Id = std::int64_t;

// ---------------------------------------------------------------- time zones
// A time zone read from a compiled TZif file (RFC 8536), version 2+ data.
// Past the last transition the last offset holds (Debian ships "fat" files with
// transitions up to 2037).
class TimeZone {
 public:
  static TimeZone utc() { return TimeZone{}; }
  static std::optional<TimeZone> from_tzif(std::string_view bytes);
  int offset_seconds_at(Millis utc) const;
  // The first instant after `utc` at which the offset changes; nullopt past the last one.
  // Lets business-time arithmetic walk whole stretches of one offset.
  std::optional<Millis> next_transition_after(Millis utc) const;

 private:
  std::vector<std::int64_t> transitions_;  // seconds since epoch, ascending
  std::vector<int> offsets_;               // offset in force from transitions_[i]
  int initial_offset_ = 0;
};

// ---------------------------------------------------------------- business hours
struct OpeningSpan {
  int day = 0;           // 0 = Sunday ... 6 = Saturday
  int open_minute = 0;   // minutes after local midnight
  int close_minute = 0;  // exclusive; > open_minute
};

struct BusinessHours {
  std::vector<OpeningSpan> weekly;    // empty = always open
  std::vector<std::string> holidays;  // local dates "YYYY-MM-DD", closed all day

  static std::optional<BusinessHours> from_json(const boost::json::value& v, std::string* error);
  boost::json::value to_json() const;
};

enum class ClosedReason { kNone, kClosed, kHoliday };

struct Availability {
  bool open = true;
  ClosedReason reason = ClosedReason::kNone;
  std::optional<Millis> next_open_at;  // only when closed; searched up to 14 days ahead
};

Availability availability_at(const BusinessHours& hours, const TimeZone& tz, Millis now);

// The local date, weekday and minute of an instant.
struct LocalTime {
  std::string date;  // YYYY-MM-DD
  int weekday = 0;   // 0 = Sunday
  int minute = 0;    // minutes after midnight
};
LocalTime local_time(const TimeZone& tz, Millis utc);

// ---------------------------------------------------------------- call-back windows
// When the widget offers call-backs: one-hour windows inside the opening hours in
// the inbox's zone (a shorter last window when a span ends off the hour), for the
// local day of `now` and the next 6, ending at least 30 minutes after `now`, at
// most 60. No weekly hours (always open) offers 08:00-20:00; holidays offer none.
struct TimeWindow {
  Millis from = 0, to = 0;  // [from, to)
};
std::vector<TimeWindow> callback_slots(const BusinessHours& hours, const TimeZone& tz, Millis now);
// Whether a call-back may be asked for in [from, to): open at every minute of it
// (always-open hours take any window but on holidays). Windows over 14 days are not.
bool within_hours(const BusinessHours& hours, const TimeZone& tz, Millis from, Millis to);

// "HH:MM" <-> minutes after midnight; "24:00" is allowed as a closing time.
std::optional<int> parse_clock(std::string_view hhmm);
std::string format_clock(int minute);

// ---------------------------------------------------------------- validation
bool is_valid_email(std::string_view s);
// Digits, spaces, dashes, parentheses and one leading '+'; 6-20 digits.
bool is_valid_phone(std::string_view s);
// Upload allow-list: images, pdf, text, csv, zip, office documents.
bool is_allowed_upload_type(std::string_view content_type);
bool is_inline_image_type(std::string_view content_type);
constexpr std::size_t kMaxUploadBytes = 10 * 1024 * 1024;
constexpr std::size_t kMaxMessageChars = 10'000;
// Trims and collapses nothing else; rejects invalid UTF-8.
bool is_valid_utf8(std::string_view s);
std::string trim(std::string_view s);
// A-Z to a-z; other bytes (UTF-8 included) unchanged.
std::string lower_ascii(std::string_view s);

// ---------------------------------------------------------------- letters
// UTF-8 and letters of the five product languages' scripts (Latin with
// Latin-1 and Latin Extended-A, Cyrillic).
// Decodes the code point at s[i] and advances; an invalid byte gives U+FFFD
// and is skipped alone.
char32_t next_code_point(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t c);
bool is_letter(char32_t c);                   // Latin up to U+024F (not × ÷), Cyrillic
char32_t to_lower(char32_t c);                // ASCII, Latin-1, Latin Extended-A, Cyrillic
char32_t without_diacritics(char32_t lower);  // à→a, ł→l, ő→o, ё→е; others unchanged

// ---------------------------------------------------------------- json helpers
// Typed field access that never throws: missing or mistyped fields give nullopt.
std::optional<std::string> json_string(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> json_int(const boost::json::object& o, std::string_view key);
std::optional<bool> json_bool(const boost::json::object& o, std::string_view key);

// ---------------------------------------------------------------- domain values
// The channel a conversation came in on. e-mail threads are always tickets;
// an offline-form message is a ticket from the widget.
enum class ConversationKind { kChat, kCallback, kOffline, kEmail };
enum class ConversationStatus { kOpen, kClosed };
enum class AuthorType { kVisitor, kAgent, kSystem, kBot };
enum class AgentStatus { kOnline, kAway, kBusy, kOffline };

std::string_view to_string(ConversationKind k);
std::string_view to_string(ConversationStatus s);
std::string_view to_string(AuthorType a);
std::string_view to_string(AgentStatus s);
std::optional<ConversationKind> parse_conversation_kind(std::string_view s);
std::optional<AgentStatus> parse_agent_status(std::string_view s);
std::optional<AuthorType> parse_author_type(std::string_view s);

// The help-desk workflow of a ticket (any conversation that needs an answer later
// rather than now: e-mail, offline form, help-center form, a chat turned ticket).
// new: nobody has answered yet; pending_customer: we wait for the customer (the
// SLA clock stops); on_hold: we wait for a third party; solved: answered, reopens on
// a customer reply; closed: final, a reply opens a new ticket.
enum class TicketStatus { kNew, kOpen, kPendingCustomer, kOnHold, kSolved, kClosed };
enum class TicketPriority { kLow, kNormal, kHigh, kUrgent };
std::string_view to_string(
    TicketStatus s);  // new | open | pending_customer | on_hold | solved | closed
std::string_view to_string(TicketPriority p);  // low | normal | high | urgent
std::optional<TicketStatus> parse_ticket_status(std::string_view s);
std::optional<TicketPriority> parse_ticket_priority(std::string_view s);

// The languages the product speaks — console, widget, help center, bot,
// language detection, emotion lexicons — in this order (detection indexes it).
// The one list: everything else asks here. (web/shared/languages.ts is its twin
// for the browser code.)
inline constexpr std::array<std::string_view, 5> kLanguages = {"en", "it", "ru", "hu", "pl"};
bool is_supported_language(std::string_view lang);

// ---------------------------------------------------------------- routing settings
// Channels a task can arrive on, in the routing core's order; capacity is per channel.
constexpr std::array<std::string_view, 5> kChannelNames = {"chat", "callback", "ticket", "email",
                                                           "sms"};
using Capacity = std::array<int, 5>;
std::size_t channel_index(ConversationKind k);  // chat, callback, offline -> ticket, email

// An agent's routing profile: skills with levels 1-5, capacity per channel, teams.
struct AgentRouting {
  std::map<std::string, int> skills;
  Capacity capacity = {3, 1, 10, 10, 5};
  std::vector<Id> teams;
  boost::json::object to_json() const;
  static std::optional<AgentRouting> from_json(const boost::json::value& v, std::string* error);
};

// ---------------------------------------------------------------- roles and scopes
// Agents answer; supervisors (team leads) also watch live, reassign and read their
// teams' reports; admins configure the workspace. Each role includes the ones before.
enum class Role { kAgent, kSupervisor, kAdmin };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

// The inboxes and teams one person may see and act on; empty: all of them. Admins
// are never scoped. A conversation is in scope when its inbox is, and its team is
// (or it has none yet), or it is assigned to the person.
struct AgentScope {
  std::vector<Id> inboxes, teams;
  bool unrestricted() const { return inboxes.empty() && teams.empty(); }
  bool covers(Id inbox, std::optional<Id> team, std::optional<Id> assignee, Id self) const;
  boost::json::object to_json() const;
  static std::optional<AgentScope> from_json(const boost::json::value& v, std::string* error);
};

// The workspace's catalogue: skills, teams and the admin's custom statuses.
struct WorkspaceRouting {
  struct Skill {
    std::string name, label;  // name: lower-case "lang:it", "billing"
  };
  struct Team {
    Id id = 0;
    std::string name;
  };
  struct Status {
    Id id = 0;
    std::string name;
    bool routable = false;  // may routing assign work to an agent in this status?
  };
  std::vector<Skill> skills;
  std::vector<Team> teams;
  std::vector<Status> statuses;
  boost::json::object to_json() const;
  // Missing ids are numbered after the largest one given.
  static std::optional<WorkspaceRouting> from_json(const boost::json::value& v, std::string* error);
  const Status* status(Id id) const;
  bool has_team(Id id) const;
};

// Per inbox: how its conversations are routed.
struct InboxRouting {
  enum class Mode { kAuto, kOffer } mode = Mode::kAuto;
  int offer_timeout_s = 30;
  int priority = 0;
  std::optional<Id> team;
  // A conversation requires `skill` at `min_level` when its pre-chat topic,
  // detected language or page URL matches.
  struct Rule {
    std::string when;  // topic | language | url_contains
    std::string value, skill;
    int min_level = 1;
  };
  std::vector<Rule> rules;
  // Seconds after arrival; nullopt: never.
  std::optional<int> widen_skills_after_s = 60, widen_team_after_s = 120, overflow_after_s;
  boost::json::object to_json() const;
  static std::optional<InboxRouting> from_json(const boost::json::value& v, std::string* error);
};

}  // namespace sb
