// Private to sql/: a prototype of the store's hardest writes on the neutral
// layer, written once for SQLite and PostgreSQL: creating a conversation
// idempotently, appending to its event log with a gap-free seq and idempotent
// client ids, and the conditional claim routing relies on. It runs on the
// store's real SQLite schema and on the PostgreSQL schema slice below, with
// several connections (threads or processes) writing at once; it moves into
// the store when the store's PostgreSQL backend is built (docs/CLUSTER-PLAN.md).
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sql/sql.h"

namespace sb::sql::log {

// A workspace's row that does not exist, or is another workspace's.
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NewConversation {
  std::int64_t workspace_id = 0;
  std::int64_t inbox_id = 0;
  std::int64_t contact_id = 0;
  std::string visitor_id;
  std::string client_id;  // the visitor's id for this conversation: a retry finds it
  std::string kind = "chat";
};

struct NewEvent {
  std::int64_t workspace_id = 0;
  std::int64_t conversation_id = 0;
  std::string kind = "message";
  std::string author_type = "visitor";
  std::int64_t author_id = 0;
  std::string author_name;
  std::string body;
  std::string client_id;  // empty: none
};

struct Event {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::int64_t seq = 0;
  std::string kind;
  std::string author_type;
  std::int64_t author_id = 0;
  std::string body;
  std::string client_id;
  std::int64_t created_at = 0;
};

struct Appended {
  Event event;
  bool duplicate = false;  // the client id was seen: this is the event stored then
};

// The conversation columns routing decides on.
struct Routing {
  std::string status;
  std::optional<std::int64_t> assignee_id;
  std::int64_t version = 0;
  std::int64_t last_seq = 0;
};

enum class ClaimOutcome {
  kClaimed,
  kClosed,
  kAlreadyAssigned,   // to this agent
  kTakenByAnother,    // someone else holds it
  kChangedMeanwhile,  // the version (or assignee) moved since the caller read it
  kAtCapacity,        // the agent has `capacity` open conversations of this kind
};

struct Claim {
  ClaimOutcome outcome;
  std::int64_t version = 0;    // the conversation's version after the claim
  std::optional<Event> event;  // the "joined" notice, when claimed
};

// Returns the conversation's id and whether this call created it.
std::pair<std::int64_t, bool> create_conversation(Connection& c, const NewConversation& n,
                                                  std::int64_t now);

// Appends in a transaction of its own (retried when the database asks).
Appended append_event(Connection& c, const NewEvent& e, std::int64_t now);
// The same inside the caller's open write transaction.
Appended append_in(Connection& c, const NewEvent& e, std::int64_t now);

// Gives the conversation to `agent` if it is still as the caller saw it
// (`expected_assignee`, `expected_version`), open, and the agent has fewer than
// `capacity` open conversations of its kind; writes the notice event with it.
Claim claim(Connection& c, std::int64_t ws, std::int64_t conversation, std::int64_t agent,
            std::optional<std::int64_t> expected_assignee, std::int64_t expected_version,
            int capacity, std::int64_t now);

std::optional<Routing> routing_of(Connection& c, std::int64_t ws, std::int64_t conversation);
std::vector<Event> events_after(Connection& c, std::int64_t ws, std::int64_t conversation,
                                std::int64_t after_seq, int limit);

}  // namespace sb::sql::log
