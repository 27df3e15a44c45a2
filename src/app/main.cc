// switchboard: the one binary. Subcommands: serve, migrate, init, backup, rotate-keys, simulate,
// evals.
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "app/bot_eval.h"
#include "app/database_file.h"
#include "app/demo.h"
#include "app/email_parse.h"
#include "app/lang_eval.h"
#include "app/process.h"
#include "env/env.h"
#include "server/server.h"
#include "sim/sim.h"
#include "store/store.h"

namespace {

constexpr const char* kUsage = R"(switchboard — self-hosted omnichannel customer service

usage:
  switchboard serve [options]     run the server
  switchboard migrate [options]   create or upgrade the database, then exit
  switchboard migrate --database postgresql://USER@HOST/DB
                                  the same for a PostgreSQL database (cluster mode)
  switchboard init --workspace NAME --admin-email EMAIL --admin-password PW [--admin-name NAME]
                                  create a workspace with its first admin and inbox
  switchboard backup --to FILE   copy the database into FILE while servers keep running
                                  (SQLite online backup; checked, then renamed into place)
  switchboard rotate-keys [--grace-hours N]
                                  new signing key for visitor tokens; tokens signed by the
                                  old one stay valid N hours (default 168; 0 after a leak)
  switchboard lang-eval DIR       language identification on DIR/{en,it,ru,hu,pl}.txt
                                  (one item per line); prints a JSON line last
  switchboard bot-eval --train FILE --test FILE
                                  train the FAQ bot's intent model on JSON lines
                                  {"text","intent"} and classify the test lines; "oos"
                                  means out of scope; prints a JSON line last
  switchboard email-parse FILE|-  read one mail (FILE, or - for stdin) as the e-mail channel
                                  does and print it as JSON; exit 2 if it is not a mail
  switchboard simulate --scenario FILE [--json] [--find-agents] [--seed N]
                                  run the routing engine on a synthetic day and compare
                                  with Erlang C (docs/SIMULATOR.md); exit 2 on a bad file

options:
  --address ADDR     listen address (default 127.0.0.1)
  --port N           listen port (default 8080; 0 picks a free one)
  --data-dir DIR     database, uploads and secrets (default ./data)
  --database URL     serve, init, migrate: a PostgreSQL database (libpq's postgresql://…
                     syntax) instead of the SQLite file in --data-dir (uploads and secrets
                     stay in --data-dir: give a cluster's nodes a shared one)
  --db-connections N PostgreSQL: the most connections this process opens (16)
  --web-root DIR     built web assets (default web/dist)
  --threads N        I/O threads (default: number of cores)
  --triage-threads N threads for language, emotion and bot work (default 2)
  --limits FILE      abuse limits as JSON (login back-off, rate limits; docs/SECURITY.md)
  --public-url URL   how people reach this server (https://… makes cookies Secure; used in
                     the embed snippet; default http://ADDRESS:PORT)
  --metrics-token T  /metrics wants "Authorization: Bearer T" (default: loopback only)
  --trusted-proxy IP a reverse proxy whose X-Forwarded-For names the client (repeatable;
                     exact addresses: requests from anyone else have the header ignored)
  --drain-timeout-ms N  on SIGTERM, time to finish requests and close WebSockets (20000)
  --drain-delay-ms N on SIGTERM, keep accepting this long while /readyz says 503 (0)
  --node-id NAME     names this process in /metrics and /readyz (a cluster's nodes)
  --bus URL          join a cluster: nats://host:port of the NATS server the nodes sharing
                     this database talk through (default: none, one node alone)
  --lease-ms N       cluster: the routing lease lapses N ms after its holder's last renewal,
                     and another node takes over routing (3000)
  --user NAME        started as root: run as NAME once the port is bound, owning the
                     data directory (default: switchboard if it exists, else nobody)
  --demo             create the demo workspace if missing and print its logins
  --grace-ms N       routing: an agent with no open socket this long is set away (60000)
  --routing-tick-ms N  routing: how often offers, grace periods and fallbacks are checked (500)
  --reconcile-ms N   routing: full resync with the database (5000; another process may share it)
  --scenario FILE    simulate: the scenario (JSON)
  --json             simulate: print the result as JSON instead of the text report
  --find-agents      simulate: add Erlang C's minimum agents per hour and channel
  --seed N           simulate: override the scenario's seed
  --visitor-token-days N  visitor tokens expire after N days unless renewed (30)
)";

struct Args {
  std::string command;
  sb::ServerOptions server;
  bool demo = false;
  std::string workspace, admin_email, admin_password, admin_name = "Admin";
  std::string scenario, eval_dir, train_file, test_file, mail_file, backup_to;
  std::optional<std::string> database;  // a postgresql:// URL; none: SQLite in the data directory
  int db_connections = 16;
  std::int64_t grace_hours = 168;
  std::string user;  // serve as root: switch to this account after binding
  bool json = false, find_agents = false;
  std::optional<std::uint64_t> seed;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool parse(int argc, char** argv, Args& a) {
  if (argc < 2) return false;
  a.command = argv[1];
  a.server.io_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 2; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--address")
      a.server.address = value();
    else if (flag == "--port")
      a.server.port = static_cast<unsigned short>(std::stoi(value()));
    else if (flag == "--data-dir")
      a.server.data_dir = value();
    else if (flag == "--database")
      a.database = value();
    else if (flag == "--db-connections")
      a.db_connections = std::stoi(value());
    else if (flag == "--web-root")
      a.server.web_root = value();
    else if (flag == "--threads")
      a.server.io_threads = std::stoi(value());
    else if (flag == "--triage-threads")
      a.server.triage_threads = std::stoi(value());
    else if (flag == "--demo")
      a.demo = true;
    else if (flag == "--grace-ms")
      a.server.routing.grace_ms = std::stoll(value());
    else if (flag == "--routing-tick-ms")
      a.server.routing.tick_ms = std::stoll(value());
    else if (flag == "--reconcile-ms")
      a.server.routing.reconcile_ms = std::stoll(value());
    else if (flag == "--workspace")
      a.workspace = value();
    else if (flag == "--admin-email")
      a.admin_email = value();
    else if (flag == "--admin-password")
      a.admin_password = value();
    else if (flag == "--admin-name")
      a.admin_name = value();
    else if (flag == "--scenario")
      a.scenario = value();
    else if (flag == "--json")
      a.json = true;
    else if (flag == "--find-agents")
      a.find_agents = true;
    else if (flag == "--train")
      a.train_file = value();
    else if (flag == "--test")
      a.test_file = value();
    else if (flag == "--limits")
      a.server.limits = sb::parse_abuse_limits(read_file(value()));
    else if (flag == "--public-url")
      a.server.public_url = value();
    else if (flag == "--metrics-token")
      a.server.metrics_token = value();
    else if (flag == "--trusted-proxy")
      a.server.trusted_proxies.push_back(value());
    else if (flag == "--drain-timeout-ms")
      a.server.drain_timeout_ms = std::stoll(value());
    else if (flag == "--drain-delay-ms")
      a.server.drain_delay_ms = std::stoll(value());
    else if (flag == "--node-id")
      a.server.node_id = value();
    else if (flag == "--bus")
      a.server.bus_url = value();
    else if (flag == "--lease-ms")
      a.server.lease_ms = std::stoll(value());
    else if (flag == "--to")
      a.backup_to = value();
    else if (flag == "--user")
      a.user = value();
    else if (flag == "--grace-hours")
      a.grace_hours = std::stoll(value());
    else if (flag == "--visitor-token-days")
      a.server.visitor_token_lifetime_ms = std::stoll(value()) * 24 * 3600 * 1000;
    else if (flag == "--seed")
      a.seed = std::stoull(value());
    else if (a.command == "lang-eval" && a.eval_dir.empty() && flag[0] != '-')
      a.eval_dir = flag;
    else if (a.command == "email-parse" && a.mail_file.empty() && (flag == "-" || flag[0] != '-'))
      a.mail_file = flag;
    else
      throw std::invalid_argument("unknown option " + flag);
  }
  if (a.grace_hours < 0 || a.server.visitor_token_lifetime_ms <= 0)
    throw std::invalid_argument("--grace-hours and --visitor-token-days must be positive");
  if (a.server.lease_ms < 300) throw std::invalid_argument("--lease-ms must be at least 300");
  if (!a.server.bus_url.empty() && !a.server.bus_url.starts_with("nats://"))
    throw std::invalid_argument("--bus must be a nats:// URL");
  if (a.server.drain_timeout_ms <= 0 || a.server.drain_delay_ms < 0)
    throw std::invalid_argument(
        "--drain-timeout-ms must be positive, --drain-delay-ms not negative");
  if (a.command == "backup" && a.backup_to.empty())
    throw std::invalid_argument("backup needs --to FILE");
  if (a.database && a.database->empty())
    throw std::invalid_argument("--database needs a postgresql:// URL");
  // Anything else would quietly use SQLite.
  if (a.database && a.command != "migrate" && a.command != "serve" && a.command != "init")
    throw std::invalid_argument("--database works with serve, init and migrate; " + a.command +
                                " reads the SQLite database in --data-dir");
  if (a.database && !a.database->starts_with("postgresql://") &&
      !a.database->starts_with("postgres://"))
    throw std::invalid_argument("--database needs a postgresql:// URL");
  if (a.db_connections < 2 || a.db_connections > 1000)
    throw std::invalid_argument("--db-connections must be between 2 and 1000");
  return a.command == "serve" || a.command == "migrate" || a.command == "init" ||
         a.command == "backup" || a.command == "rotate-keys" || a.command == "simulate" ||
         (a.command == "lang-eval" && !a.eval_dir.empty()) ||
         (a.command == "email-parse" && !a.mail_file.empty()) ||
         (a.command == "bot-eval" && !a.train_file.empty() && !a.test_file.empty());
}

std::string database_path(const Args& a) {
  return (std::filesystem::path(a.server.data_dir) / "switchboard.db").string();
}

std::unique_ptr<sb::Store> open_store(const Args& a) {
  std::filesystem::create_directories(a.server.data_dir);  // uploads and secrets, on both
  auto now = [] { return sb::real_env().now_ms(); };
  // Half the connections take messages sent over WebSockets (append_event_async):
  // each is a few round trips, so writers in parallel keep them moving.
  if (a.database)
    return sb::open_postgres_store(
        {*a.database, now, a.db_connections, std::max(2, a.db_connections / 2)});
  return sb::open_sqlite_store({database_path(a), now});
}

int backup(const Args& a) {
  auto r = sb::backup_database(database_path(a), a.backup_to);
  boost::json::object out{
      {"backup", r.path},
      {"bytes", r.bytes},
      {"pages", r.pages},
      {"schema_version", r.schema_version},
      {"ms", r.ms},
      {"not_included", boost::json::array{"files/", "visitor-keys.json", "mailbox-secret.key"}}};
  std::cout << boost::json::serialize(out) << std::endl;
  return 0;
}

int init(const Args& a) {
  if (a.workspace.empty() || !sb::is_valid_email(a.admin_email) || a.admin_password.size() < 8)
    throw std::invalid_argument(
        "init needs --workspace, a valid --admin-email and an --admin-password of 8+ characters");
  auto store = open_store(a);
  sb::Agent admin;
  admin.name = a.admin_name;
  admin.email = a.admin_email;
  admin.role = "admin";
  admin.password_hash = sb::hash_agent_password(a.admin_password);
  sb::Inbox inbox;
  inbox.name = a.workspace;
  inbox.public_key = sb::random_inbox_key();  // unguessable: it names the inbox to the world
  // One transaction: a failure half-way leaves no workspace without an admin or inbox.
  auto made = store->create_workspace(a.workspace, admin, inbox);
  std::cout << "{\"workspace_id\":" << made.workspace_id << ",\"inbox_key\":\""
            << made.inbox.public_key << "\"}" << std::endl;
  return 0;
}

int migrate(const Args& a) {
  if (!a.database) {
    open_store(a);
    std::cout << "database is up to date\n";
    return 0;
  }
  sb::SchemaVersions v;
  try {
    v = sb::migrate_postgres(*a.database);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--database: ") + e.what());
  }
  if (v.database > v.binary)
    throw std::runtime_error("the database is at schema " + std::to_string(v.database) +
                             ", newer than this binary's " + std::to_string(v.binary) +
                             ": a newer switchboard migrated it; upgrade this one");
  std::cout << "database is up to date (PostgreSQL, schema " << v.database << ")\n";
  return 0;
}

// Exit 2 for a missing or bad scenario, like a usage error: the file is input.
int simulate(const Args& a) {
  if (a.scenario.empty()) throw sb::sim::ScenarioError("simulate needs --scenario FILE");
  std::ifstream in(a.scenario, std::ios::binary);
  if (!in) throw sb::sim::ScenarioError("cannot read scenario file " + a.scenario);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  sb::sim::Scenario s = sb::sim::parse_scenario(text);
  if (a.seed) s.seed = *a.seed;
  if (a.find_agents) s.find_agents = true;
  sb::sim::Result r = sb::sim::simulate(s);
  if (a.json)
    std::cout << boost::json::serialize(r.to_json()) << "\n";
  else
    std::cout << r.to_text();
  return 0;
}

// Ends the process if a stop takes far longer than the drain allows (a writer
// that never finishes): better a crash the WAL recovers from than a hang.
class StopWatchdog {
 public:
  ~StopWatchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void arm(std::chrono::milliseconds limit) {
    std::lock_guard lock(mu_);
    if (thread_.joinable() || done_) return;
    thread_ = std::thread([this, limit] {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, limit, [&] { return done_; })) return;
      std::cerr << "{\"level\":\"error\",\"msg\":\"stop took too long: exiting\"}" << std::endl;
      std::_Exit(1);
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

int serve(const Args& a) {
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  long fds = sb::raise_fd_limit();
  StopWatchdog watchdog;  // outlives the server and the store: their teardown is watched too
  {
    auto store = open_store(a);
    auto options = a.server;
    options.readiness_checks.push_back(
        a.database
            ? sb::postgres_schema_check(*a.database, sb::postgres_schema_version(*a.database))
            : sb::schema_check(database_path(a), sb::schema_version(database_path(a))));
    sb::Server server(*store, sb::real_env(), options);
    std::string base = "http://" + a.server.address + ":" + std::to_string(server.port());
    auto user = sb::drop_privileges(a.user, a.server.data_dir);  // the port is bound now
    if (::access(a.server.web_root.c_str(), R_OK | X_OK) != 0)
      std::cerr << "{\"level\":\"warn\",\"msg\":\"the web root is not readable by user " << user
                << "; the console and widget will be 404\"}" << std::endl;
    if (a.demo) std::cout << sb::seed_demo(*store, base);
    std::cout << "{\"level\":\"info\",\"msg\":\"listening\",\"url\":\"" << base
              << "\",\"port\":" << server.port() << ",\"user\":\"" << user
              << "\",\"max_open_files\":" << fds << "}" << std::endl;
    std::atomic<bool> finished{false};
    // The first signal drains (SIGTERM from systemd, or Ctrl-C); a second one stops at once.
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      if (finished) return;
      server.drain();
      watchdog.arm(std::chrono::milliseconds(a.server.drain_timeout_ms + 10'000));
      sigwait(&signals, &sig);
      if (!finished) server.stop();
    });
    server.run();
    finished = true;
    pthread_kill(waiter.native_handle(), SIGTERM);  // wakes it wherever it waits
    waiter.join();
    // Leaving the scope stops the services (each finishing its queue), then the
    // store, whose writer commits every write it was handed.
  }
  std::cout << "{\"level\":\"info\",\"msg\":\"stopped\"}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    if (!parse(argc, argv, args)) {
      std::cerr << kUsage;
      return argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0)
                 ? 0
                 : 2;
    }
    if (args.command == "migrate") return migrate(args);
    if (args.command == "init") return init(args);
    if (args.command == "backup") return backup(args);
    if (args.command == "rotate-keys") {
      auto id = sb::rotate_visitor_keys(args.server.data_dir, args.grace_hours * 3600 * 1000);
      std::cout << "{\"key_id\":\"" << id << "\",\"grace_hours\":" << args.grace_hours << "}\n";
      return 0;
    }
    if (args.command == "simulate") return simulate(args);
    if (args.command == "lang-eval") return sb::lang_eval(args.eval_dir);
    if (args.command == "bot-eval") return sb::bot_eval(args.train_file, args.test_file);
    if (args.command == "email-parse") return sb::email_parse(args.mail_file);
    return serve(args);
  } catch (const sb::sim::ScenarioError& e) {
    std::cerr << "switchboard: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "switchboard: " << e.what() << "\n";
    return 1;
  }
}
