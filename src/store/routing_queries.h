// Private to store/: the SQL behind routing — the catalogue document, load
// counts, and the checks of the conditional assignment. Called inside the
// store's read or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::routing_queries {

WorkspaceRouting workspace_routing(sql::Connection& db, Id ws);
void set_workspace_routing(sql::Connection& db, Id ws, const WorkspaceRouting& settings);
std::vector<std::pair<Id, Capacity>> agent_loads(sql::Connection& db, Id ws);
std::vector<Conversation> open_for_routing(sql::Connection& db, Id ws);  // see Store
// Open conversations of the agent on the channel of `kind`.
int load_on(sql::Connection& db, Id ws, Id agent, ConversationKind kind);
// Why `agent` may not take `conv` now, if it may not (see Store::claim).
std::optional<Refused> check_claim(sql::Connection& db, const Conversation& conv,
                                   const Agent& agent, std::optional<Id> expected_assignee);

}  // namespace sb::sqlite::routing_queries
