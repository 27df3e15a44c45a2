// A real PostgreSQL server for tests (tests/pg/pgserver.sh): the one ctest
// started for the run when SB_TEST_PG_SERVER names its JSON file, otherwise one
// this process starts on first use and stops at exit (a watchdog removes it if
// the process dies first). Each test takes a database of its own.
#pragma once

#include <memory>
#include <string>

namespace sb::pgtest {

class PgServer {
 public:
  // The server, started on first use. Throws std::runtime_error with the
  // server's log when it cannot start (say, PostgreSQL is not installed).
  static PgServer& shared();
  ~PgServer();

  // libpq's URL for a database of this server.
  std::string url(const std::string& database) const;

  // A fresh, empty database; the destructor drops it.
  class Database {
   public:
    Database(const PgServer& server, std::string name);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    const std::string& name() const { return name_; }
    std::string url() const { return server_.url(name_); }
    void forget() { name_.clear(); }  // kept: not dropped by the destructor

   private:
    const PgServer& server_;
    std::string name_;
  };
  // A copy of `template_name` (a database nobody is connected to).
  std::unique_ptr<Database> create_database(const std::string& template_name = "template0") const;

 private:
  PgServer() = default;
  std::string dir_;         // the server's directory
  std::string socket_dir_;  // where its unix socket is
  int port_ = 0;
  std::string user_;
  bool owned_ = false;  // started by this process, so stopped by it
};

}  // namespace sb::pgtest
