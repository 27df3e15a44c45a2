#include "app/database_file.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace sb {
namespace {

namespace fs = std::filesystem;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Db open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + path + ": " +
                             (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw std::runtime_error(std::string(sql) + ": " + message);
  }
}

// The first column of the first row, as text ("" when there is no row).
std::string scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  int rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(raw, 0);
    return text ? reinterpret_cast<const char*>(text) : "";
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  return "";
}

std::int64_t version_of(sqlite3* db) {
  return std::stoll(scalar(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration"));
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot sync " + path);
}

// Opening a WAL database may create its -wal and -shm files; made by root they
// would lock out the service user, so they go to the database file's owner.
void keep_owner(const std::string& db_path) {
  struct stat st {};
  if (::geteuid() != 0 || ::stat(db_path.c_str(), &st) != 0) return;
  for (const char* suffix : {"-wal", "-shm"}) {
    auto side = db_path + suffix;
    if (::access(side.c_str(), F_OK) == 0 && ::lchown(side.c_str(), st.st_uid, st.st_gid) != 0)
      throw std::runtime_error("cannot give " + side + " back to the database's owner");
  }
}

void copy_online(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) throw std::runtime_error(std::string("backup: ") + sqlite3_errmsg(to));
  int rc = SQLITE_OK;
  // All pages in one step: paged steps restart whenever a server commits in
  // between, and a busy server commits many times a second.
  for (int attempt = 0; attempt < 50; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string("backup: ") + sqlite3_errstr(rc));
}

}  // namespace

BackupResult backup_database(const std::string& db_path, const std::string& to) {
  auto started = std::chrono::steady_clock::now();
  if (!fs::exists(db_path)) throw std::runtime_error("no database at " + db_path);
  std::error_code ec;
  auto live = fs::weakly_canonical(db_path, ec);
  auto target = fs::weakly_canonical(to, ec);
  for (const char* suffix : {"", "-wal", "-shm"})
    if (target == fs::path(live.string() + suffix))
      throw std::runtime_error("--to must not name the live database or its WAL files");
  if (fs::is_directory(target)) throw std::runtime_error("--to names a directory: give a file");
  auto part = target.string() + ".part";
  fs::remove(part, ec);
  BackupResult r;
  r.path = target.string();
  {
    // Read-only: the live database is never written by a backup.
    Db source = open_db(db_path, SQLITE_OPEN_READONLY);
    int fd = ::open(part.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + part);
    ::close(fd);
    Db copy = open_db(part, SQLITE_OPEN_READWRITE);
    try {
      copy_online(source.get(), copy.get());
      // One self-contained file: no -wal beside it to forget when copying it away.
      exec(copy.get(), "PRAGMA journal_mode = DELETE");
      auto check = scalar(copy.get(), "PRAGMA quick_check");
      if (check != "ok") throw std::runtime_error("the copy fails its check: " + check);
      r.schema_version = version_of(copy.get());
      r.pages = std::stoll(scalar(copy.get(), "PRAGMA page_count"));
    } catch (...) {
      copy.reset();
      fs::remove(part, ec);
      throw;
    }
  }
  keep_owner(db_path);
  fsync_path(part, O_RDONLY);
  fs::rename(part, target);
  fsync_path(target.parent_path().empty() ? "." : target.parent_path().string(),
             O_RDONLY | O_DIRECTORY);
  r.bytes = static_cast<std::int64_t>(fs::file_size(target));
  r.ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started)
             .count();
  return r;
}

std::int64_t schema_version(const std::string& db_path) {
  Db db = open_db(db_path, SQLITE_OPEN_READONLY);
  return version_of(db.get());
}

ReadinessCheck schema_check(const std::string& db_path, std::int64_t expected) {
  // One connection, opened on first use (after the server gave up root) and
  // kept: the readiness thread is its only user.
  struct State {
    std::mutex mu;
    Db db;
  };
  auto state = std::make_shared<State>();
  return {"migrations", [state, db_path, expected]() -> std::optional<std::string> {
            std::lock_guard lock(state->mu);
            if (!state->db) {
              state->db = open_db(db_path, SQLITE_OPEN_READONLY);
              sqlite3_busy_timeout(state->db.get(), 1000);
            }
            auto now = version_of(state->db.get());
            if (now == expected) return std::nullopt;
            if (now > expected)
              return "the database is at schema " + std::to_string(now) + ", this binary at " +
                     std::to_string(expected) + ": a newer node migrated it; upgrade this one";
            return "the database went back to schema " + std::to_string(now) + " from " +
                   std::to_string(expected) + " (restored from an older backup?): restart";
          }};
}

ReadinessCheck postgres_schema_check(const std::string& url, std::int64_t expected) {
  return {"migrations", [url, expected]() -> std::optional<std::string> {
            std::int64_t now = 0;
            try {
              now = postgres_schema_version(url);
            } catch (const std::exception& e) {
              return std::string("PostgreSQL does not answer: ") + e.what();
            }
            if (now == expected) return std::nullopt;
            return "the database is at schema " + std::to_string(now) + ", this binary at " +
                   std::to_string(expected) + ": migrate it or upgrade this node";
          }};
}

}  // namespace sb
