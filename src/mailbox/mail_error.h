#pragma once

#include <stdexcept>
#include <string>

#include "mailbox/mailbox.h"

namespace sb::mailbox {

// A failure at a known stage; the message is safe to show (no password).
struct MailError : std::runtime_error {
  MailError(Stage s, const std::string& what) : std::runtime_error(what), stage(s) {}
  Stage stage;
};

}  // namespace sb::mailbox
