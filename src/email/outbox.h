// Private to email/: a composed mail as the outbox keeps it.
#pragma once

#include "email/email.h"

namespace sb::email {

// The bytes, the envelope (from the inbox, to every To/Cc/Bcc) and the event it sends.
OutboxMail outbox_of(const mime::OutgoingMail& mail, const MailInbox& inbox,
                     std::optional<Id> event);

}  // namespace sb::email
