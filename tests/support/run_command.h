// For the tests that drive real servers through their helper scripts.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <utility>

namespace sb::test {

// Runs a shell command; its stdout, and whether it exited 0.
inline std::pair<std::string, bool> run_command(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return {"", false};
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  return {out, WIFEXITED(status) && WEXITSTATUS(status) == 0};
}

}  // namespace sb::test
