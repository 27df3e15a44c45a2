#include "core/core.h"

namespace sb {

std::optional<std::string> json_string(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> json_int(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
    return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) {
    double d = v->as_double();
    // Range check first: casting an out-of-range double to an integer is undefined.
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
        d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<bool> json_bool(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::string_view to_string(ConversationKind k) {
  switch (k) {
    case ConversationKind::kChat:
      return "chat";
    case ConversationKind::kCallback:
      return "callback";
    case ConversationKind::kOffline:
      return "offline";
    case ConversationKind::kEmail:
      return "email";
  }
  return "chat";
}

std::string_view to_string(ConversationStatus s) {
  return s == ConversationStatus::kOpen ? "open" : "closed";
}

std::string_view to_string(AuthorType a) {
  switch (a) {
    case AuthorType::kVisitor:
      return "visitor";
    case AuthorType::kAgent:
      return "agent";
    case AuthorType::kSystem:
      return "system";
    case AuthorType::kBot:
      return "bot";
  }
  return "system";
}

std::string_view to_string(AgentStatus s) {
  switch (s) {
    case AgentStatus::kOnline:
      return "online";
    case AgentStatus::kBusy:
      return "busy";
    case AgentStatus::kAway:
      return "away";
    case AgentStatus::kOffline:
      return "offline";
  }
  return "offline";
}

std::optional<ConversationKind> parse_conversation_kind(std::string_view s) {
  if (s == "chat") return ConversationKind::kChat;
  if (s == "callback") return ConversationKind::kCallback;
  if (s == "offline") return ConversationKind::kOffline;
  if (s == "email") return ConversationKind::kEmail;
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 6> kTicketStatusNames = {
    "new", "open", "pending_customer", "on_hold", "solved", "closed"};
constexpr std::array<std::string_view, 4> kTicketPriorityNames = {"low", "normal", "high",
                                                                  "urgent"};
}  // namespace

std::string_view to_string(TicketStatus s) {
  return kTicketStatusNames.at(static_cast<std::size_t>(s));
}

std::string_view to_string(TicketPriority p) {
  return kTicketPriorityNames.at(static_cast<std::size_t>(p));
}

std::optional<TicketStatus> parse_ticket_status(std::string_view s) {
  for (std::size_t i = 0; i < kTicketStatusNames.size(); ++i)
    if (kTicketStatusNames[i] == s) return static_cast<TicketStatus>(i);
  return std::nullopt;
}

std::optional<TicketPriority> parse_ticket_priority(std::string_view s) {
  for (std::size_t i = 0; i < kTicketPriorityNames.size(); ++i)
    if (kTicketPriorityNames[i] == s) return static_cast<TicketPriority>(i);
  return std::nullopt;
}

std::optional<AgentStatus> parse_agent_status(std::string_view s) {
  if (s == "online") return AgentStatus::kOnline;
  if (s == "away") return AgentStatus::kAway;
  if (s == "busy") return AgentStatus::kBusy;
  if (s == "offline") return AgentStatus::kOffline;
  return std::nullopt;
}

std::optional<AuthorType> parse_author_type(std::string_view s) {
  if (s == "visitor") return AuthorType::kVisitor;
  if (s == "agent") return AuthorType::kAgent;
  if (s == "system") return AuthorType::kSystem;
  if (s == "bot") return AuthorType::kBot;
  return std::nullopt;
}

}  // namespace sb
