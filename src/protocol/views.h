// Part of protocol/, exported by protocol/protocol.h: the JSON shapes of docs/PROTOCOL.md.
#pragma once

#include <boost/json.hpp>

#include "store/store.h"

namespace sb::views {

boost::json::object agent(const Agent& a);
boost::json::object inbox(const Inbox& i);
boost::json::object contact(const Contact& c);
boost::json::object event(const Event& e);
boost::json::object conversation(const Conversation& c);
boost::json::object attachment(const Attachment& a);
boost::json::array conversations(const std::vector<Conversation>& list);
// A complaint with its checklist (each step's latest tick: who, when, note) and the
// whole tick history, oldest first.
boost::json::object complaint(const complaint::Complaint& c);
// Who: {id, name}, or null for nobody.
boost::json::value complaint_who(const complaint::Who& w);
// What the customer's widget sees: their conversation without the contact record
// it was filed under (which may be another person's, found by the address typed)
// and without the team's fields (the ticket's custom fields; meta stays: it is
// what they sent).
boost::json::object visitor_conversation(const Conversation& c);
boost::json::array visitor_conversations(const std::vector<Conversation>& list);

}  // namespace sb::views
