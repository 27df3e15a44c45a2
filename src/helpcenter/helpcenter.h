// The public help center: server-rendered, accessible HTML pages of a
// workspace's published articles (/help/<slug>/...), its search and contact form.
#pragma once

#include "api/api.h"

namespace sb {

class Knowledge;
class Bot;

struct HelpCenterServices {
  DirectoryStore& directory;
  ConversationStore& conversations;  // tickets from the contact form
  KnowledgeStore& kb;                // votes and deflections
  Knowledge& knowledge;
  Bot& bot;  // suggestions before a ticket
  Abuse& abuse;
  const ServerConfig& config;
  Env& env;  // the clock, random bytes and files
};

// Registered by the server next to the API's routes.
void add_help_center_routes(Router& r, const HelpCenterServices& svc);

}  // namespace sb
