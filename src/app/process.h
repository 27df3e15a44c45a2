// Process set-up for `serve`: limits and the user it runs as.
#pragma once

#include <string>

namespace sb {

// Raises the soft open-files limit to the hard limit (sockets are files); returns the new one.
long raise_fd_limit();

// Started as root, the server gives root up once its port is bound: the data
// directory is handed to `user` and the process switches to it for good. `user`
// "root" keeps root (containers whose root is already unprivileged). Does nothing
// when not root. Returns the user it runs as; throws if the switch fails.
std::string drop_privileges(std::string user, const std::string& data_dir);

// The account to switch to when none was named: "switchboard" if it exists, else "nobody".
std::string default_service_user();

}  // namespace sb
