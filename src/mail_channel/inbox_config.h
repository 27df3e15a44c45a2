// Private to mail_channel/: an inbox's e-mail settings in their three shapes —
// in memory (passwords and the ticket-address key in clear), in the API (no
// secrets), and stored (secrets sealed).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "email/email.h"
#include "mailbox/mailbox.h"

namespace sb::mail_channel {

struct InboxConfig {
  bool enabled = false;
  mailbox::MailboxSettings mailbox;
  email::MailInbox identity;  // address and display name mirror the mailbox's from
};

// Throws std::invalid_argument when the stored text cannot be read or unsealed.
InboxConfig read_stored(const InboxMail& row, const mailbox::PasswordBox& box);
std::string to_stored(const InboxConfig& c, const mailbox::PasswordBox& box);

// Throws std::invalid_argument naming every problem ("a; b; c") when there are any.
void refuse_if_any(const std::vector<std::string>& problems);

boost::json::object to_api(const InboxConfig& c);
// The API's body over `previous` (a password left out keeps the old one). Throws
// std::invalid_argument listing every problem.
InboxConfig from_api(const boost::json::value& body, const InboxConfig& previous);

}  // namespace sb::mail_channel
