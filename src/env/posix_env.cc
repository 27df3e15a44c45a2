// The real world: system clock, libsodium's random bytes, POSIX files.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "env/env.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

void make_parent(const std::string& path) {
  std::error_code ec;
  auto dir = fs::path(path).parent_path();
  if (!dir.empty()) fs::create_directories(dir, ec);
}

// Writes a private temporary next to `path` (mode 0600 from the start, never
// briefly readable) and returns its name.
std::string write_private_temp(Env& env, const std::string& path, std::string_view bytes) {
  make_parent(path);
  auto tmp = path + ".tmp" + env.random_hex(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  // A command run as root must leave files the service user (who owns the
  // directory) can read.
  struct stat dir {};
  if (::geteuid() == 0 && ::stat(fs::path(path).parent_path().c_str(), &dir) == 0)
    (void)!::fchown(fd, dir.st_uid, dir.st_gid);
  bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp);
  }
  return tmp;
}

}  // namespace

Millis PosixEnv::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void PosixEnv::random_bytes(unsigned char* out, std::size_t n) {
  if (n > 0) randombytes_buf(out, n);  // its buffer is declared nonnull
}

std::optional<std::string> PosixEnv::read_file(const std::string& path) {
  std::ifstream in(locate(path), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return std::nullopt;
  return bytes.str();
}

void PosixEnv::write_file(const std::string& path, std::string_view bytes) {
  auto real = locate(path);
  auto tmp = write_private_temp(*this, real, bytes);
  if (::rename(tmp.c_str(), real.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot replace " + path);
  }
}

bool PosixEnv::create_file(const std::string& path, std::string_view bytes) {
  auto real = locate(path);
  auto tmp = write_private_temp(*this, real, bytes);
  bool won = ::link(tmp.c_str(), real.c_str()) == 0;  // atomic, and never replaces
  ::unlink(tmp.c_str());
  return won;
}

bool PosixEnv::rename_file(const std::string& from, const std::string& to) {
  auto target = locate(to);
  make_parent(target);
  return ::rename(locate(from).c_str(), target.c_str()) == 0;
}

bool PosixEnv::remove_file(const std::string& path) {
  return ::unlink(locate(path).c_str()) == 0;
}

std::int64_t PosixEnv::file_stamp(const std::string& path) {
  struct stat st {};
  if (::stat(locate(path).c_str(), &st) != 0) return 0;
  // A rename gives a new inode even within the same mtime tick.
  auto mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return mtime ^ (static_cast<std::int64_t>(st.st_ino) << 20);
}

}  // namespace sb
