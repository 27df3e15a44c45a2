#include "pg_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sql/sql.h"
#include "support/run_command.h"

namespace sb::pgtest {
namespace {

namespace json = boost::json;

using test::run_command;

std::string script() {
  return SB_PGSERVER_SCRIPT;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string field(const json::object& o, const char* key) {
  return json::value_to<std::string>(o.at(key));
}

// Percent-encodes a URL query value (the socket directory is a path).
std::string encoded(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::unique_ptr<PgServer> g_server;
std::once_flag g_once;

}  // namespace

PgServer& PgServer::shared() {
  std::call_once(g_once, [] {
    std::unique_ptr<PgServer> s(new PgServer());
    std::string text;
    if (const char* info = std::getenv("SB_TEST_PG_SERVER"); info && *info) {
      text = read_file(info);
      if (text.empty())
        throw std::runtime_error(std::string("SB_TEST_PG_SERVER names ") + info +
                                 ", which is missing or empty: did the pg_server_start test run?");
    } else {
      auto log = "/tmp/sb-pg-start-" + std::to_string(::getpid()) + ".log";
      auto [out, ok] = run_command(script() + " start --owner " + std::to_string(::getpid()) +
                                   " 2>'" + log + "'");
      auto why = read_file(log);
      std::remove(log.c_str());
      if (!ok) throw std::runtime_error("the PostgreSQL test server did not start:\n" + why);
      text = out;
      s->owned_ = true;
    }
    auto o = json::parse(text).as_object();
    s->dir_ = field(o, "dir");
    s->socket_dir_ = field(o, "socket_dir");
    s->port_ = static_cast<int>(o.at("port").as_int64());
    s->user_ = field(o, "user");
    g_server = std::move(s);
    // Static destructors run at a normal exit: the server goes with the process.
  });
  if (!g_server) throw std::runtime_error("the PostgreSQL test server failed to start earlier");
  return *g_server;
}

PgServer::~PgServer() {
  if (owned_) run_command(script() + " stop '" + dir_ + "' >/dev/null 2>&1");
}

std::string PgServer::url(const std::string& database) const {
  return "postgresql://" + user_ + "@/" + database + "?host=" + encoded(socket_dir_) +
         "&port=" + std::to_string(port_);
}

std::unique_ptr<PgServer::Database> PgServer::create_database(
    const std::string& template_name) const {
  static std::atomic<int> counter{0};
  auto name = "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  auto admin = sql::connect(url("postgres"));
  // Two copies of one template at once can be refused ("being accessed by
  // other users") while the other copy runs: wait and try again.
  for (int attempt = 1;; ++attempt) {
    try {
      admin->exec("CREATE DATABASE " + name + " TEMPLATE " + template_name);
      break;
    } catch (const sql::Error& e) {
      if (attempt >= 50 || std::string(e.what()).find("being accessed") == std::string::npos) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
  }
  return std::make_unique<Database>(*this, name);
}

PgServer::Database::Database(const PgServer& server, std::string name)
    : server_(server), name_(std::move(name)) {}

PgServer::Database::~Database() {
  if (name_.empty()) return;
  try {
    auto admin = sql::connect(server_.url("postgres"));
    // Connections a failed test left open must not keep the database alive.
    admin->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const sql::Error&) {
    // The server is gone already; its directory goes with it.
  }
}

}  // namespace sb::pgtest
