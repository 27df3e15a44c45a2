#include "app/process.h"

#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

namespace sb {
namespace {

struct Account {
  uid_t uid;
  gid_t gid;
};

std::optional<Account> find_account(const std::string& name) {
  std::vector<char> buf(16384);
  passwd pw{}, *found = nullptr;
  if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return Account{pw.pw_uid, pw.pw_gid};
}

// Everything the server writes lives here; files an earlier root run created
// must become the service user's. Symlinks are not followed.
void hand_over(const std::string& dir, Account to) {
  namespace fs = std::filesystem;
  if (lchown(dir.c_str(), to.uid, to.gid) != 0)
    throw std::runtime_error("cannot hand the data directory " + dir + " to the service user");
  for (const auto& e :
       fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied))
    if (lchown(e.path().c_str(), to.uid, to.gid) != 0)
      throw std::runtime_error("cannot hand " + e.path().string() + " to the service user");
}

}  // namespace

long raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return -1;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<long>(lim.rlim_cur);
}

std::string default_service_user() {
  return find_account("switchboard") ? "switchboard" : "nobody";
}

std::string drop_privileges(std::string user, const std::string& data_dir) {
  // Password hashes, the token keys and customers' files: for the service user only.
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
  if (geteuid() != 0) {
    const passwd* me = getpwuid(geteuid());
    return me ? me->pw_name : std::to_string(geteuid());
  }
  if (user.empty()) user = default_service_user();
  if (user == "root") return user;
  auto account = find_account(user);
  if (!account) throw std::runtime_error("--user " + user + ": no such account");
  if (account->uid == 0) throw std::runtime_error("--user " + user + " is root");
  hand_over(data_dir, *account);
  // glibc applies these to every thread of the process.
  if (setgroups(0, nullptr) != 0 || setgid(account->gid) != 0 || setuid(account->uid) != 0)
    throw std::runtime_error("could not switch to user " + user);
  if (setuid(0) == 0 || geteuid() == 0) throw std::runtime_error("root could not be given up");
  return user;
}

}  // namespace sb
