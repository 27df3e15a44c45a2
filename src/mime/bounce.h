// Delivery failures: RFC 3464 reports, and the bounces that only look like one.
#pragma once

#include <string_view>

#include "mime/mime.h"

namespace sb::mime::detail {

// The first failed recipient of a message/delivery-status body (or the first
// recipient when none says failed). Empty fields when the body has none.
Bounce read_delivery_status(std::string_view body);

// From MAILER-DAEMON or postmaster with a subject such as "Undelivered Mail".
bool looks_like_bounce(const Address& from, std::string_view subject);

// Fills what is still empty from the human-readable text of a bounce: the first
// address, the first enhanced status code (5.1.1), a Message-ID: line.
void complete_from_text(Bounce& bounce, std::string_view text, std::string_view own_address);

}  // namespace sb::mime::detail
