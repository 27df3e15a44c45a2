// Private to sla_runner/: the words the SLA timer writes on tickets, in the five
// product languages. Notes for agents are in the inbox's language (the widget
// language it names; there is no workspace language), else English; what the
// customer reads (the reminder, an automatic close) in the customer's language
// first. The notice codes stay, so a console may still say them in its reader's.
#pragma once

#include <string>
#include <string_view>

#include "sla/sla.h"
#include "store/store.h"

namespace sb::sla_runner {

// en | it | ru | hu | pl. `inbox` may be null (deleted).
std::string agents_language(const Inbox* inbox);
std::string customer_language(const Conversation& ticket, const Inbox* inbox);

// "SLA Standard: first response at risk: the assignee was notified"
std::string escalation_text(std::string_view lang, const std::string& policy,
                            const sla::Escalation& e, sla::Badge state);
std::string reminder_text(std::string_view lang);
// "Ticket solved automatically after 7 days"
std::string auto_close_text(std::string_view lang, TicketStatus to, Millis days);
std::string follow_up_text(std::string_view lang, int hours);

}  // namespace sb::sla_runner
