// Private to sla_runner/: a ticket's events read as the SLA rules see them.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "sla/sla.h"
#include "store/store.h"

namespace sb::sla_runner {

struct TicketFactsRead {
  sla::Timeline timeline;
  sla::AutomationState automation;
  sla::TicketFacts facts;
};

// `events`: the ticket's whole log, notes included, in seq order; `done`: the
// keys of the actions taken (the reminder and follow-up flags come from them).
TicketFactsRead read_ticket(const Conversation& ticket, const std::vector<Event>& events,
                            const std::set<std::string>& done);

}  // namespace sb::sla_runner
